r"""A row of transition probabilities times a vector over the next state: ``P_{ss'} R_{ss'}``, ``P_{ss'} V(s')``
(issue 10, R8).

microsoft/ai-edu A7 sec. 7.3.2-7.3.4 names the vectors of a Markov reward process's example: ``P_{ss'} = [p_1, p_2]``
(eq. 7.3.5, the transition probabilities from s), ``R_{ss'} = [r_1, r_2]`` (eq. 7.3.6, their rewards) and
``V(s') = [v(s_b), v(s_c)]`` (eq. 7.3.11), and writes their products as the sums over s':
``\sum_{s'} p_{ss'} r_{ss'} = P_{ss'} R_{ss'}`` (eq. 7.3.8), ``\sum_{s'} p_{ss'} v(s') = P_{ss'} V(s')`` (7.3.12),
``v(s) = P_{ss'} R_{ss'} + \gamma P_{ss'} V(s')`` (7.3.13).

===================================  ===================================================================
written                              read as
===================================  ===================================================================
``P_{ss'} R_{ss'}``                  ``\sum_{s'} p_{ss'} r_{ss'}`` (read_latex/notation_mrp_pairs.py)
``P_{ss'} V(s')`` (``v(s')``)        ``\sum_{s'} p_{ss'} V(s')``
===================================  ===================================================================

Only the product of ``P_{ss'}`` (capital P, two state subscripts, no superscript) with the next factor written as
one of these vectors over the same next state; ``P_{ss'}`` alone, Silver's ``\mathcal{P}_{ss'}`` and
``P^a_{ss'}`` keep their readings.  ``read as`` says so.
"""
from __future__ import annotations

import dataclasses

from .syntax import Atom, Expr, Group, Scripted, Term, raw, rewrite, single

NOTE = (r"P_{ss'} R_{ss'}, P_{ss'} V(s'): the row of transition probabilities from s times a vector over the next "
        r"state s', read as the sum \sum_{s'} p_{ss'} r_{ss'}, \sum_{s'} p_{ss'} V(s')")


def _pair_sub(x) -> str | None:
    """The next state's name of a subscript ``ss'`` / ``s s'`` / ``s,s'`` (``s'``), else None."""
    text = raw(x).replace(" ", "").replace(",", "")
    if text.startswith("s") and len(text) > 1 and text[1:] in ("s'", "s''"):
        return text[1:]
    return None


def _row(x) -> str | None:
    if isinstance(x, Scripted) and x.sup is None and isinstance(x.base, Atom) and x.base.kind == "sym" \
            and x.base.name == "P" and x.sub is not None:
        return _pair_sub(x.sub)
    return None


def _partner(items: list, i: int, nxt: str) -> int:
    """How many items after ``i`` form the vector ``R_{ss'}`` / ``V(s')`` over ``nxt`` (0: none)."""
    x = items[i] if i < len(items) else None
    if isinstance(x, Scripted) and x.sup is None and isinstance(x.base, Atom) and x.base.name == "R" \
            and x.sub is not None and _pair_sub(x.sub) == nxt:
        return 1
    if isinstance(x, Atom) and x.kind == "sym" and x.name in ("V", "v") and i + 1 < len(items):
        g = items[i + 1]
        if isinstance(g, Group) and g.kind == "paren" and g.sep is None and len(g.parts) == 1 \
                and len(g.parts[0]) == 1 and raw(single(g.parts[0][0])).strip() == nxt:
            return 2
    return 0


def _sum_of(row: Scripted, factors: list, nxt: str, pos: int) -> Group:
    """``{\\sum_{s'} p_{ss'} factors}``: a brace group, so that the sum's scope is the product only."""
    p = dataclasses.replace(row, base=dataclasses.replace(row.base, name="p"))
    var = Group(pos, "brace", "{", "}", [[Expr(pos, [(1, Term(pos, [Atom(pos, "sym", nxt)]))])]])
    total = Scripted(pos, Atom(pos, "op", "sum"), var, None)
    if isinstance(factors[0], Scripted) and factors[0].base.name == "R":
        factors = [dataclasses.replace(factors[0], base=dataclasses.replace(factors[0].base, name="r"))]
    body = Expr(pos, [(1, Term(pos, [total, p] + list(factors)))])
    return Group(pos, "brace", "{", "}", [[body]])


def rewrite_products(syn):
    """(the formula with each ``P_{ss'} R_{ss'}`` / ``P_{ss'} V(s')`` read as its sum over s', notes)."""
    notes: list = []

    def _term(x):
        if not isinstance(x, Term) or len(x.items) < 2:
            return x
        items, out, i, changed = list(x.items), [], 0, False
        while i < len(items):
            nxt = _row(items[i])
            n = _partner(items, i + 1, nxt) if nxt else 0
            if n:
                out.append(_sum_of(items[i], items[i + 1:i + 1 + n], nxt, items[i].pos))
                i += 1 + n
                changed = True
                continue
            out.append(items[i])
            i += 1
        if changed and NOTE not in notes:
            notes.append(NOTE)
        return dataclasses.replace(x, items=out) if changed else x

    return rewrite(syn, node=_term), notes


__all__ = ["rewrite_products", "NOTE"]
