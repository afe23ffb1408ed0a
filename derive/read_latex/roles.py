"""Arguments in a role: a state, an action, a point, a variable or an integer index.

``value_in_role(x, "state", ctx, what)`` reads x and checks it is a state (``s``, ``s'``, ``s_t``); an
index read with ``horizon: from-1`` is shifted by one (CS285: ``s_1`` is the first state).

An argument written as an event: ``v_\\pi(S_t = s)``, ``q_\\pi(S_t = s, A_t = a)`` (issue 10).

Sutton & Barto's exercise answers write the value of a state as ``v_\\pi(S_t = s)``, the value of the event
"the state at time t is s": it is ``v_\\pi(s)`` (Sutton & Barto 2018, eq. 3.12 defines
``v_\\pi(s) = \\mathbb{E}_\\pi[G_t \\mid S_t = s]``).  The event's value is read as the argument, stated in the
step's notes.  Only in the arguments of ``v_\\pi`` and ``q_\\pi`` (``EVENT_ARGUMENTS``); the left side must be a
variable of the trajectory of the same role (``S_t``, ``s_t``, ``A_t``) and the right side a free state or
action; anything else (``P(S_{t+1} = s' | ...)``, ``v_\\pi(S_t = S_{t+1})``, ``f(s = s)``) is refused as before.
"""
from __future__ import annotations

from sympy import Add, Integer, Mul, Pow, Symbol

from ..lang import nodes
from ..lang.symbols import ActionVar, PointVar, StateVar
from .errors import LatexError, ParseFail, fail
from .interpret import Ctx, interpret, misplaced
from .reading import note
from .syntax import Rel, Syn, raw, single

EVENT_ARGUMENTS = ("of v_\\pi(s)", "of q_\\pi(s,a)")  # the `what` of the arguments of v_\pi, q_\pi (notation_sb.py)


def event_value(x, role: str, ctx, what: str):
    """The value s of the event ``S_t = s`` written as an argument, or the usual refusal."""
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


def value_in_role(x: Syn, role: str, ctx: Ctx, what: str):
    """Interpret an argument that must be a state / action / point variable or an integer (or, in Sutton &
    Barto's values, an event ``v_\\pi(S_t = s)``: its value, ``event_value`` above)."""
    x = single(x)
    if isinstance(x, Rel) and x.kind == "=":
        return event_value(x, role, ctx, what)
    v = interpret(x, ctx.deeper(x.pos, role))
    check_role(v, role, x, what)
    return v


def check_role(v, role: str, x: Syn, what: str):
    ok = {
        "state": lambda: isinstance(v, (StateVar, nodes.St)),
        "action": lambda: isinstance(v, (ActionVar, nodes.At)) or type(v).__name__ == "ArgMax",
        "point": lambda: isinstance(v, PointVar),
        "var": lambda: isinstance(v, (StateVar, ActionVar, PointVar, nodes.St, nodes.At)),
        "index": lambda: is_integer_expr(v),
        "value": lambda: True,
    }[role]()
    if not ok:
        want = {
            "state": "a state (s, s', s_t, s_{t+1}, ...)",
            "action": "an action (a, a', b, a_t, ...)",
            "point": "a point of X (x, y)",
            "var": "a variable (s, a, x, s_t, a_t, ...)",
            "index": "an integer expression (t, t+1, T-1, k, ...)",
        }[role]
        fail(f"{what} must be {want}, not {raw(x)[:40]}", x.pos)


_NAMED = {"a", "b", "c", "d", "e", "f", "g", "A", "B", "C", "D"}


def _named_state(role: str, x: Syn, what: str):
    """``s_a``, ``s_b``, ``s_c``: the named states of one example or figure (the held-out AI-EDU book, sec. 7.3:
    "s_a" upstream, "s_b", "s_c" downstream), not times: said plainly, with what derive reads instead."""
    written = raw(x).strip()
    if role != "index" or written not in _NAMED or not what.startswith("the time index of "):
        return
    letter = what[len("the time index of "):].split("_")[0]
    if letter not in ("s", "S"):
        return
    fail(f"{letter}_{written}: a named state of an example is not read: derive reads the subscript of {letter}_t as a "
         f"time (t, t+1, T-1, k, ...), and the states of one example or figure ({letter}_a, {letter}_b, {letter}_c) "
         "are not a general identity it can check on random MDPs; write the step for a general state s (or "
         f"{letter}_t)", x.pos)


def index(x: Syn, ctx: Ctx, what: str = "the index"):
    try:
        value = value_in_role(x, "index", ctx, what)
    except (LatexError, ParseFail):
        if x is not None:
            _named_state("index", single(x), what)  # s_a, s_b: an example's states, said plainly
        raise
    if ctx.options.get("horizon") == "from-1" and what.startswith("the time index of"):
        return value - 1  # horizon: from-1 (CS285: s_1 is the first state): the written s_u is derive's s_{u-1}
    return value


def is_integer_expr(v) -> bool:
    stack = [v]
    while stack:
        e = stack.pop()
        if isinstance(e, Integer):
            continue
        if isinstance(e, Symbol):
            if not e.is_integer or isinstance(e, (StateVar, ActionVar, PointVar)):
                return False
            continue
        if isinstance(e, (Add, Mul)):
            stack.extend(e.args)
            continue
        if isinstance(e, Pow) and isinstance(e.exp, Integer) and e.exp >= 0:
            stack.append(e.base)
            continue
        return False
    return True


__all__ = ["value_in_role", "check_role", "index", "is_integer_expr", "event_value", "EVENT_ARGUMENTS"]
