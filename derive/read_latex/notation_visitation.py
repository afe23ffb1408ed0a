r"""TRPO's visitation named by the parameter: ``\rho_{\theta_{old}}(s)`` (issue 10).

=========================================  ==========================================================
written                                    read as
=========================================  ==========================================================
``\rho_{\theta_{old}}(s)``, ``\rho_\theta(s)``  ``\rho_{\pi_{\theta_{old}}}(s)``: TRPO's unnormalised visitation (Schulman
                                           et al. 2015, eq. 14 writes \rho_{\theta_{old}} and A_{\theta_{old}})
=========================================  ==========================================================

``\rho_\theta`` with another argument (``\rho_\theta(\tau)``, a trajectory density) keeps its earlier reading or
refusal.  ``d_\pi(s)`` (the policy as a subscript) stays unread on purpose: authors mean the normalised
distribution (Kakade & Langford 2002) or TRPO's unnormalised \rho_\pi (OmniSafe's TRPO appendix), and the file does
not say which.
"""
from __future__ import annotations

from .interpret import Ctx, Head, arguments
from .notation_policies import rho
from .reading import note
from .registry import HEADS, head
from .roles import value_in_role
from .spellings import is_tau
from .state_draws import theta_subscript

_BEFORE_RHO = HEADS[r"\rho"]

RHO_NOTE = r"\rho_{\theta}(s) names the policy by its parameter: \rho_{\pi_\theta}(s) (TRPO, Schulman et al. 2015, eq. 14)"


def _one_arg(h: Head) -> bool:
    g = h.call
    return g is not None and g.sep is None and not g.params and len(g.parts) == 1 and len(g.parts[0]) == 1


@head(r"\rho")
def _rho(h: Head, ctx: Ctx):
    r"""``\rho_{\theta_{old}}(s)``: TRPO's \rho_{\pi_{\theta_{old}}}(s); any other \rho as before."""
    if h.sub is not None and h.sup is None and not h.primes and _one_arg(h) and not is_tau(h.call.parts[0][0]):
        pol = theta_subscript(h.sub)
        if pol is not None:
            h.take_sub()
            (s,) = arguments(h.take_call(), 1, r"\rho_\theta")
            note(RHO_NOTE)
            return rho(pol, value_in_role(s, "state", ctx, r"the argument of \rho_\theta"), ctx)
    return _BEFORE_RHO(h, ctx)


__all__ = ["RHO_NOTE"]
