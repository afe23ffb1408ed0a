"""Exact expectations over infinite discounted trajectories, by linear algebra on the Markov chain.

The class evaluated exactly (docs/conventions.md, "Infinite trajectories"): after linearity
(:mod:`derive.engine.linearity`) every term of ``E_{tau ~ pi}[body | givens]`` is

    K * sum_{u_1 >= 0} ... sum_{u_k >= 0} c_1^{u_1} ... c_k^{u_k} f_0 f_1(tau_1) ... f_k(tau_k),

with tau_1 = L + u_1 and tau_j = tau_{j-1} + d_j + u_j (nested sums ``sum_{t' = t + d}^{infinity}``),
geometric weights c_j (products of powers of gamma, lambda, ... whose exponents are integer-linear
in the indices), and factors f_j that depend on the trajectory only through s_{tau_j + o}, a_{tau_j + o}
for constant offsets o (f_0: no summation index at all, e.g. s_0 or the given s_t).  Finite sums
whose bounds do not depend on an infinite index are iterated; ``sum_{n >= 1} sum_{l = 0}^{n - 1}``
is reordered to ``sum_{l >= 0} sum_{n >= l + 1}``.

Evaluation (no truncation).  The last sum is summarised by the vector

    h_k = (I - c_k P_pi)^{-1} phi_k,    phi_k(x) = E[f_k(W_0) | s_0 = x]

(the Markov property and time-homogeneity: E[f(W_{t+v}) | s_t = x] = (P_pi^v phi)(x)), and each
earlier sum likewise, with phi_j(x) = E[f_j(W_0) * (the later sums, placed explicitly while their
windows overlap f_j's and summarised by h_{j+1} after) | s_0 = x].  The remaining finite window
(the givens, f_0 and the overlapping placements) is enumerated exactly with the existing finite
machinery: weights rho_0(s_0) pi(a_0|s_0) P(s_1|s_0,a_0) ...; a conditional expectation is the
ratio E[X 1{given}] / Pr(given), exactly as in the finite-horizon evaluator.  Gradients: the
resolvent is differentiated as d h = (I - c P_pi)^{-1} (d phi + c (d P_pi) h), in the same field.

Conditioning on s_t = s (or (s_t, a_t)) for a free t is computed at each instantiated t as that
ratio; by the Markov property and stationarity it equals the value from s_0 = s wherever
Pr(s_t = s) > 0.  Outside the class the evaluator says which construct and why (``Unsupported``).
"""
from __future__ import annotations

import itertools
from functools import lru_cache

import numpy as np
from sympy import Add, Dummy, Integer, Mul, Pow, Sum, latex, oo
from sympy.core.symbol import Str

from ..lang import nodes
from ..lang.symbols import gamma, lam
from . import tensor as tn
from .evaluate import Env, Unsupported, eval_int, evaluate, index_of, policy_arrays, rule
from .linearity import split_terms
from .scope import EnumScope, marginal
from .tensor import GRAD, Ten, Undefined, Val

MAX_WINDOW = 12  # longest finite window enumerated (time steps)
MAX_CHAIN = 4  # nested infinite sums
MAX_POWER = 3  # (series)^n is multiplied out for n <= MAX_POWER
X_AXIS = "inf.x"
_COUNTER = itertools.count()

# ------------------------------------------------------------ infinite definitions


def infinite_definitions(expr):
    """R(tau), G_t, GAE_t and G_t^lambda with the infinite horizon (sums to infinity).

    R(tau) = sum_{t>=0} gamma^t r_t;  G_t = sum_{l>=0} gamma^l r_{t+l};
    GAE_t = sum_{l>=0} (gamma lambda)^l delta_{t+l}  (GAE paper eq. 16);
    G_t^lambda = sum_{l>=0} (gamma lambda)^l (r_{t+l} + gamma (1 - lambda) V(s_{t+l+1}))
    (the recursion G^lambda_t = r_t + gamma ((1-lambda) V(s_{t+1}) + lambda G^lambda_{t+1}); for
    lambda < 1 it equals (1 - lambda) sum_{n>=1} lambda^{n-1} G_t^{(n)}, Sutton & Barto eq. 12.2,
    and for lambda = 1 it is G_t, the limit).
    """
    def rewrite(e):
        if isinstance(e, nodes.TrajReturn):
            u = Dummy("t", integer=True)
            return Sum(gamma ** u * nodes.Rt(u), (u, 0, oo))
        if isinstance(e, nodes.Ret):
            (u,) = e.args
            v = Dummy("l", integer=True)
            return Sum(gamma ** v * nodes.Rt(u + v), (v, 0, oo))
        if isinstance(e, nodes.GAE):
            u, ref = e.args
            v = Dummy("l", integer=True)
            return Sum((gamma * lam) ** v * _Step(nodes.Delta(u + v, ref)), (v, 0, oo))
        if isinstance(e, nodes.LamRet):
            u, ref = e.args
            v = Dummy("l", integer=True)
            step = nodes.Rt(u + v) + gamma * (1 - lam) * ref.at(nodes.St(u + v + 1))
            return Sum((gamma * lam) ** v * _Step(step), (v, 0, oo))
        if isinstance(e, nodes.Delta):
            return _Step(e)
        if isinstance(e, nodes.SetParam) and e.args[2].is_number and e.args[1] != gamma:
            return rewrite(e.args[0]).xreplace({e.args[1]: e.args[2]})  # lambda = 0 or 1 in the sums
        if not e.args or isinstance(e, (nodes.St, nodes.At)):
            return e
        new = [rewrite(a) for a in e.args]
        if isinstance(e, Pow) and new[1].is_Integer and 2 <= int(new[1]) <= MAX_POWER and has_infinite_sum(new[0]):
            return Mul(*([new[0]] * int(new[1])), evaluate=False)  # (X)^2 of a series: a product of two
        return e.func(*new) if any(x is not y for x, y in zip(new, e.args)) else e

    return rewrite(expr)


def has_infinite_sum(expr) -> bool:
    from .evaluate import preorder

    return any(isinstance(x, Sum) and any(lim[2] == oo for lim in x.limits) for x in preorder(expr))


# ------------------------------------------------------------------ the hook


def expect(e: nodes.Expect, env: Env) -> Val:
    """E_{tau ~ pi}[body | givens] on an infinite discounted trajectory (env.horizon is None)."""
    trajs = [d for d in e.dists if isinstance(d, nodes.TrajDist)]
    others = [d for d in e.dists if not isinstance(d, (nodes.TrajDist, nodes.Given))]
    if len(trajs) != 1 or others:
        raise Unsupported("an expectation over an infinite trajectory must draw exactly tau ~ pi and nothing else")
    policy = trajs[0].args[0].name
    given = [(d.args[0], d.args[-1]) for d in e.dists if isinstance(d, nodes.Given)]  # (s_t, what it equals)
    out = None
    for term in _terms(e.body):
        for val in _term_values(term, env, policy, given):
            out = val if out is None else tn.add(out, val)
    if out is None:
        from .evaluate import const

        return const(env, 0)
    return out


@lru_cache(maxsize=512)
def _terms(body) -> tuple:
    """The linear terms of a body (infinite definitions; each TD error kept whole, as one window factor)."""
    return tuple(split_terms(infinite_definitions(body)))


class _Step(nodes.Node):
    """A per-step quantity kept whole by linearity (delta_t): one factor that reads a window of the trajectory."""

    nargs = 1

    def tex(self, p):
        return p._print(self.args[0])


def _limits(term):
    """(limits outer to inner, body) of nested Sums."""
    limits = []
    while isinstance(term, Sum):
        limits.extend(reversed(term.limits))
        term = term.function
    return [tuple(lim) for lim in limits], term


def _term_values(term, env: Env, policy: str, given):
    limits, body = _limits(term)
    limits, body = _shift_mixed(tuple(_reorder(limits)), body)
    infinite = [lim for lim in limits if lim[2] == oo]
    finite = [lim for lim in limits if lim[2] != oo]
    anchors = [lim[0] for lim in infinite]
    for lim in finite:
        if (lim[1].free_symbols | lim[2].free_symbols) & set(anchors):
            raise Unsupported(f"a finite sum over {lim[0]} whose bounds depend on an infinite summation index "
                              "(only sum_{l=0}^{n-1} inside sum_{n>=1} is reordered)")
    if len(infinite) > MAX_CHAIN:
        raise Unsupported(f"more than {MAX_CHAIN} nested infinite sums")
    from .rules_algebra import iterate_limits

    for inner in iterate_limits(tuple(reversed(finite)), env):
        for env2, chain in _nested(infinite, inner):
            yield _Plan(chain, body, env2, policy, given).value()


def _nested(infinite, env: Env):
    """Rewrite independent infinite sums into nested ones: (env, limits) pairs whose sum is the original.

    sum_{a>=A} sum_{b>=B} F = [a = A..M-1] sum_{b>=M} F + [b = B..M-1] sum_{a>=M} F
                              + sum_{a>=M} sum_{b>=a} F + sum_{b>=M} sum_{a>=b+1} F,   M = max(A, B)
    (the first two have a finite index, bound in env).  Absolutely convergent, so the order is free.
    """
    from .rules_algebra import iterate_limits

    anchors = {lim[0] for lim in infinite}
    for j in range(1, len(infinite)):
        v, B, _ = infinite[j]
        if B.free_symbols & anchors:
            continue
        a, A, _ = infinite[j - 1]
        if A.free_symbols & anchors:
            raise Unsupported("infinite sums must be nested: sum_{t'=t+d}^{infinity} inside sum_t")
        A_i, B_i = eval_int(A, env), eval_int(B, env)
        M = max(A_i, B_i)
        rest_before, rest_after = infinite[:j - 1], infinite[j + 1:]
        for var, lo, other, other_lo in ((a, A_i, v, B_i), (v, B_i, a, A_i)):
            if lo < M:  # var runs over lo .. M-1 (finite), other from M
                for inner in iterate_limits(((var, lo, M - 1),), env):
                    chain = rest_before + [(other, Integer(M), oo)] + rest_after
                    yield from _nested(chain, inner)
        yield from _nested(rest_before + [(a, Integer(M), oo), (v, a, oo)] + rest_after, env)
        yield from _nested(rest_before + [(v, Integer(M), oo), (a, v + 1, oo)] + rest_after, env)
        return
    yield env, infinite


@lru_cache(maxsize=1024)
def _shift_mixed(limits: tuple, body):
    """sum_t sum_{l>=a} F(s_{t+l}) -> sum_t sum_{t'>=t+a} F(s_{t'}): an inner series read at t + l is nested in t."""
    limits = list(limits)
    infinite = [i for i, lim in enumerate(limits) if lim[2] == oo]
    for pos in range(1, len(infinite)):
        i, p = infinite[pos], infinite[pos - 1]
        v, lo, hi = limits[i]
        prev = limits[p][0]
        if lo.free_symbols & {limits[q][0] for q in infinite}:
            continue
        if not any(v in u.free_symbols and prev in u.free_symbols for u in _index_exprs(body)):
            continue
        w = Dummy(f"{v.name}'", integer=True)
        body = body.xreplace({v: w - prev})
        limits = [(x, a.xreplace({v: w - prev}), b.xreplace({v: w - prev})) if q > i else (x, a, b)
                  for q, (x, a, b) in enumerate(limits)]
        limits[i] = (w, lo + prev, oo)
    return tuple(limits), body


def _index_exprs(expr):
    for x in _index_nodes(expr):
        yield x.args[1] if isinstance(x, nodes.KAdv) else x.args[0]


def _reorder(limits):
    """sum_{n=b}^{inf} sum_{l=a}^{n+c} F  ->  sum_{l=a}^{inf} sum_{n=l-c}^{inf} F  (valid when a - c >= b)."""
    limits = list(limits)
    changed = True
    while changed:
        changed = False
        for i, (v, lo, hi) in enumerate(limits):
            if hi == oo:
                continue
            for j in range(i):
                n, b, top = limits[j]
                if top != oo or n not in hi.free_symbols:
                    continue
                c = hi - n
                if c.free_symbols or lo.free_symbols & {x[0] for x in limits if x[2] == oo}:
                    raise Unsupported(f"the finite sum over {v} has an upper bound {latex(hi)} that is not "
                                      f"{n} + constant")
                if not (lo - c - b).is_number or (lo - c - b) < 0:
                    raise Unsupported(f"cannot reorder the sums over {n} and {v}")
                limits[j] = (v, lo, oo)
                limits[i] = (n, v - c, oo)
                # the reordered n must come right after v: move it
                item = limits.pop(i)
                limits.insert(j + 1, item)
                changed = True
                break
            if changed:
                break
    return limits


# ------------------------------------------------------------- index bookkeeping

_INDEXED = (nodes.St, nodes.At, nodes.Rt, nodes.Delta, nodes.KAdv)


def _index_nodes(expr):
    """The trajectory-indexed nodes of an expression (not descending into them)."""
    stack = [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, _INDEXED):
            yield e
            continue
        if isinstance(e, nodes.Given):
            stack.extend(e.args)
            continue
        stack.extend(e.args)


def _positions(expr, env: Env):
    """(state indices, action indices) an expression reads, as ints."""
    states, actions = [], []
    for x in _index_nodes(expr):
        if isinstance(x, nodes.St):
            states.append(eval_int(x.args[0], env))
        elif isinstance(x, nodes.At):
            actions.append(eval_int(x.args[0], env))
        elif isinstance(x, (nodes.Rt, nodes.Delta)):
            u = eval_int(x.args[0], env)
            states += [u, u + 1]
            actions.append(u)
        elif isinstance(x, nodes.KAdv):
            k, u = eval_int(x.args[0], env), eval_int(x.args[1], env)
            states += [u, u + k]
            actions.append(u)
            if k > 1:
                actions.append(u + k - 1)
    return states, actions


def _extent(expr, env: Env, start: int = 0) -> int:
    """The first state index from which the future is independent of what expr fixes (given that state)."""
    states, actions = _positions(expr, env)
    return max([start] + states + [a + 1 for a in actions])


def _min_index(expr, env: Env):
    states, actions = _positions(expr, env)
    both = states + actions
    return min(both) if both else None


def _check_dependence(factor, var):
    """The summation index may appear only in trajectory time indices (a weight is separated before)."""
    def walk(e):
        if isinstance(e, _INDEXED):
            return
        if isinstance(e, (nodes.V, nodes.Q, nodes.A)):  # the time index of a (stationary) value: not a number
            for a in e.args[:-1]:
                walk(a)
            return
        if e == var:
            raise Unsupported(f"the summand depends on {var} other than through geometric weights "
                              f"(gamma^{var}, (gamma lambda)^{var}, ...) and trajectory time indices")
        for a in e.args:
            walk(a)

    walk(factor)


def _split_weight(factor, anchors):
    """(exponent, base) when factor is base^exponent with a parameter base and an index-linear exponent."""
    if not isinstance(factor, Pow):
        return None
    base, expo = factor.args
    if not (expo.free_symbols & set(anchors)):
        return None
    if base.free_symbols & set(anchors) or any(isinstance(x, nodes.Node) for x in _preorder(base)):
        raise Unsupported(f"the factor {latex(factor)} is not a geometric weight c^t with a constant c")
    expo = expo.expand()
    rest = expo
    for v in anchors:
        coeff = expo.coeff(v)
        if not coeff.is_integer:
            raise Unsupported(f"the exponent {latex(expo)} is not an integer-linear function of {v}")
        rest = rest - coeff * v
    if rest.free_symbols & set(anchors):
        raise Unsupported(f"the exponent {latex(expo)} is not linear in the summation indices")
    return base, expo


def _preorder(e):
    from .evaluate import preorder

    return preorder(e)


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
            _converges(c, var)
            key = f"inf{next(_COUNTER)}"
            env.tables.memo[("tail", key)] = resolvent(env, self.policy, c, phi)
            names[cache_key] = key
        self.tails[j] = names[cache_key]
        return self.tails[j]

    def value(self) -> Val:
        try:
            binds = {}
            for j, v in enumerate(self.anchors):
                binds[v] = self._low(j, binds)
            env0 = self._bind(binds)
            K = Mul(*[base ** expo.xreplace(binds) for base, expo in self.weights])
            head = self.groups[0]
            ext = max([_extent(head, self.env)] + [_extent(g, self.env) for g, _ in self.given])
            expr = K * head * self.build(0, {}, ext)
            del env0
            return window_expectation(expr, self.env, self.policy, given=self.given)
        finally:
            self.tails = {}


def _converges(c: Val, var):
    data = c.v.data
    try:
        big = abs(data[()]) >= 1
    except TypeError:  # symbolic: cannot be ordered; the resolvent is still the series' value where it converges
        return
    if big:
        raise Undefined(f"the series over {var} does not converge on this instance (its ratio is {data[()]}, "
                        "not below 1 in absolute value)")


# ---------------------------------------------------------------- tail nodes


class _Tail(nodes.Node):
    """h(s_q): a resolvent vector computed by a _Plan (internal; never printed to a user)."""

    nargs = 2

    def tex(self, p):
        return r"h(%s)" % p._print(self.args[1])


@rule(_Step)
def _step_rule(e, env: Env) -> Val:
    return evaluate(e.args[0], env)


@rule(_Tail)
def _tail_rule(e, env: Env) -> Val:
    h = env.tables.memo[("tail", e.args[0].name)]
    ix = index_of(e.args[1], env)
    if len(ix.axes) != 1 or not np.array_equal(ix.data, np.arange(ix.data.shape[0])):
        raise Unsupported("an infinite sum is evaluated over every value of the state it starts from")
    return Val(h.v.rename(X_AXIS, ix.axes[0]), None if h.d is None else h.d.rename(X_AXIS, ix.axes[0]))


# -------------------------------------------------------------- finite windows


def window_expectation(expr, env: Env, policy: str, given=(), free_start: bool = False) -> Val:
    """E[expr] over the first steps of a trajectory of ``policy`` (exact enumeration of a finite window).

    free_start: s_0 is not drawn from rho_0 but kept as the axis X_AXIS (a value for every start state).
    given: pairs (s_u or a_u, the outer variable it equals) conditioned on (ratio E[X 1{given}] / Pr(given));
    the result's axis for s_u is renamed to that outer variable's axis.
    """
    from .rules_operators import _outer_axis, _rename, _scope_axis

    horizon = max([1, _extent(expr, env)] + [_extent(g, env) for g, _ in given])
    if horizon > MAX_WINDOW:
        raise Unsupported(f"a window of {horizon} time steps is enumerated; at most {MAX_WINDOW}")
    tb = env.tables
    scope = EnumScope(f"w{env.depth}", horizon, tb.n_states, tb.n_actions)
    inner = env.with_(traj=scope, depth=env.depth + 1)
    val = evaluate(expr, inner)
    kept = [_scope_axis(scope, g, inner) for g, _ in given]
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
        out = _rename(out, start, X_AXIS)
    if kept:
        out = tn.div(out, weights(set(kept)))
        for (_, target), axis in zip(given, kept):
            out = _rename(out, axis, _outer_axis(target, env))
    return out


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


__all__ = ["expect", "infinite_definitions", "has_infinite_sum", "window_expectation", "resolvent"]


# ------------------------------------------------- pointwise identities of series


_RANDOM_SERIES = (nodes.Ret, nodes.GAE, nodes.LamRet, nodes.TrajReturn)


def _random_series(expr) -> bool:
    """An infinite series of random variables outside any expectation (G_t, GAE_t, sum_{l>=0} ... r_{t+l})."""
    if isinstance(expr, nodes.Expect):
        return False
    if isinstance(expr, _RANDOM_SERIES):
        return True
    if isinstance(expr, Sum) and any(lim[2] == oo for lim in expr.limits) and _reads_trajectory(expr.function):
        return True
    return any(_random_series(a) for a in expr.args)


def _reads_trajectory(expr) -> bool:
    """expr reads s_t, a_t, r_t or delta_t outside any expectation."""
    if isinstance(expr, nodes.Expect):
        return False
    if isinstance(expr, (nodes.St, nodes.At, nodes.Rt, nodes.Delta)):
        return True
    return any(_reads_trajectory(a) for a in expr.args)


def as_second_moment(lhs, rhs, relation: str = "="):
    """A pointwise identity between series of random variables, as E_{tau ~ pi_theta}[(lhs - rhs)^2] = 0.

    X = 0 almost surely iff E[X^2] = 0, and pi_theta (softmax) has full support, so this is equality
    on every trajectory that has positive probability.  None when the statement is not of that kind.
    """
    if relation != "=" or not (_random_series(lhs) or _random_series(rhs)):
        return None
    return nodes.Expect((lhs - rhs) ** 2, nodes.TrajDist(Str("theta"))), Integer(0)


# ----------------------------------------------------- sums of expectations


def _install_sum_rule():
    """sum_{t=lo}^{infinity} E_{tau~pi}[X_t | ...] = E_{tau~pi}[sum_t X_t | ...] (linearity; the draws do not depend on t).

    The finite Sum rule (rules_algebra) is kept for everything else; an infinite sum that is not over
    expectations of trajectories is refused with the reason.
    """
    from .evaluate import RULES

    finite_rule = RULES[Sum]

    def sum_rule(e, env: Env) -> Val:
        if not any(lim[2] == oo or lim[1] == -oo for lim in e.limits):
            return finite_rule(e, env)
        expects = [f for f in Mul.make_args(e.function) if isinstance(f, nodes.Expect)]
        if env.horizon is None and len(expects) == 1:
            inner = expects[0]
            rest = Mul(*[f for f in Mul.make_args(e.function) if f is not inner])
            bound = {lim[0] for lim in e.limits}
            dist_syms = set().union(*(d.free_symbols for d in inner.dists if not isinstance(d, nodes.Given)))
            if any(isinstance(d, nodes.TrajDist) for d in inner.dists) and not (dist_syms & bound) \
                    and not any(isinstance(x, nodes.Node) and not isinstance(x, (nodes.St, nodes.At))
                                for x in _preorder(rest)):
                moved = nodes.Expect(Sum(rest * inner.body, *e.limits), *inner.dists)
                return evaluate(moved, env)
        raise Unsupported(
            "an infinite sum is evaluated inside an expectation over trajectories, E_{tau ~ pi}[sum_t ...] "
            "(discounted setting); a series of random variables outside one is not: state a pointwise identity "
            "as E[(lhs - rhs)^2 | s_t, a_t] = 0")

    RULES[Sum] = sum_rule


_install_sum_rule()


# ------------------------------------------------------------- Monte Carlo

MC_WINDOW = 8  # time steps sampled beyond the truncation point (for s_{t+1}, delta_{t+l}, ...)
MC_TAIL = 1e-9  # the truncated tail of every series is below this (added to the z-test's tolerance)
MC_SCALE = 1e4  # bound on |summand| / ratio^t used for the tail (|R| <= 4, |V| <= 4 / (1 - gamma), |score| <= 2)
MC_MAX_LENGTH = 2000


def truncation_for_sampling(body, inst):
    """(body with every series cut at M, sampled length M + window, tail bound) for Monte Carlo.

    Each series has ratio at most rho = max(gamma, lambda if lambda < 1), so the terms beyond M add at
    most MC_SCALE rho^{M+1} / (1 - rho) <= MC_TAIL; M is the smallest such integer.  Only series that are
    not nested are sampled (a nested pair would cost M^2 steps per sample): the method says so otherwise.
    """
    body = infinite_definitions(body)
    for x in _preorder(body):
        if isinstance(x, Sum) and any(lim[2] == oo for lim in x.limits):
            inner = [y for y in _preorder(x.function) if isinstance(y, Sum) and any(l[2] == oo for l in y.limits)]
            if inner or sum(lim[2] == oo for lim in x.limits) > 1:
                raise Unsupported("nested infinite sums are checked exactly and symbolically, not sampled")
    gamma_v = float(inst.gamma)
    lam_v = float(inst.params.get("lambda", 0))
    rho = max(gamma_v, lam_v if lam_v < 1 else 0.0)
    if rho >= 0.99:
        raise Unsupported(f"the series' ratio {rho:g} is too close to 1 to sample with a short truncation")
    M = 1
    while MC_SCALE * rho ** (M + 1) / (1 - rho) > MC_TAIL:
        M += 1
    if M + MC_WINDOW > MC_MAX_LENGTH:
        raise Unsupported("the truncated trajectories would be too long to sample")
    indices = {lim[0] for x in _preorder(body) if isinstance(x, Sum) for lim in x.limits if lim[2] == oo}

    def weight(e):  # c^t of a truncated series: exponents up to M (beyond the reader's bound on written ones)
        return _Power(*e.args) if isinstance(e, Pow) and e.args[1].free_symbols & indices else e

    body = body.replace(lambda e: isinstance(e, Pow) and bool(e.args[1].free_symbols & indices), weight)
    return body.xreplace({oo: Integer(M)}), M + MC_WINDOW, MC_TAIL


class _Power(nodes.Node):
    """c^t inside a series truncated for Monte Carlo (t <= MC_MAX_LENGTH; internal)."""

    nargs = 2

    def tex(self, p):
        return "%s^{%s}" % (p._print(self.args[0]), p._print(self.args[1]))


@rule(_Power)
def _power_rule(e, env: Env) -> Val:
    n = eval_int(e.args[1], env)
    if abs(n) > MC_MAX_LENGTH + MC_WINDOW:
        raise Unsupported("exponent too large")
    return tn.power_const(evaluate(e.args[0], env), n, env.field)
