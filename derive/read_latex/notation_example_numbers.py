r"""The numbers of one worked example: ``p_1``, ``p_2`` written without arguments (issue 10, R7).

The held-out AI-EDU book (microsoft/ai-edu, A7 sec. 7.3.2, eq. 7.3.8) works a figure's example:
``\mathbb E[R_{t+1}|S_t=s_a] = p_1 \cdot r_1 + p_2 \cdot r_2``, ``p_1``, ``p_2`` the figure's transition probabilities
from ``s_a`` to ``s_b`` and ``s_c``.  Such a step is about one example's numbers, not an identity derive can check
on random MDPs; the message says so plainly and names what derive reads (instead of "p must be applied to
arguments").  ``p_\theta(\tau)``, ``p(x)``, ``p(s'|s,a)`` and Silver's ``P_{ss'}`` are unchanged.
"""
from __future__ import annotations

from .errors import fail
from .interpret import Ctx, Head
from .registry import HEADS, head
from .syntax import Atom, raw, single

_ORIGINAL = {name: HEADS[name] for name in ("p", "P") if name in HEADS}


def _example_number(h: Head):
    """Fail with the example message for ``p_1`` (a numbered probability, no arguments, no superscript)."""
    if h.sub is None or h.call is not None or h.sup is not None or h.primes:
        return
    sub = single(h.sub)
    if isinstance(sub, Atom) and sub.kind == "num":
        n = raw(sub).strip()
        fail(f"{h.name}_{n}: a number of one example (a probability {h.name}_{n} without arguments, as in a figure's "
             f"p_1 r_1 + p_2 r_2) is not read: derive checks general identities on random MDPs, where a probability "
             r"is written with its arguments: P(s'|s,a), p(x), p_\theta(\tau); write the step for a general state s "
             r"(\sum_{s'} P(s'|s,a) ...)", h.pos)


def _wrap(name):
    original = _ORIGINAL[name]

    def _numbered(h: Head, ctx: Ctx):
        _example_number(h)
        return original(h, ctx)

    _numbered.__doc__ = f"``{name}_1`` without arguments: an example's number (refused plainly); else as before."
    return _numbered


for _name in _ORIGINAL:
    head(_name)(_wrap(_name))

__all__: list = []
