"""Issue 10 (reader): symbols authors define in prose, time from 1, joint probabilities.

Each test fails before its form was read (docs/notation.md has one row per form).
"""
from __future__ import annotations

import textwrap

import pytest

from derive.read_latex import LatexError, parse_math
from derivation_helpers import check, verdicts


_GRAD_V = r"""
    $$
    \nabla_\theta V^\pi(s) = \phi(s) + \gamma \sum_a \pi_\theta(a|s) \sum_{s'} P(s'|s,a) \nabla_\theta V^\pi(s')
    $$
    """


# ------------------------------------------------------------------ 1. \phi defined in prose


def test_phi_defined_in_inline_prose_binds_for_later_steps(tmp_path):
    # Lilian Weng / Sutton & Barto 13.2: "Let $\phi(s) = \sum_a \nabla_\theta\pi_\theta(a|s)Q^\pi(s,a)$"
    rec = check(tmp_path, """
        ---
        title: phi
        setting: discounted
        ---
        Let $\\phi(s) = \\sum_a \\nabla_\\theta \\pi_\\theta(a|s) Q^\\pi(s,a)$ to simplify the maths.
        """ + _GRAD_V)
    assert verdicts(rec) == ["holds"]
    assert [d["lhs"] for d in rec["definitions"]] == [r"\phi(s)"]


def test_phi_defined_wrongly_fails(tmp_path):
    # the definition is used as written: without the gradient of pi, the step is false
    rec = check(tmp_path, """
        ---
        title: phi
        setting: discounted
        ---
        Let $\\phi(s) = \\sum_a \\pi_\\theta(a|s) Q^\\pi(s,a)$.
        """ + _GRAD_V)
    assert verdicts(rec) == ["fails"]


def test_phi_chinese_she_and_colon_equals(tmp_path):
    rec = check(tmp_path, """
        ---
        title: phi
        setting: discounted
        ---
        为了简化，设 $\\phi(s) = \\sum_{a} \\nabla_\\theta \\pi_\\theta(a|s) Q^{\\pi}(s,a)$ ，那么

        $$ \\omega(x) := x^2 $$

        $$ \\omega(y) + 1 = y^2 + 1 $$
        """ + _GRAD_V)
    assert verdicts(rec) == ["holds", "holds"]


def test_undefined_phi_is_refused_with_how_to_define_it():
    with pytest.raises(LatexError) as err:
        parse_math(r"\phi(s) + 1")
    msg = str(err.value)
    assert r"\phi is not defined in this file" in msg and r"Let $\phi(s) = ...$" in msg
    assert "newcommand" not in msg


def test_user_macro_applies_to_an_inline_prose_definition(tmp_path):
    # \newcommand{\phi}{f} then "Let $\phi(s) = ...$": the definition binds f, as the displays read it
    rec = check(tmp_path, """
        ---
        title: phi macro
        setting: discounted
        ---
        $\\newcommand{\\phi}{f}$

        Let $\\phi(s) = \\sum_a \\nabla_\\theta \\pi_\\theta(a|s) Q^\\pi(s,a)$.
        """ + _GRAD_V)
    assert verdicts(rec) == ["holds"]
    assert rec["definitions"][0]["read_as"].startswith("f(s) :=")


def test_unicode_phi_is_the_same_symbol(tmp_path):
    rec = check(tmp_path, """
        ---
        title: phi
        setting: discounted
        ---
        Let $φ(s) = \\sum_a \\nabla_\\theta \\pi_\\theta(a|s) Q^\\pi(s,a)$.
        """ + _GRAD_V)
    assert verdicts(rec) == ["holds"]


# ------------------------------------------------------------------ 1b. \rho^\pi(s \to x, k)


def test_kstep_probability_is_read_exactly(tmp_path):
    # Lilian Weng's visitation probability: rho(s -> s', 1) is the policy's chain; rho(s -> s, 0) = 1;
    # the recursion rho(s -> x, k+1) = sum_s' rho(s -> s', k) rho(s' -> x, 1); a wrong step count fails
    rec = check(tmp_path, r"""
        ---
        title: rho
        setting: discounted
        ---
        $$
        \sum_{s'} \rho^\pi(s \to s', 1) V(s') = \sum_{s'} \sum_a \pi_\theta(a \vert s) P(s' \vert s,a) V(s')
        $$

        $$
        \sum_{s''} \rho^{\pi}(s \rightarrow s'', 2) V(s'') = \sum_{s'} \rho^\pi(s \to s', 1) \sum_{s''} \rho^\pi(s' \to s'', 1) V(s'')
        $$

        $$
        \rho^\pi(s \to s, k=0) = 1
        $$

        $$
        \sum_{s''} \rho^\pi(s \to s'', 2) V(s'') = \sum_{s'} \rho^\pi(s \to s', 1) V(s')
        $$
        """)
    assert verdicts(rec) == ["holds", "holds", "holds", "fails"]
    assert r"\rho^\pi(s \to x, k) is the probability of going from s to x in k steps" in rec["steps"][0]["read_as"]


def test_kstep_from_a_time_indexed_state_is_refused():
    with pytest.raises(LatexError) as err:
        parse_math(r"\rho^\pi(s_1 \to s, k)")  # s_0 is read (the first state, conditioned on: issue 12, I2)
    assert "must be a state variable" in str(err.value)


def test_bare_to_is_still_refused():
    with pytest.raises(LatexError) as err:
        parse_math(r"\rho(s \to x, k)")
    assert r"\to" in str(err.value)


# ------------------------------------------------------------------ 2. time from 1 (CS285)

_CS285 = r"""
    $$
    \nabla_\theta \log p_\theta(\tau) = \nabla_\theta \left( \log p(s_1) + \sum_{t=1}^{T} \log \pi_\theta(a_t|s_t) + \sum_{t=1}^{T} \log p(s_{t+1}|s_t,a_t) \right) = \sum_{t=1}^{T} \nabla_\theta \log \pi_\theta(a_t|s_t)
    $$

    $$
    \mathbb{E}\left[\sum_t r(s_t, a_t)\right] = \mathbb{E}\left[R(\tau)\right]
    $$

    $$
    \mathbb{E}\left[\sum_{t=1}^{T-1} r(s_t, a_t)\right] = \mathbb{E}\left[R(\tau)\right]
    $$
    """


def test_horizon_from_1_front_matter(tmp_path):
    rec = check(tmp_path, "---\ntitle: cs285\nhorizon: from-1\n---\n" + textwrap.dedent(_CS285))
    # t = 1..T is the whole trajectory; stopping at T-1 drops the last reward
    assert verdicts(rec) == ["holds", "holds", "holds", "fails"]
    assert any("horizon: from-1" in c for c in rec["conventions"])
    assert "t = 1..T (horizon: from-1)" in rec["steps"][2]["read_as"]
    assert r"p(s_1) is the start distribution \rho_0(s_0)" in rec["steps"][0]["read_as"]


def test_horizon_from_1_is_inferred_and_stated(tmp_path):
    rec = check(tmp_path, "---\ntitle: cs285\n---\n" + textwrap.dedent(_CS285))
    assert verdicts(rec) == ["holds", "holds", "holds", "fails"]
    assert any(c.startswith("inferred: horizon: from-1") for c in rec["conventions"])


def test_horizon_from_1_is_not_inferred_when_the_file_writes_s_0(tmp_path):
    rec = check(tmp_path, "---\ntitle: cs285\n---\n" + textwrap.dedent(_CS285) + "\nThe first state is $s_0$.\n")
    assert not any("from-1" in c for c in rec["conventions"])


def test_p_of_s_1_without_the_convention_is_not_the_start_distribution():
    with pytest.raises(LatexError):
        parse_math(r"p(s_1)")
    assert str(parse_math(r"p(s_1)", options={"horizon": "from-1", "notes": []})) == "Rho0(St(0))"


def test_p_theta_of_an_action_given_a_state_is_the_policy(tmp_path):
    # Easy RL ch. 4 (Hung-yi Lee): p_\theta(a_t|s_t) comes from the agent
    assert parse_math(r"p_\theta(a_t|s_t)") == parse_math(r"\pi_\theta(a_t|s_t)")
    with pytest.raises(LatexError):
        parse_math(r"p_\theta(s_t|a_t)")


# ------------------------------------------------------------------ 3. joint probabilities


def test_state_action_marginal_draw_is_the_trajectory_expectation(tmp_path):
    # CS285 lecture 5: J(theta) = sum_t E_{(s_t, a_t) ~ p_theta(s_t, a_t)}[r(s_t, a_t)]
    rec = check(tmp_path, r"""
        ---
        title: marginal
        ---
        $$
        \sum_{t=0}^{T-1} \mathbb{E}_{(s_t,a_t)\sim p_\theta(s_t,a_t)}\left[r(s_t,a_t)\right] = \mathbb{E}_{\tau \sim \pi_\theta}\left[R(\tau)\right]
        $$

        $$
        \sum_{t=0}^{T-2} \mathbb{E}_{(s_t,a_t)\sim p_\theta(s_t,a_t)}\left[r(s_t,a_t)\right] = \mathbb{E}_{\tau \sim \pi_\theta}\left[R(\tau)\right]
        $$
        """)
    assert verdicts(rec) == ["holds", "fails"]
    assert "state-action marginal" in rec["steps"][0]["read_as"]


def test_a_pair_drawn_from_another_pair_is_refused():
    with pytest.raises(LatexError):
        parse_math(r"\mathbb{E}_{(s_t,a_t)\sim p_\theta(s_{t+1},a_t)}\left[r(s_t,a_t)\right]")


def test_a_step_that_holds_from_1_gets_the_hint(tmp_path):
    # s_0 written elsewhere: the convention is not inferred; the sum t = 1..T runs past the trajectory
    rec = check(tmp_path, r"""
        ---
        title: hint
        gamma: 1
        ---
        The first state is $s_0$ here, yet:

        $$
        \mathbb{E}\left[\sum_{t=1}^{T} r(s_t, a_t)\right] = \mathbb{E}\left[R(\tau)\right]
        $$
        """)
    assert verdicts(rec) == ["unknown"]
    assert any("horizon: from-1" in h for h in rec["steps"][0]["hints"])
