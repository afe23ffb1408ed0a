"""Number systems the one evaluator can compute in.

* ``EXACT``: rationals (gmpy2 ``mpq`` in object arrays).  A ``log`` or ``exp`` of
  a rational is not rational; its value is then carried in float64 and every
  tensor computed from it is marked inexact (compared with a stated tolerance).
* ``FLOAT``: float64 arrays, used by the Monte Carlo sampler.
* ``SYMBOLIC``: SymPy expressions in object arrays, used by the symbolic method where a log is needed.
* rational functions in FLINT (``flint_field.FlintFractionField``): the symbolic method's field otherwise.
"""
from __future__ import annotations

from fractions import Fraction

import gmpy2
import numpy as np
import sympy

from .undefined import UNDEF

REL_TOL = 1e-9  # tolerance for values that went through log/exp (float64)
ABS_TOL = 1e-12


class Field:
    name = "abstract"
    dtype = object

    def const(self, x):
        raise NotImplementedError

    def array(self, values) -> np.ndarray:
        arr = np.empty(np.shape(values), dtype=object)
        flat = np.asarray(values, dtype=object).reshape(-1)
        out = arr.reshape(-1)
        for i, v in enumerate(flat):
            out[i] = self.const(v)
        return arr

    def zeros(self, shape) -> np.ndarray:
        return self.array(np.zeros(shape, dtype=int))

    def log(self, data):
        raise NotImplementedError

    def exp(self, data):
        raise NotImplementedError

    def rational_power(self, data, exponent):
        """data ** exponent for a non-integer rational exponent: NaN for a negative base or 0 ** (<0)."""
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            base = np.asarray(data, dtype=float)
            out = base ** float(exponent)
            return np.where((base < 0) | ((base == 0) & (exponent < 0)), np.nan, out)


def _exact_root(q, exponent: Fraction):
    """q ** exponent for a rational q >= 0: exact when the root is rational, else a float."""
    a, b = exponent.numerator, exponent.denominator
    num, num_exact = gmpy2.iroot(gmpy2.mpz(q.numerator), b)
    den, den_exact = gmpy2.iroot(gmpy2.mpz(q.denominator), b)
    if num_exact and den_exact:
        return gmpy2.mpq(num, den) ** a
    return float(q) ** float(exponent)


class ExactField(Field):
    """Rationals.  x ** (a/b) (b > 1) is the real principal root: exact when it is rational
    (4 ** (1/2) = 2), float64 otherwise; **undefined** (``UNDEF``) for x < 0, since the principal
    value of (-8) ** (1/3) is complex (SymPy's convention, not the real root -2), and for 0 ** (<0)."""

    name = "exact"

    def rational_power(self, data, exponent):
        exponent = Fraction(exponent)

        def one(v):
            if isinstance(v, (float, np.floating, type(gmpy2.mpfr()))):
                v = float(v)
                if not np.isfinite(v) or v < 0 or (v == 0 and exponent < 0):
                    return UNDEF
                return v ** float(exponent)
            if not isinstance(v, type(gmpy2.mpq())) and not isinstance(v, (int, np.integer, Fraction)):
                return UNDEF
            v = gmpy2.mpq(v)
            if v < 0 or (v == 0 and exponent < 0):
                return UNDEF
            return _exact_root(v, exponent)

        return _map(one, data)

    def const(self, x):
        if isinstance(x, (int, np.integer)):
            return gmpy2.mpq(int(x))
        if isinstance(x, Fraction):
            return gmpy2.mpq(x.numerator, x.denominator)
        if isinstance(x, sympy.Rational):
            return gmpy2.mpq(int(x.p), int(x.q))
        if isinstance(x, type(gmpy2.mpq())):
            return x
        if isinstance(x, (float, np.floating)):
            return float(x)
        raise TypeError(f"not a rational: {x!r}")

    def log(self, data):
        return np.log(np.asarray(data, dtype=float))

    def exp(self, data):
        return np.exp(np.asarray(data, dtype=float))


class FloatField(Field):
    name = "float"
    dtype = float

    def const(self, x):
        return float(x)

    def array(self, values):
        return np.asarray(values, dtype=float)

    def zeros(self, shape):
        return np.zeros(shape)

    def log(self, data):
        return np.log(np.asarray(data, dtype=float))

    def exp(self, data):
        return np.exp(np.asarray(data, dtype=float))


class SymbolicField(Field):
    name = "symbolic"

    def const(self, x):
        if isinstance(x, sympy.Basic):
            return x
        if isinstance(x, Fraction):
            return sympy.Rational(x.numerator, x.denominator)
        if isinstance(x, type(gmpy2.mpq())):
            return sympy.Rational(int(x.numerator), int(x.denominator))
        if isinstance(x, (int, np.integer)):
            return sympy.Integer(int(x))
        return sympy.Float(float(x))

    def log(self, data):
        return _map(sympy.log, data)

    def exp(self, data):
        return _map(sympy.exp, data)

    def rational_power(self, data, exponent):
        return _map(lambda v: v ** sympy.Rational(exponent), data)


class NoLogHere(ArithmeticError):
    pass


def _map(f, data):
    arr = np.asarray(data, dtype=object)
    out = np.empty(arr.shape, dtype=object)
    for idx in np.ndindex(arr.shape):
        out[idx] = f(arr[idx])
    return out


EXACT = ExactField()
FLOAT = FloatField()
SYMBOLIC = SymbolicField()
