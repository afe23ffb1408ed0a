"""General terms of series whose written terms are themselves sums (GAE paper, Schulman et al. 2016, eq. 16).

Two patterns, tried by :func:`derive.read_latex.series.general_term` when the plain one (powers of the
parameters times shifted time indices) does not fit.  The general term found must give every written
term exactly (checked after ``doit`` of the finite sums).  As for
the plain pattern, two written terms are enough; integers then move by their difference per term:

* **partial sums**: ``v_i = c_i (d_0 + ... + d_i)``, e.g. ``\\delta_t + \\lambda(\\delta_t + \\gamma\\delta_{t+1})
  + \\lambda^2(\\delta_t + \\gamma\\delta_{t+1} + \\gamma^2\\delta_{t+2}) + \\cdots``: the added terms
  ``d_i = P_i - P_{i-1}`` follow the plain pattern ``g(k)`` and the factors ``c_i`` the plain pattern (or are
  all equal); the general term is ``c(j) \\sum_{k=0}^{j} g(k)``;
* **terms with an inner series**: ``\\gamma^2\\delta_{t+2}(\\lambda^2 + \\lambda^3 + \\cdots)``: the last
  two written terms are matched node by node (anti-unification); where they differ only in an integer
  (an exponent, a time offset, also inside the inner sum) that integer moves linearly with the index.
"""
from __future__ import annotations

import sympy
from sympy import Add, Integer, Mul, Pow, Sum

from ..lang import symbols as sy

MIN_TERMS = 2  # written terms, as for the plain pattern (series.py)
MAX_NODES = 400  # bounded work on one written term


def _same(a, b) -> bool:
    if a == b:
        return True
    try:
        return sympy.expand(sympy.expand(a).doit() - sympy.expand(b).doit()) == 0
    except Exception:  # noqa: BLE001 - a comparison that cannot be made is "not the same"
        return False


def _fits(f, values, j) -> bool:
    return all(_same(f.xreplace({j: Integer(i)}).doit(), v) for i, v in enumerate(values))


def _split_sum(v):
    """(c, P) with v = c * P and P a sum of terms (an Add), or (1, v) when v has no Add factor."""
    if isinstance(v, Add):
        return Integer(1), v
    if isinstance(v, Mul):
        adds = [f for f in v.args if isinstance(f, Add)]
        if len(adds) == 1:
            return Mul(*[f for f in v.args if f is not adds[0]]), adds[0]
    return Integer(1), v


def partial_sums(values: list, j, plain):
    """c(j) * Sum(g(k), (k, 0, j)) with v_i = c_i (g(0) + ... + g(i)), or None.  ``plain`` infers a plain term."""
    if len(values) < MIN_TERMS:
        return None
    split = [_split_sum(v) for v in values]
    parts = [p for _, p in split]
    # the term each partial sum adds; its common factor pulled out (gamma^i (r_{t+i} + ...) when delta is defined)
    added = [parts[0]] + [sympy.expand(parts[i] - parts[i - 1]) for i in range(1, len(parts))]
    added = [sympy.factor_terms(d) for d in added]
    if any(d == 0 for d in added):
        return None
    used = {x.name for v in values for x in v.atoms(sympy.Symbol)} | {j.name}
    name = next((n for n in ("m", "n", "i", "k", "u") if n not in used), None)
    if name is None:
        return None
    k = sy.integer(name)  # the inner sum's own index
    g = plain(added, k)
    if isinstance(g, str):
        return None
    coeffs = [c for c, _ in split]
    c = coeffs[0] if all(_same(x, coeffs[0]) for x in coeffs) else plain(coeffs, j)
    if isinstance(c, str):
        return None
    f = c * Sum(g, (k, 0, j))
    return f if _fits(f, values, j) else None


def _as_pow(x):
    return x if isinstance(x, Pow) else Pow(x, Integer(1), evaluate=False)


def _unify(a, b, m, j, budget):
    """The expression in j equal to a at j = m - 1 and to b at j = m (integers move linearly), or None."""
    budget[0] -= 1
    if budget[0] < 0:
        return None
    if a == b:
        return b
    if isinstance(a, Integer) and isinstance(b, Integer):
        return b + (b - a) * (j - m)
    if isinstance(a, sympy.Symbol) and isinstance(b, Pow) and b.base == a:
        a = _as_pow(a)
    if isinstance(b, sympy.Symbol) and isinstance(a, Pow) and a.base == b:
        b = _as_pow(b)
    if isinstance(b, Add) != isinstance(a, Add) and (b - a).is_Integer:  # t and t + 1
        a, b = (Add(Integer(0), a, evaluate=False) if isinstance(b, Add) else a,
                Add(Integer(0), b, evaluate=False) if isinstance(a, Add) else b)
    if isinstance(a, Mul) and isinstance(b, Mul) and len(a.args) != len(b.args):
        return _unify_factors(a, b, m, j, budget)
    if type(a) is not type(b) or len(a.args) != len(b.args) or not a.args:
        return None
    if isinstance(a, Sum) and [lim[0] for lim in a.limits] != [lim[0] for lim in b.limits]:
        return None
    args = []
    for x, y in zip(a.args, b.args):
        u = _unify(x, y, m, j, budget)
        if u is None:
            return None
        args.append(u)
    try:
        return type(b)(*args) if not isinstance(b, sympy.Tuple) else sympy.Tuple(*args)
    except Exception:  # noqa: BLE001 - a node that cannot be rebuilt is no pattern
        return None


def _param_factors(x):
    """({parameter: exponent}, [other factors]) of a product: \\gamma\\delta_{t+1}(...) is {gamma: 1}, [delta, ...]."""
    powers, rest = {}, []
    for f in Mul.make_args(x):
        base, expo = (f.base, f.exp) if isinstance(f, Pow) else (f, Integer(1))
        if isinstance(base, sympy.Symbol) and not base.is_integer and type(base) is sympy.Symbol and base not in powers:
            powers[base] = expo
        else:
            rest.append(f)
    return powers, rest


def _unify_factors(a, b, m, j, budget):
    """Products whose parameter factors differ (\\delta_t (...) then \\gamma \\delta_{t+1} (...)): an absent
    parameter has the exponent 0 (\\gamma^0); the other factors are matched in order."""
    pa, ra = _param_factors(a)
    pb, rb = _param_factors(b)
    if len(ra) != len(rb):
        return None
    out = []
    for base in sorted(set(pa) | set(pb), key=str):
        u = _unify(pa.get(base, Integer(0)), pb.get(base, Integer(0)), m, j, budget)
        if u is None:
            return None
        out.append(Pow(base, u))
    for x, y in zip(ra, rb):
        u = _unify(x, y, m, j, budget)
        if u is None:
            return None
        out.append(u)
    return Mul(*out)


def inner_series(values: list, j):
    """The general term of written terms that contain a series (``\\gamma^l\\delta_{t+l}(\\lambda^l + \\cdots)``), or None."""
    if len(values) < MIN_TERMS or not any(v.has(Sum) for v in values):
        return None
    m = len(values) - 1
    f = _unify(values[m - 1], values[m], m, j, [MAX_NODES])
    if f is None or j not in f.free_symbols:
        return None
    return f if _fits(f, values, j) else None


def nested_term(values: list, j, plain):
    """The general term by one of the two nested patterns, or None."""
    return partial_sums(values, j, plain) or inner_series(values, j)


__all__ = ["nested_term", "partial_sums", "inner_series"]
