"""The engine checked against independent computations (one concept against another)."""
from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from sympy import Sum, log
from sympy.core.symbol import Str

from derive.engine.evaluate import Env, Unsupported, evaluate
from derive.engine.fields import EXACT, FLOAT
from derive.engine.tables import tables_for
from derive.lang import nodes
from derive.lang.symbols import T, gamma, t
from derive.mdp import FINITE_SCHEDULE, instances, random_instance

TH = Str("theta")


def brute_force_J(inst, probs):
    """J by enumerating every trajectory with plain Python floats (no derive code)."""
    S, A, H = inst.n_states, inst.n_actions, inst.horizon
    total = 0.0
    for path in itertools.product(range(S), *([range(A), range(S)] * H)):
        p = float(inst.rho0[path[0]])
        ret = 0.0
        for u in range(H):
            s, a, s2 = path[2 * u], path[2 * u + 1], path[2 * u + 2]
            p *= probs[s][a] * float(inst.P[s][a][s2])
            ret += float(inst.gamma) ** u * float(inst.R[s][a][s2])
        total += p * ret
    return total


def softmax_probs(logits):
    out = []
    for row in logits:
        m = max(row)
        e = [math.exp(v - m) for v in row]
        out.append([v / sum(e) for v in e])
    return out


@pytest.mark.parametrize("index", [6, 11, 13, 19])
def test_exact_gradient_matches_finite_differences(index):
    inst = instances("finite")[index]
    probs = [[float(p) for p in row] for row in inst.policies["theta"]]
    logits = [[math.log(p) for p in row] for row in probs]
    grad = evaluate(nodes.Grad(nodes.J(TH)), Env(tables_for(inst, EXACT))).v.data
    h = 1e-6
    for s in range(inst.n_states):
        for a in range(inst.n_actions):
            up = [row[:] for row in logits]
            dn = [row[:] for row in logits]
            up[s][a] += h
            dn[s][a] -= h
            fd = (brute_force_J(inst, softmax_probs(up)) - brute_force_J(inst, softmax_probs(dn))) / (2 * h)
            assert abs(float(grad[s * inst.n_actions + a]) - fd) < 1e-6


@pytest.mark.parametrize("index", range(len(FINITE_SCHEDULE)))
def test_J_matches_brute_force(index):
    inst = instances("finite")[index]
    probs = [[float(p) for p in row] for row in inst.policies["theta"]]
    value = evaluate(nodes.J(TH), Env(tables_for(inst, EXACT))).v.data[()]
    assert isinstance(value, type(EXACT.const(1)))  # exact rational
    assert abs(float(value) - brute_force_J(inst, probs)) < 1e-9


def test_discounted_value_solves_bellman_in_float_too():
    inst = instances("discounted")[12]
    env = Env(tables_for(inst, FLOAT))
    env_x = Env(tables_for(inst, EXACT))
    j_float = evaluate(nodes.J(TH), env).v.data[()]
    j_exact = evaluate(nodes.J(TH), env_x).v.data[()]
    assert abs(j_float - float(j_exact)) < 1e-9


def test_gae_with_lambda_one_equals_return_minus_value_on_a_path():
    """rlax-style: GAE(lambda = 1) = G_t - V(s_t), checked on sampled paths in float."""
    from derive.engine.sampler import sample_trajectories
    from derive.engine.scope import SampleScope
    from derive.lang.nodes import GAE, SetParam, free_v, FreeFn, Ret, St
    from derive.lang.symbols import lam
    from sympy import Integer

    inst = random_instance(5, 3, 2, 4)
    states, actions = sample_trajectories(inst, np.array(inst.policies["theta"], dtype=float), 50,
                                          np.random.default_rng(0))
    env = Env(tables_for(inst, FLOAT)).with_(traj=SampleScope(states, actions)).bind_int(t, 1)
    lhs = evaluate(SetParam(GAE(t, free_v("V")), lam, Integer(1)), env).v.data
    rhs = evaluate(Ret(t) - FreeFn(Str("V"), St(t)), env).v.data
    assert np.allclose(lhs, rhs)


def test_degenerate_instances_are_in_the_schedule():
    insts = instances("finite")
    assert any(i.n_states == 1 for i in insts) and any(i.n_actions == 1 for i in insts)
    assert any(i.gamma == 0 for i in insts) and any(i.gamma == 1 for i in insts)
    assert any(any(p == 0 for row in i.P for dist in row for p in dist) for i in insts)
    assert any(all(max(d) == 1 for row in i.P for d in row) for i in insts)
    for inst in insts + instances("discounted"):
        assert sum(inst.rho0) == 1
        for row in inst.P:
            for d in row:
                assert sum(d) == 1 and min(d) >= 0
        for pol in inst.policies.values():
            for d in pol:
                assert sum(d) == 1 and min(d) > 0  # softmax: full support


def test_rewards_depend_on_next_state():
    inst = instances("finite")[6]
    assert any(len(set(inst.R[s][a])) > 1 for s in range(inst.n_states) for a in range(inst.n_actions))


def test_infinite_sum_is_unsupported_not_wrong():
    from sympy import oo

    inst = instances("discounted")[3]
    expr = Sum(gamma**t * nodes.Rt(t), (t, 0, oo))
    with pytest.raises(Unsupported):
        evaluate(expr, Env(tables_for(inst, EXACT)))


def test_infinite_trajectory_expectation_is_exact():
    # discounted: E_tau[R(tau)] over infinite trajectories is evaluated exactly (engine/infinite.py), = J
    inst = instances("discounted")[3]
    env = Env(tables_for(inst, EXACT))
    got = evaluate(nodes.Expect(nodes.TrajReturn(), nodes.TrajDist(TH)), env).v.data[()]
    assert got == evaluate(nodes.J(TH), env).v.data[()]
    with pytest.raises(Unsupported):  # T has no value in the discounted setting
        evaluate(nodes.Expect(Sum(nodes.Rt(t), (t, 0, T - 1)), nodes.TrajDist(TH)), env)


def test_determinism_of_instances():
    a = instances("finite", seed=3)
    b = instances("finite", seed=3)
    assert [x.describe() for x in a] == [y.describe() for y in b]
    assert instances("finite", seed=4)[6].describe() != a[6].describe()


def test_log_of_zero_probability_is_skipped_not_a_number():
    inst = instances("finite")[4]  # zero-probability branches
    env = Env(tables_for(inst, EXACT)).with_(traj=__import__("derive.engine.scope", fromlist=["EnumScope"]).EnumScope(
        "free", inst.horizon, inst.n_states, inst.n_actions))
    val = evaluate(log(nodes.TrajProb(TH)), env)
    assert np.isnan(np.asarray(val.v.data, dtype=float)).any()
    assert Fraction(1) == 1


def test_free_time_in_conditioning_is_instantiated():
    from derive.catalog.build import E_tau
    from derive.check_statements.quantifiers import free_variables, ranges_for
    from derive.lang.symbols import k

    expr = E_tau(nodes.Rt(T - 1), given=(nodes.St(t),))
    assert t in free_variables(expr)[1]
    # k alone (no free t): its default range 1..T-t is read with t = 0, not dropped
    (sym, lo, hi), = ranges_for([k])
    assert sym == k and lo == 1 and hi == T


def test_gamma_bar_around_values_is_refused_not_wrong():
    """V^pi is computed with the instance's gamma, so |_{gamma=1} cannot silently change it."""
    from sympy import Integer

    from derive.lang.nodes import SetParam, J as Jn

    inst = instances("finite")[6]
    env = Env(tables_for(inst, EXACT))
    with pytest.raises(Unsupported):
        evaluate(SetParam(Jn(TH), gamma, Integer(1)), env)
    # a bar around plain rewards is fine
    val = evaluate(SetParam(nodes.TrajReturn(), gamma, Integer(1)),
                   env.with_(traj=__import__("derive.engine.scope", fromlist=["EnumScope"]).EnumScope(
                       "free", inst.horizon, inst.n_states, inst.n_actions)))
    assert val.v.data.size > 0
