"""Rewards of the state and action, r: S x A -> R (front matter ``reward: state-action``, or inferred when a file
writes r(s, a) and never a reward of the next state): the return R(tau) = sum_t r(s_t, a_t) then holds on every path,
as the file means it, and a reward written with the next state keeps derive's R(s, a, s')."""
from __future__ import annotations

import textwrap

from derive.check_derivations.files import check_file
from derive.mdp import instances

RETURN = r"""
The reward function is $r(s_t, a_t)$.

$$
R(\tau) = \sum_{t=0}^{T-1} r(s_t, a_t)
$$
"""


def _check(tmp_path, body):
    p = tmp_path / "d.md"
    p.write_text(textwrap.dedent(body), encoding="utf-8")
    return check_file(str(p), seed=0, symbolic_budget=0)


def test_instances_pay_the_same_reward_for_every_next_state():
    for inst in instances("finite; reward=state-action", 0):
        assert all(len(set(row)) == 1 for s in inst.R for row in s)
        assert "rewards r(s, a)" in inst.label


def test_return_as_a_sum_of_r_s_a_holds_when_inferred(tmp_path):
    rep = _check(tmp_path, RETURN)
    assert any("reward: state-action" in c for c in rep["conventions"])
    assert rep["steps"][0]["verdict"] == "holds", rep["steps"][0]


def test_a_reward_of_the_next_state_keeps_transition_rewards(tmp_path):
    rep = _check(tmp_path, RETURN + "\nwith $R(s_t, a_t, s_{t+1})$ the reward paid.\n")
    assert not any("state-action" in c for c in rep["conventions"])
    assert rep["steps"][0]["verdict"] == "fails"


def test_a_shrunk_counterexample_keeps_rewards_of_the_state_and_action(tmp_path):
    rep = _check(tmp_path, RETURN.replace(r"\sum_{t=0}^{T-1} r(s_t, a_t)", r"\sum_{t=0}^{T-1} r(s_t, a_t) + r(s_0, a_0)"))
    step = rep["steps"][0]
    assert step["verdict"] == "fails", step
    R = step["counterexample"]["mdp"]["R[s][a][s']"]
    assert all(len(set(map(str, row))) == 1 for s in R for row in s), R


def test_shrinking_zeroes_a_reward_of_the_state_and_action_for_every_next_state():
    from derive.check_derivations.shrink import zero_rewards

    inst = next(i for i in instances("finite; reward=state-action", 0) if i.n_states > 1)
    tried = list(zero_rewards(inst))
    assert tried
    for _, smaller in tried:
        assert smaller.state_action_rewards
        assert all(len(set(row)) == 1 for s in smaller.R for row in s), smaller.R
