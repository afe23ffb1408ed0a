"""The GAE paper's values with the discount in the label: ``V^{\\pi,\\gamma}``, ``Q^{\\pi,\\gamma}``, ``A^{\\pi,\\gamma}``.

Schulman et al. (2016), section 2, eqs. 4-5 write the discounted value functions with both the policy
and the discount in the superscript.  derive's ``V^\\pi``, ``Q^\\pi``, ``A^\\pi`` are the discounted values of
the file's ``\\gamma``, so ``V^{\\pi,\\gamma}(s_t)`` is read as ``V^\\pi(s_t)`` (said in ``read as``); any other
second label is left to the earlier reading (which refuses it).
"""
from __future__ import annotations

from .interpret import Ctx, Head
from .notation_policies import is_policy_spelling
from .reading import note
from .registry import HEADS, head
from .syntax import Group, raw, single

_ORIGINAL = {name: HEADS[name] for name in ("V", "Q", "A")}


def _policy_and_gamma(sup):
    """The policy item of a superscript ``{\\pi, \\gamma}``, or None."""
    g = single(sup) if sup is not None else None
    if isinstance(g, Group) and g.kind == "brace" and g.sep is None and len(g.parts) == 1 and len(g.parts[0]) == 2:
        pol, disc = g.parts[0]
        if raw(single(disc)).replace(" ", "") == r"\gamma" and is_policy_spelling(pol):
            return pol
    return None


@head("V", "Q", "A")
def _value_with_discount(h: Head, ctx: Ctx):
    """V^{\\pi,\\gamma}(s), Q^{\\pi,\\gamma}(s,a), A^{\\pi,\\gamma}(s,a) (GAE paper, eqs. 4-5): V^\\pi, Q^\\pi, A^\\pi."""
    pol = _policy_and_gamma(h.sup)
    if pol is not None:
        note(f"{h.base}^{{\\pi,\\gamma}} (GAE paper, sec. 2) is {h.base}^\\pi, the discounted value of the file's \\gamma")
        h.sup = pol
    return _ORIGINAL[h.base](h, ctx)


__all__ = []
