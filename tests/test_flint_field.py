"""The symbolic method's field (derive/engine/flint_field.py) agrees with SymPy's cancel, exactly.

Random rational expressions in 3 symbols are built twice, once in FLINT's rational functions and once
as SymPy expressions; the two must be the same function (SymPy's ``cancel`` of the difference is 0), and
the FLINT element must be in lowest terms with a positive leading denominator coefficient, so that
``== 0`` decides.  Seeded: the same expressions on every run.
"""
from __future__ import annotations

import random
from fractions import Fraction

import gmpy2
import pytest
import sympy

from derive.engine.fields import NoLogHere
from derive.engine.flint_field import FlintFractionField, RationalFunction
from derive.check_statements.symbolic import _difference_is_zero

X = sympy.symbols("p q r")
K = FlintFractionField(X)


def _random_pair(rng: random.Random, depth: int):
    """(FLINT element, SymPy expression) of one random expression."""
    if depth == 0 or rng.random() < 0.25:
        if rng.random() < 0.6:
            s = rng.choice(X)
            return K.from_sympy(s), s
        c = Fraction(rng.randint(-3, 3), rng.randint(1, 3))
        return K.const(c), sympy.Rational(c.numerator, c.denominator)
    op = rng.choice("+-*/^")
    a, ea = _random_pair(rng, depth - 1)
    if op == "^":
        n = rng.randint(-2, 3)
        if n < 0 and a == 0:
            n = 2
        return a**n, ea**n
    b, eb = _random_pair(rng, depth - 1)
    if op == "+":
        return a + b, ea + eb
    if op == "-":
        return a - b, ea - eb
    if op == "*":
        return a * b, ea * eb
    if b == 0:
        return a * b, ea * eb
    return a / b, ea / eb


def _to_sympy(poly):
    return sympy.Add(*(sympy.Integer(int(c)) * sympy.Mul(*(x**k for x, k in zip(X, monom)))
                       for monom, c in poly.to_dict().items()))


@pytest.mark.parametrize("seed", range(40))
def test_flint_arithmetic_is_sympy_arithmetic(seed):
    f, e = _random_pair(random.Random(seed), 4)
    back = K.from_sympy(sympy.cancel(e)) if e.free_symbols or e != 0 else K.const(0)
    assert f == back
    assert sympy.cancel(sympy.together(e - _to_sympy(f.num) / _to_sympy(f.den))) == 0
    assert f.num.gcd(f.den).is_one() and f.den.leading_coefficient() > 0


def test_canonical_form_decides_zero():
    p, q, r = (K.from_sympy(s) for s in X)
    assert (p / q + r / q) - (p + r) / q == 0
    assert (p * q) / (q * p) == 1 and 1 - p != p
    assert (p - q) / (q - p) == -1  # the sign goes to the numerator
    assert (p + 1) / 2 == K.const(Fraction(1, 2)) * p + gmpy2.mpq(1, 2)
    assert ((p + 1) ** -2) * (p + 1) ** 2 == 1
    with pytest.raises(ZeroDivisionError):
        p / (q - q)
    with pytest.raises(NoLogHere):
        p ** Fraction(1, 2)
    with pytest.raises(TypeError):
        p < q  # no order: the evaluator's "comparison of symbolic values"
    assert isinstance(K.const(3), RationalFunction) and K.const(3) == 3


def test_logs_as_symbols_prove_only_zero():
    p, q = sympy.symbols("p q", positive=True)
    assert _difference_is_zero(p * sympy.log(p * q) - p * sympy.log(p) - p * sympy.log(q)) is True
    assert _difference_is_zero((p - q) / (q - p) + 1) is True
    assert _difference_is_zero(p / q - 1) is False  # a nonzero rational function
    assert _difference_is_zero(sympy.log(p) - 1) is None  # not a rational function: undecided, never False
