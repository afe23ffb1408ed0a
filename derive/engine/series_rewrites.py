"""Rewrites that bring a series into the exact class of :mod:`derive.engine.infinite` (docs/conventions.md).

* ``sum_{v >= lo} r^v F -> r^lo / (1 - r) F`` for an index that appears only in geometric weights, with
  ``|r| < 1`` checked on the instance (GAE paper eq. 16, Schulman et al. 2016: the partial-sum form, reordered);
* ``sum_t sum_s c(s) E_tau[X_t(s)] -> E_tau[sum_t sum_s c(s) X_t(s)]`` (linearity, the draws free of t;
  TRPO eq. 2, Schulman et al. 2015: ``sum_t gamma^t sum_s P(s_t = s | tilde pi) ...``), with the weights
  ``gamma^t`` moved out of the sums over spaces.
"""
from __future__ import annotations

from functools import lru_cache

from sympy import Integer, Mul, Pow, oo

from ..lang import nodes
from .registry import Env, evaluate, preorder as _preorder
from .resolvent import _converges
from .time_indices import reads_trajectory


def sum_out_weights(limits, body, env: Env):
    """sum_{v >= lo} r^v F  ->  r^lo / (1 - r) F for an index v that appears only in geometric weights.

    r is the product of the bases b of the factors b^{a v + e} (integer a >= 1); |r| < 1 is checked on the
    instance (else undefined, as for any series that does not converge).  GAE paper eq. 16's
    sum_l lambda^l sum_{m <= l} gamma^m delta_{t+m}, reordered, sums out l this way.
    """
    limits, body, ratios = _summed_out(tuple(limits), body)
    for v, ratio in ratios:
        _converges(evaluate(ratio, env), v)
    return limits, body


@lru_cache(maxsize=2048)
def _summed_out(limits: tuple, body):
    """The symbolic part of sum_out_weights: (limits, body, [(index, ratio), ...] whose |ratio| < 1 is required)."""
    limits, ratios = list(limits), []
    for i in range(len(limits) - 1, -1, -1):
        v, lo, hi = limits[i]
        if hi != oo or any(v in (a.free_symbols | b.free_symbols) for k, (_, a, b) in enumerate(limits) if k != i):
            continue
        ratio, rest = Integer(1), []
        for f in Mul.make_args(body):
            if v not in f.free_symbols:
                rest.append(f)
                continue
            if not isinstance(f, Pow) or v in f.base.free_symbols:
                break
            a = f.exp.as_poly(v) if f.exp.is_polynomial(v) else None
            if a is None or a.degree() != 1 or not a.LC().is_Integer or a.LC() < 1:
                break
            ratio *= f.base ** a.LC()
            rest.append(f.base ** f.exp.xreplace({v: Integer(0)}))
        else:
            if ratio == 1:
                continue
            ratios.append((v, ratio))
            body = Mul(*rest) * ratio ** lo / (1 - ratio)
            limits.pop(i)
    return tuple(limits), body, tuple(ratios)


def pull_expectation(x, bound: set):
    """(dists, body) with x = E_dists[body]: one expectation over trajectories, under sums over spaces
    (SumOver) and products with factors that do not read the trajectory; None otherwise.  Linearity:
    sum_s c(s) E_tau[X(s)] = E_tau[sum_s c(s) X(s)] (a finite sum, c not random, the draws free of the index)."""
    if isinstance(x, nodes.Expect):
        draws = [d for d in x.args[1:] if not isinstance(d, nodes.Given)]
        if len(draws) == len(x.args) - 1 and len(draws) == 1 and isinstance(draws[0], nodes.TrajDist) \
                and not (draws[0].free_symbols & bound):
            return x.args[1:], x.args[0]
        return None
    if isinstance(x, nodes.SumOver):
        inner = pull_expectation(x.args[0], bound)
        return None if inner is None else (inner[0], nodes.SumOver(inner[1], x.args[1]))
    if isinstance(x, Mul):
        with_e = [f for f in x.args if any(isinstance(y, nodes.Expect) for y in _preorder(f))]
        if len(with_e) != 1:
            return None
        rest = [f for f in x.args if f is not with_e[0]]
        if any(reads_trajectory(f) for f in rest):
            return None
        inner = pull_expectation(with_e[0], bound)
        return None if inner is None else (inner[0], Mul(*rest) * inner[1])
    return None


def hoist_weights(x, bound: set):
    """sum_a gamma^t X -> gamma^t sum_a X: powers whose exponent reads the sum's index leave the sums over spaces."""
    if isinstance(x, Mul):
        return Mul(*[hoist_weights(f, bound) for f in x.args])
    if not isinstance(x, nodes.SumOver):
        return x
    body, var = hoist_weights(x.args[0], bound), x.args[1]
    out = [f for f in Mul.make_args(body) if isinstance(f, Pow) and f.exp.free_symbols & bound
           and not (f.free_symbols & var.free_symbols)]
    stay = [f for f in Mul.make_args(body) if f not in out]
    return Mul(*out) * nodes.SumOver(Mul(*stay), var) if out else nodes.SumOver(body, var)


__all__ = ["sum_out_weights", "pull_expectation", "hoist_weights"]
