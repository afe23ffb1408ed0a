"""Exact expectations over a finite window of a trajectory (the last step of a resolvent evaluation).

E[f(s_0, a_0, ..., s_H)] = sum over the window's states and actions of
rho_0(s_0) prod_t pi(a_t | s_t) P(s_{t+1} | s_t, a_t) f, enumerated for H <= MAX_WINDOW; with a free
start (s_0 kept as an axis, for phi(x) = E[f | s_0 = x]) or conditioned on given states/actions
(E[X 1{given}] / Pr(given)).  Used by derive/engine/resolvent.py.
"""
from __future__ import annotations

import numpy as np

from . import tensor as tn
from .axes import outer_axis, rename, scope_axis
from .registry import Env, Unsupported, evaluate, policy_arrays
from .scope import EnumScope, marginal
from .tensor import Ten, Val
from .time_indices import _extent

MAX_WINDOW = 12  # longest finite window enumerated (time steps)
X_AXIS = "inf.x"


def window_expectation(expr, env: Env, policy: str, given=(), free_start: bool = False) -> Val:
    """E[expr] over the first steps of a trajectory of ``policy`` (exact enumeration of a finite window).

    free_start: s_0 is not drawn from rho_0 but kept as the axis X_AXIS (a value for every start state).
    given: pairs (s_u or a_u, the outer variable it equals) conditioned on (ratio E[X 1{given}] / Pr(given));
    the result's axis for s_u is renamed to that outer variable's axis.
    """
    horizon = max([1, _extent(expr, env)] + [_extent(g, env) for g, _ in given])
    if horizon > MAX_WINDOW:
        raise Unsupported(f"a window of {horizon} time steps is enumerated; at most {MAX_WINDOW}")
    tb = env.tables
    scope = EnumScope(f"w{env.depth}", horizon, tb.n_states, tb.n_actions)
    inner = env.with_(traj=scope, depth=env.depth + 1)
    val = evaluate(expr, inner)
    kept = [scope_axis(scope, g, inner) for g, _ in given]
    used = set(a for a in val.axes if scope.owns(a)) | set(kept)
    start = scope.state_axis(0)
    if free_start:
        used.add(start)
    probs, score, _ = policy_arrays(inner, policy)
    n = tb.n_states
    init_table = tb.field.array(np.ones(n, dtype=int)) if free_start else tb.rho0

    def weights(needed):
        return marginal(scope, needed,
                        init=lambda s: tn.gather(init_table, None, [s]),
                        policy=lambda a, s: tn.gather(probs, score, [s, a]),
                        transition=lambda s2, s, a: tn.gather(tb.P, None, [s, a, s2]))

    w = weights(used)
    if w is not None:
        val = tn.mul(w, tn.zero_where_impossible(w.v, val))
    keep = set(kept) | ({start} if free_start else set())
    out = tn.sum_axes(val, sorted(used - keep))
    if free_start:
        if start not in out.axes:
            out = tn.mul(out, Val(Ten((start,), tb.field.array(np.ones(n, dtype=int)))))
        out = rename(out, start, X_AXIS)
    if kept:
        out = tn.div(out, weights(set(kept)))
        for (_, target), axis in zip(given, kept):
            out = _merge_axis(out, axis, outer_axis(target, env))
    return out


def _merge_axis(val: Val, old: str, new: str) -> Val:
    """Rename axis old to new; when new is already an axis ([X(s) | s_t = s]), keep the diagonal old == new."""
    if new not in val.axes:
        return rename(val, old, new)

    def diag(t: Ten):
        if t is None:
            return None
        if old not in t.axes:
            return t
        if new not in t.axes:
            return t.rename(old, new)
        i, j = t.axes.index(old), t.axes.index(new)
        data = np.diagonal(t.data, axis1=i, axis2=j).copy()  # the diagonal axis goes last
        rest = tuple(a for k, a in enumerate(t.axes) if k not in (i, j))
        return Ten(rest + (new,), data)

    return Val(diag(val.v), diag(val.d))
