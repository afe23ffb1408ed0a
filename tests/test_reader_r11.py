"""Issue 10 (R11): the classic-RL long tail: joint densities of the trajectory's variables
(read_latex/joint_density.py), ...  Every reading is echoed in ``read as``; what is not exact is refused."""
from __future__ import annotations

import textwrap

from derive.check_derivations.judge import judge_exact
from derive.read_markdown import read_derivation

CONTROL = "---\nhorizon: last-index\n---\n\n"


def judged(text: str, k: int = 0, conv: str = "finite; gamma=1") -> dict:
    d = read_derivation(textwrap.dedent(text).lstrip("\n"), "r11.md")
    return judge_exact(d.steps[k], conv, 0, explain=False)


def display(tex: str, front: str = "") -> str:
    return front + "$$\n" + tex + "\n$$\n"


# ------------------------------------------------------------------ joint densities (helpingstar/Math-RL 3.2-3.4)


def test_whole_trajectory_list_is_the_trajectory_probability():
    rec = judged(display(r"p_\theta(\tau) = p_\theta(\mathrm{x}_0, \mathrm{u}_0, \mathrm{x}_1, \mathrm{u}_1, \ldots, "
                         r"\mathrm{x}_T, \mathrm{u}_T)", CONTROL))
    assert rec["verdict"] == "holds"
    assert "joint density" in rec["read_as"] and "rest of the trajectory" in rec["read_as"]


def test_chain_rule_with_a_conditional_rest():
    rec = judged(display(r"p_\theta(\tau) = p(x_0)p_\theta(u_0|x_0)p_\theta(x_1, u_1, \ldots, x_T, u_T|x_0, u_0)", CONTROL))
    assert rec["verdict"] == "holds"


def test_markov_conditionals_are_the_policy_and_the_transition():
    assert judged(display(r"p_\theta(u_1 | x_0, u_0, x_1) = \pi_\theta(u_1 | x_1)", CONTROL))["verdict"] == "holds"
    assert judged(display(r"p(x_2 | x_0, u_0, x_1, u_1) = p(x_2 | x_1, u_1)", CONTROL))["verdict"] == "holds"


def test_a_missing_factor_fails():
    rec = judged(display(r"p_\theta(s_0, a_0, s_1) = p(s_0) \pi_\theta(a_0|s_0)"))
    assert rec["verdict"] == "fails"
    rec = judged(display(r"p_\theta(a_1, s_2 | s_1) = \pi_\theta(a_1|s_1)"))
    assert rec["verdict"] == "fails"


def test_a_condition_on_a_later_or_missing_variable_is_not_read():
    for tex in (r"p_\theta(a_1 | s_0, a_0, s_2) = \pi_\theta(a_1|s_1)",
                r"p_\theta(s_1, a_1 | a_0) = p(s_1|s_0,a_0) \pi_\theta(a_1|s_1)",
                r"p_\theta(s_1, a_1) = p(s_1|s_0,a_0) \pi_\theta(a_1|s_1)"):
        d = read_derivation(display(tex), "r11.md")
        assert d.steps[0].lhs is None, tex


# ------------------------------------------------------------------ \tau \sim p_\theta(\tau | s_0 = s, a_0 = a) (JoyRL ch. 9)

SETTING = "---\nsetting: discounted\n---\n\n"


def test_trajectory_draw_conditioned_on_its_start():
    rec = judged(display(r"Q^{\pi}(s, a) = \mathbb{E}_{\tau \sim p_\theta(\tau|s_0=s, a_0=a)} \left[ \sum_{t=0}^{\infty} "
                         r"\gamma^t r_t \right]", SETTING), conv="discounted")
    assert rec["verdict"] == "holds"
    assert r"\mid s_{0} = s, a_{0} = a" in rec["read_as"] and "given the written start" in rec["read_as"]


def test_trajectory_draw_conditioned_on_the_wrong_start_fails():
    rec = judged(display(r"Q^{\pi}(s, a) = \mathbb{E}_{\tau \sim p_\theta(\tau|s_0=s)} \left[ \sum_{t=0}^{\infty} "
                         r"\gamma^t r_t \right]", SETTING), conv="discounted")
    assert rec["verdict"] == "fails"


# ------------------------------------------------------------------ d_\pi, \rho_{\theta_{old}}, s \sim \rho_\pi (TRPO)


def test_d_with_a_subscript_stays_unread():
    # d_\pi: normalised (Kakade & Langford) or TRPO's unnormalised rho (OmniSafe)? The file does not say.
    for d_ in (r"d_\theta(s)", r"d_{\pi_\theta}(s)"):
        d = read_derivation(display(r"\sum_s " + d_ + r" V^{\pi_\theta}(s) = \sum_s d^{\pi_\theta}(s) V^{\pi_\theta}(s)",
                                    SETTING), "r11.md")
        assert d.steps[0].lhs is None, d_


def test_trpo_rho_named_by_its_parameter_is_unnormalised():
    rec = judged(display(r"\sum_s \rho_{\theta_\text{old}}(s) = \frac{1}{1-\gamma}", SETTING), conv="discounted")
    assert rec["verdict"] == "holds" and "Schulman et al. 2015, eq. 14" in rec["read_as"]
    rec = judged(display(r"\sum_s \rho_{\theta_\text{old}}(s) = 1", SETTING), conv="discounted")
    assert rec["verdict"] == "fails"


def test_trpo_replaces_the_visitation_sum_by_an_expectation_over_normalised_rho():
    # TRPO eq. 14: sum_s rho_old(s) [...] = 1/(1-gamma) E_{s ~ rho_old}[...]
    tex = (r"\sum_s \rho_{\theta_{old}}(s) \sum_a \pi_\theta(a|s) A_{\pi_{\theta_{old}}}(s,a) = \frac{1}{1-\gamma} "
           r"\mathbb{E}_{s \sim \rho_{\theta_{old}}}\left[\sum_a \pi_\theta(a|s) A_{\pi_{\theta_{old}}}(s,a)\right]")
    rec = judged(display(tex, SETTING), conv="discounted")
    assert rec["verdict"] == "holds" and "normalised" in rec["read_as"]
    rec = judged(display(tex.replace(r"\frac{1}{1-\gamma} ", ""), SETTING), conv="discounted")
    assert rec["verdict"] == "fails"


# ------------------------------------------------------------------ slices \tau_{x_0:u_t} and integrals over them (Math-RL 3.9, 4.3-4.5)


def test_slice_densities_chain_rule():
    rec = judged(display(r"p_\theta(\tau_{x_0:u_t}, \tau_{x_{t+1}:u_T}) = p_\theta(\tau_{x_{t+1}:u_T} \vert \tau_{x_0:u_t})"
                         r" p_\theta(\tau_{x_0:u_t})", CONTROL))
    assert rec["verdict"] == "holds"
    rec = judged(display(r"p_\theta(\tau_{x_{t+1}:u_T} | \tau_{x_0:u_t}) = p_\theta(\tau_{x_{t+1}:u_T} | x_t, u_t)", CONTROL))
    assert rec["verdict"] == "holds"


def test_integral_over_slices_is_the_sum_over_their_values():
    tex = (r"\int_{\tau_{x_0:u_t}} \int_{\tau_{x_{t+1}:u_T}} f(x_t, u_t) p_\theta(\tau_{x_0:u_t}, \tau_{x_{t+1}:u_T}) "
           r"d\tau_{x_{t+1}:u_T} d\tau_{x_0:u_t} = \mathbb{E}_{\tau \sim p_\theta(\tau)}[f(x_t, u_t)]")
    rec = judged(display(tex, CONTROL))
    assert rec["verdict"] == "holds" and "slice of the trajectory" in rec["read_as"]
    # the density left out: a plain sum over the values, not the expectation
    rec = judged(display(tex.replace(r"p_\theta(\tau_{x_0:u_t}, \tau_{x_{t+1}:u_T}) ", ""), CONTROL))
    assert rec["verdict"] == "fails"


def test_inner_integral_given_the_beginning_is_q():
    tex = (r"\int_{\tau_{x_{t+1}:u_T}} \left( \sum_{k=t}^T \gamma^{k-t} r(x_k, u_k) \right) "
           r"p_\theta(\tau_{x_{t+1}:u_T} | x_t, u_t) d\tau_{x_{t+1}:u_T} = Q^{\pi_\theta}(x_t, u_t)")
    assert judged(display(tex, CONTROL))["verdict"] == "holds"
    assert judged(display(tex.replace("k=t", "k=t+1"), CONTROL))["verdict"] == "fails"


def test_outer_integral_over_the_first_state_around_a_slice():
    tex = (r"\int_{x_0} \left[ \int_{\tau_{u_0:u_T}} p_\theta(\tau_{u_0:u_T} | x_0) r(x_1, u_1) d\tau_{u_0:u_T} \right] "
           r"p(x_0) dx_0 = \mathbb{E}_{\tau \sim p_\theta(\tau)}[r(x_1, u_1)]")
    assert judged(display(tex, CONTROL))["verdict"] == "holds"


# ------------------------------------------------------------------ {\sum_a{\pi_\theta}}(a|s): equation-editor braces (boyin96)


def test_braced_product_before_the_arguments_of_its_last_symbol():
    tex = (r"\sum_{s'}{\sum_a{\pi _{\theta}}}(a\mid s)P\left( s'\mid s,a \right) V^{\pi}(s') = "
           r"\sum_a \pi_\theta(a|s) \sum_{s'} P(s'|s,a) V^{\pi}(s')")
    assert judged(display(tex, SETTING), conv="discounted")["verdict"] == "holds"
    assert judged(display(tex.replace("V^{\\pi}(s') = ", "V^{\\pi}(s) = "), SETTING), conv="discounted")["verdict"] == "fails"


def test_a_list_to_the_last_action_under_derives_horizon_is_only_those_variables():
    # horizon: steps (derive's): tau = (s_0, a_0, ..., s_{T-1}, a_{T-1}, s_T); the list leaves s_T out: its marginal
    marginal = (r"p_\theta(s_0, a_0, \ldots, s_{T-1}, a_{T-1}) = \rho_0(s_0) \left(\prod_{t=0}^{T-1} \pi_\theta(a_t|s_t)\right) "
                r"\prod_{t=0}^{T-2} P(s_{t+1}|s_t, a_t)")
    assert judged(display(marginal))["verdict"] == "holds"
    assert judged(display(r"p_\theta(s_0, a_0, \ldots, s_{T-1}, a_{T-1}, s_T) = P(\tau|\theta)"))["verdict"] == "holds"


def test_an_unread_list_names_the_joint_density_spelling():
    import pytest

    from derive.read_latex import LatexError, parse_math

    with pytest.raises(LatexError) as err:
        parse_math(r"p_\theta(s_1, a_1)")
    assert r"p_\theta(s_0, a_0, \ldots, s_t)" in err.value.message
