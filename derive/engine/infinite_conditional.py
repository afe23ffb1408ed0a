"""Monte Carlo for conditional expectations over infinite discounted trajectories.

    E_{tau ~ pi}[X | s_k = s]  and  E_{tau ~ pi}[X | s_k = s, a_k = a],   k = 0 or a free integer t

(and E[X | s_k, a_k], a function of the random s_k, a_k: one component per value)

are estimated for every value of the given state (and action) by trajectories started there: by the Markov
property and time-homogeneity, given s_k = s the future (s_k, a_k, s_{k+1}, ...) has the law of a trajectory
started at s_0 = s, so

    E[X(k) | s_k = s] = E[X(0) | s_0 = s]        (wherever Pr(s_k = s) > 0; stationarity)

when X reads the trajectory only at times k + o (o >= 0) and depends on k through those indices alone (a
factor gamma^k, or a time index before k, is refused: "n/a").  Given (s_0 = s, a_0 = a), the trajectory starts
with that pair and s_1 ~ P(. | s, a).  Each series is cut where its tail is below MC_TAIL
(derive/engine/infinite_sampling.py), and that bound enters the z-test, so the estimator's bias is accounted
for.  The N samples are shared among the values of the conditioning variables (each a component of the
test, with N / (number of values) samples, at least MIN_PER_VALUE): the cost of an unconditional check.  Finite
horizons (values depend on t there), conditions at two times or at a fixed k > 0, and nested series are
checked exactly only (NotSampled: the method says "n/a").
"""
from __future__ import annotations

import itertools
from dataclasses import replace
from fractions import Fraction

import numpy as np
from sympy import Dummy, Integer, Symbol

from ..lang import nodes
from .infinite import infinite_definitions
from .infinite_sampling import NotSampled, truncation_for_sampling
from .registry import Env, evaluate, index_of, policy_arrays
from .sampler import sample_trajectories
from .scope import SampleScope
from .tensor import Ten, Val, union
from .time_indices import _index_nodes

MIN_PER_VALUE = 2000  # samples per value of the conditioning variables (N is shared among them, at least this)


def _conditions(expect: nodes.Expect, env: Env):
    """(time symbol or 0, state value, action value or None) of the givens, or NotSampled with the reason."""
    givens = [d for d in expect.dists if isinstance(d, nodes.Given)]
    trajs = [d for d in expect.dists if isinstance(d, nodes.TrajDist)]
    if len(trajs) != 1 or len(givens) + 1 != len(expect.dists):
        raise NotSampled("a conditional expectation that does not draw one trajectory is checked exactly")
    state = action = time = None
    for g in givens:
        var, value = g.args if len(g.args) == 2 else (g.args[0], g.args[0])  # E[X | s_t]: a component per s_t
        if not isinstance(var, (nodes.St, nodes.At)):
            raise NotSampled("only conditions on s_k and a_k are sampled")
        k = var.args[0]
        if time is not None and k != time:
            raise NotSampled("conditions at two different times are checked exactly, not sampled")
        time = k
        if isinstance(var, nodes.St):
            state = value
        else:
            action = value
    if state is None:
        raise NotSampled("a condition on an action without its state is checked exactly, not sampled")
    if time != 0 and not (isinstance(time, Symbol) and time.is_integer):
        raise NotSampled(f"a condition at the fixed time {time} is checked exactly, not sampled")
    return trajs[0].args[0].name, time, state, action


def _shifted(body, time):
    """The body at k = 0 (stationarity), refused when it depends on k other than through its time indices."""
    if time == 0:
        return body
    expanded = infinite_definitions(body)  # G_t, GAE_t, ... as their series: t then sits in time indices
    masked = expanded.xreplace({x: Dummy() for x in _index_nodes(expanded)})
    if time in masked.free_symbols:
        raise NotSampled(f"the body depends on {time} other than through its time indices (a weight gamma^{time}?): "
                         "stationarity does not give it from s_0, so it is checked exactly")
    return body.xreplace({time: Integer(0)})


def _values(value, env: Env):
    """The values a given's right side takes: every index of a free variable's axis, or its one value."""
    v = index_of(value, env)
    if len(v.axes) == 1:
        return v.axes[0], [int(x) for x in np.asarray(v.data).ravel()]
    if not v.axes:
        return None, [int(v.data)]
    raise NotSampled("a condition whose value has several axes is checked exactly")


def sample_conditional(expect: nodes.Expect, env: Env, n: int, rng) -> Val:
    """X(0) on n trajectories started at each given value (axis ``n`` and one axis per free given variable)."""
    inst = env.tables.inst
    if inst.horizon is not None:
        raise NotSampled("conditional expectations over a finite horizon are checked exactly (values depend on t)")
    if getattr(inst, "episodic", False):
        raise NotSampled("conditional expectations in the episodic setting are checked exactly")
    policy, time, state, action = _conditions(expect, env)
    body, length, _ = truncation_for_sampling(_shifted(expect.body, time), inst)
    probs = np.asarray(policy_arrays(env, policy)[0], dtype=float)
    s_axis, s_values = _values(state, env)
    a_axis, a_values = _values(action, env) if action is not None else (None, [None])
    out_axes = tuple(a for a in (s_axis, a_axis) if a is not None)
    if len(set(out_axes)) != len(out_axes):
        raise NotSampled("a condition repeats one variable")
    pieces = {}
    n = max(MIN_PER_VALUE, -(-n // (len(s_values) * len(a_values))))  # the N samples shared among the values
    for s, a in itertools.product(s_values, a_values):
        states, actions = _trajectories(inst, probs, s, a, n, length, rng)
        inner = env.with_(traj=SampleScope(states, actions))
        for var, axis, val in ((state, s_axis, s), (action, a_axis, a)):
            if axis is not None and not isinstance(var, (nodes.St, nodes.At)):
                inner = inner.bind_var(var, Ten((), np.array(val)))  # a free variable: the component's value
        pieces[(s, a)] = evaluate(body, inner).v
    axes = union(("n",), *(p.axes for p in pieces.values()))
    axes = tuple(x for x in axes if x not in out_axes)
    grid = tuple(len(v) for v, ax in ((s_values, s_axis), (a_values, a_axis)) if ax is not None)
    rows = []
    for (s, a), piece in pieces.items():
        shape = tuple(n if x == "n" else piece.size_of(x) if x in piece.axes else 1 for x in axes)
        rows.append(((s, a), np.broadcast_to(np.asarray(piece.aligned(axes), dtype=float), shape)))
    full = np.broadcast_shapes(*(r.shape for _, r in rows))
    data = np.empty(full + grid, dtype=float)
    for (s, a), r in rows:
        idx = tuple(i for i, ax in ((s_values.index(s), s_axis), (a_values.index(a), a_axis)) if ax is not None)
        data[(Ellipsis,) + idx] = np.broadcast_to(r, full)
    return Val(Ten(axes + out_axes, data))


def _trajectories(inst, probs, s: int, a, n: int, length: int, rng):
    """n trajectories of ``length`` steps from s_0 = s (and a_0 = a when given): (states, actions)."""
    one = [Fraction(int(i == s)) for i in range(inst.n_states)]
    if a is None:
        start = replace(inst, rho0=one, cache={})
        return sample_trajectories(start, probs, n, rng, horizon=length)
    nxt = replace(inst, rho0=list(inst.P[s][a]), cache={})  # s_1 ~ P(. | s, a)
    states, actions = sample_trajectories(nxt, probs, n, rng, horizon=length - 1)
    states = np.concatenate([np.full((n, 1), s, dtype=np.int64), states], axis=1)
    actions = np.concatenate([np.full((n, 1), a, dtype=np.int64), actions], axis=1)
    return states, actions


__all__ = ["sample_conditional"]
