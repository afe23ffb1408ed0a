"""Issue 12: infinite-horizon derivations in textbook notation (tests/infinite_textbook/, README there).

The whole held-out set is judged in one slow test; the readings it needed are pinned by quick tests:
Silver's \\mathcal{R}_s^a, \\mathcal{P}_{ss'}^a and his Markov reward process, the greedy \\pi'(s) of
Sutton & Barto eq. 4.9, conditioning on A_t = \\pi'(s), and the conventions inferred from S&B's return,
a prose T \\to \\infty and the GAE paper's k-step sums."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sympy.core.symbol import Str

from derive.check_derivations.files import check_file
from derive.lang import nodes
from derive.lang.symbols import ActionVar, StateVar

from derivation_helpers import check, read, verdicts

ROOT = Path(__file__).parent / "infinite_textbook"
FILES = sorted(ROOT.glob("correct/*.md")) + sorted(ROOT.glob("mistakes/*.md"))


def test_the_set_is_the_readme_table():
    table = (ROOT / "README.md").read_text()
    assert 12 <= len(FILES) <= 24
    for f in FILES:
        assert f.relative_to(ROOT).as_posix() in table


@pytest.mark.slow
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_step_decided_and_right(path):
    rec = check_file(str(path), symbolic_budget=0)
    got = verdicts(rec)
    assert got, path
    m = re.search(r"^step:\s*(\d+)", path.read_text(), re.M)
    if "mistakes" in path.parts:
        k = int(m.group(1))
        assert got[:k] == ["holds"] * (k - 1) + ["fails"], got  # every step before the wrong one holds
    else:
        assert m is None and set(got) == {"holds"}, got
    assert rec["ok"]


# ----------------------------------------------------------------- Silver's notation (lecture 2)


def test_silver_expected_reward_and_transition():
    s, a = StateVar("s"), ActionVar("a")
    r, notes = read(r"\mathcal{R}_s^a")
    nxt = StateVar("s''")
    assert r == nodes.SumOver(nodes.Trans(nxt, s, a) * nodes.Rew(s, a, nxt), nxt)
    assert any("Silver" in n for n in notes)
    assert read(r"\mathcal{R}^a_s")[0] == r  # scripts in either order
    assert read(r"\mathcal{P}_{ss'}^a")[0] == nodes.Trans(StateVar("s'"), s, a)
    assert read(r"P_{s s'}^{a}")[0] == nodes.Trans(StateVar("s'"), s, a)  # without \mathcal, both scripts written


def test_silver_policy_averaged_forms():
    s, b = StateVar("s"), ActionVar("a''")
    p, _ = read(r"\mathcal{P}^\pi_{ss'}")
    assert p == nodes.SumOver(nodes.Pi(Str("theta"), b, s) * nodes.Trans(StateVar("s'"), s, b), b)


def test_silver_mrp_without_a_superscript_is_refused_outside_an_mrp_file():
    with pytest.raises(Exception, match="Markov reward process"):
        read(r"\mathcal{R}_s + 1")


def test_silver_bellman_equations_hold_and_the_slip_fails(tmp_path):
    rec = check(tmp_path, r"""
        $$
        q_\pi(s, a) = \mathcal{R}_s^a + \gamma \sum_{s' \in \mathcal{S}} \mathcal{P}_{ss'}^a v_\pi(s')
        $$

        $$
        v_\pi(s) = \mathcal{R}^\pi_s + \gamma \sum_{s' \in \mathcal{S}} \mathcal{P}^\pi_{ss'} v_\pi(s')
        $$

        $$
        v_\pi(s) = \mathcal{R}^\pi_s + \sum_{s' \in \mathcal{S}} \mathcal{P}^\pi_{ss'} v_\pi(s')
        $$
        """)
    assert verdicts(rec) == ["holds", "holds", "fails"]
    assert any("discounted" in c for c in rec["conventions"])


def test_silver_mrp_is_the_mdp_under_the_files_policy(tmp_path):
    rec = check(tmp_path, r"""
        $$
        v(s) = \mathbb{E}[R_{t+1} + \gamma v(S_{t+1}) \mid S_t = s] = \mathcal{R}_s + \gamma \sum_{s' \in \mathcal{S}} \mathcal{P}_{ss'} v(s')
        $$
        """)
    assert verdicts(rec) == ["holds", "holds"]
    assert any("Markov reward process" in s["read_as"] for s in rec["steps"])


# ----------------------------------------------------------------- the greedy policy (S&B eq. 4.9)

GREEDY = r"Let $\pi'(s) \doteq \arg\max_a q_\pi(s, a)$, the greedy policy." + "\n\n"


def test_greedy_prime_as_an_action_and_as_a_policy(tmp_path):
    rec = check(tmp_path, GREEDY + r"""
        $$
        q_\pi(s, \pi'(s)) = \max_a q_\pi(s, a)
        $$

        $$
        v_{\pi'}(s) \geq v_\pi(s)
        $$

        $$
        v_{\pi'}(s) \leq v_\pi(s)
        $$
        """.replace("\n        ", "\n"))
    assert verdicts(rec) == ["holds", "holds", "fails"]
    assert "greedy" in rec["steps"][1]["read_as"]


def test_without_the_definition_pi_prime_is_an_arbitrary_policy(tmp_path):
    rec = check(tmp_path, r"""
        $$
        v_{\pi'}(s) \geq v_\pi(s)
        $$
        """)
    assert verdicts(rec) == ["fails"]


def test_conditioning_on_the_greedy_action(tmp_path):
    rec = check(tmp_path, GREEDY + r"""
        $$
        q_\pi(s, \pi'(s)) = \mathbb{E}[R_{t+1} + \gamma v_\pi(S_{t+1}) \mid S_t = s, A_t = \pi'(s)] = \mathbb{E}_{\pi'}[R_{t+1} + \gamma v_\pi(S_{t+1}) \mid S_t = s]
        $$

        $$
        q_\pi(s, \pi'(s)) = \mathbb{E}[R_{t+1} + v_\pi(S_{t+1}) \mid S_t = s, A_t = \pi'(s)]
        $$
        """.replace("\n        ", "\n"))
    assert verdicts(rec) == ["holds", "holds", "fails"]


# ----------------------------------------------------------------- conventions a textbook file shows


def test_return_with_capital_rewards_infers_the_sutton_barto_index(tmp_path):
    rec = check(tmp_path, r"""
        $$
        G_t = \sum_{k=0}^{\infty} \gamma^k R_{t+k+1} = R_{t+1} + \gamma G_{t+1}
        $$
        """)
    assert verdicts(rec) == ["holds", "holds"]
    assert any("reward-index: t+1" in c for c in rec["conventions"])


def test_a_prose_horizon_to_infinity_is_no_finite_horizon(tmp_path):
    rec = check(tmp_path, r"""
        With the horizon $T \to \infty$:

        $$
        \nabla_\theta J(\theta) = \mathbb{E}_{\tau \sim \pi_\theta}\left[ \sum_{t=0}^{\infty} \gamma^{t} \nabla_\theta \log \pi_\theta(a_t \mid s_t) Q^\pi(s_t, a_t) \right]
        $$
        """)
    assert verdicts(rec) == ["holds"]


def test_k_step_sums_next_to_a_series_to_infinity_are_no_horizon(tmp_path):
    rec = check(tmp_path, r"""
        Let $\hat{A}^{(k)}_t := \sum_{l=0}^{k-1} \gamma^l \delta^V_{t+l}$.

        $$
        (1-\lambda)\left(\hat{A}^{(1)}_t + \lambda \hat{A}^{(2)}_t + \lambda^2 \hat{A}^{(3)}_t + \dots\right) = \sum_{l=0}^{\infty} (\gamma\lambda)^l \delta^V_{t+l}
        $$
        """)
    assert verdicts(rec) == ["holds"]
    assert any("infinite horizon" in c for c in rec["conventions"])


def test_gae_with_lambda_alone_is_the_files_gamma_lambda():
    # luweiagi's notes (tests/real_world/luweiagi_ml_notes) write A_t^{GAE(\lambda)}: GAE(\gamma, \lambda)
    one, notes = read(r"\hat{A}_t^{GAE(\lambda)}", setting="discounted")
    assert one == read(r"\hat{A}_t^{GAE(\gamma, \lambda)}", setting="discounted")[0]
    assert any("GAE(\\lambda)" in n for n in notes)


def test_trpo_subscript_values_infer_the_discounted_setting(tmp_path):
    # TRPO eq. 3's surrogate L_pi is not eta: rho_pi in place of rho_{tilde pi} (Schulman et al. 2015)
    rec = check(tmp_path, r"""
        $$
        \eta(\tilde\pi) = \eta(\pi) + \sum_s \rho_\pi(s) \sum_a \tilde\pi(a|s) A_\pi(s, a)
        $$
        """)
    assert verdicts(rec) == ["fails"]
    assert any("discounted" in c for c in rec["conventions"])


def test_optimal_values_alone_infer_the_discounted_setting(tmp_path):
    rec = check(tmp_path, r"""
        $$
        v_*(s) = \max_a q_*(s, a)
        $$
        """)
    assert verdicts(rec) == ["holds"]


def test_silver_matrix_form_names_the_elementwise_spelling():
    with pytest.raises(Exception, match=r"per state"):
        read(r"v")


def test_rewards_numbered_from_one_infer_the_reward_index(tmp_path):
    # Silver / lecture notes: V^pi(s) = E[sum_t gamma^t r_{t+1} | s_0 = s]: r_{t+1} follows a_t
    rec = check(tmp_path, r"""
        $$
        V^{\pi}(s) = \mathbb{E}_{\pi}\left[ \sum_{t=0}^{\infty} \gamma^t r_{t+1} \,\middle|\, s_0 = s \right]
        $$
        """)
    assert verdicts(rec) == ["holds"]
    assert any("reward-index: t+1" in c for c in rec["conventions"])
    rec = check(tmp_path, r"""
        $$
        \sum_{t'=t}^{\infty} \gamma^{t'-t} r_{t'} = r_t + \gamma \sum_{t'=t}^{\infty} \gamma^{t'-t} r_{t'+1}
        $$
        """, name="g.md")
    assert verdicts(rec) == ["holds"]  # r_t written: derive's own index, nothing inferred
    assert not any("reward-index" in c for c in rec["conventions"])


def test_optimal_policy_of_a_state_is_the_best_action(tmp_path):
    rec = check(tmp_path, r"""
        $$
        V^*(s) = Q^*(s, \pi^*(s)) = Q^*(s, \pi_*(s))
        $$

        $$
        V^*(s) = Q^\pi(s, \pi^*(s))
        $$
        """)
    assert verdicts(rec) == ["holds", "holds", "fails"]


def test_trpo_trajectory_listed_without_its_policy(tmp_path):
    # TRPO sec. 2: Q_pi(s_t, a_t) = E_{s_{t+1}, a_{t+1}, ...}[...], V_pi(s_t) = E_{a_t, s_{t+1}, ...}[...]
    rec = check(tmp_path, r"""
        $$
        Q_\pi(s_t, a_t) = \mathbb{E}_{s_{t+1}, a_{t+1}, \ldots}\left[\sum_{l=0}^{\infty} \gamma^l r(s_{t+l})\right]
        $$

        $$
        V_\pi(s_t) = \mathbb{E}_{a_t, s_{t+1}, \ldots}\left[\sum_{l=0}^{\infty} \gamma^l r(s_{t+l})\right]
        $$

        $$
        Q_\pi(s_t, a_t) = \mathbb{E}_{a_t, s_{t+1}, \ldots}\left[\sum_{l=0}^{\infty} \gamma^l r(s_{t+l})\right]
        $$
        """)
    assert verdicts(rec) == ["holds", "holds", "fails"]


def test_a_listed_trajectory_needs_its_policy_when_the_file_has_two(tmp_path):
    rec = check(tmp_path, r"""
        $$
        \eta(\tilde\pi) = \mathbb{E}_{s_0, a_0, \ldots}\left[\sum_{t=0}^{\infty} \gamma^t r_t\right]
        $$
        """)
    assert verdicts(rec) == ["unknown"]
    assert "more than one policy" in rec["steps"][0]["reason"]


def test_gae_values_with_the_discount_in_the_label(tmp_path):
    rec = check(tmp_path, r"""
        $$
        A^{\pi, \gamma}(s_t, a_t) = Q^{\pi, \gamma}(s_t, a_t) - V^{\pi, \gamma}(s_t)
        $$
        """)
    assert verdicts(rec) == ["holds"]


def test_a_folders_readme_is_not_a_derivation():
    from derive.check_derivations.files import collect

    got = collect([str(ROOT)])
    assert str(ROOT / "README.md") not in got and len(got) == len(FILES)
    assert collect([str(ROOT / "README.md")]) == [str(ROOT / "README.md")]  # named: checked as asked
