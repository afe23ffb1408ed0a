r"""A baseline written with a time index: ``b_t``, ``b_{t+1}`` (issue 10, R7).

The held-out Math-RL book (helpingstar, ch. 4, eqs. 4.8-4.12) writes the policy gradient with a baseline as
``\nabla_\theta \log \pi_\theta(u_t|x_t) (Q^{\pi_\theta}(x_t, u_t) - b_t)`` and uses that ``b_t`` does not depend on
the action (``\int \nabla_\theta \pi_\theta(u_t|x_t) b_t du_t = b_t \nabla_\theta \int \pi_\theta du_t = 0``);
Greensmith, Bartlett & Baxter (2004, sec. 5) and Sutton & Barto (2018, eq. 13.10, ``b(S_t)``) write the same
baseline of the state at time t.  ``b_t`` is read as ``b(s_t)``, a free function of the state at time t (the most
general baseline that does not depend on the action); this is stated in ``read as``: a claim that holds for every
such b also holds for a baseline that depends on t only, and one that needs b to be constant in the state is judged
against b(s_t).  ``b(s_t)`` was already a free function; a bare ``b`` stays as before (an action bound by a sum, or
a constant baseline in a file about a baseline, read_latex/notation_values.py).
"""
from __future__ import annotations

from sympy.core.symbol import Str

from ..lang import nodes
from .interpret import Ctx, Head
from .reading import note
from .registry import HEADS, head
from .roles import index

_ORIGINAL_B = HEADS["b"]


@head("b")
def _time_baseline(h: Head, ctx: Ctx):
    """``b_t`` (no call, no superscript, not an action): the baseline b(s_t), a free function of the state at t."""
    if h.sub is not None and h.call is None and h.sup is None and not h.primes and ctx.role != "action" \
            and h.name not in ctx.actions:
        u = index(h.take_sub("b_t"), ctx, "the time index of the baseline b_t")
        note(r"b_t (a baseline, not an action) is read as b(s_t): a free function of the state at time t, which "
             r"does not depend on the action (Sutton & Barto 2018, eq. 13.10)")
        return nodes.FreeFn(Str("b"), nodes.St(u))
    return _ORIGINAL_B(h, ctx)


__all__: list = []
