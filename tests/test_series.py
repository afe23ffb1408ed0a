"""Sums and series as authors write them (issue 10, item 5): \\sum_t, \\sum_{s,a}, \\prod_t, series with an
ellipsis, horizon letters, the horizon / reward-index conventions and the conventions a file shows."""
from __future__ import annotations


import pytest
from sympy import Product, Sum, oo

from derive.read_markdown import read_derivation
from derive.read_latex import LatexError, parse_math
from derive.lang import nodes as N
from derive.lang import symbols as S
from derivation_helpers import check, read, verdicts

t, l = S.integer("t"), S.integer("l")


# ------------------------------------------------------------------ sums


def test_sum_t_without_bounds_is_the_trajectory_and_is_said():
    v, notes = read(r"\sum_t r_t")
    assert v == Sum(N.Rt(t), (t, 0, S.T - 1))
    assert any("t = 0..T-1" in n for n in notes)
    v, notes = read(r"\sum_t \gamma^t r_t", setting="discounted")
    assert v == Sum(S.gamma ** t * N.Rt(t), (t, 0, oo)) and any("infinite horizon" in n for n in notes)


def test_prod_t_and_nested_time_sums():
    v, _ = read(r"\prod_t \pi_\theta(a_t|s_t)")
    assert isinstance(v, Product) and v.limits == ((t, 0, S.T - 1),)
    v, _ = read(r"\sum_{t=0}^{T-1}\sum_{t'=t}^{T-1} r_{t'}")
    assert v == Sum(N.Rt(S.tp), (S.tp, t, S.T - 1), (t, 0, S.T - 1))


def test_sum_over_several_variables_nests():
    a, b = read(r"\sum_{s,a} \pi(a|s) f(s)")[0], read(r"\sum_{s\in\mathcal{S}, a \in \mathcal{A}} \pi(a|s) f(s)")[0]
    assert a == b and isinstance(a, N.SumOver) and isinstance(a.args[0], N.SumOver)
    assert read(r"\sum_{s\in\mathcal{S}} f(s)")[0] == read(r"\sum_{s} f(s)")[0]


def test_horizon_letters_and_conventions():
    assert read("H")[0] == read("T")[0] == S.T
    assert read("T", horizon="last-index")[0] == S.T - 1  # the written T is the last index: derive's T - 1
    assert read(r"\sum_{t=0}^{T} r_t", horizon="last-index")[0] == Sum(N.Rt(t), (t, 0, S.T - 1))
    assert read("r_{t+1}", **{"reward-index": "t+1"})[0] == N.Rt(t)  # Sutton & Barto's R_{t+1} is derive's r_t


# ------------------------------------------------------------------ series


def test_series_general_term_to_the_end_of_the_trajectory():
    for dots in (r"\cdots", r"\dots", r"\ldots"):
        v, notes = read(r"r_t + \gamma r_{t+1} + \gamma^2 r_{t+2} + " + dots)
        assert v == Sum(S.gamma ** l * N.Rt(t + l), (l, 0, S.T - t - 1))
        assert any("general term" in n and "end of the trajectory" in n for n in notes)


def test_series_to_infinity_when_discounted_and_with_a_last_term():
    v, notes = read(r"r_t + \gamma r_{t+1} + \gamma^2 r_{t+2} + \cdots", setting="discounted")
    assert v == Sum(S.gamma ** l * N.Rt(t + l), (l, 0, oo)) and any("infinite horizon" in n for n in notes)
    v, notes = read(r"r_t + \gamma r_{t+1} + \cdots + \gamma^{T-t-1} r_{T-1} + \gamma^{T-t} V(s_T)")
    assert v.has(Sum(S.gamma ** l * N.Rt(t + l), (l, 0, S.T - t - 1))) and any("last term" in n for n in notes)


def test_series_without_a_time_index_is_infinite_and_a_mistyped_last_term_is_read_as_written():
    v, notes = read(r"1 + \gamma + \gamma^2 + \cdots")
    assert v == Sum(S.gamma ** l, (l, 0, oo)) and any("no time index" in n for n in notes)
    # the PPO paper's eq. 10 prints gamma^{T-t+1} r_{T-1}: the pattern's terms, then that term as written
    v, notes = read(r"-V(s_t) + r_t + \gamma r_{t+1} + \cdots + \gamma^{T-t+1} r_{T-1} + \gamma^{T-t} V(s_T)")
    assert v.has(Sum(S.gamma ** l * N.Rt(t + l), (l, 0, S.T - t - 2))) and v.has(S.gamma ** (S.T - t + 1) * N.Rt(S.T - 1))
    assert any("not the general term" in n for n in notes)


def test_series_two_terms_and_a_leading_term():
    assert read(r"r_t + \gamma r_{t+1} + \cdots")[0] == Sum(S.gamma ** l * N.Rt(t + l), (l, 0, S.T - t - 1))
    v, _ = read(r"-V(s_t) + r_t + \gamma r_{t+1} + \gamma^2 r_{t+2} + \cdots")
    assert v.has(Sum(S.gamma ** l * N.Rt(t + l), (l, 0, S.T - t - 1))) and v.has(N.FreeFn)


@pytest.mark.parametrize("tex, why", [
    (r"r_t + \gamma r_{t+2} + \gamma^2 r_{t+3} + \cdots", "pattern"),  # inconsistent terms
    (r"r_t + \cdots", "two written terms"),
    (r"r_t + \gamma r_{t+1} + \cdots + \gamma^2 V(s_{t+5})", "not a term of the series"),
    (r"r_t + \gamma r_{t+1} + \cdots + \gamma^2", "not a term of the series"),
    (r"x \cdots y", "term of a sum"),
    (" + ".join(f"\\gamma^{{{k}}} r_{{t+{k}}}" for k in range(13)) + r" + \cdots", "at most 12"),  # bounded work
])
def test_series_that_cannot_be_read_are_unknown(tex, why):
    with pytest.raises(LatexError, match=why):
        parse_math(tex)


# ------------------------------------------------------------------ end to end


def test_series_steps_end_to_end(tmp_path):
    rec = check(tmp_path, r"""
        $$
        G_t = r_t + \gamma r_{t+1} + \gamma^2 r_{t+2} + \cdots
        $$

        $$
        \hat{A}^{\mathrm{GAE}}_t = \delta_t + \gamma\lambda\delta_{t+1} + (\gamma\lambda)^2 \delta_{t+2} + \cdots
        $$

        $$
        G_t = r_t + \gamma r_{t+1} + \gamma r_{t+2} + \gamma r_{t+3} + \cdots
        $$

        $$
        \hat{A}^{\mathrm{GAE}}_t = \delta_t + \gamma\delta_{t+1} + \gamma^2 \delta_{t+2} + \cdots
        $$

        $$
        \hat{A}^{(T-t)}_t = -V^\pi(s_t) + r_t + \gamma r_{t+1} + \cdots + \gamma^{T-t-1} r_{T-1} + \gamma^{T-t} V^\pi(s_T)
        = -V^\pi(s_t) + r_t + \gamma r_{t+1} + \cdots + \gamma^{T-t+1} r_{T-1} + \gamma^{T-t} V^\pi(s_T)
        $$
    """)
    assert verdicts(rec)[4:] == ["holds", "fails"]  # the PPO paper's exponent typo (eq. 10) is a correct "fails"
    assert verdicts(rec)[:2] == ["holds", "holds"]
    # read as written: r_t plus the series gamma r_{t+1+l} of the three terms that share a pattern
    assert verdicts(rec)[2] == "fails" and r"\gamma r_{l + t + 1}" in rec["steps"][2]["read_as"]
    assert verdicts(rec)[3] == "fails"  # lambda dropped
    assert "general term" in rec["steps"][0]["read_as"]


def test_undiscounted_inferred_when_no_gamma_is_written(tmp_path):
    text = r"""
        $$
        G_t = r_t + r_{t+1} + r_{t+2} + \cdots
        $$
    """
    rec = check(tmp_path, text)
    assert verdicts(rec) == ["holds"]
    assert any("inferred: undiscounted (no gamma written)" in c for c in rec["conventions"])
    rec = check(tmp_path, text + "\nThe discount is $\\gamma$.\n", "g.md")  # gamma written: discounted
    assert verdicts(rec) == ["fails"] and not rec["conventions"]


def test_own_v_inferred_for_delta(tmp_path):
    rec = check(tmp_path, r"""
        $$
        \delta_t = r_t + \gamma V(s_{t+1}) - V(s_t)
        $$
    """)
    assert verdicts(rec) == ["holds"] and any("own V" in c for c in rec["conventions"])
    rec = check(tmp_path, r"""
        $$
        \delta_t = r_t + \gamma V^\pi(s_{t+1}) - V^\pi(s_t)
        $$

        $$
        V(s) + 1 = 1 + V(s)
        $$
    """, "g.md")
    assert verdicts(rec) == ["holds", "holds"] and not rec["conventions"]  # it writes V^pi: delta is the true one


def test_spinning_up_and_sutton_barto_conventions(tmp_path):
    rec = check(tmp_path, r"""
        ---
        horizon: last-index
        ---
        $$
        R(\tau) = \sum_{t=0}^{T} r_t = \sum_{t=0}^{T-1} r_t
        $$
    """)
    assert verdicts(rec) == ["holds", "fails"]
    assert any("horizon: last-index" in c for c in rec["conventions"])
    rec = check(tmp_path, r"""
        ---
        reward-index: t+1
        ---
        $$
        G_t = \sum_{k=0}^{T-t-1} \gamma^k r_{t+k+1} = \sum_{k=0}^{T-t-1} \gamma^k r_{t+k}
        $$
    """, "sb.md")
    assert verdicts(rec)[0] == "holds" and verdicts(rec)[1] != "holds"


def test_front_matter_rejects_unknown_convention(tmp_path):
    from derive.read_markdown import InputError

    with pytest.raises(InputError, match="horizon"):
        read_derivation("---\nhorizon: first\n---\n$$x = x$$\n")
