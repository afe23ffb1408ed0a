"""Comparing two evaluated sides, entry by entry.

Exactness is decided **per value**.  An entry where both sides are rationals
(gmpy2 ``mpq``, ``int``, ``Fraction``) is compared with ``==``: a mismatch is a
certain counterexample.  An entry where a side is a float (it went through
log, exp or a root that is not rational) is compared with the tolerance

    |lhs - rhs| <= ABS_TOL + REL_TOL * max(|lhs|, |rhs|)      (REL_TOL = 1e-9, ABS_TOL = 1e-12)

and ``lhs >= rhs`` holds when ``lhs >= rhs - (ABS_TOL + REL_TOL * max(|lhs|, |rhs|))``.  A float
mismatch beyond it is still a counterexample, reported as a float one with the tolerance stated.

An entry where a side has no value is **undefined** and is skipped (and counted), never compared:
``UNDEF`` (x / 0, log of 0), a NaN or an infinity (a root of a negative number, an overflow), a
complex number, and ``KINK`` (the derivative of min, max, clip, |x| or an indicator at a tie: the side
is not differentiable there).
"""
from __future__ import annotations

import math
from fractions import Fraction

import gmpy2
import numpy as np

from ..engine.fields import ABS_TOL, REL_TOL
from ..engine.tensor import Val, union
from ..engine.tensor import _Undef

TOLERANCE_TEXT = f"float64 within relative tolerance {REL_TOL:g}, absolute {ABS_TOL:g}"

_MPQ, _MPZ, _MPFR = type(gmpy2.mpq()), type(gmpy2.mpz()), type(gmpy2.mpfr())
EXACT_V, FLOAT_V, UNDEF_V, KINK_V = 0, 1, 2, 3


def kind_of(v) -> int:
    """EXACT_V, FLOAT_V, UNDEF_V or KINK_V for one entry."""
    if isinstance(v, (_MPQ, _MPZ, Fraction, int, np.integer)) and not isinstance(v, (bool, np.bool_)):
        return EXACT_V
    if isinstance(v, (float, np.floating, _MPFR)):
        return FLOAT_V if math.isfinite(float(v)) else UNDEF_V
    if isinstance(v, _Undef):
        return KINK_V if getattr(v, "kink", False) else UNDEF_V
    return UNDEF_V  # complex, None, anything without a real value


_kind_v = np.vectorize(kind_of, otypes=[np.int8])


def kinds(data) -> np.ndarray:
    arr = np.asarray(data)
    if arr.dtype != object:
        f = arr.astype(float)
        return np.where(np.isfinite(f), FLOAT_V, UNDEF_V).astype(np.int8)
    return _kind_v(arr) if arr.size else np.zeros(arr.shape, np.int8)


def aligned_pair(lhs: Val, rhs: Val):
    axes = union(lhs.v.axes, rhs.v.axes)
    x, y = lhs.v.aligned(axes), rhs.v.aligned(axes)
    shape = np.broadcast_shapes(x.shape, y.shape)
    return axes, np.broadcast_to(x, shape), np.broadcast_to(y, shape)


def _pair_kinds(x, y):
    kx, ky = kinds(x), kinds(y)
    undef = (kx >= UNDEF_V) | (ky >= UNDEF_V)
    kink = undef & ((kx == KINK_V) | (ky == KINK_V))
    exact = (kx == EXACT_V) & (ky == EXACT_V)
    return undef, kink, exact


def undefined_counts(lhs: Val, rhs: Val) -> tuple:
    """(entries undefined, of which not differentiable, total entries)."""
    _, x, y = aligned_pair(lhs, rhs)
    undef, kink, _ = _pair_kinds(x, y)
    return int(undef.sum()), int(kink.sum()), int(undef.size)


def _tol(p, q) -> float:
    return ABS_TOL + REL_TOL * max(abs(p), abs(q))


def _bad(p, q, exact: bool, relation: str) -> bool:
    if exact:
        return p != q if relation == "=" else p <= q if relation == ">" else p < q
    p, q = float(p), float(q)  # float64: > is judged as >= within the tolerance (the verdict says inexact)
    return abs(p - q) > _tol(p, q) if relation == "=" else p < q - _tol(p, q)


def mismatches(lhs: Val, rhs: Val, relation: str = "="):
    """(axes, exact?, index tuples where the relation fails, x, y); undefined entries are skipped.

    Exact mismatches come first; ``exact`` says whether the first one is exact (a certain
    counterexample) and, when nothing fails, whether every compared entry was exact.
    """
    axes, x, y = aligned_pair(lhs, rhs)
    undef, _, exact_mask = _pair_kinds(x, y)
    bad_exact, bad_float = [], []
    for ix in np.ndindex(x.shape):
        if undef[ix]:
            continue
        if _bad(x[ix], y[ix], bool(exact_mask[ix]), relation):
            (bad_exact if exact_mask[ix] else bad_float).append(tuple(int(i) for i in ix))
    bad = bad_exact + bad_float
    compared = ~undef
    exact = bool(bad_exact) if bad else bool(exact_mask[compared].all())
    return axes, exact, bad, x, y


def slack(lhs: Val, rhs: Val) -> float:
    """min(lhs - rhs) over the defined entries (for inequalities)."""
    _, x, y = aligned_pair(lhs, rhs)
    undef = _pair_kinds(x, y)[0]
    diffs = [float(x[ix]) - float(y[ix]) for ix in np.ndindex(x.shape) if not undef[ix]]
    return min(diffs) if diffs else 0.0


def fmt(x) -> str:
    """A number as text: fractions exactly, floats to 12 significant digits."""
    if isinstance(x, (float, np.floating, _MPFR)):
        return f"{float(x):.12g}"
    return str(x)
