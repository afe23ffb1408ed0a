"""Issue 10: index ranges (s_{0:t}, a_{t:T-1}, \\tau_{:t}), sample labels in = steps (\\tau^{(i)}) and
Spinning Up's f(t, t') named by its expectation (read_latex/index_ranges.py, read_markdown/sample_labels.py,
read_markdown/named_terms.py).  Every reading is echoed; what is not exact is refused with the reason."""
from __future__ import annotations

import textwrap

import pytest

from derive.check_derivations.judge import judge_exact
from derive.read_markdown import read_derivation
from derive.read_markdown.named_terms import named_term
from derive.read_latex import LatexError, parse_math


def read(text: str, name: str = "ranges.md"):
    return read_derivation(textwrap.dedent(text).lstrip("\n"), name)


def judged(text: str, k: int = 0) -> dict:
    d = read(text)
    return judge_exact(d.steps[k], "finite; gamma=1", 0, explain=False)


def error_of(tex: str) -> str:
    with pytest.raises(LatexError) as err:
        parse_math(tex)
    return err.value.message


# ------------------------------------------------------------------------------------------ index ranges

TAKESHI = r"""
$$
\mathbb{E}_{\tau \sim \pi_\theta}\Big[\nabla_\theta \log \pi_\theta(a_t|s_t) b(s_t)\Big] =  \mathbb{E}_{s_{0:t},a_{0:t-1}}\Big[ \mathbb{E}_{s_{t+1:T},a_{t:T-1}} [\nabla_\theta \log \pi_\theta(a_t|s_t) b(s_t)]\Big]
$$
"""


def test_prefix_and_rest_ranges_are_the_tower_rule():
    rec = judged(TAKESHI)
    assert rec["verdict"] == "holds"
    assert r"\mid s_{t}" in rec["read_as"]  # the rest given the beginning: (Markov) given s_t
    assert "over the beginning of the trajectory" in rec["read_as"]
    assert "Markov" in rec["read_as"]


def test_rest_range_is_conditioned_on_the_beginning_not_its_marginal():
    # the inner expectation is given s_t: E[b(s_t) E[b(s_t) | s_t]] = E[b(s_t)^2] (a marginal reading gives E[b]^2)
    rec = judged(r"""
    $$
    \mathbb{E}_{s_{0:t},a_{0:t-1}}\Big[ b(s_t) \mathbb{E}_{s_{t+1:T},a_{t:T-1}} [b(s_t)]\Big] = \mathbb{E}_{\tau \sim \pi_\theta}[b(s_t)^2]
    $$
    """)
    assert rec["verdict"] == "holds"
    rec = judged(r"""
    $$
    \mathbb{E}_{s_{0:t},a_{0:t-1}}\Big[ b(s_t) \mathbb{E}_{s_{t+1:T},a_{t:T-1}} [b(s_t)]\Big] = \mathbb{E}_{\tau \sim \pi_\theta}[b(s_t)]^2
    $$
    """)
    assert rec["verdict"] == "fails"


def test_prefix_range_whose_body_uses_an_undrawn_variable_is_refused():
    rec = judged(r"$$\mathbb{E}_{s_{0:t},a_{0:t-1}}[b(s_{t+1})] = 0$$")
    assert rec["verdict"] == "unknown"
    assert "does not draw" in rec["reason"]


def test_rest_range_whose_body_uses_the_past_is_refused():
    rec = judged(r"$$\mathbb{E}_{s_{0:t},a_{0:t-1}}[\mathbb{E}_{s_{t+1:T},a_{t:T-1}}[b(s_0) b(s_t)]] = 0$$")
    assert rec["verdict"] == "unknown"
    assert "before the conditioning" in rec["reason"]


def test_spinning_up_tau_prefix_and_remainder_with_a_left_dot_bar():
    rec = judged(r"""
    $$
    \sum_{t=0}^{T-1} \mathbb{E}_{\tau \sim \pi_\theta}[\nabla_\theta \log \pi_\theta(a_t|s_t) G_t] = \sum_{t=0}^{T-1} \mathbb{E}_{\tau_{:t} \sim \pi_{\theta}}\left[ \mathbb{E}_{\tau_{t:} \sim \pi_{\theta}}\left[ \left. \nabla_{\theta} \log \pi_{\theta}(a_t |s_t) G_t \right| \tau_{:t}\right]\right]
    $$
    """)
    assert rec["verdict"] == "holds"
    assert r"\mid s_{t}, a_{t}" in rec["read_as"]
    assert r"\left. X \right| Y" in rec["read_as"]


def test_markov_reduction_refused_for_a_body_of_the_whole_trajectory():
    rec = judged(r"$$\mathbb{E}_{\tau_{t:} \sim \pi_\theta}\left[R(\tau) \middle| \tau_{:t}\right] = 0$$")
    assert rec["verdict"] == "unknown"
    assert "whole trajectory" in rec["reason"]


def test_range_outside_an_expectation_names_the_nearest_spelling():
    msg = error_of(r"V^\pi(s_{0:t}) + 1")
    assert r"read in an expectation's subscript" in msg and r"\mathbb{E}_{\tau \sim \pi_\theta}" in msg


def test_colon_that_is_no_range_keeps_its_message():
    assert "ratio" in error_of(r"x:y")
    assert "G_{t:t+n}" in error_of(r"G_{t:t+n}")  # the n-step return of S&B is not a range of variables


# ------------------------------------------------------------------------------------------ sample labels


def test_per_sample_equality_is_read_for_every_trajectory_and_can_fail():
    rec = judged(r"""
    ---
    horizon: last-index
    ---
    $$
    \mathbb{P}(\tau^{(i)};\theta)=\prod_{t=0}^T\mathbb{P}(s_{t+1}^{(i)}|s_t^{(i)},a_t^{(i)})\cdot\pi_{\theta}(a_t^{(i)}|s_t^{(i)})
    $$
    """)
    assert rec["verdict"] == "fails"  # the initial-state probability is missing (luweiagi's notes)
    assert "sampled trajectory" in rec["read_as"]


def test_per_sample_log_likelihood_gradient_holds():
    rec = judged(r"$$\nabla_\theta \log P(\tau^{(i)}|\theta) = \sum_{t=0}^{T-1} \nabla_\theta \log \pi_\theta(a_t^{(i)}|s_t^{(i)})$$")
    assert rec["verdict"] == "holds"
    assert "label removed" in rec["read_as"]


def test_labelled_and_unlabelled_trajectories_are_never_merged():
    rec = judged(r"$$\nabla_\theta \log P(\tau^{(i)}|\theta) = \sum_{t=0}^{T-1} \nabla_\theta \log \pi_\theta(a_t|s_t^{(i)})$$")
    assert rec["verdict"] == "unknown"


def test_label_letter_used_elsewhere_is_not_removed():
    rec = judged(r"$$\nabla_\theta \log P(\tau^{(i)}|\theta) = \sum_{i=0}^{T-1} \nabla_\theta \log \pi_\theta(a_t^{(i)}|s_t^{(i)})$$")
    assert rec["verdict"] == "unknown"


# ------------------------------------------------------------------------------------------ f(t, t')

SPINNING_UP = r"""
$$
\newcommand{\E}{{\mathrm E}}
\newcommand{\underE}[2]{\underset{\begin{subarray}{c}#1 \end{subarray}}{\E}\left[ #2 \right]}
$$

and consider the term

$$
\underE{\tau \sim \pi_{\theta}}{f(t,t')} = \underE{\tau \sim \pi_{\theta}}{\nabla_{\theta} \log \pi_{\theta}(a_t |s_t) R(s_{t'}, a_{t'}, s_{t'+1})}.
$$

then

$$
\underE{\tau \sim \pi_{\theta}}{f(t,t')} = \underE{s_{t'}, a_{t'}, s_{t'+1} \sim \pi_{\theta}}{\underE{s_t, a_t \sim \pi_{\theta}}{f(t,t') \Big| s_{t'}, a_{t'}, s_{t'+1}}}
$$
"""


def test_spinning_up_f_is_named_by_its_expectation_and_used_after():
    d = read(SPINNING_UP)
    assert len(d.steps) == 2  # the naming equation stays a step (true by the definition it makes)
    assert any("f(t,t') :=" in (r["read_as"] or "") and "named by this equation" in r["read_as"]
               for r in d.definitions)
    for k in range(2):
        rec = judge_exact(d.steps[k], "finite; gamma=1", 0, explain=False)
        assert rec["verdict"] == "holds", rec
    assert "R(s_{t'}, a_{t'}, s_{t' + 1})" in judge_exact(d.steps[1], "finite; gamma=1", 0, explain=False)["read_as"]


def test_f_of_t_with_the_definition_substituted_can_fail():
    text = SPINNING_UP + r"""
$$
\underE{\tau \sim \pi_{\theta}}{f(t,t)} = 0
$$
"""
    d = read(text)
    rec = judge_exact(d.steps[2], "finite; gamma=1", 0, explain=False)
    assert rec["verdict"] == "fails"  # E[grad log pi(a_t|s_t) r_t] is not 0 in general


def test_named_term_needs_the_same_wrapper_and_index_arguments():
    e = r"\mathbb{E}_{\tau \sim \pi}\left["
    assert named_term(e + r"f(t,t')\right]", e + r"r_t r_{t'}\right]", set()) == ("f(t,t')", "r_t r_{t'}", "lhs")
    assert named_term(e + r"f(t,t')\right]", r"\mathbb{E}_{\tau \sim \pi'}\left[r_t\right]", set()) is None
    assert named_term(e + r"f(s,a)\right]", e + r"r_t\right]", set()) is None  # variables: a free function
    assert named_term(r"f(t,t')", r"r_t", set()) is None  # no expectation: nothing names it
    assert named_term(e + r"f(t,t')\right]", e + r"r_t\right]", {"f"}) is None  # already defined


def test_f_of_times_without_a_naming_equation_is_still_unknown():
    rec = judged(r"$$\mathbb{E}_{\tau \sim \pi_\theta}[f(t,t')] = 0$$")
    assert rec["verdict"] == "unknown"


# ------------------------------------------------------------------------------------------ joint integrals


def test_integral_against_the_joint_probability_of_listed_variables_is_the_expectation():
    rec = judged(r"$$\int_{s_t, a_t, s_{t+1}} P(s_t, a_t, s_{t+1} | \pi_{\theta}) r_t b(s_{t+1}) = \mathbb{E}_{\tau \sim \pi_\theta}[r_t b(s_{t+1})]$$")
    assert rec["verdict"] == "holds"
    assert "joint probability" in rec["read_as"]
    rec = judged(r"$$\int_{s_t, a_t, s_{t+1}} P(s_t, a_t, s_{t+1} | \pi_{\theta}) b(s_{t+1}) = \mathbb{E}_{\tau \sim \pi_\theta}[b(s_t)]$$")
    assert rec["verdict"] == "fails"


def test_joint_integral_whose_body_uses_another_variable_is_refused():
    rec = judged(r"$$\int_{s_t, a_t} P(s_t, a_t | \pi_{\theta}) b(s_{t+1}) = 0$$")
    assert rec["verdict"] == "unknown" and "function of" in rec["reason"]
    rec = judged(r"$$\int_{s_t, a_t} P(a_t, s_t | \pi_{\theta}) b(s_t) = 0$$")
    assert rec["verdict"] == "unknown" and "written the same way" in rec["reason"]


def test_conditioning_on_the_beginning_in_a_bare_expectation_is_checked_too():
    rec = judged(r"$$\mathbb{E}[r_t + r_0 \mid \tau_{:t}] = \mathbb{E}[r_t + r_0 \mid s_t, a_t]$$")
    assert rec["verdict"] == "unknown" and "before the conditioning" in rec["reason"]
    rec = judged(r"$$\mathbb{E}[r_t \mid \tau_{:t}] = \mathbb{E}[r_t \mid s_t, a_t]$$")
    assert rec["verdict"] == "holds"


def test_reward_and_open_ranges():
    rec = judged(r"$$\mathbb{E}_{s_{0:t}, a_{0:t-1}}[b(s_t)\mathbb{E}_{a_{t:}, s_{t+1:}}[r_t]] = \mathbb{E}_{\tau \sim \pi_\theta}[r_t b(s_t)]$$")
    assert rec["verdict"] == "holds"  # open ends: to the end of the trajectory
    rec = judged(r"$$\mathbb{E}_{r_{0:t}}[r_t] = \mathbb{E}_{\tau \sim \pi_\theta}[r_t]$$")
    assert rec["verdict"] == "holds"
    rec = judged(r"$$\mathbb{E}_{r_{0:t}}[r_{t+1}] = 0$$")
    assert rec["verdict"] == "unknown" and "does not draw" in rec["reason"]


def test_probability_of_all_the_trajectory_variables_is_the_trajectory_probability():
    rec = judged(r"$$P(s_{0:T}, a_{0:T-1}) = \rho_0(s_0) \prod_{t=0}^{T-1} \pi_\theta(a_t|s_t) P(s_{t+1}|s_t,a_t)$$")
    assert rec["verdict"] == "holds" and "joint probability of all" in rec["read_as"]
    rec = judged(r"$$P(s_{0:T}, a_{0:T-1}|\theta) = \prod_{t=0}^{T-1} \pi_\theta(a_t|s_t) P(s_{t+1}|s_t,a_t)$$")
    assert rec["verdict"] == "fails"  # the initial-state probability is missing
    rec = judged(r"$$P(s_{0:t}, a_{0:t-1}) = 1$$")
    assert rec["verdict"] == "unknown" and "whole trajectory only" in rec["reason"]
