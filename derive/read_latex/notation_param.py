"""``P_\\theta(x)``, ``p_\\theta(x)``: a parameterised distribution over the sample space X (issue 10, item 3).

==========================================  ==================================================
written                                     read as
==========================================  ==================================================
``P_\\theta(x)``, ``P_{\\theta}(y)``           the distribution ``P_\\theta`` on X at the point x
``p_\\theta(x)``                              the distribution ``p_\\theta`` on X (another one)
``x \\sim P_\\theta``, ``x \\sim p_\\theta``      a draw of x from it (expectations.py)
==========================================  ==================================================

Semantics (derive/engine/param_dist.py, docs/conventions.md): an exponential family on the finite
space X sharing theta with ``\\pi_\\theta``, ``P_\\theta(x) = h(x) exp(\\theta \\cdot \\phi(x)) / Z(\\theta)``,
so ``\\nabla_\\theta P_\\theta(x) = P_\\theta(x) (\\phi(x) - \\mathbb{E}_{y \\sim P_\\theta}[\\phi(y)])`` exactly
(Spinning Up, "Expected Grad-Log-Prob Lemma"; Williams 1992 for the score function).  Only the
subscript ``\\theta`` is read (derive has one parameter); the argument must be a point of X (x, y).
"""
from __future__ import annotations

from sympy.core.symbol import Str

from ..lang import nodes
from .errors import fail
from .roles import value_in_role
from .reading import note
from .syntax import raw, single

NAMES = {"P": r"P_\theta", "p": r"p_\theta"}
POINTS = ("x", "y")


def is_theta_sub(sub) -> bool:
    try:
        return raw(single(sub)).replace(" ", "").strip("{}") == r"\theta"
    except Exception:  # noqa: BLE001 - not a single item: not \theta
        return False


def takes_point(g) -> bool:
    """A call group (x): one argument, which is written as a point of X (x, y)."""
    if g is None or g.sep is not None or g.params or len(g.parts) != 1 or len(g.parts[0]) != 1:
        return False
    return raw(g.parts[0][0]).replace(" ", "") in POINTS


def param_prob(letter: str, sub, g, ctx, pos: int):
    """``P_\\theta(x)`` (letter P) or ``p_\\theta(x)`` (letter p): FreeProb of the parameterised distribution."""
    if not is_theta_sub(sub):
        fail(f"{letter}_{{{raw(sub)[:20]}}}(x): a distribution on X is parameterised by \\theta only "
             f"(write {letter}_\\theta(x))", pos)
    x = value_in_role(g.parts[0][0], "point", ctx, f"the argument of {letter}_\\theta")
    note(rf"{letter}_\theta(x) is a distribution on the sample space X parameterised by \theta: an exponential "
         r"family sharing \theta with \pi_\theta, so \nabla_\theta " + letter + r"_\theta(x) is exact (docs/conventions.md)")
    return nodes.FreeProb(Str(NAMES[letter]), x)


def draw_name(rraw: str):
    """The distribution named after ``x \\sim``: ``P_\\theta``/``p_\\theta`` (any bracing), else None."""
    s = rraw.replace(" ", "").replace("{", "").replace("}", "")
    for letter, name in NAMES.items():
        if s == f"{letter}_\\theta":
            return name
    return None


__all__ = ["param_prob", "takes_point", "draw_name", "NAMES"]
