"""Issue 12 (I1): the infinite sums of the real-world corpus decided.

* an undiscounted sum or product to \\infty over the trajectory in the finite-horizon setting is read to the end of
  the episode (read_latex/series_episode.py; the RLHF book's R(tau) = sum_{t=0}^infty r_t, Sutton & Barto 2018,
  eq. 3.11); a discounted one keeps its infinite range;
* a file whose returns are series to infinity weighted by gamma or lambda is read in the infinite horizon when its
  only finite limits count samples (\\sum_{i=1}^{B}, T_i) or sit in one truncation display next to at least three
  such series (read_markdown/conventions_returns.py, infinite_horizon);
* written terms with an inner series whose parameter factors differ (delta_t(1 + lambda + ...) + gamma
  delta_{t+1}(lambda + lambda^2 + ...) + ...: the first has no gamma) are matched (series_nested.py);
* the last term of an ellipsis series whose TD error is written out is placed by the time indices it shares with
  the general term (PPO eq. 11 as printed, series.py upper_from_last).
"""
from __future__ import annotations

import pytest
from sympy import Sum, oo

from derive.lang import symbols as sy
from derive.read_latex import LatexError

from derivation_helpers import check, read, verdicts


# ----------------------------------------------- undiscounted sums to \infty: to the end of the episode

def test_an_undiscounted_sum_to_infinity_runs_to_the_end_of_the_trajectory():
    e, notes = read(r"\sum_{t=0}^{\infty} r_t", setting="finite")
    assert e == Sum(e.function, (sy.integer("t"), 0, sy.T - 1))
    assert any("to the end of the episode" in n and "3.11" in n for n in notes)


def test_a_product_over_the_trajectory_to_infinity_runs_to_its_end():
    e, notes = read(r"\prod_{t=0}^{\infty} \pi_\theta(a_t \mid s_t) P(s_{t+1} \mid s_t, a_t)", setting="finite")
    assert e.limits[0][2] == sy.T - 1
    assert any(r"\prod_{t=0}^{\infty}" in n for n in notes)


@pytest.mark.parametrize("tex", [r"\sum_{t=0}^{\infty} \gamma^t r_t", r"\sum_{n=1}^{\infty} \lambda^{n-1} r_n",
                                 r"\sum_{t=0}^{\infty} \nabla_\theta \log \pi_\theta(a_t|s_t) \sum_{t'=t}^{\infty} \gamma^{t'} r_{t'}"])
def test_a_weighted_sum_keeps_its_infinite_range(tex):
    e, notes = read(tex, setting="finite")
    assert e.limits[0][2] == oo and not any("end of the episode" in n for n in notes)


@pytest.mark.parametrize("options", [{"setting": "discounted"}, {"setting": "episodic"}, {}])
def test_outside_the_finite_horizon_setting_the_range_stays_infinite(options):
    e, notes = read(r"\sum_{t=0}^{\infty} r_t", **options)  # {}: no setting, as a catalog entry is read
    assert e.limits[0][2] == oo and not notes


def test_a_sum_that_does_not_read_the_trajectory_keeps_its_infinite_range():
    e, _ = read(r"\sum_{k=0}^{\infty} \frac{1}{2^{k+1}}", setting="finite")
    assert e.limits[0][2] == oo


RLHF = r"""
    ---
    title: t
    ---

    $$
    p_\theta(\tau) = d_0(s_0) \prod_{t=0}^\infty \pi_\theta(a_t|s_t) p(s_{t+1}|s_t, a_t)
    $$

    $$
    \nabla_\theta \log p_\theta(\tau) = \sum_{t=0}^\infty \nabla_\theta \log \pi_\theta(a_t|s_t)
    $$

    $$
    \sum_{t=0}^{\infty} r_t = r_0 + \sum_{t=0}^{\infty} r_t
    $$
"""


def test_the_rlhf_books_trajectory_identities_are_decided(tmp_path):
    rec = check(tmp_path, RLHF)
    assert verdicts(rec) == ["holds", "holds", "fails"]  # a wrong step is still refuted


# ----------------------------------------------- the file's horizon: samples and one truncation do not set it

SAMPLES = r"""
    ---
    title: t
    ---

    $$G_t = r_t + \gamma r_{t+1} + \cdots = \sum_{k=0}^\infty \gamma^k r_{t+k}.$$

    $$V(s) = \mathbb{E}\left[G_t \mid S_t = s \right].$$

    $$J(\theta) = \sum_{s} d_0(s) V^{\pi_\theta}(s)$$

    We then take $\frac{1}{B}\sum_{i=1}^{B} \sum_{t=0}^{T_i} \gamma^t r_{i,t}$ over $B$ rollouts.
"""


def test_counts_of_samples_do_not_make_the_horizon_finite(tmp_path):
    rec = check(tmp_path, SAMPLES)
    assert any("only finite limits count samples" in c for c in rec["conventions"])
    assert verdicts(rec) == ["holds", "holds", "holds", "holds"]


def test_an_n_step_sum_up_to_n_is_a_horizon_not_a_count_of_samples(tmp_path):
    text = SAMPLES.replace(r"\frac{1}{B}\sum_{i=1}^{B} \sum_{t=0}^{T_i} \gamma^t r_{i,t}",
                           r"\sum_{n=1}^{N} \lambda^{n-1} G_t^{(n)}")
    rec = check(tmp_path, text)
    assert not any("count samples" in c for c in rec["conventions"])


TRUNCATION = r"""
    ---
    title: t
    ---

    $$
    A_t = (1 - \lambda) \sum_{n=1}^{\infty} \lambda^{n-1} \delta_t^{(n)}
    $$

    $$
    \delta_t + \gamma \lambda \delta_{t+1} + \cdots = \sum_{k=0}^{T-t}(\gamma\lambda)^k\delta_{t+k}
    $$

    $$
    (1-\lambda)\sum_{k=0}^{\infty}\gamma^k\delta_{t+k}\sum_{n=k+1}^{\infty}\lambda^{n-1} = \sum_{k=0}^{\infty}(\gamma\lambda)^k\delta_{t+k}
    $$

    $$
    \sum_{k=0}^{\infty}\gamma^k\delta_{t+k}\sum_{n=k+1}^{\infty}\lambda^{n-1} = \sum_{k=0}^{\infty}(\gamma\lambda)^k\delta_{t+k}
    $$
"""


def test_one_truncation_display_does_not_make_the_horizon_finite(tmp_path):
    rec = check(tmp_path, TRUNCATION)
    assert any("is a truncation" in c for c in rec["conventions"])
    got = [(s["verdict"], s["reason"]) for s in rec["steps"]]
    assert got[1][0] == "unknown" and "T appears" in got[1][1]  # the truncation: not attempted, as it should
    assert [v for v, _ in got[2:]] == ["holds", "fails"]  # (1 - lambda) dropped: refuted


def test_two_truncation_displays_leave_the_horizon_finite(tmp_path):
    text = TRUNCATION + "\n    $$\n    A_t = \\sum_{k=0}^{T-1} \\gamma^k \\delta_{t+k}\n    $$\n"
    rec = check(tmp_path, text)
    assert not any("truncation" in c for c in rec["conventions"])


# ----------------------------------------------- series patterns

def test_written_terms_whose_first_lacks_the_gamma_factor():
    e, notes = read(r"(1-\lambda)(\delta_t^V(1 + \lambda + \lambda^2 + \cdots) + "
                    r"\gamma\delta_{t+1}^V(\lambda + \lambda^2 + \cdots) + \cdots)", setting="discounted", delta="V")
    outer = e.args[1] if isinstance(e.args[1], Sum) else e.args[0]
    k = outer.limits[0][0]
    assert outer.limits[0][1:] == (0, oo) and outer.function.has(sy.gamma ** k)


def test_a_gae_series_with_the_gamma_in_front_decides(tmp_path):
    rec = check(tmp_path, r"""
        ---
        title: t
        setting: discounted
        delta: V
        ---

        $$
        (1-\lambda)(\delta_t^V(1 + \lambda + \lambda^2 + \cdots) + \gamma\delta_{t+1}^V(\lambda + \lambda^2 + \cdots)
        + \cdots) = \sum_{l=0}^{\infty}(\gamma\lambda)^l\delta_{t+l}^V
        $$

        $$
        (1-\lambda)(\delta_t^V(1 + \lambda + \lambda^2 + \cdots) + \gamma\delta_{t+1}^V(\lambda + \lambda^2 + \cdots)
        + \cdots) = \sum_{l=0}^{\infty}\lambda^l\delta_{t+l}^V
        $$
    """)
    assert verdicts(rec) == ["holds", "fails"]


def test_the_ppo_papers_eq_11_as_printed_is_read_and_refuted(tmp_path):
    rec = check(tmp_path, r"""
        ---
        title: t
        ---

        $$
        \hat{A}_t = \delta_t + (\gamma\lambda)\delta_{t+1} + \cdots + \cdots + (\gamma\lambda)^{T-t+1}\delta_{T-1}
        $$

        where $\delta_t = r_t + \gamma V(s_{t+1}) - V(s_t)$

        $$
        \hat{A}_t = \delta_t + (\gamma\lambda)\delta_{t+1} + \cdots + (\gamma\lambda)^{T-t-1}\delta_{T-1}
        $$
    """)
    assert verdicts(rec) == ["fails", "holds"]  # T-t+1 is the paper's misprint; T-t-1 is right


def test_a_last_term_is_placed_by_all_its_time_indices():
    series = r"(r_t + \gamma V(s_{t+1})) + \gamma (r_{t+1} + \gamma V(s_{t+2})) + \cdots + \gamma^{T-t+1} (r_{T-1} + %s)"
    e, notes = read(series % r"\gamma V(s_{T})")  # s_T and r_{T-1}: the term at l = T - t - 1, its power misprinted
    assert any("l = 0..T - t - 2" in n and "not the general term" in n for n in notes)
    with pytest.raises(LatexError, match="not a term of the series"):
        read(series % r"\gamma V(s_{T+2})")  # s_{T+2} next to r_{T-1}: no position of the series
