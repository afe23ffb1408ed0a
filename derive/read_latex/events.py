"""An argument written as an event: ``v_\\pi(S_t = s)``, ``q_\\pi(S_t = s, A_t = a)`` (issue 10).

Sutton & Barto's exercise answers write the value of a state as ``v_\\pi(S_t = s)``, the value of the event
"the state at time t is s": it is ``v_\\pi(s)`` (Sutton & Barto 2018, eq. 3.12 defines
``v_\\pi(s) = \\mathbb{E}_\\pi[G_t \\mid S_t = s]``).  The event's value is read as the argument, stated in the
step's notes.  Only in the arguments of ``v_\\pi`` and ``q_\\pi`` (``EVENT_ARGUMENTS``); the left side must be a
variable of the trajectory of the same role (``S_t``, ``s_t``, ``A_t``) and the right side a free state or
action; anything else (``P(S_{t+1} = s' | ...)``, ``v_\\pi(S_t = S_{t+1})``, ``f(s = s)``) is refused as before.
"""
from __future__ import annotations

from ..lang import nodes
from ..lang.symbols import ActionVar, StateVar
from .reading import note
from .syntax import raw, single

EVENT_ARGUMENTS = ("of v_\\pi(s)", "of q_\\pi(s,a)")  # the `what` of the arguments of v_\pi, q_\pi (notation_sb.py)


def event_value(x, role: str, ctx, what: str):
    """The value s of the event ``S_t = s`` written as an argument, or the usual refusal."""
    from .interpret import interpret, misplaced, value_in_role

    if role not in ("state", "action") or not what.endswith(EVENT_ARGUMENTS):
        misplaced(x)
    event = interpret(single(x.lhs), ctx.deeper(x.pos, role))
    if not isinstance(event, (nodes.St, nodes.At)):
        misplaced(x)
    v = value_in_role(x.rhs, "state" if isinstance(event, nodes.St) else "action", ctx, what)
    if not isinstance(v, (StateVar, ActionVar)):
        misplaced(x)  # S_t = S_{t+1} has no single value
    note(f"{what} written as the event {raw(x).strip()[:30]} is its value {raw(single(x.rhs)).strip()[:10]}")
    return v


__all__ = ["event_value", "EVENT_ARGUMENTS"]
