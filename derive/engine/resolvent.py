"""The resolvent evaluation of one term of an infinite discounted expectation (see derive/engine/infinite.py).

A term K * sum_{u_1..u_k >= 0} prod_j c_j^{u_j} f_0 prod_j f_j(tau_j) is evaluated from the inside out:
the innermost sum by h_k = (I - c_k P_pi)^{-1} phi_k, phi_k(x) = E[f_k(window) | s_0 = x]; each outer
sum likewise, with the later sums placed explicitly while their windows overlap and summarised by the
h vector after (Markov property, time-homogeneity).  The last finite window is enumerated exactly
with rho_0 (or the conditioning) and pi, P.  Gradients: dh = (I - c P_pi)^{-1} (dphi + c dP_pi h).
"""
from __future__ import annotations

import itertools
from functools import lru_cache

import numpy as np
from sympy import Integer, Mul, latex
from sympy.core.symbol import Str

from ..lang import nodes
from .registry import Env, Unsupported, eval_int, evaluate, index_of, policy_arrays, rule
from .tensor import GRAD, Ten, Undefined, Val
from ..episodic import is_episodic
from .time_indices import _check_dependence, _extent, _min_index, _split_weight
from .windows import MAX_WINDOW, X_AXIS, window_expectation  # noqa: F401  (re-exported)

_COUNTER = itertools.count()


class _Step(nodes.Node):
    """A per-step quantity kept whole by linearity (delta_t): one factor that reads a window of the trajectory."""

    nargs = 1

    def tex(self, p):
        return p._print(self.args[0])


# -------------------------------------------------------------------- a term


@lru_cache(maxsize=1024)
def _analyse(infinite: tuple, body):
    """(anchors, lower bounds, weights, factor groups, ratios c_j) of a term: its structure, once per expression."""
    anchors = [lim[0] for lim in infinite]
    lows = [lim[1] for lim in infinite]
    k = len(anchors)
    for j, lo in enumerate(lows):
        used = lo.free_symbols & set(anchors)
        if j == 0 and used:
            raise Unsupported("the outer infinite sum's lower bound depends on another summation index")
        if j > 0 and (used != {anchors[j - 1]} or (lo - anchors[j - 1]).free_symbols & set(anchors)):
            raise Unsupported("infinite sums must be nested: sum_{t'=t+d}^{infinity} inside sum_t")
    weights, groups = [], [[] for _ in range(k + 1)]
    for factor in Mul.make_args(body):
        w = _split_weight(factor, anchors)
        if w is not None:
            weights.append(w)
            continue
        used = [j for j, v in enumerate(anchors) if v in factor.free_symbols]
        if len(used) > 1:
            raise Unsupported(f"the factor {latex(factor)} depends on two summation indices at once")
        j = used[0] + 1 if used else 0
        if used:
            _check_dependence(factor, anchors[used[0]])
        groups[j].append(factor)
    # c_j: the weight's ratio when u_j grows by one (every tau_i, i >= j, shifts by one)
    ratios = []
    for j in range(k):
        c = Integer(1)
        for base, expo in weights:
            e = sum((expo.coeff(v) for v in anchors[j:]), Integer(0))
            c = c * base ** e
        ratios.append(c)
    return anchors, lows, weights, [Mul(*g) for g in groups], ratios


class _Plan:
    """One term: K * sum_{u} prod_j c_j^{u_j} f_0 prod_j f_j(tau_j), evaluated exactly (module docstring)."""

    def __init__(self, infinite, body, env: Env, policy: str, given):
        self.env = env
        self.policy = policy
        self.given = given
        self.anchors, self.lows, self.weights, self.groups, self.ratios = _analyse(tuple(infinite), body)
        self.tails = {}

    # ---------------------------------------------------------------- positions
    def _bind(self, binds: dict) -> Env:
        env = self.env
        for v, q in binds.items():
            env = env.bind_int(v, q)
        return env

    def _low(self, j, binds) -> int:
        return eval_int(self.lows[j], self._bind(binds))

    def _min_rel(self, j) -> int:
        """Smallest index read by sums j.. relative to tau_j (later sums at their lower bounds)."""
        binds, mins = {self.anchors[j]: 0}, []
        for i in range(j, len(self.anchors)):
            if i > j:
                binds[self.anchors[i]] = self._low(i, binds)
            m = _min_index(self.groups[i + 1], self._bind(binds))
            if m is not None:
                mins.append(m)
        return min(mins) if mins else 0

    # ------------------------------------------------------------------ building
    def build(self, j: int, binds: dict, extent: int):
        """The expression for sums j.. given earlier placements: explicit while overlapping, then a tail."""
        if j == len(self.anchors):
            return Integer(1)
        var, c = self.anchors[j], self.ratios[j]
        lo = self._low(j, binds)
        m = self._min_rel(j)
        if lo + m < 0:
            raise Undefined(f"the sum over {var} reads a time index below 0")
        U = max(0, extent - (lo + m))
        if U > MAX_WINDOW:
            raise Unsupported("the finite window before an infinite sum is too long")
        out = Integer(0)
        for u in range(U):
            q = lo + u
            b2 = {**binds, var: q}
            f = self.groups[j + 1].xreplace({var: q})
            ext = max(extent, _extent(f, self._bind(b2)))
            out = out + c ** u * f * self.build(j + 1, b2, ext)
        key = self.tail(j)
        return out + c ** U * _Tail(Str(key), nodes.St(Integer(lo + U + m)))

    def tail(self, j: int) -> str:
        """h_j = (I - c_j P_pi)^{-1} phi_j, stored under a key for _Tail nodes."""
        if j in self.tails:
            return self.tails[j]
        var = self.anchors[j]
        m = self._min_rel(j)
        binds = {var: -m}
        f = self.groups[j + 1].xreplace({var: -m})
        ext = _extent(f, self._bind(binds))
        phi_expr = f * self.build(j + 1, binds, ext)
        env = self.env
        cache_key = ("tail-of", phi_expr, self.ratios[j], self.policy, env.track, env.policy_map,
                     tuple(sorted((str(v), q) for v, q in env.ints.items() if v in phi_expr.free_symbols)),
                     tuple((str(sym), str(val.v.data)) for sym, val in env.params),
                     tuple(sorted((str(k), ix.axes) for k, ix in env.vars.items())))
        names = env.tables.memo.setdefault("tail-names", {})
        if cache_key not in names:
            phi = window_expectation(phi_expr, env, self.policy, free_start=True)
            c = evaluate(self.ratios[j], env)
            if c.d is not None:
                raise Unsupported("a geometric weight that depends on theta")
            _converges(c, var, episodic=is_episodic(env))
            key = f"inf{next(_COUNTER)}"
            env.tables.memo[("tail", key)] = resolvent(env, self.policy, c, phi)
            names[cache_key] = key
        self.tails[j] = names[cache_key]
        return self.tails[j]

    def value(self) -> Val:
        """E[term]: K (the weights at the lower bounds) * f_0 * the sums, over the first window."""
        binds = {}
        for j, v in enumerate(self.anchors):
            binds[v] = self._low(j, binds)
        K = Mul(*[base ** expo.xreplace(binds) for base, expo in self.weights])
        head = self.groups[0]
        ext = max([_extent(head, self.env)] + [_extent(g, self.env) for g, _ in self.given])
        expr = K * head * self.build(0, {}, ext)
        return window_expectation(expr, self.env, self.policy, given=self.given)


def _converges(c: Val, var, episodic: bool = False):
    """Refuse a ratio whose series may diverge: |c| >= 1; in the episodic setting |c| > 1 (P_pi is
    substochastic there, every row sum below 1, so (I - c P_pi)^{-1} is the series for |c| <= 1)."""
    data = c.v.data
    try:
        big = abs(data[()]) > 1 if episodic else abs(data[()]) >= 1
    except TypeError:  # symbolic: cannot be ordered; the resolvent is still the series' value where it converges
        return
    if big:
        name = getattr(var, "name", str(var))  # a Dummy index prints as _t: its name is the one written
        raise Undefined(f"the series over {name} does not converge on this instance (its ratio is {data[()]}, "
                        "not below 1 in absolute value)")


# ---------------------------------------------------------------- tail nodes


class _Tail(nodes.Node):
    """h(s_q): a resolvent vector computed by a _Plan (internal; never printed to a user)."""

    nargs = 2

    def tex(self, p):
        return r"h(%s)" % p._print(self.args[1])


@rule(_Step)
def _step_rule(e, env: Env) -> Val:
    """A per-step factor kept whole by linearity (delta_t): the value of the quantity it wraps."""
    return evaluate(e.args[0], env)


@rule(_Tail)
def _tail_rule(e, env: Env) -> Val:
    """h(s_q), h = (I - c P_pi)^{-1} phi: the resolvent vector of a _Plan, at every value of the state s_q."""
    h = env.tables.memo[("tail", e.args[0].name)]
    ix = index_of(e.args[1], env)
    if len(ix.axes) != 1 or not np.array_equal(ix.data, np.arange(ix.data.shape[0])):
        raise Unsupported("an infinite sum is evaluated over every value of the state it starts from")
    return Val(h.v.rename(X_AXIS, ix.axes[0]), None if h.d is None else h.d.rename(X_AXIS, ix.axes[0]))


# ------------------------------------------------------------------ resolvent


def chain_matrices(env: Env, policy: str):
    """(P_pi, dP_pi or None) of a policy, cached per source and tracking."""
    from .values import policy_matrices

    probs, score, src = policy_arrays(env, policy)
    key = ("chain", src, score is not None)
    tb = env.tables
    if key not in tb.memo:
        P_pi, _, dP, _ = policy_matrices(tb, probs, score)
        tb.memo[key] = (P_pi, dP)
    return tb.memo[key]


def resolvent(env: Env, policy: str, c: Val, phi: Val) -> Val:
    """h = (I - c P_pi)^{-1} phi along X_AXIS (other axes are carried); dh = M^{-1}(dphi + c dP h)."""
    from .values import _identity, solve

    tb, field = env.tables, env.field
    n = tb.n_states
    P_pi, dP = chain_matrices(env, policy)
    cval = c.v.data[()]
    M = _identity(n, field) - P_pi * cval
    axes = (X_AXIS,) + tuple(a for a in phi.v.axes if a != X_AXIS)
    data = _full(phi.v, axes, n)
    hv = solve(M, data, field)
    if phi.d is None and dP is None:
        return Val(Ten(axes, hv))
    nt = tb.n_theta
    if phi.d is not None:
        daxes = (X_AXIS,) + tuple(a for a in phi.d.axes if a not in (X_AXIS, GRAD))
        for a in axes:
            if a not in daxes:
                daxes = daxes + (a,)
        daxes = daxes + (GRAD,)
        rhs = _full(phi.d, daxes, n, sizes={**_sizes(phi.v), GRAD: nt})
    else:
        daxes = axes + (GRAD,)
        rhs = field.zeros(hv.shape + (nt,))
    if dP is not None:
        # (dP h)[x, ..., k] = sum_y dP[x, y, k] h[y, ...]
        h_al = Ten(axes, hv).aligned(daxes[:-1])
        h_full = np.broadcast_to(h_al, rhs.shape[:-1])
        contrib = np.tensordot(dP, h_full, axes=([1], [0]))  # (x, k, rest...)
        contrib = np.moveaxis(contrib, 1, -1)
        rhs = rhs + contrib * cval
    dh = solve(M, rhs, field)
    return Val(Ten(axes, hv), Ten(daxes, dh))


def _sizes(t: Ten) -> dict:
    return {a: t.size_of(a) for a in t.axes}


def _full(t: Ten, axes, n, sizes=None):
    """t's data in axis order ``axes``, broadcast to full size (X_AXIS of size n)."""
    sizes = {**(sizes or {}), **_sizes(t), X_AXIS: n}
    shape = tuple(sizes[a] for a in axes)
    return np.broadcast_to(t.aligned(axes), shape).copy()


__all__ = ["window_expectation", "resolvent", "chain_matrices"]
