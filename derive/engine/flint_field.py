"""Rational functions over Q in FLINT (python-flint's ``fmpz_mpoly``): the symbolic method's field.

An element is ``num / den`` with ``num, den`` in Z[x_1, ..., x_n] (FLINT's sparse multivariate
polynomials), kept canonical after every operation:

    gcd(num, den) = 1 (content included),   leading coefficient of den > 0,   0 = 0 / 1,

so two elements are equal iff their numerators and denominators are, and ``x == 0`` is an exact test
(the same canonical form as SymPy's ``FracField``, whose pure-Python arithmetic this replaces, issue 14).
Sums and products cancel with FLINT's multivariate gcd (Knuth, TAOCP vol. 2, 4.5.1: a/b + c/d over
lcm(b, d); (a/b)(c/d) = (a/g1)(c/g2) / ((b/g2)(d/g1)) with g1 = gcd(a, d), g2 = gcd(c, b)).

There is no log, exp, fractional power or order of a rational function: ``FlintFractionField`` raises
``NoLogHere`` for the first three (the symbolic method then falls back to SymPy expressions) and a
comparison raises ``TypeError`` (the evaluator's "comparison of symbolic values").
"""
from __future__ import annotations

from fractions import Fraction

import flint
import gmpy2
import numpy as np
import sympy

from .fields import Field, NoLogHere

_MPQ = type(gmpy2.mpq())
_MPZ = type(gmpy2.mpz())


class RationalFunction:
    """num / den in canonical form (module docstring); immutable."""

    __slots__ = ("num", "den")

    def __init__(self, num, den):
        self.num, self.den = num, den

    # -------------------------------------------------------------- construction

    @staticmethod
    def reduced(num, den) -> "RationalFunction":
        if den.is_zero():
            raise ZeroDivisionError("division by a zero rational function")
        if num.is_zero():
            return RationalFunction(num, den.context().constant(1))
        g = num.gcd(den)
        if not g.is_one():
            num, den = num / g, den / g
        if den.leading_coefficient() < 0:
            num, den = -num, -den
        return RationalFunction(num, den)

    def _coerce(self, other):
        """other as a RationalFunction of the same ring, or None for a type this field does not take."""
        if isinstance(other, RationalFunction):
            return other
        ctx = self.num.context()
        if isinstance(other, (bool, np.bool_)):
            other = int(other)
        if isinstance(other, (int, np.integer, _MPZ)):
            return RationalFunction(ctx.constant(int(other)), ctx.constant(1))
        if isinstance(other, (Fraction, _MPQ)):
            return RationalFunction(ctx.constant(int(other.numerator)), ctx.constant(int(other.denominator)))
        if isinstance(other, sympy.Rational):
            return RationalFunction(ctx.constant(int(other.p)), ctx.constant(int(other.q)))
        return None

    # ---------------------------------------------------------------- arithmetic

    def __add__(self, other):
        o = self._coerce(other)
        if o is None:
            return NotImplemented
        a, b, c, d = self.num, self.den, o.num, o.den
        if b == d:
            return RationalFunction.reduced(a + c, b)
        if b.is_one():
            return RationalFunction(a * d + c, d)  # gcd(a d + c, d) = gcd(c, d) = 1
        if d.is_one():
            return RationalFunction(a + c * b, b)
        g = b.gcd(d)
        if g.is_one():
            return RationalFunction.reduced(a * d + c * b, b * d)
        bg, dg = b / g, d / g
        return RationalFunction.reduced(a * dg + c * bg, b * dg)

    __radd__ = __add__

    def __neg__(self):
        return RationalFunction(-self.num, self.den)

    def __pos__(self):
        return self

    def __sub__(self, other):
        o = self._coerce(other)
        if o is None:
            return NotImplemented
        return self + (-o)

    def __rsub__(self, other):
        o = self._coerce(other)
        if o is None:
            return NotImplemented
        return o + (-self)

    def __mul__(self, other):
        o = self._coerce(other)
        if o is None:
            return NotImplemented
        a, b, c, d = self.num, self.den, o.num, o.den
        if a.is_zero() or c.is_zero():
            return RationalFunction(a.context().constant(0), a.context().constant(1))
        g1, g2 = a.gcd(d), c.gcd(b)
        if not g1.is_one():
            a, d = a / g1, d / g1
        if not g2.is_one():
            c, b = c / g2, b / g2
        num, den = a * c, b * d
        if den.leading_coefficient() < 0:
            num, den = -num, -den
        return RationalFunction(num, den)

    __rmul__ = __mul__

    def _inverse(self):
        if self.num.is_zero():
            raise ZeroDivisionError("division by a zero rational function")
        num, den = self.den, self.num
        if den.leading_coefficient() < 0:
            num, den = -num, -den
        return RationalFunction(num, den)

    def __truediv__(self, other):
        o = self._coerce(other)
        if o is None:
            return NotImplemented
        return self * o._inverse()

    def __rtruediv__(self, other):
        o = self._coerce(other)
        if o is None:
            return NotImplemented
        return o * self._inverse()

    def __pow__(self, exponent):
        if isinstance(exponent, sympy.Integer):
            exponent = int(exponent)
        if not isinstance(exponent, (int, np.integer)):
            if isinstance(exponent, (Fraction, _MPQ, sympy.Rational)) and exponent == int(exponent):
                exponent = int(exponent)
            else:
                raise NoLogHere("fractional power of a rational function")
        n = int(exponent)
        base = self if n >= 0 else self._inverse()
        n = abs(n)
        return RationalFunction(base.num**n, base.den**n)  # coprime stays coprime; den**n keeps its sign if n even

    # ----------------------------------------------------------------- comparison

    def __eq__(self, other):
        o = self._coerce(other)
        if o is None:
            return NotImplemented
        return self.num == o.num and self.den == o.den

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __bool__(self):
        return not self.num.is_zero()

    def __hash__(self):
        return hash((str(self.num), str(self.den)))

    def __repr__(self):
        return f"({self.num}) / ({self.den})" if not self.den.is_one() else f"{self.num}"

    @property
    def numer(self):
        """The numerator (SymPy's FracElement spelling)."""
        return self.num


class FlintFractionField(Field):
    """Q(x_1, ..., x_n) for the given SymPy symbols (names kept): elements are ``RationalFunction``."""

    name = "symbolic"

    def __init__(self, symbols):
        self.symbols = tuple(symbols)
        names = tuple(f"x{i}" for i in range(len(self.symbols))) or ("x0",)  # by position: no name clash
        self.ctx = flint.fmpz_mpoly_ctx.get(names, "degrevlex")
        self.gens = dict(zip(self.symbols, self.ctx.gens()))
        self._one = self.ctx.constant(1)

    def rational(self, p: int, q: int = 1) -> RationalFunction:
        return RationalFunction.reduced(self.ctx.constant(int(p)), self.ctx.constant(int(q)))

    def const(self, x):
        if isinstance(x, RationalFunction):
            return x
        if isinstance(x, (bool, np.bool_, int, np.integer, _MPZ)):
            return RationalFunction(self.ctx.constant(int(x)), self._one)
        if isinstance(x, (Fraction, _MPQ)):
            return self.rational(x.numerator, x.denominator)
        if isinstance(x, sympy.Rational):
            return self.rational(x.p, x.q)
        raise TypeError(f"not a rational number: {x!r}")

    def from_sympy(self, expr) -> RationalFunction:
        """A SymPy rational expression in this field's symbols (derive's own tables, never user text)."""
        if isinstance(expr, sympy.Rational):
            return self.rational(expr.p, expr.q)
        if isinstance(expr, sympy.Symbol):
            return RationalFunction(self.gens[expr], self._one)
        if isinstance(expr, sympy.Add):
            out = self.const(0)
            for term in expr.args:
                out = out + self.from_sympy(term)
            return out
        if isinstance(expr, sympy.Mul):
            out = self.const(1)
            for factor in expr.args:
                out = out * self.from_sympy(factor)
            return out
        if isinstance(expr, sympy.Pow) and expr.exp.is_Integer:
            return self.from_sympy(expr.base) ** int(expr.exp)
        raise TypeError(f"not a rational function of the field's symbols: {expr!r}")

    def log(self, data):
        raise NoLogHere("log of a rational function")

    def exp(self, data):
        raise NoLogHere("exp of a rational function")

    def rational_power(self, data, exponent):
        raise NoLogHere("fractional power of a rational function")
