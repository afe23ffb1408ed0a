"""Joint (state-action) probabilities of a trajectory (issue 10): CS285's state-action marginal.

Levine's CS285 (lecture 5) writes the objective as an expectation under the state-action marginal
``\\mathbb{E}_{(s_t, a_t) \\sim p_\\theta(s_t, a_t)}[r(s_t, a_t)]``: the pair at time t drawn from its
marginal under pi_theta.  For a body that is a function of the trajectory (here of s_t, a_t) this is
exactly the expectation over the trajectories of pi_theta, so it is read as ``\\mathbb{E}_{\\tau \\sim
\\pi_\\theta}[...]`` (said in ``read as``).  The pair must be the arguments of p, written the same way, and be
the state and action of one time (``(s_t, a_t)``, ``(s_{t'}, a_{t'})``); anything else is refused by the
caller (read_latex/expectations.py).
"""
from __future__ import annotations

from sympy.core.symbol import Str

from ..lang import nodes
from .spellings import policy_name, single_expr
from .reading import note
from .syntax import Scripted, base_atom, raw, single


def _time_var(x, letter: str):
    x = single(x)
    a = base_atom(x)
    if not isinstance(x, Scripted) or a is None or a.kind != "sym" or a.name != letter or x.sub is None \
            or x.sup is not None:
        return None
    return raw(single(x.sub)).replace(" ", "").strip("{}")


def marginal_pair_draw(lhs, rhs):
    """``(s_t, a_t) \\sim p_\\theta(s_t, a_t)``: the TrajDist of the policy, or None when it is not that form."""
    s_syn, a_syn = lhs.parts[0]
    u = _time_var(s_syn, "s")
    if u is None or _time_var(a_syn, "a") != u:
        return None
    rhead = single(rhs)
    if not hasattr(rhead, "items") or len(rhead.items) != 2:
        return None
    head_, call = rhead.items
    ha = base_atom(head_)
    if ha is None or ha.name != "p" or not isinstance(head_, Scripted) or head_.sub is None or head_.sup is not None:
        return None
    g = call
    if getattr(g, "kind", None) not in ("paren", "left") or getattr(g, "sep", None) is not None or len(g.parts) != 1 \
            or len(g.parts[0]) != 2:
        return None
    if [raw(x).replace(" ", "") for x in g.parts[0]] != [raw(x).replace(" ", "") for x in lhs.parts[0]]:
        return None
    pol = policy_name(single_expr(head_.sub), "the subscript of p_\\theta(s_t, a_t)")
    note(r"(s_t, a_t) \sim p_\theta(s_t, a_t) (CS285's state-action marginal at time t): for a body of the "
         r"trajectory this is \mathbb{E}_{\tau \sim \pi_\theta}")
    return nodes.TrajDist(Str(pol))


__all__ = ["marginal_pair_draw"]
