r"""Importance sampling written with capitals: ``\mathbb{E}_{P(X)}[f(X)] = \int_x Q(x) \frac{P(x)}{Q(x)} f(x)\,dx``
(issue 10).

Probability texts name two distributions of a sample space ``P`` and ``Q`` and write the random variable as a
capital ``X``, its value as ``x`` (trunghng's importance-sampling section; Owen's and Bishop's textbooks).  In a
file that writes a one-argument ``P(x)`` or ``P(X)`` and no lower-case one-argument ``p(x)`` or ``q(x)`` (the
names would collide), derive reads ``P(x)`` and ``Q(x)`` as its free distributions ``p(x)``, ``q(x)``, a capital
``X`` (``Y``) as the point ``x`` (``y``) it takes, ``\mathbb{E}_{P(X)}`` and ``x \sim Q`` as draws from them, and
says so in "read as".  ``P(s'|s,a)``, ``P(\tau|\theta)`` and ``P(s_0)`` keep their meanings (other arguments).
"""
from __future__ import annotations

import re

from sympy.core.symbol import Str

from ..lang import nodes
from ..lang.symbols import PointVar
from .errors import fail
from .interpret import Ctx, Head, arguments
from .reading import current, note
from .registry import HEADS, head
from .syntax import Atom, single

_BEFORE = {name: HEADS[name] for name in ("P", "Q")}
_CAPITAL_P = re.compile(r"(?<![A-Za-z\\])P\s*(?:\\left\s*)?\(\s*[xX]\s*(?:\\right\s*)?\)")
_LOWER_PQ = re.compile(r"(?<![A-Za-z\\])[pq]\s*(?:\\left\s*)?\(\s*[xXyY]\s*(?:\\right\s*)?\)")
NAMES = {"P": "p", "Q": "q"}
POINTS = {"x": "x", "y": "y", "X": "x", "Y": "y"}
NOTE = (r"P(x), Q(x) (one point of a sample space, the file's capital names) are the free distributions p(x), q(x); "
        r"a capital X is the random variable, read as the point x it takes")


def capital_file() -> bool:
    """Does the file name its sample-space distributions P and Q (a one-argument P(x), no p(x), q(x))?"""
    reading = current()[0]
    text = getattr(reading, "text", "") or ""
    return bool(_CAPITAL_P.search(text)) and not _LOWER_PQ.search(text)


def capital_distribution(name: str):
    """``"p"``/``"q"`` for the capital ``P``/``Q`` of such a file (a draw's distribution), else None."""
    if name in NAMES and capital_file():
        note(NOTE)
        return NAMES[name]
    return None


def capital_point(arg):
    """The PointVar of an argument ``x``, ``X``, ``y``, ``Y`` (capitals only in such a file), else None."""
    a = single(arg)
    if not (isinstance(a, Atom) and a.kind == "sym" and a.name in POINTS):
        return None
    if a.name.isupper() and not capital_file():
        return None
    return PointVar(POINTS[a.name])


@head("P", "Q")
def _capital_density(h: Head, ctx: Ctx):
    r"""``P(x)``, ``Q(X)`` in a file naming its sample-space distributions P and Q: ``p(x)``, ``q(x)``; anything
    else as before."""
    g = h.call
    if g is None or g.sep is not None or g.params or len(g.parts) != 1 or len(g.parts[0]) != 1 \
            or h.sub is not None or h.sup is not None or h.primes or not capital_file() \
            or capital_point(g.parts[0][0]) is None:
        return _BEFORE[h.key](h, ctx)
    (x,) = arguments(h.take_call(f"{h.name}(x)"), 1, f"the distribution {h.name}")
    note(NOTE)
    return nodes.FreeProb(Str(NAMES[h.name]), capital_point(x))


@head("X", "Y")
def _random_variable(h: Head, ctx: Ctx):
    r"""``X``, ``Y`` (the random variable) in such a file: the point ``x``, ``y`` it takes."""
    if h.sub is not None or h.sup is not None or h.call is not None or h.primes or not capital_file():
        fail(f"unknown symbol {h.name}: a capital {h.name} is read as a random variable only in a file that names its "
             f"distributions P(x), Q(x); write the point x", h.pos)
    note(NOTE)
    return PointVar(POINTS[h.name])


__all__ = ["capital_distribution", "capital_point", "NOTE"]
