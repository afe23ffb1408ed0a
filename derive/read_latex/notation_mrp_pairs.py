r"""A Markov reward process written with two state subscripts: ``p_{ss'}``, ``r_{ss'}`` (issue 10, R8).

microsoft/ai-edu A7 sec. 7.3.4 (eq. 7.3.13) writes the Bellman equation of a Markov reward process as
``v(s) = \sum_{s'} p_{ss'} r_{ss'} + \gamma \sum_{s'} p_{ss'} v(s') = \sum_{s'} p_{ss'} [r_{ss'} + \gamma v(s')]``,
``p_{ss'}`` the probability of the transition s -> s' and ``r_{ss'}`` its reward ("过程奖励", the reward of the
transition); Sutton & Barto (1998, sec. 3.6) write the same pair with an action, ``P^a_{ss'}``, ``R^a_{ss'}``.
An MRP is an MDP under a fixed policy (Sutton & Barto 2018, sec. 3.5; Silver lecture 2), the file's policy pi:

==================  ==============================================================================================
written             read as
==================  ==============================================================================================
``p_{ss'}``         ``\sum_a \pi(a|s) P(s'|s,a)``, the probability of the transition s -> s'
``r_{ss'}``         ``\mathbb{E}[R_{t+1} | S_t = s, S_{t+1} = s']`` =
                    ``\sum_a \pi(a|s) P(s'|s,a) R(s,a,s') / \sum_a \pi(a|s) P(s'|s,a)`` (undefined where s' cannot
                    follow s: those instances are skipped, as any division by zero)
==================  ==============================================================================================

so that ``\sum_{s'} p_{ss'} r_{ss'} = \mathbb{E}[R_{t+1} | S_t = s]`` (the file's ``R(s)``).  The subscript is two
states (``ss'``, ``s s'``, ``s,s'``); ``p_1``, ``r_t`` and ``p(s'|s)`` keep their readings.  A file that writes
``p_{ss'}`` is a Markov reward process (``R(s)`` is its expected reward, read_latex/notation_written.py).
"""
from __future__ import annotations

from sympy.core.symbol import Str

from ..lang import nodes
from ..lang.symbols import ActionVar
from .interpret import Ctx, Head
from .syntax import Atom, Group, Scripted, Term, raw, single
from .reading import note
from .registry import HEADS, head
from .roles import value_in_role

_ORIGINAL = {name: HEADS[name] for name in ("p", "r") if name in HEADS}
NOTE = (r"p_{ss'}, r_{ss'}: the Markov reward process of the file's policy \pi: p_{ss'} = \sum_a \pi(a \mid s) "
        r"P(s' \mid s, a) (the transition s \to s'), r_{ss'} = \mathbb{E}[R_{t+1} \mid S_t = s, S_{t+1} = s'] (its "
        r"reward)")


def _state_items(sub) -> list | None:
    """The two states of a subscript ``ss'``, ``s s'``, ``s,s'`` or ``s s_b`` (a named state,
    read_latex/listed_states.py)."""
    sub = single(sub)
    if isinstance(sub, Group) and sub.kind == "brace" and len(sub.parts) == 1:
        items = [single(x) for x in sub.parts[0]]  # s,s'
    else:
        items = sub.items if isinstance(sub, Term) else [sub]
    out = []
    for x in items:
        base = x.base if isinstance(x, Scripted) else x
        if isinstance(base, Atom) and base.kind == "sym" and base.name.rstrip("'") == "s":
            out.append(x)
        elif raw(x).strip() != ",":
            return None
    return out


def _pair(h: Head, ctx: Ctx):
    """(state, next state) of ``x_{ss'}`` (no superscript, no call, no prime), else None."""
    if h.sub is None or h.sup is not None or h.call is not None or h.primes:
        return None
    states = _state_items(h.sub)
    if states is None or len(states) != 2:
        return None
    h.take_sub()
    return (value_in_role(states[0], "state", ctx, "the state of p_{ss'}"),
            value_in_role(states[1], "state", ctx, "the next state of p_{ss'}"))


def _transition(st, nxt):
    act = ActionVar("a''")  # bound: the body names only st and nxt
    return nodes.SumOver(nodes.Pi(Str("theta"), act, st) * nodes.Trans(nxt, st, act), act)


def _p(h: Head, ctx: Ctx):
    """p_{ss'} (a Markov reward process): the probability of moving from s to s' under pi_theta."""
    pair = _pair(h, ctx)
    if pair is None:
        return _ORIGINAL["p"](h, ctx)
    note(NOTE)
    return _transition(*pair)


def _r(h: Head, ctx: Ctx):
    """r_{ss'} (a Markov reward process): the expected reward paid on the move from s to s' under pi_theta."""
    pair = _pair(h, ctx)
    if pair is None:
        return _ORIGINAL["r"](h, ctx)
    st, nxt = pair
    note(NOTE)
    act = ActionVar("a''")
    paid = nodes.SumOver(nodes.Pi(Str("theta"), act, st) * nodes.Trans(nxt, st, act) * nodes.Rew(st, act, nxt), act)
    return paid / _transition(st, nxt)


head("p")(_p)
head("r")(_r)

__all__ = ["NOTE"]
