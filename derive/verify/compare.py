"""Comparing two evaluated sides, entry by entry.

Exact (rational) values are compared with ``==``: a mismatch is a certain
counterexample.  Values that passed through log or exp are float64 and are
compared with relative tolerance ``REL_TOL`` (and ``ABS_TOL`` near zero).
"""
from __future__ import annotations

import numpy as np

from ..engine.fields import ABS_TOL, REL_TOL
from ..engine.tensor import Val, is_undefined_array, union


def aligned_pair(lhs: Val, rhs: Val):
    axes = union(lhs.v.axes, rhs.v.axes)
    x, y = lhs.v.aligned(axes), rhs.v.aligned(axes)
    shape = np.broadcast_shapes(x.shape, y.shape)
    return axes, np.broadcast_to(x, shape), np.broadcast_to(y, shape)


def undefined_mask(lhs: Val, rhs: Val):
    _, x, y = aligned_pair(lhs, rhs)
    return is_undefined_array(x) | is_undefined_array(y)


def mismatches(lhs: Val, rhs: Val, relation: str = "="):
    """(axes, exact?, list of index tuples where the relation fails, x, y); undefined entries are skipped."""
    axes, x, y = aligned_pair(lhs, rhs)
    undef = is_undefined_array(x) | is_undefined_array(y)
    if undef.any():
        x = np.where(undef, 0, x) if x.dtype == object else np.where(undef, 0.0, x)
        y = np.where(undef, 0, y) if y.dtype == object else np.where(undef, 0.0, y)
    exact = x.dtype == object and y.dtype == object
    if exact:
        if relation == "=":
            bad = np.vectorize(lambda p, q: p != q, otypes=[bool])(x, y) if x.size else np.zeros(x.shape, bool)
        else:  # ">="
            bad = np.vectorize(lambda p, q: p < q, otypes=[bool])(x, y) if x.size else np.zeros(x.shape, bool)
    else:
        xf, yf = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        if relation == "=":
            bad = ~np.isclose(xf, yf, rtol=REL_TOL, atol=ABS_TOL)
        else:
            bad = xf < yf - (ABS_TOL + REL_TOL * np.abs(yf))
    return axes, exact, [tuple(int(i) for i in ix) for ix in np.argwhere(bad)], x, y


def slack(lhs: Val, rhs: Val) -> float:
    """min(lhs - rhs) over all entries (for inequalities)."""
    _, x, y = aligned_pair(lhs, rhs)
    diff = np.asarray(x, dtype=float) - np.asarray(y, dtype=float)
    diff = diff[~np.isnan(diff)]
    return float(diff.min()) if diff.size else 0.0


def fmt(x) -> str:
    """A number as text: fractions exactly, floats to 12 significant digits."""
    if isinstance(x, (float, np.floating)):
        return f"{float(x):.12g}"
    return str(x)
