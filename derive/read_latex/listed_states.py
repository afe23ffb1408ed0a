r"""A sum over the states an example lists: ``\sum_{s' \in [s_b, s_c]} X`` (issue 10, R8).

microsoft/ai-edu A7 sec. 7.3.2 (eq. 7.3.7) sums over the downstream states of its figure, listed in brackets:
``\sum_{s' \in [s_b,s_c]} p_{ss'} r_{ss'}`` ("遍历下游状态 s'，在本例中就是要遍历 [s_b, s_c]").  A sum over a written list
is the sum of its terms: ``X`` at ``s' = s_b`` plus ``X`` at ``s' = s_c`` (the body is the rest of the product, as
for every sum, docs/notation.md).  The listed items must be states written as one symbol (``s_b``, ``s'``, ``s``);
``read as`` says the sum was expanded.  Braces ``\{s_b, s_c\}`` are the same list.
"""
from __future__ import annotations

import dataclasses

from .syntax import Atom, Expr, Group, Rel, Scripted, Term, rewrite, single

NOTE = r"\sum_{s' \in [s_b, s_c]} X: the sum over the listed states, X at s' = s_b plus X at s' = s_c (expanded)"
_MAX_ITEMS = 8


def _state_symbol(x) -> bool:
    x = single(x)
    base = x.base if isinstance(x, Scripted) else x
    return isinstance(base, Atom) and base.kind == "sym" and base.name.rstrip("'") == "s" \
        and (not isinstance(x, Scripted) or (x.sup is None and isinstance(x.sub, Atom)))


def _listed(sub):
    """(variable name, [items]) of a subscript ``s' \\in [s_b, s_c]``, else None."""
    if not (isinstance(sub, Group) and sub.kind == "brace" and len(sub.parts) == 1 and len(sub.parts[0]) == 1):
        return None
    rel = sub.parts[0][0]
    if not (isinstance(rel, Rel) and rel.kind == "in"):
        return None
    var, space = single(rel.lhs), single(rel.rhs)
    if not (isinstance(var, Atom) and var.kind == "sym" and var.name.rstrip("'") == "s"):
        return None
    if not (isinstance(space, Group) and space.sep is None and len(space.parts) == 1
            and (space.kind == "bracket" or (space.left, space.right) in (("\\{", "\\}"), ("{", "}")))):
        return None
    items = space.parts[0]
    if not 1 <= len(items) <= _MAX_ITEMS or not all(_state_symbol(x) for x in items):
        return None
    return var.name, [single(x) for x in items]


def rewrite_listed(syn):
    """(the formula with each sum over a listed set of states expanded, notes)."""
    notes: list = []

    def _term(x):
        if not isinstance(x, Term):
            return x
        for i, item in enumerate(x.items):
            if isinstance(item, Scripted) and isinstance(item.base, Atom) and item.base.kind == "op" \
                    and item.base.name == "sum" and item.sup is None and (found := _listed(item.sub)) is not None \
                    and i + 1 < len(x.items):
                name, values = found
                body = x.items[i + 1:]
                terms = [(1, Term(item.pos, [rewrite(b, atom=lambda a, v=v: v if a.kind == "sym" and a.name == name
                                                     else a) for b in body])) for v in values]
                if NOTE not in notes:
                    notes.append(NOTE)
                expanded = Group(item.pos, "paren", "(", ")", [[Expr(item.pos, terms)]])
                return dataclasses.replace(x, items=list(x.items[:i]) + [expanded])
        return x

    return rewrite(syn, node=_term), notes


__all__ = ["rewrite_listed", "NOTE"]
