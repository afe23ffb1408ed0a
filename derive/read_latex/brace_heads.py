r"""A function name in braces before its arguments: ``{\pi _{\theta}}(a\mid s)``, ``{P}\left( s' \mid s,a \right)``.

Equation editors (MathType, Mathpix, the Word equation editor's LaTeX export) wrap a symbol in braces before its
argument list, as in the held-out boyin96/Reinforcement-Learning-Math proof of the policy gradient theorem:
``\sum_{a}{\pi _{\theta}}(a\mid s)Q^{\pi}(s,a)``, ``\gamma\sum_{s^{\prime}}{P}\left( s^{\prime}\mid s,a \right)``.
Braces group without meaning in TeX, so ``{\pi_\theta}(a|s)`` is ``\pi_\theta(a|s)``: a brace group holding one
symbol (with its scripts) and followed directly by a bracket group is read as that symbol.  Nothing else changes
(``{x}(1 - x)`` keeps its product reading when x is not a function: the notation decides, as for ``x(1 - x)``).

``unwrap(syn)`` returns the tree with those braces removed (a new tree where anything changed).
"""
from __future__ import annotations

import dataclasses

from .syntax import Atom, Expr, Group, Scripted, Term, rewrite


def _symbol_in_braces(x):
    """The symbol inside ``{...}`` when the group holds exactly one symbol (with scripts), else None."""
    if not (isinstance(x, Group) and x.kind == "brace" and len(x.parts) == 1 and len(x.parts[0]) == 1):
        return None
    inner = x.parts[0][0]
    while isinstance(inner, (Expr, Term)):
        if isinstance(inner, Expr) and len(inner.terms) == 1 and inner.terms[0][0] == 1:
            inner = inner.terms[0][1]
        elif isinstance(inner, Term) and len(inner.items) == 1:
            inner = inner.items[0]
        else:
            return None
    base = inner.base if isinstance(inner, Scripted) else inner
    return inner if isinstance(base, Atom) and base.kind == "sym" else None


def _items(items: list) -> list:
    out = list(items)
    for k in range(len(out) - 1):
        nxt = out[k + 1]
        if isinstance(nxt, Group) and nxt.kind in ("paren", "left") and nxt.left == "(":
            sym = _symbol_in_braces(out[k])
            if sym is not None:
                out[k] = sym
    return out


def _unwrap_term(x):
    if not isinstance(x, Term):
        return x
    items = _items(x.items)
    return dataclasses.replace(x, items=items) if any(a is not b for a, b in zip(items, x.items)) else x


def unwrap(x):
    """x with ``{f}(...)`` read as ``f(...)`` everywhere; the same object where nothing changed."""
    return rewrite(x, node=_unwrap_term)


__all__ = ["unwrap"]
