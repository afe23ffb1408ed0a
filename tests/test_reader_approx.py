"""Issue 10, R1: \\approx, \\propto, \\lim as authors write them (read_markdown/approx_steps.py,
check_derivations/approx.py, read_latex/sample_means.py, read_latex/limits.py).

An approximate step is never "holds" unless the equality is exact and never FAILS; a \\propto step is
judged by checking exactly that the ratio does not depend on the variable it is about.
"""
from __future__ import annotations

import textwrap

import pytest

from derive.check_derivations.approx import proportional_axis
from derive.check_derivations.judge import judge_exact
from derive.read_markdown import read_derivation
from derive.read_latex import LatexError, parse_math
from derive.read_latex.limits import rewrite
from derive.read_latex.sample_means import sample_mean


def read(text: str):
    return read_derivation(textwrap.dedent(text).lstrip("\n"), "approx.md")


def judged(text: str, k: int = 0) -> dict:
    d = read(text)
    return judge_exact(d.steps[k], "finite; gamma=1", 0, explain=False)


# ------------------------------------------------------------------------------------------ \approx


def test_approx_exact_equality_holds_exactly():
    rec = judged(r"$$J(\theta) \approx \mathbb{E}_{\tau\sim\pi_\theta}\left[R(\tau)\right]$$")
    assert rec["verdict"] == "holds"
    assert "holds exactly (the \\approx is an equality)" in rec["reason"]
    assert "\\approx" in rec["read_as"]


def test_approx_that_is_not_an_identity_is_never_fails_or_holds():
    rec = judged(r"$$J(\theta) \approx \mathbb{E}_{\tau\sim\pi_\theta}\left[r_0\right]$$")
    assert rec["verdict"] == "approximation"
    assert rec["reason"].startswith("approximation (not an identity): the two sides differ, on ")
    assert "lhs = " in rec["reason"] and "rhs = " in rec["reason"]


def test_unicode_approx_is_read_too():
    d = read(r"$$J(\theta) ≈ \mathbb{E}_{\tau\sim\pi_\theta}\left[R(\tau)\right]$$")
    assert d.steps[0].error is None and d.steps[0].relation == "approx"


MC = r"""
$$
\nabla_\theta J(\theta) = \mathbb{E}_{\tau\sim\pi_\theta}\left[\sum_{t=0}^{T-1}\nabla_\theta\log\pi_\theta(a_t|s_t) R(\tau)\right]
\approx \frac{1}{N}\sum_{i=1}^{N}\sum_{t=0}^{T-1}\nabla_\theta\log\pi_\theta(a_t^{(i)}|s_t^{(i)}) R(\tau^{(i)})
= \hat{g}
$$
"""


def test_monte_carlo_estimate_is_an_unbiased_sample_mean():
    d = read(MC)
    step = d.steps[1]
    assert step.relation == "approx" and step.approx == {"sample_mean": "rhs"}
    assert any("sample mean of N independent draws" in n for n in step.notes)
    rec = judge_exact(step, "finite", 0, explain=False)
    assert rec["verdict"] == "approximation"
    assert rec["reason"].startswith("approximation: an unbiased sample mean")


def test_sample_mean_is_not_its_expectation_in_an_equality():
    d = read(MC)  # step 3, "\frac1N \sum ... = \hat{g}", reads the average as written (never as E[X])
    assert d.steps[2].relation == "=" and d.steps[2].error is not None


def test_biased_sample_mean_is_an_approximation_with_the_gap():
    rec = judged(r"$$J(\theta) \approx \frac{1}{N}\sum_{i=1}^{N} r_0^{(i)}$$")
    assert rec["verdict"] == "approximation" and "biased" in rec["reason"]


@pytest.mark.parametrize("tex, body", [
    (r"\frac{1}{m}\sum_{i=1}^{m}\nabla_\theta\log P(\tau^{(i)};\theta)R(\tau^{(i)})",
     r"\nabla_\theta\log P(\tau;\theta)R(\tau)"),
    (r"\frac1N \sum_{n=1}^{N} R(\tau_n)", r"R(\tau)"),
    (r"\frac{1}{m} \sum^{m}_{i=1} \sum^{H}_{t=0} \log \pi_\theta(a^{(i)}_{t} | s_{t}^{(i)})",
     r"\sum^{H}_{t=0} \log \pi_\theta(a_{t} | s_{t})"),
    (r"\frac{1}{N}\sum_{i} G_{i,t}", r"G_{t}"),
])
def test_sample_mean_patterns(tex, body):
    assert sample_mean(tex).body == body


@pytest.mark.parametrize("tex", [
    r"\frac{1}{N}\sum_{i=1}^{N} x^2",  # no draw is labelled
    r"\frac{1}{N}\sum_{i=1}^{N} R(\tau^{(i)}) - b",  # the average is not the whole side
    r"\frac{1}{N}\sum_{i=1}^{M} R(\tau^{(i)})",  # 1/N but M terms
    r"\frac{1}{N}\sum_{i=1}^{N} \gamma^i R(\tau^{(i)})",  # i used as an exponent too
])
def test_sample_mean_refused_when_not_unique(tex):
    assert sample_mean(tex) is None


# ------------------------------------------------------------------------------------------ \propto


def test_propto_in_the_action_holds_with_the_factor():
    rec = judged(r"$$\pi_\theta(a|s) \propto \pi_\theta(a|s) \exp(V(s))$$")
    assert rec["verdict"] == "holds"
    assert "proportional in a (the outcome of the distribution on the left)" in rec["reason"]
    assert "c = " in rec["reason"]


def test_propto_that_depends_on_the_action_fails():
    rec = judged(r"$$\pi_\theta(a|s) \propto \pi_\theta(a|s) \exp(Q(s,a))$$")
    assert rec["verdict"] == "fails" and rec["reason"].startswith("not proportional in a")


def test_propto_of_gradients_is_parallel_vectors():
    assert judged(r"$$\nabla_\theta J(\theta) \propto 3 \nabla_\theta J(\theta)$$")["verdict"] == "holds"
    rec = judged(r"$$\nabla_\theta J(\theta) \propto -\nabla_\theta J(\theta)$$")
    assert rec["verdict"] == "fails"


def test_propto_without_a_variable_is_unknown_naming_it():
    d = read(r"$$f(x) g(s) \propto h(s) f(x)$$")
    axis, why = proportional_axis(d.steps[0].lhs, d.steps[0].rhs)
    assert axis is None and "free variables: s, x" in why
    rec = judge_exact(d.steps[0], "finite", 0, explain=False)
    assert rec["verdict"] == "unknown" and "which variable" in rec["reason"]


# --------------------------------------------------------------------------------------------- \lim


def test_limit_of_partial_sums_is_the_series():
    notes = []
    e = parse_math(r"\lim_{k\to\infty}\sum_{l=0}^{k}\gamma^l r_{t+l}", options={"notes": notes, "setting": "discounted"})
    assert e == parse_math(r"\sum_{l=0}^{\infty}\gamma^l r_{t+l}", options={"setting": "discounted"})
    assert "partial sums is the series" in notes[0]


def test_limit_of_a_sample_mean_is_the_expectation():
    notes = []
    e = parse_math(r"\lim_{N\to\infty}\frac{1}{N}\sum_{i=1}^{N} R(\tau^{(i)})", options={"notes": notes})
    assert e == parse_math(r"\mathbb{E}_{\tau\sim\pi_\theta}[R(\tau)]")
    assert any("strong law of large numbers" in n for n in notes)


@pytest.mark.parametrize("tex", [
    r"\lim_{n \to \infin} \frac{1}{1 - \gamma} (1 - \gamma^{n+1})",  # n outside a sum's upper limit
    r"\lim_{k\to\infty}\sum_{l=0}^{k}\gamma^l r_{t+l} + 1",  # the scope would be a guess
    r"\lim_{t\to\infty} x",
])
def test_other_limits_are_refused_naming_the_supported_spellings(tex):
    assert rewrite(tex) is None
    with pytest.raises(LatexError, match=r"read only as a whole side, over partial sums"):
        parse_math(tex)


def test_limit_of_a_finite_series_with_an_ellipsis_is_the_series():
    notes = []
    e = parse_math(r"\lim_{n \to \infin} (1 + \gamma + \gamma^2 + \dots + \gamma^n)",
                   options={"notes": notes, "setting": "discounted"})
    assert e == parse_math(r"\sum_{l=0}^{\infty}\gamma^l", options={"setting": "discounted"})
    assert "without its last term, to infinity" in notes[-1]


def test_limit_whose_last_term_is_off_the_pattern_is_refused():
    with pytest.raises(LatexError, match=r"\\lim: a limit is read only"):
        parse_math(r"\lim_{n \to \infty} (1 + \gamma + \gamma^2 + \dots + \gamma^{n+3}\lambda)",
                   options={"setting": "discounted"})


def test_file_with_an_approximation_is_not_ok_and_says_why():
    from derive.check_derivations.files import expectation, file_verdict
    steps = [{"step": 1, "verdict": "holds"}, {"step": 2, "verdict": "approximation"}]
    assert file_verdict(steps) == "unknown"
    assert expectation("x.md", {}, steps) == (False, "an approximation (not an identity) at step 2")


# --------------------------------------------------------------------------------------- ellipses


def test_trajectory_probability_written_with_an_ellipsis():
    notes = []
    e = parse_math(r"\rho_0(s_0)\pi_\theta(a_0|s_0)P(s_1|s_0,a_0)\pi_\theta(a_1|s_1)P(s_2|s_1,a_1)\cdots",
                   options={"notes": notes})
    assert e == parse_math(r"\rho_0(s_0)\prod_{t} \pi_\theta(a_t|s_t)P(s_{t+1}|s_t,a_t)")
    assert any("product with an ellipsis" in n for n in notes)


def test_product_with_an_ellipsis_up_to_a_written_last_block():
    e = parse_math(r"\rho_0(s_0)\pi_\theta(a_0|s_0)P(s_1|s_0,a_0)\pi_\theta(a_1|s_1)P(s_2|s_1,a_1)\cdots"
                   r"\pi_\theta(a_{T-1}|s_{T-1})P(s_T|s_{T-1},a_{T-1})")
    assert e == parse_math(r"\rho_0(s_0)\prod_{t=0}^{T-1} \pi_\theta(a_t|s_t)P(s_{t+1}|s_t,a_t)")


@pytest.mark.parametrize("tex", [
    r"\rho_0(s_0)\pi_\theta(a_0|s_0)P(s_1|s_0,a_0)\cdots",  # one block: the pattern is not shown
    r"\rho_0(s_0)\pi_\theta(a_1|s_1)P(s_2|s_1,a_1)\pi_\theta(a_2|s_2)P(s_3|s_2,a_2)\cdots",  # starts at 1, not 0
    r"\pi_\theta(a_0|s_0)\pi_\theta(a_1|s_1)\cdots\pi_\theta(a_T|s_{T-1})",  # last factor off the pattern
])
def test_product_with_an_ellipsis_refused_when_not_unique(tex):
    with pytest.raises(LatexError, match="ellipsis"):
        parse_math(tex)


def test_two_ellipses_in_a_row_are_one_gap():
    notes = []
    e = parse_math(r"r_t + \gamma r_{t+1} + \cdots + \cdots + \gamma^{T-t-1} r_{T-1}", options={"notes": notes})
    assert e == parse_math(r"r_t + \gamma r_{t+1} + \cdots + \gamma^{T-t-1} r_{T-1}")
    assert any("two ellipses in a row" in n for n in notes)


def test_sample_mean_in_an_equality_names_the_supported_spellings():
    d = read(r"$$J(\theta) = \frac{1}{N}\sum_{i=1}^{N} R(\tau^{(i)})$$")
    assert "is read in an \\approx step" in d.steps[0].error.message
    assert (d.steps[0].error.line, d.steps[0].error.col) == (1, 15)  # where \frac starts


def test_a_side_that_is_only_an_ellipsis_says_steps_were_left_out():
    d = read(r"""
        $$
        \begin{aligned}
        f(x) &= \cdots \\
        &= g(x)
        \end{aligned}
        $$
        """)
    # read, and not a claim: the relation "elided" (read_markdown/elided_steps.py; verdict elided, never holds)
    assert all(s.error is None and s.relation == "elided" and any("steps left out" in n for n in s.notes)
               for s in d.steps)


def test_two_sample_means_are_compared_draw_by_draw():
    rec = judged(r"""$$\frac{1}{N}\sum_{n=1}^{N} R(\tau^n) \nabla_\theta \log P(\tau^n|\theta)
        = \frac{1}{N}\sum_{n=1}^{N} \sum_{t=0}^{T-1} R(\tau^n) \nabla_\theta \log \pi_\theta(a_t^n|s_t^n)$$""")
    assert rec["verdict"] == "holds" and rec["reason"].startswith("equal draw by draw")
    assert "both sides are sample means over the same N draws" in rec["read_as"]


def test_two_sample_means_equal_only_in_expectation_are_unknown():
    rec = judged(r"""$$\frac{1}{N}\sum_{n=1}^{N} \sum_{t=0}^{T-1} \nabla_\theta \log \pi_\theta(a_t^n|s_t^n) R(\tau^n)
        = \frac{1}{N}\sum_{n=1}^{N} \sum_{t=0}^{T-1} \nabla_\theta \log \pi_\theta(a_t^n|s_t^n) (R(\tau^n) - 1)$$""")
    assert rec["verdict"] == "unknown" and "equal in expectation, not for every sample" in rec["reason"]


def test_two_sample_means_with_different_expectations_fail():
    rec = judged(r"$$\frac{1}{N}\sum_{n=1}^{N} R(\tau^n) = \frac{1}{N}\sum_{n=1}^{N} 2 R(\tau^n)$$")
    assert rec["verdict"] == "fails" and "so do their expectations" in rec["reason"]


def test_sample_mean_whose_term_is_not_read_names_the_term():
    d = read(r"$$\nabla_\theta J(\theta) \approx \frac{1}{N}\sum_{i=1}^{N} \hat{g}_{i,t}$$")
    msg = d.steps[0].error.message
    assert msg.startswith("the sample mean") and "in X = \\hat{g}_{t}" in msg


def test_spinning_up_mean_over_a_set_of_trajectories():
    rec = judged(r"""$$\nabla_\theta J(\pi_\theta) \approx \frac{1}{|\mathcal{D}|} \sum_{\tau \in \mathcal{D}}
        \sum_{t=0}^{T-1} \nabla_{\theta} \log \pi_{\theta}(a_t |s_t) R(\tau)$$""")
    assert rec["verdict"] == "approximation" and "unbiased sample mean" in rec["reason"]
    assert "runs over the set of sampled trajectories" in rec["read_as"]
    assert sample_mean(r"\frac{1}{|\mathcal{D}|} \sum_{\tau \in \mathcal{D}_k} R(\tau)") is None  # two sets
