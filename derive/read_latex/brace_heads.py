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


def _product_ending_in_symbol(x, depth: int = 0):
    """The items of ``{\\sum_a {\\pi_\\theta}}`` (a brace group holding one product whose last factor is a symbol,
    itself perhaps in braces), the last one unwrapped, else None (boyin96: ``\\sum_{s'}{\\sum_a{\\pi _{\\theta}}}(a\\mid s)``)."""
    if depth > 8 or not (isinstance(x, Group) and x.kind == "brace" and len(x.parts) == 1 and len(x.parts[0]) == 1):
        return None
    inner = x.parts[0][0]
    if isinstance(inner, Expr) and len(inner.terms) == 1 and inner.terms[0][0] == 1:
        inner = inner.terms[0][1]
    if not isinstance(inner, Term) or len(inner.items) < 2:
        return None
    last = inner.items[-1]
    sym = _symbol_in_braces(last)
    if sym is None:
        nested = _product_ending_in_symbol(last, depth + 1)
        if nested is None:
            base = last.base if isinstance(last, Scripted) else last
            if not (isinstance(base, Atom) and base.kind == "sym"):
                return None
            return list(inner.items)
        return list(inner.items[:-1]) + nested
    return list(inner.items[:-1]) + [sym]


def _items(items: list) -> list:
    out = []
    for k, it in enumerate(items):
        nxt = items[k + 1] if k + 1 < len(items) else None
        if isinstance(nxt, Group) and nxt.kind in ("paren", "left") and nxt.left == "(":
            sym = _symbol_in_braces(it)
            if sym is not None:
                out.append(sym)
                continue
            spliced = _product_ending_in_symbol(it)
            if spliced is not None:  # {\sum_a {\pi_\theta}}(a|s): the braces group nothing, the call is the symbol's
                out.extend(spliced)
                continue
        out.append(it)
    return out


def _unwrap_term(x):
    if not isinstance(x, Term):
        return x
    items = _items(x.items)
    changed = len(items) != len(x.items) or any(a is not b for a, b in zip(items, x.items))
    return dataclasses.replace(x, items=items) if changed else x


def unwrap(x):
    """x with ``{f}(...)`` read as ``f(...)`` everywhere; the same object where nothing changed."""
    return rewrite(x, node=_unwrap_term)


__all__ = ["unwrap"]
