r"""A learned reward model's score outside the token MDP: ``r_\theta(y_c \mid x)``, ``r_\phi(x, y_w)`` (issue 10).

RLHF texts (the RLHF book ch. 5, reward-model sections of blogs) score a completion y of a prompt x with a
reward model ``r_\theta`` and then do pure algebra on the scores: ``\frac{\exp(r_\theta(y_c|x))}{\exp(r_\theta(y_c|x))
+ \exp(r_\theta(y_r|x))} = \sigma(r_\theta(y_c|x) - r_\theta(y_r|x))``.  Without front matter ``family: token``
(where ``r_\phi(x, y)`` is a function of the response on the token MDP, notation_dpo.py) derive reads each
score as a free real number, one per distinct written argument list (the same score written twice is the
same number), and says so: the step is then checked as algebra, for every value of the scores
(check_statements/scalars.py, or exactly at random values).  A score is an opaque value: a step that
needs what the model computes stays unread elsewhere (its other terms).
"""
from __future__ import annotations

import re

from ..lang import symbols as sy
from .interpret import Ctx, Head
from .notation_llm import token_family
from .reading import note
from .registry import HEADS, head
from .syntax import raw

_BEFORE = {"r": HEADS["r"]}
_PARAM = re.compile(r"\{?\s*\\(?:theta|phi|psi|omega)\s*\}?|\{?\s*w\s*\}?")
_RESPONSE = re.compile(r"y\s*(?:_\s*(?:\{\s*\w{1,3}\s*\}|\w))?")  # y, y_c, y_{w}, y_1
_PROMPT = re.compile(r"x\s*(?:_\s*(?:\{\s*\w{1,3}\s*\}|\w))?")
NOTE = (r"{name} (a reward model's score of the response, no family: token) is read as a free real number, one per "
        r"distinct argument: the step is judged as algebra in the scores")


def _arguments(h: Head):
    """The written arguments of r_\\theta(y|x) or r_\\theta(x, y) as text, or None when they are not a response
    (and optionally its prompt)."""
    g = h.call
    if g is None or g.params:
        return None
    parts = [", ".join(raw(x).strip() for x in part) for part in g.parts]
    if g.sep == "|" and len(parts) == 2 and _RESPONSE.fullmatch(parts[0]) and _PROMPT.fullmatch(parts[1]):
        return f"{parts[0]} \\mid {parts[1]}"
    if g.sep is None and len(g.parts[0]) in (1, 2):
        items = [raw(x).strip() for x in g.parts[0]]
        if _RESPONSE.fullmatch(items[-1]) and (len(items) == 1 or _PROMPT.fullmatch(items[0])):
            return ", ".join(items)
    return None


@head("r")
def _score(h: Head, ctx: Ctx):
    r"""``r_\theta(y_c \mid x)``, ``r_\phi(x, y_w)`` without ``family: token``: a free real number per argument;
    anything else as before."""
    if h.sub is None or h.sup is not None or h.primes or token_family(ctx) \
            or not _PARAM.fullmatch(raw(h.sub).strip()):
        return _BEFORE["r"](h, ctx)
    args = _arguments(h)
    if args is None:
        return _BEFORE["r"](h, ctx)
    param = raw(h.sub).strip().strip("{}").strip()
    h.take_sub()
    h.take_call()
    args = re.sub(r"\s+", " ", args)
    name = f"r_{{{param}}}({args})"
    note(NOTE.format(name=name))
    return sy.scalar(name)


__all__ = ["NOTE"]
