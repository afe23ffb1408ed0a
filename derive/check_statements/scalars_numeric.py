r"""Free real numbers inside ``exp`` and ``\log``: judged in 60-digit arithmetic (issue 10).

The exact judge of pure-algebra steps (scalars.py) evaluates at rational points in exact arithmetic; an
``e^{x}`` or ``\log x`` has no exact rational value there.  Steps such as the Bradley-Terry algebra of the
RLHF book (``\frac{e^{r_c}}{e^{r_c} + e^{r_r}} = \frac{1}{1 + e^{-(r_c - r_r)}} = \sigma(r_c - r_r)``) are
then evaluated at the same points (the same seeded draws, assumptions and boundary points) with SymPy's
``evalf`` at 60 significant digits: the sides agree when they differ by at most 1e-40 (relative to their
size), and a difference larger than that is a counterexample (60-digit values of expressions this small
are far more accurate than the 1e-40 threshold).  The verdict says the comparison was not exact.
"""
from __future__ import annotations

from sympy import Float, Rational, exp, log, preorder_traversal
from sympy.core.function import AppliedUndef

from ..lang import nodes

DIGITS = 60
TOL = Float("1e-40", DIGITS)


def numeric_candidate(*exprs) -> bool:
    """Do the expressions use exp or log (and nothing the numeric judge cannot evaluate)?"""
    found = False
    for e in exprs:
        if e is None:
            continue
        if e.atoms(AppliedUndef) or any(isinstance(x, nodes.Node) for x in preorder_traversal(e)):
            return False  # clip, indicators: the exact judge's (scalars.py), which says what it cannot evaluate
        found = found or bool(e.atoms(exp) or e.atoms(log))
    return found


def nvalue(e, point: dict):
    """The 60-digit value of e at a point (Fractions), None where it is undefined or not real."""
    subs = {k: Rational(v.numerator, v.denominator) for k, v in point.items()}
    try:
        v = e.xreplace(subs).evalf(DIGITS)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not v.is_number or v.is_real is not True or not v.is_finite:
        return None
    return Float(v, DIGITS)


def agree(x, y, relation: str) -> bool:
    """x relation y within the 60-digit tolerance."""
    tol = TOL * max(Float(1), abs(x), abs(y))
    if relation == "=":
        return abs(x - y) <= tol
    if relation in (">=", ">"):
        return x >= y - tol
    return x <= y + tol  # <=, <


def fmt(v) -> str:
    return f"{float(v):.12g}"


__all__ = ["numeric_candidate", "nvalue", "agree", "fmt", "DIGITS"]
