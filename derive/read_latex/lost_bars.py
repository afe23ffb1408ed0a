r"""A conditional whose bar the page lost: ``\pi_\theta(a_t s_t)``, ``P(s_{t+1} s_t, a_t)`` (issue 10, R8).

Markdown engines that treat ``|`` as a table cell separator drop it from the formula: the held-out pipimamaoyuan
notes (DRL_init_learning base_DRL_model_2.md, "PPO算法") print ``\pi_\theta(a_t s_t)``, ``\pi_\theta(\cdot s_t)``,
``P(s_{t+1} s_t, a_t)`` and ``P(s' s,a)`` throughout, and ``\pi_\theta(a,s)`` for the same policy.  Two arguments
side by side, an action then a state (``a``, ``a_t``, ``a'`` or ``\cdot``, then ``s``, ``s_t``, ``s'``), have no
other meaning than the policy's conditional ``\pi(a|s)`` (a product of an action and a state is no value), and
likewise a next state followed by ``s, a`` in ``P``: they are read so, and ``read as`` says the bar was missing.

=========================================  ==============================================================
written                                    read as
=========================================  ==============================================================
``\pi_\theta(a_t s_t)``, ``\pi(\cdot s)``  ``\pi_\theta(a_t|s_t)``, ``\pi(\cdot|s)`` (the bar is missing)
``\pi_\theta(a, s)`` (action first)        ``\pi_\theta(a|s)``
``\pi(s', a')`` (a state, then an action)   ``\pi(a'|s')``: Sutton & Barto (1998, sec. 3.7)'s policy notation
``P(s_{t+1} s_t, a_t)``, ``P(s' s,a)``     ``P(s_{t+1}|s_t, a_t)``, ``P(s'|s,a)``
=========================================  ==============================================================

Anything else (one argument, three, a state first without a comma, a bar written) keeps the earlier reading and
its message.
"""
from __future__ import annotations

import dataclasses

from .event_conditions import NOTE as EVENTS_NOTE, regroup as regroup_events
from .syntax import Atom, Group, MulOp, Placeholder, Scripted, Term, raw, rewrite, single

_NOTE = ("{name}({args}) is read as {name}({fixed}) (the bar '|' is missing: Markdown pages drop it as a table "
         "separator)")
_NOTE_1998 = ("{name}({args}) is Sutton & Barto (1998)'s policy notation pi(s, a), the probability of a in s: "
              "{name}({fixed})")


def _letter(x) -> str | None:
    """The base letter of a value written as one symbol (``a``, ``a_t``, ``s'``, ``s_{t+1}``), '.' for ``\\cdot``."""
    x = single(x)
    if isinstance(x, Placeholder):
        return "."
    base = x.base if isinstance(x, Scripted) else x
    if isinstance(base, Atom) and base.kind == "sym":
        return base.name.rstrip("'")
    return None


def _pair(item) -> tuple | None:
    """The two values of ``X Y`` written side by side (a two-factor product with no operator), or None."""
    item = single(item)
    if isinstance(item, Term) and len(item.items) == 2 and not any(isinstance(x, MulOp) for x in item.items):
        return item.items[0], item.items[1]
    return None


def _regroup(g: Group, wants: str) -> Group | None:
    r"""The call group with its bar restored, or None.  ``wants``: 'pi' (action | state) or 'P' (next | state,
    action)."""
    if g is None or g.sep is not None or g.params or g.kind not in ("paren", "left") or len(g.parts) != 1:
        return None
    items = g.parts[0]
    if wants == "pi":
        if len(items) == 1 and (pair := _pair(items[0])) is not None:
            first, second = pair
        elif len(items) == 2 and _letter(items[0]) == "a":  # \pi_\theta(a, s): the action first
            first, second = items
        elif len(items) == 2 and _letter(items[0]) == "s" and _letter(items[1]) == "a":
            second, first = items  # Sutton & Barto (1998)'s \pi(s, a): the probability of a in s
        else:
            return None
        if _letter(first) not in ("a", ".") or _letter(second) != "s":
            return None
        return dataclasses.replace(g, parts=[[first], [second]], sep="|", sep_pos=second.pos)
    if len(items) != 2 or (pair := _pair(items[0])) is None:
        return None
    nxt, st = pair
    if _letter(nxt) not in ("s", ".") or _letter(st) != "s" or _letter(items[1]) != "a":
        return None
    return dataclasses.replace(g, parts=[[nxt], [st, items[1]]], sep="|", sep_pos=st.pos)


def _head_name(x) -> str | None:
    """r"\\pi", "P" or "p" when x is that symbol (with scripts, no primes), else None."""
    base = x.base if isinstance(x, Scripted) else x
    if isinstance(base, Atom) and base.kind == "sym" and base.name in (r"\pi", "P", "p"):
        return base.name
    return None


def restore(syn):
    """(the formula with the bars restored, the notes that say so) for every ``\\pi(...)``/``P(...)`` call group whose
    bar the page lost (see the table above); the formula itself where there is none."""
    notes: list = []

    def _term(x):
        if not isinstance(x, Term) or len(x.items) < 2:
            return x
        items = list(x.items)
        changed = False
        for i in range(len(items) - 1):
            name = _head_name(items[i])
            call = items[i + 1]
            g = call.base if isinstance(call, Scripted) and isinstance(call.base, Group) else call
            if name is None or not isinstance(g, Group):
                continue
            fixed = _regroup(g, "pi" if name == r"\pi" else "P") if name != "p" else None
            if fixed is None and name in ("P", "p") and (events := regroup_events(g)) is not None:
                items[i + 1] = dataclasses.replace(call, base=events) if call is not g else events
                changed = True
                if EVENTS_NOTE not in notes:  # p(S_{t+1}=s' | S_t=s, A_t=a): event_conditions.py
                    notes.append(EVENTS_NOTE)
                continue
            if fixed is None:
                continue
            items[i + 1] = dataclasses.replace(call, base=fixed) if call is not g else fixed
            changed = True
            text = (_NOTE_1998 if _letter(g.parts[0][0]) == "s" and name == r"\pi" else _NOTE).format(
                name=raw(items[i]), args=_spelled(g), fixed=_spelled(fixed))
            if text not in notes:
                notes.append(text)
        return dataclasses.replace(x, items=items) if changed else x

    return rewrite(syn, node=_term), notes


def _spelled(g: Group) -> str:
    return ("|".join(", ".join(raw(x) for x in part) for part in g.parts) if g.sep else
            ", ".join(" ".join(raw(y) for y in (_pair(x) or (x,))) for x in g.parts[0]))


__all__ = ["restore"]
