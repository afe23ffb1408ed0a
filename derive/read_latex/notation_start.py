r"""``P(s_0)``, ``\Pr(s_0)``: the probability of the first state, the initial-state distribution (issue 10).

Wikis and lecture notes write the trajectory probability with a capital P throughout:
``P(\tau | \theta) = P(s_0) \prod_t \pi_\theta(a_t | s_t) P(s_{t+1} | s_t, a_t)`` (the K-Scale humanoids wiki,
REINFORCE).  A one-argument ``P`` of the first state is ``\rho_0(s_0)``, as the lower-case ``p(s_0)`` already
is (notation_traj.py); "read as" says so.  Any other one-argument ``P`` keeps its message.
"""
from __future__ import annotations

from ..lang import nodes
from .interpret import Ctx, Head
from .reading import note
from .registry import HEADS, head
from .roles import value_in_role
from .syntax import raw

_BEFORE = {"P": HEADS["P"], "text:Pr": HEADS["text:Pr"]}
_FIRST = ("s_0", "S_0")


@head("P", "text:Pr")
def _first_state(h: Head, ctx: Ctx):
    r"""``P(s_0)``, ``P(S_0)``, ``\Pr(s_0)``: ``\rho_0(s_0)``; anything else as before."""
    g = h.call
    if g is not None and g.sep is None and not g.params and len(g.parts) == 1 and len(g.parts[0]) == 1 \
            and h.sub is None and h.sup is None and not h.primes \
            and raw(g.parts[0][0]).replace(" ", "").replace("{", "").replace("}", "") in _FIRST:
        h.take_call()
        note(r"P(s_0) is the initial-state distribution \rho_0(s_0)")
        return nodes.Rho0(value_in_role(g.parts[0][0], "state", ctx, "the argument of P(s_0)"))
    return _BEFORE[h.key](h, ctx)


__all__: list = []
