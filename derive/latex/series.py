"""Series written with an ellipsis: ``r_t + \\gamma r_{t+1} + \\gamma^2 r_{t+2} + \\cdots``.

The written terms ``v_0, ..., v_m`` (at least two, before ``\\cdots``, ``\\dots`` or ``\\ldots``)
are matched to one general term ``f(l)`` with ``f(i) = v_i``.  The template is the last written
term ``v_m`` with *slots*: the exponent of each parameter factor (``\\gamma``, ``\\lambda``; an
absent exponent is 1) and the integer offset of each time index (``r_{t+2}``, ``s_{t+2}``,
``\\delta_{t+2}``).  Each slot moves with slope -1, 0 or 1 per term; a candidate must give every
written term exactly.  When the candidates that fit disagree on the next unwritten terms, the
general term is not unique and the formula is not read ("unknown").

The upper limit ``L`` of ``\\sum_{l=0}^{L} f(l)``:

* a last term written after the ellipsis (``+ \\gamma^{T-t-1} r_{T-1}``) fixes it (``f(L)`` must
  equal that term);
* otherwise, finite horizon: to the end of the trajectory (the last reward, action or TD error
  at T - 1, the last state at T); infinite horizon: to infinity.

The reading is stated on the step's "read as" line (the general term and the range).
"""
from __future__ import annotations

from itertools import product as cartesian

import sympy
from sympy import Add, Integer, Mul, Pow, Symbol, Sum, oo

from ..lang import nodes
from ..lang import symbols as sy
from .errors import fail
from .syntax import Atom, Expr, single

ELLIPSIS = "..."
SLOPES = (1, 0, -1)
MAX_SLOTS = 6
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
    out = []
    coeff, factors = term.as_coeff_mul()
    for f in factors:
        if _is_param(f):
            out.append(("exp", f, Integer(1)))
        elif isinstance(f, Pow) and _is_param(f.base) and isinstance(f.exp, Integer):
            out.append(("exp", f.base, f.exp))
    seen = set()
    for e in sympy.preorder_traversal(term):
        if isinstance(e, nodes.Node) and not isinstance(e, nodes.Dist):
            for a in e.args:
                if _is_time(a) and a not in seen:
                    seen.add(a)
                    c, _ = a.as_coeff_Add()
                    out.append(("time", a, c))
    return out


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
        elif isinstance(f, Pow) and _is_param(f.base) and f.base in exps and isinstance(f.exp, Integer):
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
    """The unique general term f(j) with f(i) = values[i], or a reason it cannot be inferred (str)."""
    m = len(values) - 1
    slots = _slots(values[-1])
    if len(slots) > MAX_SLOTS:
        return "the terms have too many indices and exponents to infer a general term"
    fits = []
    for slopes in cartesian(SLOPES, repeat=len(slots)):
        if not any(slopes):
            continue
        f = _build(values[-1], slots, slopes, j, m)
        if all(_same(f.xreplace({j: Integer(i)}), v) for i, v in enumerate(values[:-1])):
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
    """The L with f(L) = last, or None."""
    candidates = []
    for node, a in _time_nodes(f, j):
        for e in sympy.preorder_traversal(last):
            if isinstance(e, type(node)) and len(e.args) == len(node.args):
                for a2, b2 in zip(node.args, e.args):
                    if a2 is a or a2 == a:
                        candidates.append(_solve_linear(a, b2, j))
    powers = f.as_powers_dict()
    last_powers = last.as_powers_dict()
    for base, expo in powers.items():
        if _is_param(base) and j in getattr(expo, "free_symbols", ()) and base in last_powers:
            candidates.append(_solve_linear(expo, last_powers[base], j))
    for c in candidates:
        if c is not None and _same(f.xreplace({j: c}), last):
            return c
    return None


def upper_to_end(f, j, setting: str):
    """(L, how) for a series without a last term: the end of the trajectory, or infinity."""
    if setting == "discounted":
        return oo, "to infinity (infinite horizon)"
    ends = set()
    for node, a in _time_nodes(f, j):
        last = sy.T if isinstance(node, LAST_STATE_NODES) else sy.T - 1
        sol = _solve_linear(a, last, j)
        if sol is None:
            return None, "its time index does not move by whole steps"
        ends.add(sol)
    if not ends:
        return None, "no time index moves with the terms, so its end is not the trajectory's: write its last term"
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
    from .operators import note

    marks = [k for k, (_, t) in enumerate(e.terms) if is_ellipsis(t)]
    pos = e.terms[marks[0]][1].pos
    if len(marks) > 1:
        fail("only one ellipsis (\\cdots) per sum is read", e.terms[marks[1]][1].pos)
    k = marks[0]
    if e.terms[k][0] < 0:
        fail("an ellipsis is read after '+': a + b + \\cdots", pos)
    values = [(-1 if sign < 0 else 1) * product_of(t) for sign, t in e.terms[:k]]
    tail = [(-1 if sign < 0 else 1) * product_of(t) for sign, t in e.terms[k + 1:]]
    if len(values) < 2:
        fail("a series with an ellipsis needs at least two written terms before \\cdots to show its pattern", pos)
    used = set()
    for v in values + tail:
        used |= {s.name for s in v.free_symbols}
    name = next((n for n in FRESH if n not in used), None)
    if name is None:
        fail("no free index letter left for the series' general term", pos)
    j = sy.integer(name)
    reason = None
    # the longest run of written terms with one pattern: all of them, or (after leading terms that are
    # not part of the series, e.g. -V(s_t) + r_t + \gamma r_{t+1} + \gamma^2 r_{t+2} + \cdots) at least three
    for start in [0] + list(range(1, len(values) - 2)):
        f = general_term(values[start:], j)
        if not isinstance(f, str):
            break
        reason = reason or f
    else:
        fail(f"cannot read the series: {reason}", pos)
    head = values[:start]
    if tail:
        upper = upper_from_last(f, tail[0], j)
        if upper is None:
            fail("the term after the ellipsis is not a term of the series "
                 f"(general term {sympy.latex(f)})", e.terms[k + 1][1].pos)
        how, rest = "up to the written last term", tail[1:]
    else:
        upper, how = upper_to_end(f, j, ctx.options.get("setting", "finite"))
        if upper is None:
            fail(f"cannot tell where the series ends: {how}", pos)
        rest = []
    value = Sum(f, (j, 0, upper))
    note(ctx, f"series: general term {sympy.latex(f)}, {name} = 0..{sympy.latex(upper)} ({how})")
    return Add(*head, value, *rest)


__all__ = ["series", "has_ellipsis", "general_term"]
