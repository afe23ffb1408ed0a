"""Named-axis tensors and forward-mode dual values.

A ``Ten`` is an array whose axes carry names: one axis per variable the value
depends on (``s``, ``a``, ``tau1.s0``, ``n`` for Monte Carlo samples, ``grad``
for the components of a gradient).  Binary operations align axes by name and
broadcast, so the evaluator never tracks positions.

A ``Val`` is a dual number ``(v, d)``: the value and its gradient with respect
to theta (``d`` has the extra axis ``grad``), or ``d = None`` for a value that
does not depend on theta (or whose gradient is not being tracked).
"""
from __future__ import annotations

import numpy as np

from .undefined import (  # noqa: F401  (re-exported: importers use derive.engine.tensor)
    NOVAL, UNDEF, Undefined, _safe_div_v, _Undef, has_novalue, is_undefined_array)

GRAD = "grad"


class Ten:
    __slots__ = ("axes", "data")

    def __init__(self, axes, data):
        self.axes = axes if type(axes) is tuple else tuple(axes)
        self.data = data
        if (data.ndim if type(data) is np.ndarray else np.ndim(data)) != len(self.axes):
            raise ValueError(f"axes {self.axes} do not match shape {np.shape(data)}")

    @staticmethod
    def scalar(x, dtype=object) -> "Ten":
        arr = np.empty((), dtype=dtype)
        arr[()] = x
        return Ten((), arr)

    def size_of(self, axis: str) -> int:
        return self.data.shape[self.axes.index(axis)]

    def aligned(self, axes) -> np.ndarray:
        """The data arranged for broadcasting against the axis order ``axes``."""
        own = self.axes
        if axes == own:  # the common case: already in that order (hot path of every binary operation)
            return self.data
        perm = [own.index(a) for a in axes if a in own]
        data = self.data if perm == list(range(len(perm))) else np.transpose(self.data, perm)
        shape, sizes = [], iter(data.shape)
        for a in axes:
            shape.append(next(sizes) if a in own else 1)
        return data.reshape(shape)

    def sum(self, axes) -> "Ten":
        idx = tuple(i for i, a in enumerate(self.axes) if a in axes)
        if not idx:
            return self
        keep = tuple(a for a in self.axes if a not in axes)
        out = self.data.sum(axis=idx)
        return Ten(keep, _as_array(out, self.data.dtype))

    def rename(self, old: str, new: str) -> "Ten":
        return Ten(tuple(new if a == old else a for a in self.axes), self.data)

    def __repr__(self):
        return f"Ten({self.axes}, {self.data!r})"


def _as_array(x, dtype):
    if isinstance(x, np.ndarray):
        return x
    arr = np.empty((), dtype=dtype)
    arr[()] = x
    return arr


def _coerce(x: np.ndarray, y: np.ndarray):
    """Exact (object) data meeting inexact (float) data becomes float."""
    if x.dtype == object and y.dtype != object:
        return x.astype(float), y
    if y.dtype == object and x.dtype != object:
        return x, y.astype(float)
    return x, y


def union(*axes_lists) -> tuple:
    out: list = []
    for axes in axes_lists:
        for a in axes:
            if a not in out:
                out.append(a)
    return tuple(out)


def binop(f, x: Ten, y: Ten) -> Ten:
    axes = union(x.axes, y.axes)
    dx, dy = _coerce(x.aligned(axes), y.aligned(axes))
    try:
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            out = f(dx, dy)
    except ZeroDivisionError as exc:  # 0-d object arrays divide directly
        raise Undefined("division by zero") from exc
    return Ten(axes, _broadcast(out, axes, x, y))


def _broadcast(out, axes, x, y):
    shape = []
    for a in axes:
        shape.append(x.size_of(a) if a in x.axes else y.size_of(a))
    out = _as_array(out, x.data.dtype)
    if out.shape != tuple(shape):
        out = np.broadcast_to(out, shape).copy()
    return out


def unop(f, x: Ten) -> Ten:
    return Ten(x.axes, _as_array(f(x.data), x.data.dtype))


# --------------------------------------------------------------- duals


class Val:
    __slots__ = ("v", "d")

    def __init__(self, v: Ten, d: Ten | None = None):
        self.v = v
        self.d = d

    @property
    def axes(self):
        return union(self.v.axes, self.d.axes if self.d is not None else ())

    def __repr__(self):
        return f"Val({self.v!r}, d={self.d!r})"


def _add_opt(x: Ten | None, y: Ten | None, sign=1) -> Ten | None:
    if x is None and y is None:
        return None
    if y is None:
        return x
    if x is None:
        return y if sign == 1 else unop(lambda d: -d, y)
    return binop((lambda p, q: p + q) if sign == 1 else (lambda p, q: p - q), x, y)


def mul_t(x: Ten, y: Ten) -> Ten:
    return binop(lambda p, q: p * q, x, y)


def div_t(x: Ten, y: Ten) -> Ten:
    def f(p, q):
        if p.dtype == object or q.dtype == object:
            if p.size == 0 or q.size == 0:
                return p / q
            return _safe_div_v(p, q)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = p / q
        return np.where(q == 0, np.nan, out)

    return binop(f, x, y)


def add(x: Val, y: Val) -> Val:
    return Val(binop(lambda p, q: p + q, x.v, y.v), _add_opt(x.d, y.d))


def sub(x: Val, y: Val) -> Val:
    return Val(binop(lambda p, q: p - q, x.v, y.v), _add_opt(x.d, y.d, sign=-1))


def neg(x: Val) -> Val:
    return Val(unop(lambda d: -d, x.v), None if x.d is None else unop(lambda d: -d, x.d))


def mul(x: Val, y: Val) -> Val:
    d = _add_opt(None if x.d is None else mul_t(x.d, y.v), None if y.d is None else mul_t(x.v, y.d))
    return Val(mul_t(x.v, y.v), d)


def div(x: Val, y: Val) -> Val:
    v = div_t(x.v, y.v)
    if x.d is None and y.d is None:
        return Val(v)
    # (x/y)' = x'/y - (x/y) y'/y
    d = _add_opt(
        None if x.d is None else div_t(x.d, y.v),
        None if y.d is None else div_t(mul_t(v, y.d), y.v),
        sign=-1,
    )
    return Val(v, d)


def power_const(x: Val, n, field) -> Val:
    """x ** n for a constant exponent n (an int, or a rational handled by the field)."""
    if isinstance(n, int):
        if n == 0:
            return Val(unop(lambda d: d * 0 + 1, x.v))
        if n < 0:
            return div(Val(unop(lambda d: d * 0 + 1, x.v)), power_const(x, -n, field))
        v = unop(lambda d: d**n, x.v)
        if x.d is None or n == 0:
            return Val(v)
        dn = unop(lambda d: n * d ** (n - 1), x.v)
        return Val(v, mul_t(dn, x.d))
    v = Ten(x.v.axes, field.rational_power(x.v.data, n))
    if x.d is None:
        return Val(v)
    dn = Ten(x.v.axes, field.rational_power(x.v.data, n - 1) * float(n))
    return Val(v, mul_t(dn, x.d))


def log(x: Val, field) -> Val:
    data = x.v.data
    if data.dtype == object and field.name != "symbolic":
        bad = np.vectorize(lambda v: v is UNDEF or v <= 0, otypes=[bool])(data) if data.size else np.zeros(data.shape, bool)
        vals = field.log(np.where(bad, 1, data))
        vals = np.where(bad, np.nan, vals)
    elif data.dtype != object:
        with np.errstate(divide="ignore", invalid="ignore"):
            vals = np.where(data > 0, np.log(np.where(data > 0, data, 1.0)), np.nan)
    else:
        try:
            vals = field.log(data)
        except ArithmeticError:  # no log in this field: keep the (rational) derivative only
            if x.d is None:
                raise
            vals = np.full(data.shape, NOVAL, dtype=object)
    v = Ten(x.v.axes, vals)
    return Val(v, None if x.d is None else div_t(x.d, x.v))


def exp(x: Val, field) -> Val:
    v = Ten(x.v.axes, field.exp(x.v.data))
    return Val(v, None if x.d is None else mul_t(v, x.d))


def select(cond: Ten, x: Val, y: Val) -> Val:
    """Elementwise cond ? x : y (cond a boolean tensor); derivatives follow the branch."""
    v = _where(cond, x.v, y.v)
    if x.d is None and y.d is None:
        return Val(v)
    zx = x.d if x.d is not None else None
    zy = y.d if y.d is not None else None
    if zx is None:
        zx = unop(lambda d: d * 0, zy)
    if zy is None:
        zy = unop(lambda d: d * 0, zx)
    return Val(v, _where(cond, zx, zy))


def _where(cond: Ten, x: Ten, y: Ten) -> Ten:
    axes = union(cond.axes, x.axes, y.axes)
    dx, dy = _coerce(x.aligned(axes), y.aligned(axes))
    c = cond.aligned(axes).astype(bool)
    out = np.where(c, dx, dy)
    shape = np.broadcast_shapes(c.shape, dx.shape, dy.shape)
    return Ten(axes, np.broadcast_to(out, shape).copy())


def _orderable(data) -> bool:
    """Exact and float entries can be ordered; symbolic ones cannot (SymPy's fields answer False)."""
    if data.dtype != object or data.size == 0:
        return True
    first = data.flat[0]
    return isinstance(first, (int, float)) or type(first).__module__.startswith("gmpy2") or first is UNDEF


def less(x: Ten, y: Ten) -> Ten:
    axes = union(x.axes, y.axes)
    if not (_orderable(x.data) and _orderable(y.data)):
        raise Undefined("comparison of symbolic values")
    dx, dy = _coerce(x.aligned(axes), y.aligned(axes))
    out = np.asarray(dx < dy)
    try:
        out = out.astype(bool)
    except TypeError as exc:  # symbolic comparison
        raise Undefined("comparison of symbolic values") from exc
    shape = np.broadcast_shapes(dx.shape, dy.shape)
    return Ten(axes, np.broadcast_to(out, shape).copy())


def zero_where_impossible(weight: Ten, val: Val) -> Val:
    """val with every entry of probability 0 (weight == 0) set to 0, defined or not."""
    try:
        zero = np.asarray(weight.data == 0)
        zero = zero.astype(bool)
    except (TypeError, ValueError):
        return val
    if not zero.any():
        return val
    wz = Ten(weight.axes, zero)

    def mask(t: Ten | None):
        if t is None:
            return None
        axes = union(t.axes, wz.axes)
        data, z = t.aligned(axes), wz.aligned(axes)
        shape = np.broadcast_shapes(data.shape, z.shape)
        fill = 0 if data.dtype == object else 0.0
        out = np.where(np.broadcast_to(z, shape), fill, np.broadcast_to(data, shape))
        return Ten(axes, out.astype(data.dtype))

    return Val(mask(val.v), mask(val.d))


def sum_axes(x: Val, axes) -> Val:
    return Val(x.v.sum(axes), None if x.d is None else x.d.sum(axes))


def gather(data: np.ndarray, grad: np.ndarray | None, index: list[Ten]) -> Val:
    """Table lookup: data[i0, i1, ...] where each index is an integer tensor."""
    axes = union(*(ix.axes for ix in index))
    idx = tuple(ix.aligned(axes) for ix in index)
    v = data[idx]
    shape = tuple(_axis_size(a, index) for a in axes)
    v = np.broadcast_to(v, shape).copy() if v.shape != shape else v
    d = None
    if grad is not None:
        g = grad[idx + (slice(None),)]
        g = np.broadcast_to(g, shape + (grad.shape[-1],)).copy() if g.shape[:-1] != shape else g
        d = Ten(axes + (GRAD,), g)
    return Val(Ten(axes, v), d)


def _axis_size(axis, index):
    for ix in index:
        if axis in ix.axes:
            return ix.size_of(axis)
    raise KeyError(axis)
