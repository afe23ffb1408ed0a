"""Infinite sums as published derivations write them (issue 12, "the infinite sums in the real-world corpus
are decided"): the GAE paper's eq. 16 chain (Schulman et al. 2016, arXiv:1506.02438), whose written terms
are partial sums and inner series, and the exact evaluation of the nested sums it reads as."""
from __future__ import annotations

import textwrap

import pytest
from sympy import Sum, oo

from derive.check_derivations.files import check_file
from derive.read_latex import LatexError, parse_math
from derive.lang import nodes as N
from derive.lang import symbols as S

t, l, m, k = (S.integer(x) for x in "tlmk")
D = {"setting": "discounted"}
ROW2 = (r"(1-\lambda)\left(\delta_t^V + \lambda(\delta_t^V + \gamma\delta_{t+1}^V) + "
        r"\lambda^2(\delta_t^V + \gamma\delta_{t+1}^V + \gamma^2\delta_{t+2}^V) + \dots\right)")
ROW3 = (r"(1-\lambda)\left(\delta_t^V(1 + \lambda + \lambda^2 + \dots) + \gamma\delta_{t+1}^V(\lambda + \lambda^2 + "
        r"\lambda^3 + \dots) + \gamma^2\delta_{t+2}^V(\lambda^2 + \lambda^3 + \lambda^4 + \dots) + \dots\right)")


def read(tex, **options):
    notes = []
    return parse_math(tex, options={**D, **options, "notes": notes}), notes


def delta(u):
    return N.Delta(u, read(r"\delta_t^V")[0].args[1])


def test_series_of_partial_sums_is_read_with_its_inner_sum():
    # GAE eq. 16, second row: the l-th term is lambda^l (delta_t + ... + gamma^l delta_{t+l})
    v, notes = read(ROW2)
    assert v == (1 - S.lam) * Sum(S.lam ** l * Sum(S.gamma ** m * delta(t + m), (m, 0, l)), (l, 0, oo))
    assert any(r"\sum_{m=0}^{l}" in n for n in notes)


def test_series_whose_terms_hold_an_inner_series_is_read():
    # GAE eq. 16, third row: gamma^l delta_{t+l} (lambda^l + lambda^{l+1} + ...)
    v, notes = read(ROW3)
    inner = [x for x in v.atoms(Sum) if x.limits[0][0] == l]
    assert len(inner) == 1 and inner[0].function == S.lam ** (k + l)
    assert v == (1 - S.lam) * Sum(S.gamma ** k * delta(t + k) * inner[0], (k, 0, oo))
    # two written terms are enough, as for the plain pattern (d2rl's notes write two)
    two, _ = read(r"\delta_t^V(1 + \lambda + \lambda^2 + \cdots) + \delta_{t+1}^V(\lambda + \lambda^2 + \lambda^3+\cdots) + \cdots")
    assert two.has(delta(t + k)) and two.has(S.lam ** (k + l))


@pytest.mark.parametrize("tex", [
    # the added terms do not follow one pattern (gamma^2 delta_{t+3})
    r"\delta_t + \lambda(\delta_t + \gamma\delta_{t+1}) + \lambda^2(\delta_t + \gamma\delta_{t+1} + \gamma^2\delta_{t+3}) + \dots",
    # the inner sums do not grow by one term each
    r"\delta_t + \lambda(\delta_t + \gamma\delta_{t+1}) + \lambda^2(\delta_t + \gamma\delta_{t+1}) + \dots",
])
def test_nested_series_that_do_not_follow_one_pattern_stay_unknown(tex):
    with pytest.raises(LatexError, match="cannot read the series"):
        parse_math(tex, options=dict(D))


def check(tmp_path, body):
    p = tmp_path / "gae.md"
    p.write_text("---\nsetting: discounted\n---\n\n" + textwrap.dedent(body).lstrip("\n"))
    return [s["verdict"] for s in check_file(str(p), symbolic_budget=0)["steps"]]


@pytest.mark.slow  # about 7 s: three pointwise identities of nested series, exactly
def test_gae_eq_16_chain_holds_and_a_dropped_gamma_fails(tmp_path):
    # eq. 16 rows 2 and 3 against the closed form; then d2rl's slip (gamma dropped before delta_{t+1}) fails
    assert check(tmp_path, rf"""
        $$
        {ROW2} = \sum_{{l=0}}^{{\infty}}(\gamma\lambda)^l\delta_{{t+l}}^V
        $$

        $$
        {ROW3} = \sum_{{l=0}}^{{\infty}}(\gamma\lambda)^l\delta_{{t+l}}^V
        $$

        $$
        (1-\lambda)\left(\delta_t^V(1 + \lambda + \lambda^2 + \dots) + \delta_{{t+1}}^V(\lambda + \lambda^2 + \lambda^3 + \dots)
        + \delta_{{t+2}}^V(\lambda^2 + \lambda^3 + \lambda^4 + \dots) + \dots\right) = \sum_{{l=0}}^{{\infty}}(\gamma\lambda)^l\delta_{{t+l}}^V
        $$
    """) == ["holds", "holds", "fails"]


def test_estimator_label_takes_the_definition_with_that_superscript(tmp_path):
    # OmniSafe's GAE (PPO docs, eq. 10): \hat{A}_\pi := (1-lambda)(\hat{A}^{(1)}_\pi + ...) after \hat{A}^{(k)}_\pi := ...;
    # \hat{A}^{(1)}_\pi is the k-step estimator at k = 1, not (\hat{A}_\pi)^1
    from derive.read_markdown.reader import read_derivation

    text = textwrap.dedent(r"""
        ---
        setting: discounted
        ---

        $$
        \hat{A}_{\pi}^{(k)}:=\sum_{l=0}^{k-1} \gamma^l \delta_{t+l}^V
        $$

        $$
        \hat{A}_{\pi}:= (1-\lambda)(\hat{A}_{\pi}^{(1)}+\lambda \hat{A}_{\pi}^{(2)}+\lambda^2 \hat{A}_{\pi}^{(3)}+\ldots)
        = \sum_{l=0}^{\infty}(\gamma \lambda)^l \delta_{t+l}^V
        $$
    """).lstrip("\n")
    (step,) = read_derivation(text).steps
    assert step.error is None
    assert step.lhs == (1 - S.lam) * Sum(S.lam ** k * Sum(S.gamma ** l * delta(t + l), (l, 0, k)), (k, 0, oo))


def test_trpo_trajectory_subscripts_are_trajectories_of_the_policy_named():
    # TRPO eq. 1: E_{s_0, a_0, ... ~ tilde pi}; appendix A: E_{tau | tilde pi}; both are E_{tau ~ tilde pi}
    body = r"\left[\sum_{t=0}^{\infty} \gamma^t A_\pi(s_t, a_t)\right]"
    want, _ = read(r"\mathbb{E}_{\tau \sim \tilde{\pi}}" + body)
    for sub in (r"s_0, a_0, \dots \sim \tilde{\pi}", r"s_0, a_0, \ldots \sim \tilde{\pi}", r"\tau|\tilde{\pi}"):
        got, notes = read(r"\mathbb{E}_{" + sub + "}" + body)
        assert got == want and any("trajector" in n for n in notes)
    with pytest.raises(LatexError, match="draws"):  # a bar elsewhere in a subscript is still refused
        parse_math(r"\mathbb{E}_{a | s}[r_t]", options=dict(D))
    for tex in (r"\sum_{a|s} r_t", r"V^{\pi|s}(s)"):  # and anywhere else in braces, with the reason
        with pytest.raises(LatexError, match=r"'\|' inside braces is read only in"):
            parse_math(tex, options=dict(D))


def test_reward_of_the_state_alone_is_refused_with_its_reason():
    # TRPO's r(s) is not derive's r_t = R(s_t, a_t, s_{t+1}): reading it as r_t would change A_pi
    with pytest.raises(LatexError, match=r"reward of the state alone"):
        parse_math(r"\sum_{t=0}^{\infty} \gamma^t r(s_t)", options=dict(D))
    assert read(r"r_t")[0] == N.Rt(t)


def test_state_probability_given_a_policy_is_that_policys_trajectory():
    # TRPO eq. 2: P(s_t = s | tilde pi) is E_{tau ~ tilde pi}[1[s_t = s]]; summed with gamma^t it is rho_{tilde pi}(s)
    from derive.check_statements.exact import check_exact

    got, notes = read(r"P(s_t = s|\tilde{\pi})")
    traj = read(r"\mathbb{E}_{\tau \sim \tilde{\pi}}[r_t]")[0].args[1]
    assert isinstance(got, N.Expect) and got.args[1] == traj and any("policy after the bar" in n for n in notes)
    lhs, _ = read(r"\sum_{t=0}^{\infty} \gamma^t P(s_t = s|\tilde{\pi})")
    rhs, _ = read(r"\frac{1}{1-\gamma} d^{\tilde\pi}(s)")
    assert check_exact(lhs, rhs, "discounted").status == "holds"
    assert check_exact(lhs, read(r"\frac{1}{1-\gamma} d^{\pi}(s)")[0], "discounted").status == "fails"


def test_trpo_eq_2_sum_over_times_of_state_probabilities_is_exact():
    # sum_t sum_s P(s_t = s | tilde pi) sum_a tilde pi(a|s) gamma^t A_pi(s,a) = sum_s rho_{tilde pi}(s) sum_a ...:
    # the expectation is pulled out of sum_s (linearity) and gamma^t out of sum_a; the wrong policy is refuted
    from derive.check_statements.exact import check_exact

    lhs, _ = read(r"\sum_{t=0}^{\infty} \sum_s P(s_t = s|\tilde{\pi}) \sum_a \tilde{\pi}(a|s) \gamma^t A_\pi(s, a)")
    right, _ = read(r"\frac{1}{1-\gamma} \sum_s d^{\tilde\pi}(s) \sum_a \tilde{\pi}(a|s) A_\pi(s, a)")
    wrong, _ = read(r"\frac{1}{1-\gamma} \sum_s d^{\pi}(s) \sum_a \tilde{\pi}(a|s) A_\pi(s, a)")
    assert check_exact(lhs, right, "discounted").status == "holds"
    assert check_exact(lhs, wrong, "discounted").status == "fails"


def test_partial_sums_of_a_defined_td_error_are_read(tmp_path):
    # with \delta_t defined in the file each written term expands to rewards and values; the added terms
    # gamma^i (r_{t+i} + gamma V(s_{t+i+1}) - V(s_{t+i})) still follow one pattern
    from derive.read_markdown.reader import read_derivation

    text = "\n".join(["---", "setting: discounted", "---", "", "Let", "$$", r"\delta_t := r_t+\gamma V(s_{t+1})-V(s_t)",
                      "$$", "", "$$", ROW2.replace("^V", "") + r" = \sum_{l=0}^{\infty}(\gamma\lambda)^l\delta_{t+l}", "$$", ""])
    (step,) = read_derivation(text).steps
    assert step.error is None and step.lhs.has(Sum)
