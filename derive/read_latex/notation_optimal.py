"""Optimal values as authors write them: V^*(s), Q^*(s,a), A^*(s,a), Sutton & Barto's v_*(s), q_*(s,a).

Read as derive's V*, Q*, A* (derive/lang/optimal.py; S&B 2018 section 3.6, eqs. 3.15-3.20).  A time
index (V^*_t(s)) is the finite-horizon optimal value of backward induction.
"""
from __future__ import annotations

from ..lang import nodes
from ..lang.optimal import AStar, QStar, VStar
from .interpret import Ctx, Head, arguments
from .roles import value_in_role
from .errors import fail
from .reading import note


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


def max_over_policies(body, pos):
    """max_pi V^pi(s) (or Q^pi(s, a)): the optimal value V*(s) (Q*(s, a)), S&B eqs. 3.15-3.16.

    A finite discounted MDP has a deterministic stationary policy that is optimal in every state at
    once, so the max over all policies is attained and equals V* (Puterman 1994, chapter 6).
    """
    if isinstance(body, nodes.V) and body.args[0].name == "theta":
        note(r"\max_\pi V^\pi(s) is the optimal value V^*(s) (S&B eq. 3.15: attained by a deterministic policy)")
        return VStar(body.args[1], body.args[2])
    if isinstance(body, nodes.Q) and body.args[0].name == "theta":
        note(r"\max_\pi Q^\pi(s,a) is the optimal value Q^*(s,a) (S&B eq. 3.16)")
        return QStar(body.args[1], body.args[2], body.args[3])
    fail(r"\max_\pi is read only as \max_\pi v_\pi(s) or \max_\pi q_\pi(s,a) (the optimal values)", pos)


def event_probability(rel, ctx: Ctx, policy: str = "theta"):
    """P(s_t = s) (or \\Pr): the probability that the trajectory of pi_theta is in s at time t, E_tau[[s_t = s]].

    P(s_t = s | \\tilde\\pi) (TRPO eq. 2, Schulman et al. 2015) names the policy: E_{tau ~ tilde pi}[[s_t = s]]."""
    from sympy.core.symbol import Str

    from ..lang.optimal import Same

    lhs = value_in_role(rel.lhs, "state", ctx, "the state of P(s_t = s)")
    rhs = value_in_role(rel.rhs, "state", ctx, "the value of P(s_t = s)")
    if policy == "theta":
        note(r"P(s_t = s) is the probability under \pi_\theta that the trajectory is in s at time t: "
             r"\mathbb{E}_{\tau \sim \pi_\theta}[\mathbb{1}[s_t = s]]")
    else:
        note(f"P(s_t = s | policy) is the probability under the policy after the bar ({policy}) that the trajectory "
             r"is in s at time t: \mathbb{E}_{\tau \sim \pi}[\mathbb{1}[s_t = s]]")
    return nodes.Expect(Same(lhs, rhs), nodes.TrajDist(Str(policy)))


__all__ = ["optimal_value", "max_over_policies", "event_probability"]
