r"""What a state is drawn from in an expectation's subscript (split from expectations.py; issue 10).

=====================================================  =========================================================
written                                                read as
=====================================================  =========================================================
``s \sim \rho_0``                                       the start distribution
``s \sim d^\pi``                                        the normalised state distribution d^\pi
``s \sim d^\pi_{s_0}``                                  the visitation from a start state (visitation_draws.py)
``s' \sim P(\cdot|s,a)``                                the transition
``s \sim \rho_\pi``, ``s \sim \rho_{\theta_{old}}``        the normalised visitation (1 - \gamma) \rho_\pi = d^\pi: TRPO
                                                       (Schulman et al. 2015, eq. 14) replaces \sum_s \rho_{\theta_{old}}(s)
                                                       [...] by \frac{1}{1-\gamma} \mathbb{E}_{s \sim \rho_{\theta_{old}}}[...]
=====================================================  =========================================================
"""
from __future__ import annotations

from sympy.core.symbol import Str

from ..lang import nodes
from .errors import fail
from .interpret import Ctx
from .notation_policies import is_policy_spelling
from .reading import note
from .roles import value_in_role
from .spellings import THETA_SPELLINGS, policy_name, single_expr
from .syntax import Placeholder, Scripted, Syn, base_atom, raw, single
from .visitation_draws import start_state_draw

RHO_DRAW = (r"s \sim \rho_\pi: a state drawn from TRPO's visitation normalised, (1 - \gamma) \rho_\pi = d^\pi "
            r"(Schulman et al. 2015, eq. 14: \sum_s \rho_{\theta_{old}}(s) [\ldots] = "
            r"\frac{1}{1-\gamma} \mathbb{E}_{s \sim \rho_{\theta_{old}}}[\ldots])")


def theta_subscript(sub) -> str | None:
    """The policy slot of a parameter written as a subscript (\\theta, \\theta_{old}), else None."""
    r = raw(single(single_expr(sub))).replace(" ", "")
    return THETA_SPELLINGS.get(r) if r.startswith(r"\theta") else None


def _visitation(rhead):
    """The policy of \\rho_\\pi, \\rho^\\pi, \\rho_{\\theta_{old}}, \\rho_{old} written as a draw, else None."""
    a = base_atom(rhead)
    if a is None or a.name != r"\rho" or not isinstance(rhead, Scripted) or (rhead.sub is None) == (rhead.sup is None):
        return None
    sub = rhead.sub if rhead.sub is not None else rhead.sup
    if raw(sub).replace(" ", "").strip("{}") == "0":
        return None
    pol = theta_subscript(sub)
    if pol is None and raw(single_expr(sub)).replace(" ", "") in ("old", r"\text{old}", r"\mathrm{old}"):
        pol = "old"
    if pol is None and is_policy_spelling(single_expr(sub)):
        pol = policy_name(single_expr(sub), r"the policy of \rho_\pi")
    return pol


def state_draw(var, rhead, rcall, rraw, ctx: Ctx, rhs: Syn):
    """The Dist node of ``var \\sim rhs`` for a state var."""
    if rraw == r"\rho_{0}" and rcall is None:
        return nodes.InitDraw(var)
    a = base_atom(rhead)
    if a is not None and a.name == "d" and isinstance(rhead, Scripted) and rhead.sup is not None \
            and rhead.sub is None and rcall is None:
        return nodes.OccDraw(var, Str(policy_name(single_expr(rhead.sup), "the superscript of d")))
    if rcall is None and (pol := _visitation(rhead)) is not None:
        note(RHO_DRAW)
        return nodes.OccDraw(var, Str(pol))
    if rcall is None and (start := start_state_draw(var, rhead, ctx)) is not None:
        return start  # s ~ d^pi_{s_0} (visitation_draws.py)
    if rraw == "P" and rcall is not None:
        if rcall.sep != "|" or len(rcall.parts[0]) != 1 or not isinstance(rcall.parts[0][0], Placeholder) \
                or len(rcall.parts[1]) != 2:
            fail(r"a next state is drawn as s' \sim P(\cdot|s,a)", rcall.pos)
        st = value_in_role(rcall.parts[1][0], "state", ctx, r"the state of P(\cdot|s,a)")
        act = value_in_role(rcall.parts[1][1], "action", ctx, r"the action of P(\cdot|s,a)")
        return nodes.TransDraw(var, st, act)
    fail(r"a state is drawn from \rho_0, d^{\pi}, d^{\pi}_{s}, \rho_\pi or P(\cdot|s,a), not " + raw(rhs)[:30], rhs.pos)


__all__ = ["state_draw", "theta_subscript", "RHO_DRAW"]
