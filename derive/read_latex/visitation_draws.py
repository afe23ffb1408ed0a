r"""A state drawn from the discounted visitation distribution of a start state: ``s' \sim d^{\pi}_{s}``.

Agarwal, Jiang, Kakade, Sun, "Reinforcement Learning: Theory and Algorithms" (ch. 1) write
``d^{\pi}_{s_0}(s) = (1 - \gamma) \sum_{t=0}^{\infty} \gamma^t \Pr^{\pi}(s_t = s \mid s_0)`` and state the
performance difference lemma as ``V^{\pi'}(s) - V^{\pi}(s) = \frac{1}{1-\gamma} \mathbb{E}_{s' \sim d^{\pi'}_s}
\mathbb{E}_{a \sim \pi'(\cdot|s')}[A^{\pi}(s', a)]``.  Read as ``OccFromDraw(s', \pi', s)`` (density
``DpiFrom``, evaluated by derive/engine/infinite_visits.py in the discounted setting); ``d^{\pi}`` without a
subscript stays the distribution from \rho_0.
"""
from __future__ import annotations

from sympy.core.symbol import Str

from ..lang import nodes
from ..lang.symbols import StateVar
from .errors import fail
from .reading import note
from .roles import value_in_role
from .spellings import policy_name, single_expr
from .syntax import Scripted, base_atom, raw

NOTE = (r"d^{\pi}_{s}: the discounted state visitation distribution from the start state s, (1 - \gamma) "
        r"\sum_{t \geq 0} \gamma^t \Pr^{\pi}(s_t = \cdot \mid s_0 = s) (Agarwal, Jiang, Kakade, Sun, RL: Theory and "
        r"Algorithms, ch. 1)")


def start_state_draw(var, rhead, ctx):
    """``var \\sim d^{\\pi}_{s}`` as OccFromDraw, or None when the head is not d with both scripts."""
    a = base_atom(rhead)
    if a is None or a.name != "d" or not isinstance(rhead, Scripted) or rhead.sup is None or rhead.sub is None:
        return None
    start = value_in_role(rhead.sub, "state", ctx, r"the start state of d^{\pi}_{s}")
    if not isinstance(start, StateVar):
        fail(r"d^{\pi}_{s} is the visitation distribution from a start state: write a state variable "
             r"(d^{\pi}_{s}), not " + raw(rhead.sub)[:20], rhead.sub.pos)
    pol = policy_name(single_expr(rhead.sup), "the superscript of d")
    note(NOTE)
    return nodes.OccFromDraw(var, Str(pol), start)


__all__ = ["start_state_draw"]
