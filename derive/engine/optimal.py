"""Optimal values V*, Q*, A*, the optimal and greedy policies, and argmax, exactly in rationals.

Discounted (gamma < 1), by policy iteration (Sutton & Barto 2018, section 4.3):

    evaluate   V = (I - gamma P_pi)^{-1} r_pi               (exact linear solve in rationals)
    improve    pi'(s) = argmax_a Q(s, a),  Q(s, a) = sum_{s'} P(s'|s,a) (R(s,a,s') + gamma V(s'))

keeping the current action whenever it is among the maximisers, so the values increase strictly
until the policy is stable; then V = V*, Q = Q* (Bellman optimality, eqs. 3.19-3.20).  Exact
arithmetic makes every comparison, and so every tie, exact.  Finite horizon T, by backward
induction: V*_T = 0, Q*_t = sum_{s'} P (R + gamma V*_{t+1}), V*_t = max_a Q*_t.

Policies ``star`` (optimal) and ``greedy`` (greedy w.r.t. Q^{pi_theta}, the improvement step, eq. 4.9)
split their probability evenly over the maximising actions; the number of states with ties is kept
in ``tables.memo[("ties", name)]``.  ``argmax_a f(a)`` is the smallest-index maximiser.

The optimal quantities are piecewise in the MDP's numbers (a max), so they are computed from the
instance's exact numbers, never from symbols: the symbolic method reports them "not attempted".
They do not depend on theta (no gradient); ``greedy`` has gradient 0 where the argmax is unique.
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..lang import nodes
from ..lang.optimal import AStar, ArgMax, QStar, Same, VStar
from . import tensor as tn
from .axes import bind_fresh
from .registry import Env, Unsupported, evaluate, index_of, preorder, rule
from .rules_mdp import time_of
from .fields import EXACT
from .tensor import Ten, Val

MAX_ITERATIONS = 1000


def _exact_tables(env: Env):
    tb = env.tables
    if tb.field.name == "symbolic":
        raise Unsupported("optimal values (a max over policies) are computed from exact numbers, not symbolically")
    from .tables import tables_for

    return tables_for(tb.inst, EXACT)


def _q_from_v(tb, V):
    ns, na = tb.n_states, tb.n_actions
    Q = np.empty((ns, na), dtype=object)
    for s in range(ns):
        for a in range(na):
            acc = tb.field.const(0)
            for s2 in range(ns):
                acc = acc + tb.P[s, a, s2] * (tb.R[s, a, s2] + tb.gamma * V[s2])
            Q[s, a] = acc
    return Q


def _evaluate_deterministic(tb, choice):
    from .values import _identity, solve

    ns = tb.n_states
    P_pi = tb.field.zeros((ns, ns))
    r_pi = tb.field.zeros((ns,))
    for s in range(ns):
        a = choice[s]
        for s2 in range(ns):
            P_pi[s, s2] = tb.P[s, a, s2]
            r_pi[s] = r_pi[s] + tb.P[s, a, s2] * tb.R[s, a, s2]
    return solve(_identity(ns, tb.field) - P_pi * tb.gamma, r_pi, tb.field)


def optimal_discounted(tb):
    """(V*[s], Q*[s, a], iterations) by exact policy iteration."""
    memo = ("optimal", "discounted")
    if memo in tb.memo:
        return tb.memo[memo]
    choice = [0] * tb.n_states
    for it in range(1, MAX_ITERATIONS + 1):
        V = _evaluate_deterministic(tb, choice)
        Q = _q_from_v(tb, V)
        changed = False
        for s in range(tb.n_states):
            best = max(Q[s])
            if Q[s, choice[s]] < best:
                choice[s] = min(a for a in range(tb.n_actions) if Q[s, a] == best)
                changed = True
        if not changed:
            tb.memo[memo] = (V, Q, it)
            return tb.memo[memo]
    raise Unsupported("policy iteration did not stabilise")  # pragma: no cover - finite MDPs always do


def optimal_finite(tb):
    """(V*[t, s] for t = 0..T, Q*[t, s, a] for t = 0..T-1) by backward induction."""
    memo = ("optimal", "finite")
    if memo in tb.memo:
        return tb.memo[memo]
    T, ns = tb.inst.horizon, tb.n_states
    V = [np.array([tb.field.const(0)] * ns, dtype=object)]
    Qs = []
    for _ in range(T):
        Q = _q_from_v(tb, V[-1])
        Qs.append(Q)
        V.append(np.array([max(Q[s]) for s in range(ns)], dtype=object))
    V.reverse()
    Qs.reverse()
    tb.memo[memo] = (np.stack(V), np.stack(Qs))
    return tb.memo[memo]


def _convert(env: Env, data):
    """Exact values in the env's field (float for Monte Carlo)."""
    if env.field.name == "exact":
        return data
    return env.field.array(np.vectorize(lambda x: Fraction(int(x.numerator), int(x.denominator)),
                                        otypes=[object])(data))


def _time(env: Env, e, tm, st):
    name = {"VStar": "V^*", "QStar": "Q^*", "AStar": "A^*"}[type(e).__name__]
    return time_of(e, tm, st, env, name=name, example=f"{name}_t(...) or give it s_t")


def _tables(env: Env):
    """(V, Q) arrays, time-indexed in the finite setting."""
    tb = _exact_tables(env)
    if env.horizon is None:
        V, Q, _ = optimal_discounted(tb)
        return V, Q
    return optimal_finite(tb)


def _at(env: Env, data, time, last):
    if time is None:
        return data
    if not 0 <= time <= last:
        raise tn.Undefined(f"time {time} is outside 0 .. {last}")
    return data[time]


@rule(VStar)
def _v_star(e, env: Env) -> Val:
    """V*_t(s) = max_a Q*_t(s, a), V*_T = 0 (finite: backward induction); V*(s) (discounted: policy iteration)."""
    st, tm = e.args
    V, _ = _tables(env)
    data = _at(env, V, _time(env, e, tm, st), env.horizon)
    return tn.gather(_convert(env, data), None, [index_of(st, env)])


@rule(QStar, AStar)
def _q_star(e, env: Env) -> Val:
    """Q*_t(s, a) = sum_{s'} P(s'|s,a) [R(s,a,s') + gamma V*_{t+1}(s')], t = 0..T-1 (or Q*(s, a), discounted);
    A*(s, a) = Q*(s, a) - V*(s)."""
    st, act, tm = e.args
    V, Q = _tables(env)
    time = _time(env, e, tm, st)
    q = _at(env, Q, time, None if env.horizon is None else env.horizon - 1)
    if isinstance(e, AStar):
        v = _at(env, V, time, env.horizon)
        q = q - v[:, None]
    return tn.gather(_convert(env, q), None, [index_of(st, env), index_of(act, env)])


# ------------------------------------------------------------------- policies


def _greedy_probs(Q, na):
    """Uniform over the maximisers of each row; (probabilities, number of states with a tie)."""
    probs = np.empty(Q.shape, dtype=object)
    ties = 0
    for s in range(Q.shape[0]):
        best = max(Q[s])
        top = [a for a in range(na) if Q[s, a] == best]
        ties += len(top) > 1
        for a in range(na):
            probs[s, a] = EXACT.const(Fraction(1, len(top))) if a in top else EXACT.const(0)
    return probs, ties


def derived_policy(env: Env, name: str):
    """Probabilities [s, a] of the optimal policy ``star`` or of ``greedy`` (w.r.t. Q^{pi_theta})."""
    tb = env.tables
    if env.horizon is not None:
        raise Unsupported(f"the policy {nodes.POLICY_LATEX[name]} is stationary: it is defined in the discounted "
                          "setting (a finite horizon's optimal policy depends on t)")
    ex = _exact_tables(env)
    key = ("policy", name)
    if key not in ex.memo:
        if name == "star":
            _, Q, _ = optimal_discounted(ex)
        else:
            from .values import discounted_values

            (_, _), (Q, _), _ = discounted_values(ex, ex.pi["theta"], None)
        probs, ties = _greedy_probs(Q, ex.n_actions)
        ex.memo[key] = probs
        ex.memo[("ties", name)] = ties
    probs = ex.memo[key]
    return probs if tb is ex else _convert(env, probs)


DERIVED_POLICIES = ("star", "greedy")


@rule(Same)
def _same(e, env: Env) -> Val:
    """[x = y] of two state (or action) indices, as 0/1 in the field."""
    x, y = (index_of(a, env) for a in e.args)
    axes = tn.union(x.axes, y.axes)
    eq = np.asarray(x.aligned(axes) == y.aligned(axes))
    shape = np.broadcast_shapes(x.aligned(axes).shape, y.aligned(axes).shape)
    one, zero = env.field.const(1), env.field.const(0)
    data = np.empty(shape, dtype=env.field.dtype)
    for idx in np.ndindex(shape):
        data[idx] = one if np.broadcast_to(eq, shape)[idx] else zero
    return Val(Ten(axes, data))


# --------------------------------------------------------------------- argmax


def argmax_index(e: ArgMax, env: Env) -> Ten:
    """The smallest-index maximiser of the body over its variable, for every value of the other axes."""
    body, var = e.args
    inner, axis = bind_fresh(var, env)
    val = evaluate(body, inner)
    data = val.v
    if axis not in data.axes:
        rest = data.axes
        return Ten(rest, np.zeros(data.data.shape, dtype=int))
    if data.data.dtype == object and data.data.size and not tn._orderable(data.data):
        raise Unsupported("argmax needs ordered (exact) values")
    k = data.axes.index(axis)
    arr = np.moveaxis(data.data, k, -1)
    out = np.zeros(arr.shape[:-1], dtype=int)
    for idx in np.ndindex(arr.shape[:-1]):
        row = list(arr[idx])
        if any(x is tn.UNDEF for x in row):
            raise tn.Undefined("argmax of an undefined value")
        best = max(row)
        out[idx] = min(i for i, x in enumerate(row) if x == best)
    return Ten(data.axes[:k] + data.axes[k + 1:], out)


__all__ = ["optimal_discounted", "optimal_finite", "derived_policy", "argmax_index", "DERIVED_POLICIES"]


def tie_note(exprs, insts) -> str:
    """'ties: ...' when a statement uses pi_*, pi_greedy or argmax and some instance has tied maximisers."""
    from .tables import tables_for

    names = set()
    for e in exprs:
        for x in preorder(e):
            if isinstance(x, ArgMax):
                names.add("argmax")
            elif getattr(x, "name", None) in DERIVED_POLICIES and type(x).__name__ == "Str":
                names.add(x.name)
    if not names:
        return ""
    tied = 0
    for inst in insts:
        if inst.horizon is not None:
            continue
        tb = tables_for(inst, EXACT)
        for name in sorted(names & set(DERIVED_POLICIES)):
            if ("ties", name) not in tb.memo:
                try:
                    derived_policy(Env(tb), name)
                except Unsupported:
                    continue
            tied += tb.memo[("ties", name)] > 0
    if "argmax" in names and not names & set(DERIVED_POLICIES):
        return "argmax takes the smallest-index maximiser on ties"
    return f"ties split evenly over the maximising actions on {tied} instance(s)" if tied else "no ties"
