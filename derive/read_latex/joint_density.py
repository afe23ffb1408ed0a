r"""The joint density of a run of the trajectory's variables, given earlier ones (issue 10).

Lecture notes and books that derive the trajectory probability by the chain rule (Levine's CS285 lecture 4;
helpingstar/Math-RL, eqs. 3.2-3.4) write the density of several variables of the trajectory at once:

=========================================================================  ===========================================
written                                                                    read as
=========================================================================  ===========================================
``p_\theta(x_0, u_0, x_1, u_1, \ldots, x_T, u_T)`` (the whole trajectory)   ``P(\tau \mid \theta)``
``p_\theta(u_0, x_1, \ldots, x_T, u_T \mid x_0)``                            ``\prod_{t=0}^{T-1} \pi_\theta(a_t|s_t) P(s_{t+1}|s_t,a_t)``
``p_\theta(u_1 \mid x_0, u_0, x_1)``                                         ``\pi_\theta(a_1 \mid s_1)`` (Markov)
``p(x_2 \mid x_0, u_0, x_1, u_1)``                                           ``P(s_2 \mid s_1, a_1)`` (Markov)
=========================================================================  ===========================================

The trajectory's variables in order are s_0, a_0, s_1, a_1, ...; its density factors as
rho_0(s_0) pi(a_0|s_0) P(s_1|s_0,a_0) pi(a_1|s_1) ...  A run of consecutive variables V given earlier
variables C is, by the Markov property, the product of the factors of V, provided C holds the variables
those factors condition on (a_{k-1} and s_{k-1} before s_k, s_k before a_k); every variable of C must come
before V.  A run with no condition must start at s_0.  An ellipsis (``\ldots``, ``\dots``, ``\cdots``)
stands for the variables in between.  A run that reaches the trajectory's end is the rest of the trajectory, the
final transition included, as in derive's P(\tau|\theta): its last state s_T, or under ``horizon: last-index`` its
last action u_T (the file's tau = (x_0, u_0, ..., x_T, u_T) lists exactly those variables and its P(\tau) multiplies
up to p(x_{T+1}|x_T, u_T)); under derive's own horizon a list ending at a_{T-1} is only those variables.
The reading is said in ``read as``; any other list keeps the earlier reading (or its refusal).
"""
from __future__ import annotations

from .errors import LatexError, ParseFail
from .interpret import Ctx, Head
from .reading import note
from .registry import HEADS, head
from .spellings import policy_name, single_expr
from .trajectory_runs import GAP as _GAP, condition_ok as _condition_ok, consecutive as _run, density, \
    items_of as _items, position as _pos, to_the_end

_BEFORE = HEADS["p"]


@head("p")
def _p(h: Head, ctx: Ctx):
    r"""``p_\theta(x_0, u_0, \ldots, x_T, u_T)``, ``p_\theta(u_1 | x_0, u_0, x_1)``: the density of a run of the
    trajectory's variables given earlier ones (Markov); any other p as before."""
    g = h.call
    if g is None or h.sup is not None or h.primes or g.params or g.kind not in ("paren", "left") \
            or (g.sep is not None and (g.sep != "|" or len(g.parts) != 2)):
        return _BEFORE(h, ctx)
    listed = _items(g.parts[0], ctx)
    cond = _items(g.parts[1], ctx) if g.sep == "|" else []
    if listed is None or cond is None:
        return _BEFORE(h, ctx)
    plain = len(listed) == 1 and len(cond) <= 2 and _GAP not in cond
    if h.sub is None and (plain or not any(it is not _GAP and it[0] == "a" for it in listed)) and len(cond) <= 2 \
            and _GAP not in listed:
        return _BEFORE(h, ctx)  # p(s_0), p(s_{t+1}|s_t, a_t): the earlier readings
    if not _run(listed):
        return _BEFORE(h, ctx)
    first, last = listed[0], listed[-1]
    if cond:
        if not _condition_ok(first, cond):
            return _BEFORE(h, ctx)
    elif _pos(first) != 0:
        return _BEFORE(h, ctx)
    pol = "theta"
    if h.sub is not None:
        try:
            pol = policy_name(single_expr(h.sub), "the subscript of p")
        except (LatexError, ParseFail):
            return _BEFORE(h, ctx)
        h.take_sub()
    elif any(it is not _GAP and it[0] == "a" for it in listed):
        note(r"p(\ldots) without a subscript, over actions of the trajectory: the policy is \pi_\theta")
    h.take_call()
    whole = to_the_end(last, ctx)
    value, whole = density(first, last, pol, whole)
    note(r"p(\ldots \mid \ldots) of the trajectory's variables is their joint density under the policy, by the "
         r"chain rule and the Markov property: a product of \rho_0(s_0), \pi(a_k \mid s_k) and "
         r"P(s_{k+1} \mid s_k, a_k) factors (an ellipsis stands for the variables in between)")
    if whole:
        note(r"a list of the trajectory's variables that runs to its end (its last action a_T under horizon: "
             r"last-index, where \tau = (s_0, a_0, \ldots, s_T, a_T)) is the rest of the trajectory \tau, the final "
             r"transition included, as in P(\tau \mid \theta)")
    return value


__all__: list = []
