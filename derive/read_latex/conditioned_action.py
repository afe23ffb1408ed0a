"""Conditioning on an action that is a function of the state: ``\\mathbb{E}[X \\mid S_t = s, A_t = \\pi'(s)]``.

Sutton & Barto (2018), proof of the policy improvement theorem (eq. 4.8): ``q_\\pi(s, \\pi'(s)) =
\\mathbb{E}[R_{t+1} + \\gamma v_\\pi(S_{t+1}) \\mid S_t = s, A_t = \\pi'(s)]`` with ``\\pi'(s)`` the greedy action
(read_latex/notation_greedy.py) or ``\\arg\\max_a f(s, a)``.  Read as the conditional expectation at a free
action ``b`` evaluated at that action::

    \\sum_b [b = \\pi'(s)] \\, \\mathbb{E}[X \\mid S_t = s, A_t = b]

exactly the expectation given ``A_t = \\pi'(s)`` (the indicator keeps one term), said in ``read as``.
Only an action-valued ``\\arg\\max`` is read this way; any other value stays refused by expectations.py.
"""
from __future__ import annotations

from contextvars import ContextVar

from ..lang import nodes
from ..lang.optimal import ArgMax, Same
from ..lang.symbols import ActionVar
from .reading import note
from .registry import OPS, op

_PENDING: ContextVar = ContextVar("derive_conditioned_actions", default=None)
_ORIGINAL = OPS["expect"]


def fixed_action_given(var, value, role: str):
    """A Given(a_t, b) for a fresh action b standing for the action-valued ``value``, or None (refused)."""
    if role != "action" or not isinstance(value, ArgMax):
        return None
    pending = _PENDING.get()
    if pending is None:
        return None
    fresh = ActionVar("b_{%d}" % len(pending) if pending else "b")
    pending.append((fresh, value))
    note(r"\mathbb{E}[X \mid S_t = s, A_t = \pi'(s)] (Sutton & Barto 2018, proof of eq. 4.8) is the conditional "
         r"expectation at the action \pi'(s): \sum_b [b = \pi'(s)] \mathbb{E}[X \mid S_t = s, A_t = b]")
    return nodes.Given(var, fresh)


@op("expect")
def _expect_at_action(item, items, i, ctx):
    """The expectation as read by expectations.py, summed over the fresh actions its conditioning introduced."""
    outer = _PENDING.get()
    token = _PENDING.set([])
    try:
        value, j = _ORIGINAL(item, items, i, ctx)
        mine = _PENDING.get()
    finally:
        _PENDING.reset(token)
    for fresh, action in reversed(mine):
        value = nodes.SumOver(Same(fresh, action) * value, fresh)
    del outer
    return value, j


__all__ = ["fixed_action_given"]
