r"""More spellings of the trajectory probability and the start distribution with a lower-case p (issue 10).

=====================================================  ===========================================================
written                                                read as
=====================================================  ===========================================================
``p(\tau; \theta)``, ``p(\tau; \pi_\theta)``             ``P(\tau \mid \theta)`` (as ``P(\tau;\theta)``, notation_traj.py;
                                                       pipimamaoyuan/DRL_init_learning: ``p(\tau; \pi_\theta)``)
``p(\tau \mid \theta)``, ``p(\tau \mid \pi_\theta)``     ``P(\tau \mid \theta)``
``p_0(s_0)``, ``p_0(s)`` (the start distribution)        ``\rho_0(s_0)``, ``\rho_0(s)``
=====================================================  ===========================================================

The policy is the one the parameter names (``\theta`` or a policy spelling); the reading is said in the notes.
Any other ``p`` keeps its earlier reading.
"""
from __future__ import annotations

from sympy.core.symbol import Str

from ..lang import nodes
from .errors import fail
from .interpret import Ctx, Head
from .registry import HEADS, head
from .roles import value_in_role
from .spellings import is_tau, policy_name, single_expr
from .reading import note
from .syntax import raw, single

_BEFORE = HEADS["p"]


def _tau_call(g) -> bool:
    return g is not None and len(g.parts) >= 1 and len(g.parts[0]) == 1 and is_tau(g.parts[0][0])


@head("p")
def _p(h: Head, ctx: Ctx):
    r"""``p(\tau;\theta)``, ``p(\tau|\pi_\theta)``: the trajectory's probability; ``p_0(s)``: \rho_0(s); else as before."""
    g = h.call
    if h.sub is None and h.sup is None and not h.primes and _tau_call(g):
        if g.params and g.sep is None:
            params = h.take_params()
            if len(params) != 1:
                fail(r"p(\tau;\theta) takes one parameter after ';'", g.params[1])
            h.take_call()
            note(r"p(\tau; \theta) is the probability of the trajectory, P(\tau \mid \theta)")
            return nodes.TrajProb(Str(policy_name(params[0], r"the parameter of p(\tau;\theta)")))
        if g.sep == "|" and not g.params and len(g.parts) == 2 and len(g.parts[1]) == 1:
            h.take_call()
            note(r"p(\tau \mid \theta) is the probability of the trajectory, P(\tau \mid \theta)")
            return nodes.TrajProb(Str(policy_name(g.parts[1][0], r"the condition of p(\tau \mid \theta)")))
    if h.sub is not None and h.sup is None and not h.primes and raw(single_expr(h.sub)).strip() == "0" \
            and g is not None and g.sep is None and not g.params and len(g.parts) == 1 and len(g.parts[0]) == 1:
        h.take_sub()
        h.take_call()
        note(r"p_0 is the initial-state distribution \rho_0")
        return nodes.Rho0(value_in_role(single(g.parts[0][0]), "state", ctx, "the argument of p_0(s)"))
    return _BEFORE(h, ctx)


__all__: list = []
