"""Optimal values as authors write them: V^*(s), Q^*(s,a), A^*(s,a), Sutton & Barto's v_*(s), q_*(s,a).

Read as derive's V*, Q*, A* (derive/lang/optimal.py; S&B 2018 section 3.6, eqs. 3.15-3.20).  A time
index (V^*_t(s)) is the finite-horizon optimal value of backward induction.
"""
from __future__ import annotations

from ..lang import nodes
from ..lang.optimal import AStar, QStar, VStar
from .interpret import Ctx, Head, arguments, value_in_role


def optimal_value(h: Head, ctx: Ctx, base: str, tm=nodes.NOTIME):
    """V^* (base V or v), Q^* (Q or q), A^*: the call's state (and action) arguments."""
    letter = base.upper()
    g = h.take_call(f"{letter}^*(s)" if letter == "V" else f"{letter}^*(s,a)")
    if letter == "V":
        (s,) = arguments(g, 1, f"{base}^*")
        return VStar(value_in_role(s, "state", ctx, f"the state of {base}^*(s)"), tm)
    s, a = arguments(g, 2, f"{base}^*")
    cls = QStar if letter == "Q" else AStar
    return cls(value_in_role(s, "state", ctx, f"the state of {base}^*(s,a)"),
               value_in_role(a, "action", ctx, f"the action of {base}^*(s,a)"), tm)


__all__ = ["optimal_value"]
