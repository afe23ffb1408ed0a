r"""A trajectory drawn from a distribution conditioned on its start (issue 10).

JoyRL (datawhalechina/joyrl-book, ch. 9, eqs. 43-44) writes the action value as an expectation over the
trajectories that start with a given state and action:

    Q^{\pi}(s, a) = \mathbb{E}_{\tau \sim p_\theta(\tau|s_0=s, a_0=a)}\left[\sum_{t=0}^{T} r(s_t, a_t)\right]

``\tau \sim p_\theta(\tau \mid s_0 = s, a_0 = a)`` is read as ``\tau \sim \pi_\theta`` conditioned on the written
values: ``\mathbb{E}_{\tau \sim \pi_\theta}[X \mid s_0 = s, a_0 = a]`` (said in ``read as``).  The conditions are
variables of the trajectory (s_t, a_t) equal to free states and actions, as in ``[X \mid s_t = s]``; any other
condition is refused with the reason.  Any other ``\tau \sim ...`` keeps its reading (notation_traj.py).
"""
from __future__ import annotations

from sympy.core.symbol import Str

from ..lang import nodes
from ..lang.symbols import ActionVar, StateVar
from .errors import fail
from .interpret import Ctx, interpret
from .notation_traj import trajectory_policy
from .reading import note
from .roles import value_in_role
from .spellings import head_and_call, is_tau, policy_name, single_expr
from .syntax import Atom, Rel, Scripted, raw, single


def _conditioned(rhs, ctx: Ctx):
    """[TrajDist, Given, ...] of p_\\theta(\\tau \\mid s_0 = s, a_0 = a), or None for another spelling."""
    rhead, rcall = head_and_call(rhs)
    a = rhead.base if isinstance(rhead, Scripted) else rhead
    if not isinstance(a, Atom) or a.kind not in ("sym", "text") or a.name not in ("p", "P", "Pr") or rcall is None \
            or rcall.sep != "|" or rcall.params or len(rcall.parts) != 2 or len(rcall.parts[0]) != 1 \
            or not is_tau(rcall.parts[0][0]):
        return None
    conds = rcall.parts[1]
    if not conds or not all(isinstance(single(c), Rel) and single(c).kind == "=" for c in conds):
        return None
    sub = rhead.sub if isinstance(rhead, Scripted) else None
    pol = policy_name(single_expr(sub), f"the subscript of {a.name}") if sub is not None else "theta"
    out = [nodes.TrajDist(Str(pol))]
    for c in conds:
        c = single(c)
        v = interpret(single(c.lhs), ctx.deeper(c.pos, "var"))
        if not isinstance(v, (nodes.St, nodes.At)):
            fail(rf"\tau \sim p(\tau \mid ...) is conditioned on variables of the trajectory (s_0 = s, a_0 = a), "
                 rf"not {raw(c.lhs)[:20]}", c.pos)
        role = "state" if isinstance(v, nodes.St) else "action"
        value = value_in_role(c.rhs, role, ctx, f"the value of {raw(c.lhs)[:20]} in the condition")
        if not isinstance(value, (StateVar, ActionVar)):
            fail(rf"{raw(c.lhs)[:20]} is conditioned on a state s or an action a (s_0 = s), not {raw(c.rhs)[:20]}",
                 c.rhs.pos)
        out.append(nodes.Given(v, value))
    note(r"\tau \sim p_\theta(\tau \mid s_0 = s, a_0 = a): trajectories of \pi_\theta given the written start, "
         r"\mathbb{E}_{\tau \sim \pi_\theta}[X \mid s_0 = s, a_0 = a]")
    return out


def trajectory_draw(rhs, ctx: Ctx) -> list:
    r"""The draws of ``\tau \sim rhs``: ``\tau \sim \pi_\theta`` (and its spellings, notation_traj.py), or the
    draw conditioned on its start, ``p_\theta(\tau \mid s_0 = s, a_0 = a)``."""
    pol = trajectory_policy(rhs)
    if pol is None:
        got = _conditioned(rhs, ctx)
        if got is not None:
            return got
    return [nodes.TrajDist(Str(pol if pol is not None else policy_name(rhs, r"\tau \sim ...")))]


__all__ = ["trajectory_draw"]
