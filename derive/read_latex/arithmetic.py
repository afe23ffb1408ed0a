"""Numbers in a formula, bounded: decimals read exactly, reciprocals, powers, ``e^x``, ``\\log``, and the
final check that a result holds only objects derive evaluates and no number too large.

Limits: ``|exponent| <= MAX_EXPONENT`` (derive/lang/limits.py); ``MAX_NUMBER_BITS`` bits for a number a
product or a power may produce.
"""
from __future__ import annotations

from sympy import Abs, Add, E, Integer, Max, Min, Mul, Pow, Rational, Symbol, exp, log, oo
from sympy.core.numbers import ComplexInfinity, NaN

from ..lang import nodes
from ..lang.limits import MAX_EXPONENT  # |integer exponent| (and numerator/denominator of a rational one)
from .errors import fail
from .matrix_marks import MatrixMark, apply_mark
from .syntax import Atom

MAX_NUMBER_BITS = 20_000  # size of a number a power may produce


def number(a: Atom):
    text = a.name
    if "." in text:
        whole, frac = text.split(".")
        return Rational(int(whole or "0") * 10 ** len(frac) + int(frac), 10 ** len(frac))
    return Integer(int(text))


def reciprocal(x, pos: int):
    if x == 0:
        fail("division by zero", pos)
    return Pow(x, -1)


def _bits(r) -> int:
    return int(r.p).bit_length() + int(r.q).bit_length()


def power(base, expo, pos: int):
    if isinstance(expo, MatrixMark):  # x^\top, M^\dagger (read_latex/matrix_marks.py)
        return apply_mark(base, expo)
    if expo.has(oo) or expo.has(-oo):
        fail("an infinite exponent", pos)
    if isinstance(expo, Rational):
        if abs(expo.p) > MAX_EXPONENT or expo.q > MAX_EXPONENT:
            fail(f"the exponent {expo} is too large (at most {MAX_EXPONENT} in absolute value)", pos)
        if isinstance(base, Rational) and base == 0 and expo < 0:
            fail("division by zero (0 to a negative power)", pos)
        c = base if isinstance(base, Rational) else base.as_coeff_Mul()[0] if isinstance(base, Mul) else None
        if c is not None and _bits(c) * abs(expo.p) > MAX_NUMBER_BITS:
            fail(f"the number {_short(c)}^{expo} is too large", pos)
    if base == E:
        return safe_exp(expo)
    return Pow(base, expo)


def _short(r) -> str:
    s = str(r)
    return s if len(s) <= 20 else s[:17] + "..."


def safe_exp(x):
    v = exp(x)
    if v == E:
        return exp(Integer(1), evaluate=False)
    return v


def safe_log(x, pos: int):
    if x == 0:
        fail("log of zero", pos)
    if isinstance(x, Rational) and x < 0:
        fail("log of a negative number", pos)
    return log(x)


# ---------------------------------------------------------- final check

_ALLOWED = None


def check_output(v, pos: int = 0):
    """Every object of the result is one derive knows (and no division by zero slipped through)."""
    global _ALLOWED
    if _ALLOWED is None:
        from sympy import Product, Sum, Tuple
        from sympy.core.numbers import Infinity, NegativeInfinity
        from sympy.core.relational import Relational
        from sympy.core.symbol import Str

        _ALLOWED = (nodes.Node, Symbol, Str, Rational, Add, Mul, Pow, Sum, Product, log, exp, Min, Max, Abs,
                    Tuple, Infinity, NegativeInfinity, Relational)
    stack = [v]
    seen = 0
    while stack:
        e = stack.pop()
        seen += 1
        if isinstance(e, Rational) and _bits(e) > MAX_NUMBER_BITS:
            fail("a number in the formula is too large", pos)
        if isinstance(e, (ComplexInfinity, NaN)):
            fail("the formula is undefined (a division by zero)", pos)
        if not isinstance(e, _ALLOWED):
            fail(f"the formula produces {type(e).__name__}, which derive cannot evaluate "
                 "(e.g. the log of a negative number)", pos)
        stack.extend(e.args)
    return v
