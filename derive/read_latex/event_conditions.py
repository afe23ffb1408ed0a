r"""A transition written with events: ``p(S_{t+1}=s' \mid S_t=s, A_t=a)`` (issue 10, R8).

Sutton & Barto (2018, eq. 3.2) define the dynamics as a probability of events,
``p(s', r \mid s, a) \doteq \Pr\{S_t = s', R_t = r \mid S_{t-1} = s, A_{t-1} = a\}``, and textbooks that follow them
write the transition the same way inside the function: JoyRL (ch. 3) expands
``\sum_{s' \in S} p\left(S_{t+1}=s^{\prime} \mid S_{t}=s, A_{t}=a\right)[R(s, a) + \gamma V_\pi(s')]``.  The events
name the values: ``p(S_{t+1} = s' \mid S_t = s, A_t = a)`` is ``P(s' \mid s, a)`` when the next state's time is
one after the state's and the action's (``s_{t+1}``, lowercase, alike).  Only that form (one next-state event
after the bar's state and action events, in any order); anything else keeps its reading and message.  ``read
as`` says so.
"""
from __future__ import annotations

import dataclasses

from .syntax import Atom, Group, Rel, Scripted, raw, single

NOTE = (r"p(S_{t+1} = s' \mid S_t = s, A_t = a): the events name the values, the transition probability "
        r"P(s' \mid s, a) (Sutton & Barto 2018, eq. 3.2)")


def _event(x, letters: tuple):
    """(letter, time text, value) of an event ``S_t = s`` whose variable's letter is in ``letters``, else None."""
    x = single(x)
    if not (isinstance(x, Rel) and x.kind == "="):
        return None
    var = single(x.lhs)
    if not (isinstance(var, Scripted) and isinstance(var.base, Atom) and var.base.kind == "sym"
            and var.base.name in letters and var.sub is not None and var.sup is None):
        return None
    return var.base.name.lower(), raw(var.sub).replace(" ", ""), x.rhs


def regroup(g: Group) -> Group | None:
    """``p``/``P``'s call group with the events replaced by their values, or None when it is not that form."""
    if g is None or g.sep != "|" or g.params or len(g.parts) != 2 or len(g.parts[0]) != 1 or len(g.parts[1]) != 2:
        return None
    nxt = _event(g.parts[0][0], ("S", "s"))
    given = [_event(x, ("S", "s", "A", "a")) for x in g.parts[1]]
    if nxt is None or None in given or sorted(e[0] for e in given) != ["a", "s"]:
        return None
    st = next(e for e in given if e[0] == "s")
    act = next(e for e in given if e[0] == "a")
    if st[1] != act[1] or nxt[1] not in (st[1] + "+1", "{" + st[1] + "+1}"):
        return None
    return dataclasses.replace(g, parts=[[nxt[2]], [st[2], act[2]]])


__all__ = ["regroup", "NOTE"]
