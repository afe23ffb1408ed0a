r"""Sutton & Barto's first edition (1998, sec. 3.6): the expected reward of a transition ``R^a_{ss'}`` (issue 10).

``\mathcal{R}^a_{ss'} = E\{r_{t+1} \mid s_t = s, a_t = a, s_{t+1} = s'\}`` beside ``\mathcal{P}^a_{ss'} = P(s'|s,a)``
(read by read_latex/notation_silver.py), as lecture notes still write them (robert780612/dlpt:
``\sum_a \pi(a|s) \sum_{s'} P^a_{ss'} \{ R^a_{ss'} + \gamma v_\pi(s') \}``).  derive's rewards are ``R(s, a, s')``,
so ``R^a_{ss'}`` (also ``\mathcal{R}^a_{ss'}``, ``R_{ss'}^a``, ``_{s,s'}``) is exactly ``R(s, a, s')``; the note says so.
Any other R keeps its earlier reading.
"""
from __future__ import annotations

from ..lang import nodes
from .interpret import Ctx, Head
from .registry import HEADS, head
from .roles import value_in_role
from .reading import note
from .notation_silver import _script_kind, _state_items

NOTE = (r"R^a_{ss'} (Sutton & Barto 1998, sec. 3.6) is the expected reward of the transition, "
        r"\mathbb{E}[r_{t+1} \mid s_t = s, a_t = a, s_{t+1} = s'] = R(s, a, s')")


def _transition_reward(name: str):
    before = HEADS[name]

    def build(h: Head, ctx: Ctx):
        states = _state_items(h.sub) if h.sub is not None and h.sup is not None and h.call is None else None
        kind = _script_kind(h.sup, ctx) if states is not None and len(states) == 2 and not h.primes else None
        if kind is None or kind[0] != "action":
            return before(h, ctx)
        h.take_sub()
        h.take_sup()
        st = value_in_role(states[0], "state", ctx, "the state of R^a_{ss'}")
        nxt = value_in_role(states[1], "state", ctx, "the next state of R^a_{ss'}")
        note(NOTE)
        return nodes.Rew(st, kind[1], nxt)

    build.__doc__ = f"``{name}^a_{{ss'}}``: the reward of the transition (s, a, s'), R(s, a, s'); else as before."
    return build


for _name in ("R", "cal:R"):
    head(_name)(_transition_reward(_name))

__all__ = ["NOTE"]
