r"""An undiscounted sum to infinity over a finite-horizon trajectory: to the end of the episode.

``R(\tau) = \sum_{t=0}^{\infty} r_t``, ``p_\theta(\tau) = d_0(s_0) \prod_{t=0}^{\infty} \pi_\theta(a_t|s_t)
p(s_{t+1}|s_t, a_t)`` and ``\nabla_\theta \log p_\theta(\tau) = \sum_{t=0}^{\infty} \nabla_\theta \log
\pi_\theta(a_t|s_t)`` (the RLHF book, ch. 6, eqs. policy_objective_expectation to trajectory_log_grad) carry no
discount: such a sum is finite only when the episode ends, "T = \infty or \gamma = 1 (but not both)"
(Sutton & Barto 2018, sec. 3.4, eq. 3.11).  In a file read in the finite-horizon setting (``setting: finite``, the
reader's default, or stated; never for a formula read without a setting, as a catalog entry's), such a sum or product is read to the end of the trajectory,
the last time of its terms (``r_{T-1}``, ``a_{T-1}``; ``s_T``): the steps after the end contribute nothing.

Read so only when the term has no weight that moves with the index (no ``\gamma^t``, ``\lambda^{n-1}``:
a geometric series keeps its infinite range, and a finite horizon then leaves it "not attempted") and each of
its time indices moves with the index (as the ellipsis series of series.py, ``upper_to_end``).  The reading is
stated on the step's "read as" line.
"""
from __future__ import annotations

import sympy
from sympy import Pow, Product, Sum, oo

from .reading import note_in
from .series import upper_to_end


def _weighted(body, var) -> bool:
    """A factor whose exponent moves with the index (gamma^t, (gamma lambda)^l, lambda^{n-1}), or a series to
    infinity inside (\\sum_{t'=t}^{\\infty} \\gamma^{t'} r_{t'}: the future of step t, kept infinite)."""
    return any((isinstance(e, Pow) and var in getattr(e.exp, "free_symbols", ()))
               or (isinstance(e, (Sum, Product)) and any(lim[2] == oo for lim in e.limits))
               for e in sympy.preorder_traversal(body))


def episode_end(body, limits, ctx, what: str):
    r"""The limits of ``what`` (\sum or \prod) over ``body``: ``(var, lo, oo)`` becomes ``(var, lo, L)``, L the
    trajectory's last time of the body's terms, for an undiscounted term in the finite-horizon setting (stated on
    "read as"); any other limits unchanged."""
    var, lo, hi = limits
    if hi != oo or ctx.options.get("setting") != "finite" or _weighted(body, var):  # the setting stated or inferred
        return limits
    try:
        last, how = upper_to_end(body, var, "finite")
    except (TypeError, ValueError, AttributeError):  # a term upper_to_end cannot place: keep \infty
        return limits
    if last is None or last == oo or how != "to the end of the trajectory":
        return limits
    note_in(ctx, f"{what}_{{{sympy.latex(var)}={sympy.latex(lo)}}}^{{\\infty}} of an undiscounted term over the "
                 f"trajectory: to the end of the episode, {sympy.latex(var)} = {sympy.latex(lo)}..{sympy.latex(last)} "
                 "(finite-horizon setting: the trajectory ends at T; an undiscounted infinite sum is finite only when "
                 "the episode ends, Sutton & Barto 2018, eq. 3.11)")
    return var, lo, last


__all__ = ["episode_end"]
