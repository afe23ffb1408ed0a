"""Entries with no value: the markers that exact arrays carry through arithmetic.

``UNDEF`` stands for an entry that does not exist on this instance (log 0, x / 0): it absorbs
arithmetic, so it reaches the comparison, which skips it and says so (float arrays use NaN for the
same purpose).  ``NOVAL`` is the value of log or exp in a field that has none (rational functions);
only its derivative (d log x = dx / x) is rational.  ``Undefined`` is the exception raised where a
whole value does not exist.  The named-axis tensors that hold them are in :mod:`derive.engine.tensor`.
"""
from __future__ import annotations

import numpy as np


class Undefined(ArithmeticError):
    """A value that does not exist on this instance (division by zero, ...)."""


class _Undef:
    """An entry with no value (log 0, x / 0) inside an exact array.

    It absorbs arithmetic, so it survives to the comparison, which skips it and
    says so; an expectation first zeroes the entries of probability 0, so
    log P(tau) on impossible trajectories does not spoil E[...].  Float arrays
    use NaN for the same purpose.
    """

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def _absorb(self, *args):
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _absorb
    __truediv__ = __rtruediv__ = __pow__ = __rpow__ = __neg__ = _absorb

    def __float__(self):
        return float("nan")

    def __eq__(self, other):
        return other is self

    def __hash__(self):
        return 0

    def __lt__(self, other):
        raise Undefined("comparison with an undefined value")

    __gt__ = __le__ = __ge__ = __lt__

    def __repr__(self):
        return "undefined"


UNDEF = _Undef()


class _NoValue(_Undef):
    """The value of log or exp where the field has none (rational functions).

    Only its derivative (d log x = dx / x) is rational; a comparison that meets
    it makes the symbolic method fall back to SymPy expressions.
    """

    _instance = None

    def __repr__(self):
        return "no value in this field"


NOVAL = _NoValue()


def has_novalue(data) -> bool:
    arr = np.asarray(data)
    return arr.dtype == object and any(v is NOVAL for v in arr.flat)


def is_undefined_array(data) -> np.ndarray:
    """Boolean mask of undefined entries (UNDEF or NaN)."""
    arr = np.asarray(data)
    if arr.dtype == object:
        return np.vectorize(lambda v: v is UNDEF, otypes=[bool])(arr) if arr.size else np.zeros(arr.shape, bool)
    return np.isnan(arr.astype(float))


def _safe_div(p, q):
    if q == 0:
        return UNDEF
    return p / q


_safe_div_v = np.vectorize(_safe_div, otypes=[object])


__all__ = ["Undefined", "UNDEF", "NOVAL", "has_novalue", "is_undefined_array"]
