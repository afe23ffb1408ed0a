"""Optimal values (derive/engine/optimal.py) against brute force over every deterministic policy,
ties reported, backward induction, and the reader's spellings V^*, v_*, q_*, argmax, pi_*."""
from __future__ import annotations

import itertools
from fractions import Fraction as F

import numpy as np
import pytest

from derive.engine.evaluate import Env, evaluate
from derive.engine.fields import EXACT
from derive.engine.optimal import derived_policy
from derive.engine.tables import tables_for
from derive.engine.tensor import Ten
from derive.lang import nodes
from derive.lang.optimal import q_star, v_star
from derive.lang.symbols import a, s
from derive.mdp import Instance, instances
from derive.check_statements.exact import check_exact


def solve(M, b):
    """Gauss-Jordan in Fractions (independent of derive's solver)."""
    n = len(b)
    A = [list(map(F, row)) + [F(b[i])] for i, row in enumerate(M)]
    for c in range(n):
        p = next(r for r in range(c, n) if A[r][c] != 0)
        A[c], A[p] = A[p], A[c]
        A[c] = [x / A[c][c] for x in A[c]]
        for r in range(n):
            if r != c and A[r][c] != 0:
                A[r] = [x - A[r][c] * y for x, y in zip(A[r], A[c])]
    return [A[i][n] for i in range(n)]


def brute_force_v_star(inst):
    """max over every deterministic policy of V^pi (a discounted optimum is attained by one)."""
    S, A, g = inst.n_states, inst.n_actions, inst.gamma
    best = None
    for choice in itertools.product(range(A), repeat=S):
        M = [[(1 if i == j else 0) - g * inst.P[i][choice[i]][j] for j in range(S)] for i in range(S)]
        r = [sum(inst.P[i][choice[i]][j] * inst.R[i][choice[i]][j] for j in range(S)) for i in range(S)]
        V = solve(M, r)
        best = V if best is None else [max(x, y) for x, y in zip(best, V)]
    return best


@pytest.mark.parametrize("i", range(0, 22, 3))
def test_v_star_is_the_best_deterministic_policy(i):
    inst = instances("discounted", 0)[i]
    env = Env(tables_for(inst, EXACT)).bind_var(s, Ten(("s",), np.arange(inst.n_states)))
    got = list(evaluate(v_star(s), env).v.data)
    assert got == brute_force_v_star(inst)


def _tie_instance():
    # one state, two actions with the same reward: a tie at every state
    P = [[[F(1)], [F(1)]]]
    R = [[[F(2)], [F(2)]]]
    pol = [[F(1, 3), F(2, 3)]]
    return Instance(1, 2, [F(1)], P, R, F(1, 2), None, {"theta": pol, "old": pol, "prime": pol},
                    {"lambda": F(0), "epsilon": F(1, 5), "beta": F(1), "c_1": F(1), "c_2": F(1, 100)},
                    [F(0), F(1), F(2)], 3)


def test_ties_are_split_evenly_and_counted():
    inst = _tie_instance()
    env = Env(tables_for(inst, EXACT))
    probs = derived_policy(env, "star")
    assert list(probs[0]) == [F(1, 2), F(1, 2)]
    assert tables_for(inst, EXACT).memo[("ties", "star")] == 1
    env = env.bind_var(s, Ten(("s",), np.arange(1)))
    assert evaluate(v_star(s), env).v.data[0] == 4  # 2 / (1 - 1/2)


@pytest.mark.parametrize("entry_id", ["optimality.bellman-v", "optimality.bellman-q", "optimality.policy-improvement",
                                      "optimality.finite-backward-induction", "optimality.greedy-action"])
def test_optimality_identities_hold(entry_id):
    from derive.catalog import catalog

    e = catalog().get(entry_id)
    assert check_exact(e.lhs, e.rhs, e.setting, e.relation).status == "holds"


@pytest.mark.parametrize("entry_id", ["mistake.v-star-any-policy", "mistake.max-inside-expectation",
                                      "mistake.greedy-wrt-v"])
def test_optimality_mistakes_are_refuted(entry_id):
    from derive.catalog import catalog

    e = catalog().get(entry_id)
    r = check_exact(e.lhs, e.rhs, e.setting, e.relation)
    assert r.status == "fails" and r.data["counterexample"]["lhs"] != r.data["counterexample"]["rhs"]


def test_symbolic_is_honest_about_optimal_values():
    from derive.check_statements.symbolic import check_symbolic

    r = check_symbolic(v_star(s), nodes.MaxOver(q_star(s, a), a), "discounted")
    assert r.status == "not attempted"


def test_reader_spellings():
    from derive.read_markdown.reader import read_derivation

    text = "\n".join([
        "---", "title: x", "setting: discounted", "---", "",
        "$$", r"\begin{aligned}",
        r"V^{*}(s) &= \max_a Q^*(s, a) \\",
        r"&= q_*(s, \arg\max_a q_*(s, a)) \\",
        r"&= Q^*(s, \operatorname*{arg\,max}_{a} Q^*(s, a)) \\",
        r"&= v_*(s) \\",
        r"&= \max_\pi v_\pi(s) \\",
        r"&= V^{\pi_*}(s)",
        r"\end{aligned}", "$$", ""])
    steps = read_derivation(text).steps
    assert all(st.error is None for st in steps), [st.error for st in steps]
    assert isinstance(steps[0].lhs, type(v_star(s)))
    assert str(steps[-1].rhs.args[0]) == "star"
