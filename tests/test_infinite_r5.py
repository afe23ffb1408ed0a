"""Issue 12, what was left (R5): inequality chains linked by ``proves:``, Monte Carlo for conditional
infinite expectations, and the textbook derivations of tests/infinite_textbook/."""
from __future__ import annotations

import pytest

from derive.catalog import catalog
from derive.read_markdown import load_derivation
from derive.writeup.proof_links import PROOFS, compose, states_entry

STAR = catalog().get("optimality.v-star-dominates")  # V*(s) >= V^{pi_theta}(s)


def _derivation(tmp_path, display: str):
    f = tmp_path / "chain.md"
    f.write_text(f"---\ntitle: t\nsetting: discounted\n---\n\n$$\n{display}\n$$\n", encoding="utf-8")
    return load_derivation(str(f))


@pytest.mark.parametrize("first, second, composed", [
    ("=", "=", "="), ("=", ">=", ">="), (">=", "=", ">="), (">=", ">=", ">="), (">=", ">", ">"),
    ("<=", "=", "<="), ("=", "<", "<"), (">=", "<=", None), ("<", ">", None), ("<=", ">=", None),
])
def test_relations_compose_as_in_an_ordered_field(first, second, composed):
    assert compose(first, second) == composed


def test_a_chain_of_equalities_and_geq_proves_the_inequality(tmp_path):
    d = _derivation(tmp_path, r"V^*(s) \geq \max_a Q^{\pi_\theta}(s, a) \geq \sum_a \pi_\theta(a \mid s) "
                              r"Q^{\pi_\theta}(s, a) = V^{\pi_\theta}(s)")
    assert [s.relation for s in d.steps] == [">=", ">=", "="]
    assert states_entry(d, STAR)


def test_the_reversed_chain_of_leq_proves_it_too(tmp_path):
    d = _derivation(tmp_path, r"V^{\pi_\theta}(s) = \sum_a \pi_\theta(a \mid s) Q^{\pi_\theta}(s, a) "
                              r"\leq \max_a Q^{\pi_\theta}(s, a) \leq V^*(s)")
    assert states_entry(d, STAR)


def test_a_chain_that_mixes_directions_proves_nothing(tmp_path):
    # V* >= max_a Q^pi <= max_a Q* >= V^pi: each step may hold, the composition gives no order of V* and V^pi
    d = _derivation(tmp_path, r"V^*(s) \geq \max_a Q^{\pi_\theta}(s, a) \leq \max_a Q^*(s, a) \geq V^{\pi_\theta}(s)")
    assert [s.relation for s in d.steps] == [">=", "<=", ">="]
    assert not states_entry(d, STAR)


def test_the_opposite_inequality_does_not_prove_it(tmp_path):
    d = _derivation(tmp_path, r"V^*(s) \leq \max_a Q^*(s, a) \leq V^{\pi_\theta}(s)")  # V* <= V^pi: not V* >= V^pi
    assert not states_entry(d, STAR)


def test_an_equality_entry_is_not_proved_by_an_inequality_chain(tmp_path):
    eq = catalog().get("optimality.v-max-q")  # V*(s) = max_a Q*(s, a)
    d = _derivation(tmp_path, r"V^*(s) \geq \max_a Q^*(s, a)")
    assert not states_entry(d, eq)


@pytest.mark.parametrize("name, ids", [
    ("2.14-policy-improvement.md",
     ["optimality.improvement-step", "optimality.policy-improvement", "optimality.v-star-dominates"]),
    ("2.14-finite-horizon-optimality.md", ["optimality.finite-dominates"]),
])
def test_the_optimality_inequalities_are_linked_to_their_proofs(name, ids):
    d = load_derivation(str(PROOFS / name))
    assert set(ids) <= set(d.front["proves"])
    for entry_id in ids:
        assert states_entry(d, catalog().get(entry_id)), entry_id


# ------------------------------------------- Agarwal et al. ch. 1: | pi, s_0 = s and s' ~ d^pi_s

from sympy.core.symbol import Str  # noqa: E402

from derive.lang import nodes  # noqa: E402
from derive.lang.symbols import ActionVar, StateVar  # noqa: E402
from derive.read_latex import LatexError, parse_math  # noqa: E402

D = {"setting": "discounted"}


def _read(tex):
    notes = []
    return parse_math(tex, options={**D, "notes": notes}), notes


def test_the_policy_among_the_conditions_is_the_trajectory_draw():
    v, notes = _read(r"\mathbb{E}\left[\sum_{t=0}^{\infty} \gamma^t r(s_t, a_t) \mid \pi, s_0 = s, a_0 = a\right]")
    assert v.dists == (nodes.TrajDist(Str("theta")), nodes.Given(nodes.St(0), StateVar("s")),
                       nodes.Given(nodes.At(0), ActionVar("a")))
    assert any(r"\mid \pi]" in n for n in notes)
    other, _ = _read(r"\mathbb{E}\left[r_0 \mid \pi', s_0 = s\right]")
    assert other.dists[0] == nodes.TrajDist(Str("prime"))


def test_a_state_drawn_from_the_visitation_distribution_of_a_start_state():
    v, notes = _read(r"\mathbb{E}_{s' \sim d^{\pi'}_s}\left[V^\pi(s')\right]")
    (draw,) = v.dists
    assert draw == nodes.OccFromDraw(StateVar("s'"), Str("prime"), StateVar("s"))
    assert any("Agarwal" in n for n in notes)
    assert _read(r"\mathbb{E}_{s' \sim d^{\pi'}}\left[V^\pi(s')\right]")[0].dists[0] == \
        nodes.OccDraw(StateVar("s'"), Str("prime"))  # without the subscript: from rho_0, as before


def test_the_start_of_d_must_be_a_state_variable():
    with pytest.raises(LatexError, match="start state"):
        parse_math(r"\mathbb{E}_{s' \sim d^{\pi}_{a}}\left[V^\pi(s')\right]", options=dict(D))


def _verdicts(tmp_path, display, setting="discounted"):
    from derive.check_derivations.files import check_file
    f = tmp_path / "d.md"
    f.write_text(f"---\ntitle: t\nsetting: {setting}\n---\n\n$$\n{display}\n$$\n", encoding="utf-8")
    return [(s["verdict"], s["reason"]) for s in check_file(str(f), symbolic_budget=0)["steps"]]


PDL = (r"V^{\pi'}(s) - V^\pi(s) = \frac{1}{1 - \gamma} \mathbb{E}_{s' \sim d^{\pi'}_s} "
       r"\mathbb{E}_{a \sim \pi'(\cdot \mid s')}\left[A^{%s}(s', a)\right]")


def test_the_performance_difference_lemma_from_a_start_state(tmp_path):
    assert _verdicts(tmp_path, PDL % r"\pi")[0][0] == "holds"
    assert _verdicts(tmp_path, PDL % r"\pi'")[0][0] == "fails"  # pi's own advantage: E_{a ~ pi'}[A^{pi'}] = 0


def test_the_visitation_distribution_from_a_start_state_is_a_distribution(tmp_path):
    # sum_x d^pi_s(x) = 1 and d^pi_s is not d^pi (from rho_0): E_{x ~ d^pi_s}[1] = 1, E[V(x)] differs
    assert _verdicts(tmp_path, r"\mathbb{E}_{s' \sim d^{\pi}_s}\left[1\right] = 1")[0][0] == "holds"
    got = _verdicts(tmp_path, r"\mathbb{E}_{s' \sim d^{\pi}_s}\left[V^\pi(s')\right] = "
                              r"\mathbb{E}_{s' \sim d^{\pi}}\left[V^\pi(s')\right]")
    assert got[0][0] == "fails"


def test_the_visitation_distribution_from_a_start_state_is_refused_over_a_finite_horizon(tmp_path):
    ((verdict, reason),) = _verdicts(tmp_path, r"\mathbb{E}_{s' \sim d^{\pi}_s}\left[1\right] = 1", "finite")
    assert verdict == "unknown" and "discounted infinite-horizon setting only" in reason


# ------------------------------------- Monte Carlo for conditional expectations over infinite trajectories

from derive.check_statements.montecarlo import check_montecarlo  # noqa: E402

V_DEF = (r"V^{\pi_\theta}(s)", r"\mathbb{E}_{\tau\sim\pi_\theta}\left[\sum_{t=0}^{\infty}\gamma^t r_t \mid s_0 = s\right]")


def _mc(lhs, rhs, setting="discounted", samples=3000, seed=0):
    return check_montecarlo(_read(lhs)[0], _read(rhs)[0], setting, seed=seed, samples=samples)


def test_a_value_from_a_given_start_state_is_sampled_per_state():
    r = _mc(*V_DEF)
    assert r.status == "holds" and r.data["components"] == 3  # one component per start state
    assert "N = 2000 per value of the condition" in r.detail  # 3000 / 3 values, at least MIN_PER_VALUE
    assert _mc(*V_DEF).detail == r.detail  # same seed, same figures


def test_a_state_action_condition_at_a_free_time_uses_stationarity():
    r = _mc(r"Q^{\pi_\theta}(s, a)",
            r"\mathbb{E}_{\tau\sim\pi_\theta}\left[r_t + \gamma V^{\pi_\theta}(s_{t+1}) \mid s_t = s, a_t = a\right]")
    assert r.status == "holds" and r.data["components"] % 6 == 0  # (s, a) pairs, for each instantiated t


def test_a_wrong_conditional_identity_is_refuted_by_sampling():
    # Q(s, a) is not the value from s alone, and the return from t + 1 is not the value at s_t
    r = _mc(r"Q^{\pi_\theta}(s, a)", V_DEF[1])
    assert r.status == "fails"
    r = _mc(V_DEF[0], r"\mathbb{E}_{\tau\sim\pi_\theta}\left[\sum_{l=0}^{\infty}\gamma^l r_{t+l+1} \mid s_t = s\right]")
    assert r.status == "fails"


def test_a_weight_in_the_conditioning_time_is_not_sampled():
    r = _mc(r"\gamma^t V^{\pi_\theta}(s)",
            r"\mathbb{E}_{\tau\sim\pi_\theta}\left[\gamma^t \sum_{l=0}^{\infty}\gamma^l r_{t+l} \mid s_t = s\right]")
    assert r.status == "n/a" and "stationarity" in r.detail


def test_conditional_expectations_over_a_finite_horizon_stay_exact_only():
    r = _mc(r"V^{\pi_\theta}(s_t)", r"\mathbb{E}_{\tau\sim\pi_\theta}\left[\sum_{l=t}^{T-1} r_l \mid s_t\right]", "finite")
    assert r.status == "n/a" and "neither side" in r.detail


def test_a_series_without_a_discount_names_its_index_as_written(tmp_path):
    # no gamma^t: the ratio is 1, the series does not converge (d2rl's notes, GAE sec. 3, sum_t without gamma^t)
    ((verdict, reason),) = _verdicts(tmp_path, r"\mathbb{E}_{\tau \sim \pi_\theta}\left[\sum_{t=0}^{\infty} r_t\right] = 0")
    assert verdict == "unknown" and "the series over t does not converge" in reason, reason


def test_a_series_of_random_variables_over_a_finite_horizon_says_where_series_are_evaluated(tmp_path):
    ((verdict, reason),) = _verdicts(tmp_path, r"r_t = \sum_{l=0}^{\infty} \gamma^l r_{t+l}", "finite")
    assert verdict == "unknown" and "finite-horizon setting" in reason and "setting: discounted" in reason, reason
