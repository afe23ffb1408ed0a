"""Series written with an ellipsis: ``r_t + \\gamma r_{t+1} + \\gamma^2 r_{t+2} + \\cdots``.

The written terms ``v_0, ..., v_m`` (at least two, before ``\\cdots``, ``\\dots`` or ``\\ldots``)
are matched to one general term ``f(l)`` with ``f(i) = v_i``.  The template is the last written
term ``v_m`` with *slots*: the exponent of each parameter factor (``\\gamma``, ``\\lambda``; an
absent exponent is 1) and the integer offset of each time index (``r_{t+2}``, ``s_{t+2}``,
``\\delta_{t+2}``).  An exponent moves by its difference between the last two written terms (at most
2 per term); a time index by -1, 0 or 1 per term (each combination tried); a candidate must give every
written term exactly.  When the candidates that fit disagree on the next unwritten terms, the
general term is not unique and the formula is not read ("unknown").  Up to two leading terms that
are not of the pattern (``-V(s_t) + r_t + \\gamma r_{t+1} + ...``) are kept as written when at least
three terms (or two and the last term) share the pattern.

The upper limit ``L`` of ``\\sum_{l=0}^{L} f(l)``:

* a last term written after the ellipsis (``+ \\gamma^{T-t-1} r_{T-1}``) fixes it: ``f(L)`` equals
  that term, or (a misprint such as ``\\gamma^{T-t+1} r_{T-1}`` in eq. 10 of the PPO paper,
  Schulman et al. 2017) its time index gives L, and the series is read as written:
  ``\\sum_{l=0}^{L-1} f(l)`` plus that term;
* otherwise, finite horizon: to the end of the trajectory (the last reward, action or TD error
  at T - 1, the last state at T, ``\\hat{A}^{(k)}_u`` at k = T - u); infinite horizon, or no time
  index that moves: to infinity.

The reading is stated on the step's "read as" line (the general term and the range).
"""
from __future__ import annotations

from itertools import product as cartesian

import sympy
from sympy import Add, Integer, Mul, Pow, Symbol, Sum, oo

from ..lang import nodes
from ..lang import symbols as sy
from .errors import fail
from .reading import note_in
from .series_nested import nested_term
from .syntax import Atom, Expr, single

ELLIPSIS = "..."
SLOPES = (1, 0, -1)
MAX_SLOTS = 8  # indices and exponents of the template
MAX_TERMS = 12  # written terms before the ellipsis
MAX_TIME_SLOTS = 4
MAX_LEADING = 2  # written terms before the series' own terms (-V(s_t) + r_t + \gamma r_{t+1} + ...)
FRESH = ("l", "k", "n", "i", "j", "m")
LAST_STATE_NODES = (nodes.St,)  # may reach s_T; every other time-indexed node stops at T - 1


def is_ellipsis(term) -> bool:
    x = single(term)
    return isinstance(x, Atom) and x.kind == "sym" and x.name == ELLIPSIS


def has_ellipsis(e: Expr) -> bool:
    return any(is_ellipsis(t) for _, t in e.terms)


# ------------------------------------------------------------------ slots


def _is_param(x) -> bool:
    return isinstance(x, Symbol) and not x.is_integer and type(x) is Symbol


def _slots(term) -> list:
    """The slots of a template term: [(kind, key, value)]; kind 'exp' (a parameter's exponent) or 'time'."""
    out, symbolic = [], []
    coeff, factors = term.as_coeff_mul()
    for f in factors:
        if _is_param(f):
            out.append(("exp", f, Integer(1)))
        elif isinstance(f, Pow) and _is_param(f.base) and isinstance(f.exp, Integer):
            out.append(("exp", f.base, f.exp))
        elif isinstance(f, Pow) and _is_param(f.base) and _symbolic_exp(f.exp):
            symbolic.append(("exp", f.base, f.exp))  # \lambda^{k+1}: a power from a free integer k on
    seen = set()
    for e in sympy.preorder_traversal(term):
        if isinstance(e, nodes.Node) and not isinstance(e, nodes.Dist):
            for a in e.args:
                if _is_time(a) and a not in seen:
                    seen.add(a)
                    c, _ = a.as_coeff_Add()
                    out.append(("time", a, c))
    if symbolic and not seen:  # \lambda^k + \lambda^{k+1} + \cdots: only in a series of powers without time indices
        out.extend(symbolic)
    return out


def _symbolic_exp(x) -> bool:
    """An exponent k, k + 1, n - 1: one free integer symbol plus an integer (a series that starts at a power k)."""
    c, rest = x.as_coeff_Add()
    return isinstance(c, Integer) and isinstance(rest, Symbol) and rest.is_integer is True and type(rest) is Symbol


def _is_time(a) -> bool:
    if isinstance(a, Integer):
        return True
    return isinstance(a, (Symbol, Add)) and bool(a.free_symbols) and all(
        s.is_integer and type(s) is Symbol for s in a.free_symbols) and a.is_integer is not False \
        and all(isinstance(x, (Integer, Symbol)) or (isinstance(x, Mul) and x.as_coeff_Mul()[0].is_Integer)
                for x in Add.make_args(a))


def _build(term, slots, slopes, j, m):
    """The candidate general term: each slot moved by slope * (j - m)."""
    shift = j - m
    exps = {key: value + s * shift for (kind, key, value), s in zip(slots, slopes) if kind == "exp"}
    times = {key: (key.as_coeff_Add()[1] + value + s * shift) for (kind, key, value), s in zip(slots, slopes)
             if kind == "time" and s}
    coeff, factors = term.as_coeff_mul()
    rebuilt = []
    for f in factors:
        if _is_param(f) and f in exps:
            rebuilt.append(Pow(f, exps[f]))
        elif isinstance(f, Pow) and _is_param(f.base) and f.base in exps and (isinstance(f.exp, Integer)
                                                                               or _symbolic_exp(f.exp)):
            rebuilt.append(Pow(f.base, exps[f.base]))
        else:
            rebuilt.append(f.xreplace(times) if times else f)
    return Mul(coeff, *rebuilt)


def _same(a, b) -> bool:
    if a == b:
        return True
    try:
        return sympy.expand(a - b) == 0
    except Exception:  # noqa: BLE001 - a comparison that cannot be made is "not the same"
        return False


def general_term(values: list, j):
    """The unique general term f(j) with f(i) = values[i], or a reason it cannot be inferred (str).

    The exponents' slopes are read off the last two written terms; the time indices' slopes are tried
    (-1, 0, 1 each, at most 3^MAX_TIME_SLOTS candidates), each candidate checked against every written term.
    """
    m = len(values) - 1
    slots = _slots(values[-1])
    times = [k for k, slot in enumerate(slots) if slot[0] == "time"]
    if len(slots) > MAX_SLOTS or len(times) > MAX_TIME_SLOTS:
        return "the terms have too many indices and exponents to infer a general term"
    before = {key: value for kind, key, value in _slots(values[-2]) if kind == "exp"}
    slopes = [0] * len(slots)
    for k, (kind, key, value) in enumerate(slots):
        if kind == "exp":
            slopes[k] = value - before.get(key, Integer(0))
            if not slopes[k].is_Integer or abs(slopes[k]) > 2:
                return "the written terms do not follow one pattern (powers of the parameters times shifted time indices)"
    fits = []
    order = [m - 1] + list(range(m - 1))  # the term before the template first: it rejects most candidates
    for moves in cartesian(SLOPES, repeat=len(times)):
        for k, move in zip(times, moves):
            slopes[k] = move
        if not any(slopes):
            continue
        f = _build(values[-1], slots, slopes, j, m)
        if all(_same(f.xreplace({j: Integer(i)}), values[i]) for i in order):
            fits.append(f)
    if not fits:
        return "the written terms do not follow one pattern (powers of the parameters times shifted time indices)"
    nxt = [(f.xreplace({j: Integer(m + 1)}), f.xreplace({j: Integer(m + 2)})) for f in fits]
    if any(not (_same(a[0], nxt[0][0]) and _same(a[1], nxt[0][1])) for a in nxt[1:]):
        return "the written terms fit more than one general term; write another term or the sum"
    return fits[0]


# ------------------------------------------------------------------ limits


def _time_nodes(f, j):
    """[(node, time argument)] of the time-indexed nodes of f whose time moves with j."""
    out = []
    for e in sympy.preorder_traversal(f):
        if isinstance(e, nodes.Node) and not isinstance(e, nodes.Dist):
            for a in e.args:
                if isinstance(a, sympy.Expr) and j in a.free_symbols and _is_time(a):
                    out.append((e, a))
    return out


def _solve_linear(expr_j, target, j):
    coef = sympy.expand(expr_j).coeff(j)
    if coef == 0 or not coef.is_Integer:
        return None
    rest = sympy.expand(expr_j - coef * j)
    sol = sympy.expand((target - rest) / coef)
    return sol if all(s.is_integer for s in sol.free_symbols) and (sol.is_Integer or sol.free_symbols) \
        and not (sol.is_Rational and not sol.is_Integer) else None


def upper_from_last(f, last, j):
    """(L, exact) for a last term written after the ellipsis: its position L in the series (from its time
    index, else from a parameter's exponent) and whether it equals the general term there; None if neither."""
    by_time, by_power = [], []
    for node, a in _time_nodes(f, j):
        for e in sympy.preorder_traversal(last):
            if isinstance(e, type(node)) and len(e.args) == len(node.args):
                for a2, b2 in zip(node.args, e.args):
                    if a2 == a:
                        by_time.append(_solve_linear(a, b2, j))
    powers, last_powers = f.as_powers_dict(), last.as_powers_dict()
    for base, expo in powers.items():
        if _is_param(base) and j in getattr(expo, "free_symbols", ()) and base in last_powers:
            by_power.append(_solve_linear(expo, last_powers[base], j))
    for c in by_time + by_power:
        if c is not None and _same(f.xreplace({j: c}), last):
            return c, True
    found = [c for c in by_time if c is not None]
    if found and all(_same(c, found[0]) for c in found):
        return found[0], False
    # several time nodes (a TD error written out, gamma V(s_{t+l+1}) - V(s_{t+l}) + r_{t+l}): the position whose
    # time-indexed nodes are exactly the last term's (PPO eq. 11 as printed: (gamma lambda)^{T-t+1} delta_{T-1})
    fits = []
    for c in found:
        if _times(f.xreplace({j: c})) == _times(last) and not any(_same(c, d) for d in fits):
            fits.append(c)
    return (fits[0], False) if len(fits) == 1 else None


def _times(e) -> set:
    """The time-indexed nodes of e (s_{T}, r_{T-1}), their times expanded."""
    return {x.func(*(sympy.expand(a) if isinstance(a, sympy.Expr) and _is_time(a) else a for a in x.args))
            for x in sympy.preorder_traversal(e) if isinstance(x, nodes.Node) and not isinstance(x, nodes.Dist)
            and any(isinstance(a, sympy.Expr) and _is_time(a) for a in x.args)}


def _end_of(node, a):
    """The last value of the time argument ``a`` of ``node`` in a trajectory, or None (not a time of it)."""
    args = node.args
    if isinstance(node, nodes.St):
        return sy.T  # s_T exists (V(s_T) = 0)
    if isinstance(node, (nodes.At, nodes.Rt, nodes.Delta, nodes.GAE, nodes.LamRet)) and args[0] == a:
        return sy.T - 1
    if isinstance(node, nodes.Ret) and args[0] == a:
        return sy.T
    if isinstance(node, nodes.KAdv) and args[0] == a:  # A_u^(k): k = 1..T-u
        return sy.T - args[1]
    if isinstance(node, nodes.KAdv) and args[1] == a:
        return sy.T - args[0]
    return None


def upper_to_end(f, j, setting: str):
    """(L, how) for a series without a last term: the end of the trajectory, or infinity."""
    if setting in ("discounted", "episodic"):
        return oo, "to infinity (infinite horizon)"
    moving = _time_nodes(f, j)
    if not moving:
        return oo, "to infinity: no time index ties it to the trajectory"
    ends = set()
    for node, a in moving:
        last = _end_of(node, a)
        sol = _solve_linear(a, last, j) if last is not None else None
        if sol is None:
            return None, f"the end of its index in {sympy.latex(node)} is not known"
        ends.add(sol)
    if len(ends) > 1:  # r_{t+l} next to s_{t+l+1}: the series stops at the first index that ends
        first = next(iter(ends))
        diffs = {e: sympy.expand(e - first) for e in ends}
        if not all(d.is_Integer for d in diffs.values()):
            return None, "its time indices reach the end of the trajectory at different terms"
        return min(ends, key=lambda e: diffs[e]), "to the end of the trajectory"
    return ends.pop(), "to the end of the trajectory"


# ------------------------------------------------------------------ entry


def series(e: Expr, ctx, product_of):
    """The value of a sum with one ellipsis term; ``product_of(term)`` gives a term's value."""
    marks = [k for k, (_, t) in enumerate(e.terms) if is_ellipsis(t)]
    pos = e.terms[marks[0]][1].pos
    if len(marks) == 2 and marks[1] == marks[0] + 1 and e.terms[marks[1]][0] > 0:
        # "+ \cdots + \cdots +" (PPO paper eq. 11 as printed): one gap written twice, read as one ellipsis
        e = Expr(terms=e.terms[:marks[1]] + e.terms[marks[1] + 1:], pos=e.pos)
        marks = marks[:1]
        note_in(ctx, "two ellipses in a row (+ \\cdots + \\cdots +) read as one")
    if len(marks) > 1:
        fail("only one ellipsis (\\cdots) per sum is read", e.terms[marks[1]][1].pos)
    k = marks[0]
    if e.terms[k][0] < 0:
        fail("an ellipsis is read after '+': a + b + \\cdots", pos)
    values = [(-1 if sign < 0 else 1) * product_of(t) for sign, t in e.terms[:k]]
    tail = [(-1 if sign < 0 else 1) * product_of(t) for sign, t in e.terms[k + 1:]]
    if len(values) > MAX_TERMS:
        fail(f"a series with an ellipsis is read from at most {MAX_TERMS} written terms", pos)
    if not values and not tail:  # "&= \\cdots \\" as a row of a chain: the steps left out, not a value
        fail("a side that is only an ellipsis (\\cdots) stands for steps left out, not a value: derive cannot judge "
             "X = \\cdots; write the chain's two ends as one step (X = Y)", pos)
    if len(values) < 2:
        fail("a series with an ellipsis needs at least two written terms before \\cdots to show its pattern", pos)
    used = set()
    for v in values + tail:
        used |= {s.name for s in v.atoms(Symbol)}  # bound indices too (a series of series)
    name = next((n for n in FRESH if n not in used), None)
    if name is None:
        fail("no free index letter left for the series' general term", pos)
    j = sy.integer(name)
    reason = None
    # the longest run of written terms with one pattern: all of them, or (after leading terms that are
    # not part of the series, e.g. -V(s_t) + r_t + \gamma r_{t+1} + \gamma^2 r_{t+2} + \cdots) at least three
    # ... or, after leading terms, a run confirmed by the last term written after the ellipsis)
    f = None
    for start in range(0, min(len(values) - 1, MAX_LEADING + 1)):
        g = general_term(values[start:], j)
        if isinstance(g, str) and start == 0:  # terms that are sums themselves (GAE paper eq. 16)
            g = nested_term(values, j, general_term) or g
        if isinstance(g, str):
            reason = reason or g
            continue
        if start == 0 or len(values) - start >= 3 or (tail and upper_from_last(g, tail[0], j) is not None):
            f = g
            break
    if f is None:
        fail(f"cannot read the series: {reason or 'too few written terms share a pattern'}", pos)
    head = values[:start]
    last_term = None
    if tail:
        found = upper_from_last(f, tail[0], j)
        if found is None:
            fail("the term after the ellipsis is not a term of the series "
                 f"(general term {sympy.latex(f)})", e.terms[k + 1][1].pos)
        upper, exact = found
        rest = tail[1:]
        if exact:
            how = "up to the written last term"
        else:  # read as written: the pattern's terms, then the last term the author printed
            upper, last_term = upper - 1, tail[0]
            how = (f"then the written last term {sympy.latex(tail[0])}, which is not the general term at "
                   f"{name} = {sympy.latex(upper + 1)}")
    else:
        upper, how = upper_to_end(f, j, ctx.options.get("setting", "finite"))
        if upper is None:
            fail(f"cannot tell where the series ends: {how}", pos)
        rest = []
    value = Sum(f, (j, 0, upper))
    note_in(ctx, f"series: general term {sympy.latex(f)}, {name} = 0..{sympy.latex(upper)} ({how})")
    return Add(*head, value, *([last_term] if last_term is not None else []), *rest)


__all__ = ["series", "has_ellipsis", "general_term"]
