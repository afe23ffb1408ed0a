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

This module holds the definitions, the decomposition of a body into such terms and the Sum rule;
one term is evaluated in :mod:`derive.engine.resolvent`, Monte Carlo's truncation is in
:mod:`derive.engine.infinite_sampling`.
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from sympy import Dummy, Integer, Mul, Pow, Sum, latex, oo
from sympy.core.symbol import Str

from ..lang import nodes
from ..lang.symbols import ActionVar, StateVar, gamma, lam
from ..episodic import is_episodic
from . import tensor as tn
from .registry import RULES, Env, Unsupported, const, eval_int, evaluate, preorder, preorder as _preorder, var_key
from .episodic_terms import check_term
from .linearity import split_terms
from .resolvent import _Plan, _Step
from .rules_algebra import iterate_limits  # (its finite Sum rule is wrapped below: load it first)
from .time_indices import _index_nodes, reads_trajectory as _reads_trajectory
from .series_rewrites import hoist_weights, pull_expectation, sum_out_weights
from .tensor import Val

MAX_CHAIN = 4  # nested infinite sums
MAX_POWER = 3  # (series)^n is multiplied out for n <= MAX_POWER

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
        if isinstance(e, nodes.KAdv) and e.args[0] == oo:
            # A_t^(infinity) = lim_k A_t^(k) = sum_l gamma^l r_{t+l} - V(s_t): gamma^k V(s_{t+k}) -> 0 (GAE eq. 15)
            _, u, ref = e.args
            v = Dummy("l", integer=True)
            return Sum(gamma ** v * nodes.Rt(u + v), (v, 0, oo)) - ref.at(nodes.St(u))
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
    given, env = _outer_times(given, env)
    out = None
    for term in _terms(e.body):
        if is_episodic(env):
            check_term(term)
        for val in _term_values(term, env, policy, given):
            out = val if out is None else tn.add(out, val)
    if out is None:
        return const(env, 0)
    return out


def _outer_times(given, env: Env):
    """E_tau[X | s_0 = s_0] with the outer s_0 bound (summed, \\sum_{s_0}, or free): the given value becomes a fresh
    state variable holding the outer binding, and inside the expectation s_0 is the trajectory's own (conditioned
    equal to it).  Lilian Weng's \\rho^\\pi(s_0 \\to x, k) under \\sum_{s_0} (read_latex/kstep.py)."""
    out, dropped = [], set()
    for g, target in given:
        key = var_key(target, env) if isinstance(target, (nodes.St, nodes.At)) else None
        if key is not None and key in env.vars and var_key(g, env) == key:
            fresh = (StateVar if isinstance(target, nodes.St) else ActionVar)(f"outer:{key[0]}_{key[1]}")
            env = env.bind_var(fresh, env.vars[key])
            target, _ = fresh, dropped.add(key)
        out.append((g, target))
    if dropped:
        env = replace(env, vars={k: v for k, v in env.vars.items() if k not in dropped})
    return out, env


@lru_cache(maxsize=512)
def _terms(body) -> tuple:
    """The linear terms of a body (infinite definitions; each TD error kept whole, as one window factor)."""
    return tuple(split_terms(infinite_definitions(body)))


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
    limits, body = sum_out_weights(limits, body, env)
    infinite = [lim for lim in limits if lim[2] == oo]
    finite = [lim for lim in limits if lim[2] != oo]
    anchors = [lim[0] for lim in infinite]
    for lim in finite:
        if (lim[1].free_symbols | lim[2].free_symbols) & set(anchors):
            raise Unsupported(f"a finite sum over {lim[0]} whose bounds depend on an infinite summation index "
                              "(only sum_{l=0}^{n-1} inside sum_{n>=1} is reordered)")
    if len(infinite) > MAX_CHAIN:
        raise Unsupported(f"more than {MAX_CHAIN} nested infinite sums")
    for inner in iterate_limits(tuple(reversed(finite)), env):
        for env2, chain in _nested(infinite, inner):
            yield _Plan(chain, body, env2, policy, given).value()


def _nested(infinite, env: Env):
    """Rewrite independent infinite sums into nested ones: (env, limits) pairs whose sum is the original.

    sum_{a>=A} sum_{b>=B} F = [a = A..M-1] sum_{b>=M} F + [b = B..M-1] sum_{a>=M} F
                              + sum_{a>=M} sum_{b>=a} F + sum_{b>=M} sum_{a>=b+1} F,   M = max(A, B)
    (the first two have a finite index, bound in env).  Absolutely convergent, so the order is free.
    """
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


# ------------------------------------------------- pointwise identities of series


_RANDOM_SERIES = (nodes.Ret, nodes.GAE, nodes.LamRet, nodes.TrajReturn)


def _is_series_node(e) -> bool:
    return isinstance(e, _RANDOM_SERIES) or (isinstance(e, nodes.KAdv) and e.args[0] == oo)


def _random_series(expr) -> bool:
    """An infinite series of random variables outside any expectation (G_t, GAE_t, sum_{l>=0} ... r_{t+l})."""
    if isinstance(expr, nodes.Expect):
        return False
    if _is_series_node(expr):
        return True
    if isinstance(expr, Sum) and any(lim[2] == oo for lim in expr.limits) and _reads_trajectory(expr.function):
        return True
    return any(_random_series(a) for a in expr.args)


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
    finite_rule = RULES[Sum]

    def sum_rule(e, env: Env) -> Val:
        """sum_{t=lo}^{hi} X_t: finite bounds by rules_algebra's rule; an infinite series inside E_{tau ~ pi}
        (sum_t E_tau[X_t] = E_tau[sum_t X_t]) or deterministic (sum_k c^k, the expectation of a constant)."""
        if not any(lim[2] == oo or lim[1] == -oo for lim in e.limits):
            return finite_rule(e, env)
        if not _reads_trajectory(e.function) and not any(isinstance(x, (nodes.Expect,) + _RANDOM_SERIES + (nodes.KAdv,))
                                                         for x in _preorder(e)):
            # (sum_n lambda^{n-1} A_t^(n) reads the trajectory through A_t^(n): a random series, never averaged)
            # a deterministic series (sum_k gamma^k): the expectation of a constant, by the same resolvent
            if is_episodic(env):  # there the resolvent would count only the steps before the episode ends
                raise Unsupported("a series that does not read the trajectory (sum_k c^k) in the episodic setting "
                                  "(gamma = 1, episodes end): write it in closed form")
            return expect(nodes.Expect(e, nodes.TrajDist(Str("theta"))), env)
        constant = _constant_factors(e, env) if env.horizon is None else None
        if constant is not None:  # sum_k c^k E[..] f(x) = f(x) sum_k c^k E[..]: f free of k and of the trajectory
            return tn.mul(evaluate(constant[0], env), evaluate(constant[1], env))
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
        pulled = pull_expectation(e.function, {lim[0] for lim in e.limits}) if env.horizon is None else None
        if pulled is not None:  # sum_t gamma^t sum_s P(s_t = s) f(s) (TRPO eq. 2): E_tau[sum_t gamma^t sum_s 1[s_t = s] f(s)]
            dists, body = pulled
            body = hoist_weights(body, {lim[0] for lim in e.limits})
            return evaluate(nodes.Expect(Sum(body, *e.limits), *dists), env)
        if env.horizon is not None:
            raise Unsupported(
                "a series to infinity over the trajectory in the finite-horizon setting (the trajectory ends at T): "
                "infinite series are evaluated in the discounted setting only ('setting: discounted'; there a "
                "pointwise identity of series is judged as E[(lhs - rhs)^2] = 0)")
        raise Unsupported(
            "an infinite sum is evaluated inside an expectation over trajectories, E_{tau ~ pi}[sum_t ...] "
            "(discounted setting); a series of random variables outside one is not: state a pointwise identity "
            "as E[(lhs - rhs)^2 | s_t, a_t] = 0")

    RULES[Sum] = sum_rule


def _constant_factors(e: Sum, env: Env):
    """(c, sum_k F_k) with sum_k c F_k = c sum_k F_k: c the factors of the summand free of the summation indices
    that hold no expectation and read no trajectory (or only s_t, a_t bound outside, as \\sum_{s_0} binds s_0):
    Lilian Weng's sum_k rho^pi(s -> x, k) phi(x); None if there are none."""
    bound = {lim[0] for lim in e.limits}
    factors = Mul.make_args(e.function)
    const = [f for f in factors if not (f.free_symbols & bound) and _outer_only(f, env)
             and not any(isinstance(x, (nodes.Expect,) + _RANDOM_SERIES + (nodes.KAdv,)) for x in _preorder(f))]
    if not const or len(const) == len(factors):
        return None
    return Mul(*const), Sum(Mul(*[f for f in factors if f not in const]), *e.limits)


def _outer_only(f, env: Env) -> bool:
    """f reads no trajectory, or only states and actions at constant times bound outside (env.vars)."""
    if not _reads_trajectory(f):
        return True
    try:
        outer = {x: Dummy("outer") for x in _preorder(f)
                 if isinstance(x, (nodes.St, nodes.At)) and var_key(x, env) in env.vars}
        return bool(outer) and not _reads_trajectory(f.xreplace(outer))  # r_0, s_t with t summed: random
    except (Unsupported, TypeError, ValueError):  # a time that is not a bound integer (s_t inside a sum over t)
        return False


_install_sum_rule()


__all__ = ["expect", "infinite_definitions", "has_infinite_sum", "as_second_moment"]
