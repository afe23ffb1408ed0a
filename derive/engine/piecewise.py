"""Piecewise functions on dual values: min, max, |x| and indicators, with their kinks.

Forward-mode rules (``Val`` = value and gradient components, see ``tensor``):

* ``min(x, y)``, ``max(x, y)``: the value and derivative of the selected argument.  At a **tie**
  (x = y in value) the partial derivative along component i exists iff dx_i = dy_i, and then it is
  dx_i (min(f, g) = (f + g)/2 - |f - g|/2); where dx_i != dy_i the function is not differentiable:
  the derivative entry is ``KINK`` (NaN in float64).  clip(x, lo, hi) = min(max(x, lo), hi).
* ``|x| = max(x, -x)``: not differentiable at x = 0 unless dx = 0 there.
* ``1[x < y]`` (and <=, >, >=, =, !=): derivative 0 away from the tie x = y; at a tie where a side
  depends on theta the indicator may jump, so every component is ``KINK``.
* An undefined argument (``UNDEF``, NaN, an infinity) makes the value undefined: min(NaN, 1) is
  not 1.

``KINK`` behaves like ``UNDEF`` in arithmetic (it absorbs it); the comparison skips such entries
and counts them ("k points skipped: not differentiable"), so a kink is never a counterexample.
"""
from __future__ import annotations

import math

import numpy as np

from . import tensor as tn
from .tensor import UNDEF, Ten, Val, _Undef, union


class _NotDifferentiable(_Undef):
    """The derivative of a piecewise function at a kink."""

    _instance = None
    kink = True

    def __repr__(self):
        return "not differentiable"


KINK = _NotDifferentiable()


def _undefined_entries(data) -> np.ndarray:
    arr = np.asarray(data)
    if arr.dtype != object:
        return ~np.isfinite(arr.astype(float))

    def bad(v):
        if isinstance(v, _Undef):
            return True
        if isinstance(v, float) or type(v).__name__ in ("float64", "float32", "mpfr"):
            return not math.isfinite(float(v))
        return isinstance(v, complex)

    return np.vectorize(bad, otypes=[bool])(arr) if arr.size else np.zeros(arr.shape, bool)


def _masked(t: Ten, mask: Ten, fill_object, fill_float=np.nan) -> Ten:
    """t with the entries under ``mask`` replaced (broadcast to the union of their axes)."""
    axes = union(t.axes, mask.axes)
    data, m = t.aligned(axes), mask.aligned(axes)
    shape = np.broadcast_shapes(data.shape, m.shape)
    m = np.broadcast_to(m, shape)
    if not m.any():
        return t
    data = np.broadcast_to(data, shape)
    if data.dtype == object:
        out = data.copy()
        out[m] = fill_object
    else:
        out = np.where(m, fill_float, data)
    return Ten(axes, out)


def _orderable_undef(x: Ten, y: Ten) -> Ten:
    """Entries where x or y has no value (checked only for orderable, i.e. numeric, data)."""
    axes = union(x.axes, y.axes)
    ux, uy = _undefined_entries(x.aligned(axes)), _undefined_entries(y.aligned(axes))
    shape = np.broadcast_shapes(ux.shape, uy.shape)
    return Ten(axes, np.broadcast_to(ux | uy, shape).copy())


def _zeros_like(t: Ten) -> Ten:
    return tn.unop(lambda d: d * 0, t)


def _tie(x: Ten, y: Ten) -> Ten:
    a, b = tn.less(x, y), tn.less(y, x)
    axes = union(a.axes, b.axes)
    return Ten(axes, ~(a.aligned(axes) | b.aligned(axes)))


def _pick(x: Val, y: Val, take_x: Ten) -> Val:
    """take_x ? x : y, with kinks where the two tie with different derivatives."""
    out = tn.select(take_x, x, y)
    undef = _orderable_undef(x.v, y.v)
    value = _masked(out.v, undef, UNDEF)
    if out.d is None:
        return Val(value)
    dx = x.d if x.d is not None else _zeros_like(y.d)
    dy = y.d if y.d is not None else _zeros_like(x.d)
    tie = _tie(x.v, y.v)
    axes = union(tie.axes, dx.axes, dy.axes)
    differ = np.asarray(dx.aligned(axes) != dy.aligned(axes), dtype=bool)
    t = tie.aligned(axes)
    shape = np.broadcast_shapes(differ.shape, t.shape)
    kink = Ten(axes, np.broadcast_to(differ & t, shape).copy())
    return Val(value, _masked(out.d, kink, KINK))


def minimum(x: Val, y: Val) -> Val:
    return _pick(x, y, tn.less(x.v, y.v))


def maximum(x: Val, y: Val) -> Val:
    return _pick(x, y, tn.less(y.v, x.v))


def absolute(x: Val) -> Val:
    return maximum(x, tn.neg(x))


def indicator(hold: Ten, x: Val, y: Val, one: Val, zero: Val, field, n_theta: int) -> Val:
    """1 where ``hold``, else 0; with a derivative (0, or KINK at ties) when a side depends on theta."""
    out = tn.select(hold, one, zero)
    value = _masked(out.v, _orderable_undef(x.v, y.v), UNDEF)
    if x.d is None and y.d is None:
        return Val(value)
    tie = _tie(x.v, y.v)
    d = Ten(value.axes + (tn.GRAD,), field.zeros(value.data.shape + (n_theta,)))
    return Val(value, _masked(d, tie, KINK))
