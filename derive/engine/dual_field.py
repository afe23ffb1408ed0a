"""Dual numbers a + b eps (eps^2 = 0) over a field, for exact second derivatives.

The evaluator's ``Val`` carries first derivatives (forward mode).  A second derivative
d^2 f / d theta_i d theta_j is the derivative of the gradient along the direction e_j:

    d/d eps [ grad f(theta + eps e_j) ] at eps = 0  =  (Hessian of f)[:, j].

So ``perturbed(tables, j)`` gives the instance's tables with the policy pi_theta replaced by
pi_{theta + eps e_j} = pi + eps d pi / d theta_j (entries ``Dual``), and the ordinary gradient
evaluated there has the column j of the Hessian as its eps part (``eps_part``).  The dual arithmetic
runs over the instance's own field (rationals, rational functions), so the Hessian is exact
where the gradient is.  The tabular softmax derivative of a probability is (docs/conventions.md)

    d pi(a|s) / d theta[s', b] = [s = s'] pi(a|s) ([a = b] - pi(b|s)).

Comparisons (<, <=, ==) look at the value a only: a dual number stands for the value at theta.
"""
from __future__ import annotations

import copy
from fractions import Fraction

import numpy as np

from .undefined import UNDEF, _Undef


class Dual:
    """a + b eps with eps^2 = 0 (a, b numbers of one field)."""

    __slots__ = ("a", "b")

    def __init__(self, a, b):
        self.a = a
        self.b = b

    @staticmethod
    def _parts(x):
        return (x.a, x.b) if isinstance(x, Dual) else (x, 0)

    def __add__(self, o):
        if isinstance(o, _Undef):
            return o
        a, b = self._parts(o)
        return Dual(self.a + a, self.b + b)

    __radd__ = __add__

    def __sub__(self, o):
        if isinstance(o, _Undef):
            return o
        a, b = self._parts(o)
        return Dual(self.a - a, self.b - b)

    def __rsub__(self, o):
        if isinstance(o, _Undef):
            return o
        a, b = self._parts(o)
        return Dual(a - self.a, b - self.b)

    def __neg__(self):
        return Dual(-self.a, -self.b)

    def __pos__(self):
        return self

    def __mul__(self, o):
        if isinstance(o, _Undef):
            return o
        a, b = self._parts(o)
        return Dual(self.a * a, self.a * b + self.b * a)

    __rmul__ = __mul__

    def __truediv__(self, o):
        if isinstance(o, _Undef):
            return o
        a, b = self._parts(o)
        if a == 0:
            raise ZeroDivisionError("division by a dual number with value 0")
        q = self.a / a
        return Dual(q, (self.b - q * b) / a)

    def __rtruediv__(self, o):
        if isinstance(o, _Undef):
            return o
        return Dual(*self._parts(o)) / self

    def __pow__(self, n):
        if not isinstance(n, (int, np.integer)):
            return NotImplemented
        n = int(n)
        if n == 0:
            return Dual(self.a ** 0, 0)
        if n < 0:
            return 1 / (self ** -n)
        return Dual(self.a ** n, n * self.a ** (n - 1) * self.b)

    def _value(self, o):
        return o.a if isinstance(o, Dual) else o

    def __eq__(self, o):
        return self.a == self._value(o)

    def __ne__(self, o):
        return not self.__eq__(o)

    def __lt__(self, o):
        return self.a < self._value(o)

    def __le__(self, o):
        return self.a <= self._value(o)

    def __gt__(self, o):
        return self.a > self._value(o)

    def __ge__(self, o):
        return self.a >= self._value(o)

    def __hash__(self):
        return hash(self.a)

    def __repr__(self):
        return f"Dual({self.a!r}, {self.b!r})"


def _split(data):
    """(values, eps parts) of an object array whose entries may be Dual."""
    arr = np.asarray(data, dtype=object)
    a = np.empty(arr.shape, dtype=object)
    b = np.empty(arr.shape, dtype=object)
    for idx in np.ndindex(arr.shape):
        x = arr[idx]
        a[idx], b[idx] = (x.a, x.b) if isinstance(x, Dual) else (x, 0)
    return a, b


def _join(a, b):
    out = np.empty(np.shape(a), dtype=object)
    for idx in np.ndindex(out.shape):
        x, y = a[idx], b[idx]
        out[idx] = x if (isinstance(x, _Undef) or isinstance(y, _Undef)) else Dual(x, y)
    return out


class DualField:
    """The numbers a + b eps over a base field (same name, so every rule treats them as that field's numbers)."""

    dtype = object

    def __init__(self, base):
        self.base = base
        self.name = base.name

    def const(self, x):
        return self.base.const(x)

    def array(self, values):
        return np.asarray(self.base.array(values), dtype=object)

    def zeros(self, shape):
        return np.asarray(self.base.zeros(shape), dtype=object)

    def log(self, data):
        """log(a + b eps) = log a + (b / a) eps (the base field's log of a: a float for a rational a)."""
        a, b = _split(data)
        la = np.asarray(self.base.log(a), dtype=object)
        return _join(la, _ratio(b, a))

    def exp(self, data):
        """exp(a + b eps) = exp a + exp(a) b eps."""
        a, b = _split(data)
        ea = np.asarray(self.base.exp(a), dtype=object)
        return _join(ea, ea * b)

    def rational_power(self, data, exponent):
        """(a + b eps)^n = a^n + n a^(n-1) b eps, n a non-integer rational (the base field's root of a)."""
        a, b = _split(data)
        an = np.asarray(self.base.rational_power(a, exponent), dtype=object)
        an1 = np.asarray(self.base.rational_power(a, exponent - 1), dtype=object)
        n = self.base.const(Fraction(exponent))
        slope = np.empty(an1.shape, dtype=object)
        for idx in np.ndindex(an1.shape):
            x = an1[idx]
            slope[idx] = x if isinstance(x, _Undef) else x * b[idx] * (float(n) if isinstance(x, float) else n)
        return _join(an, slope)


def _ratio(b, a):
    out = np.empty(np.shape(a), dtype=object)
    for idx in np.ndindex(out.shape):
        x, y = b[idx], a[idx]
        out[idx] = UNDEF if (isinstance(y, _Undef) or y == 0) else x / y
    return out


def eps_part(data):
    """The eps coefficient of every entry (0 for a plain number; an undefined entry stays undefined)."""
    arr = np.asarray(data, dtype=object)
    out = np.empty(arr.shape, dtype=object)
    for idx in np.ndindex(arr.shape):
        x = arr[idx]
        out[idx] = x.b if isinstance(x, Dual) else (x if isinstance(x, _Undef) else x * 0)
    return out


HESS_POLICY = "theta~"  # the name the perturbed pi_theta is stored under in the perturbed tables


def perturbed(tables, probs, score, j: int):
    """The tables with a policy ``HESS_POLICY`` = pi + eps d pi / d theta_j (``probs``, ``score`` of pi_theta)."""
    tb = copy.copy(tables)
    tb.field = DualField(tables.field)
    moved = _join(np.asarray(probs, dtype=object), np.asarray(score[..., j], dtype=object))
    tb.pi = {**tables.pi, HESS_POLICY: moved}
    tb.memo = {}
    return tb


__all__ = ["Dual", "DualField", "eps_part", "perturbed", "HESS_POLICY"]
