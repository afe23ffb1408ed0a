"""Time starting at 1 (front matter ``horizon: from-1``; issue 10): CS285, CS224R, Hung-yi Lee, Easy RL.

Levine's CS285 (lecture 5) and its followers write the trajectory ``\\tau = (s_1, a_1, \\dots, s_T, a_T)``,
``p_\\theta(\\tau) = p(s_1) \\prod_{t=1}^{T} \\pi_\\theta(a_t|s_t) p(s_{t+1}|s_t, a_t)`` and
``\\sum_{t=1}^{T} r(s_t, a_t)``: T steps numbered 1..T.  Under ``horizon: from-1`` the written time u of
a trajectory variable (``s_u``, ``a_u``, ``r_u``, ``G_u``, ``\\delta_u``, ...) is derive's u - 1
(read_latex/interpret.py ``index``), sums keep their written bounds, ``T`` keeps its meaning (the number of
steps), ``\\sum_t`` without bounds runs over t = 1..T (read_latex/operators.py), and ``p(s_1)`` (``p(S_1)``)
is the start distribution ``\\rho_0(s_0)`` (here).  In any convention, ``p_\\theta(a_t|s_t)`` (Hung-yi Lee,
Easy RL ch. 4: the agent's probability of the action) is the policy ``\\pi_\\theta(a_t|s_t)``.  The convention is stated on the ``conventions:`` line,
given or inferred (read_markdown/conventions.py).
"""
from __future__ import annotations

from .interpret import Ctx, Head
from .roles import value_in_role
from .registry import HEADS, head
from .reading import note
from .syntax import raw
from ..lang import nodes
from sympy.core.symbol import Str

_P_BEFORE = HEADS["p"]


@head("p")
def _p_from1(h: Head, ctx: Ctx):
    """p(s_1), p(S_1) under horizon: from-1: the start distribution rho_0 of the first state."""
    g = h.call
    if ctx.options.get("horizon") == "from-1" and h.sub is None and h.sup is None and not h.primes \
            and g is not None and g.sep is None and not g.params and len(g.parts) == 1 and len(g.parts[0]) == 1 \
            and raw(g.parts[0][0]).replace(" ", "").replace("{", "").replace("}", "") in ("s_1", "S_1"):
        h.take_call()
        note(r"p(s_1) is the start distribution \rho_0(s_0) (horizon: from-1: s_1 is the first state)")
        return nodes.Rho0(value_in_role(g.parts[0][0], "state", ctx, "the argument of p(s_1)"))
    if h.sub is not None and h.sup is None and not h.primes and g is not None and g.sep == "|" \
            and len(g.parts) == 2 and len(g.parts[0]) == 1 and len(g.parts[1]) == 1 \
            and raw(h.sub).replace(" ", "").strip("{}") == "\\theta":
        # p_\theta(a_t|s_t) (Hung-yi Lee, Easy RL ch. 4: "p_\theta(a_t|s_t) 来自智能体"): the policy \pi_\theta(a_t|s_t)
        h.take_sub()
        h.take_call()
        act = value_in_role(g.parts[0][0], "action", ctx, "the action of p_\\theta(a|s)")
        st = value_in_role(g.parts[1][0], "state", ctx, "the state of p_\\theta(a|s)")
        note(r"p_\theta(a|s) is the policy \pi_\theta(a|s) (the agent's probability of the action, Hung-yi Lee)")
        return nodes.Pi(Str("theta"), act, st)
    return _P_BEFORE(h, ctx)
