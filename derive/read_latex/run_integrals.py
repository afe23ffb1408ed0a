r"""Integrals over a slice of the trajectory, ``\int_{\tau_{x_0:u_t}} X \, d\tau_{x_0:u_t}`` (issue 10, R11).

helpingstar/Math-RL (eqs. 3.9, 4.3-4.5) splits the trajectory into slices and integrates over each:

    \int_{\tau_{x_0:u_t}} \int_{\tau_{x_{t+1}:u_T}} X \, p_\theta(\tau_{x_0:u_t}, \tau_{x_{t+1}:u_T})
        \, d\tau_{x_{t+1}:u_T} \, d\tau_{x_0:u_t}
    \int_{x_0} \left[ \int_{\tau_{u_0:u_T}} X \, p_\theta(\tau_{u_0:u_T} | x_0) \, d\tau_{u_0:u_T} \right] p(x_0) \, dx_0

On a finite MDP an integral is the sum for the counting measure (integrals.py): over the values of the slice's
variables s_{k0} (or a_{k0}), ..., of the trajectory, every other variable left free.  A slice that runs to the
trajectory's end (its last action u_T under ``horizon: last-index``) is the rest of the trajectory, its final state
included (as its density, read_latex/trajectory_runs.py).  The integral's subscript names the slice and its differential must
name the same one (the first such differential after it: integrals nest).  ``\int_{x_0}`` is read so only around
an integral over a slice; alone it keeps its reading (integrals.py).  The reading is said in ``read as``.
"""
from __future__ import annotations

from sympy import Integer

from ..lang.run_nodes import SumRun
from ..lang.symbols import T
from .errors import fail
from .interpret import Ctx, product
from .trajectory_runs import slice_ends, to_the_end, variable as _variable
from .reading import note
from .spellings import single_expr
from .syntax import Atom, Scripted, Syn, raw, single

NOTE = (r"\int over a slice of the trajectory (\tau_{x_0:u_t}, or one of its variables around such an integral) on a "
        r"finite MDP is the sum over the values of its variables (the counting measure); a slice to the trajectory's end "
        r"(its last action a_T under horizon: last-index) includes the final state")


def _norm(x) -> str:
    return raw(single(x)).replace(" ", "")


def _matching_differential(items, i: int, name: str):
    """The index of the first ``d`` after items[i] followed by the variable written ``name``, or None."""
    for k in range(i + 1, len(items) - 1):
        it = items[k]
        if isinstance(it, Atom) and it.kind in ("sym", "text") and it.name == "d" and _norm(items[k + 1]) == name:
            return k
    return None


def _is_slice_integral(it, ctx: Ctx) -> bool:
    if not isinstance(it, Scripted) or not isinstance(it.base, Atom) or it.base.name != "int" or it.sub is None:
        return False
    try:
        return slice_ends(single_expr(it.sub), ctx) is not None
    except Exception:  # noqa: BLE001  (any other subscript: not a slice)
        return False


def _has_slice_integral(x, ctx: Ctx, depth: int) -> bool:
    """An integral over a slice anywhere inside x (within brackets too)."""
    if depth > 40:
        return False
    if _is_slice_integral(x, ctx):
        return True
    for f in ("items", "terms", "parts", "lhs", "rhs", "num", "den", "body"):
        v = getattr(x, f, None)
        for y in (v if isinstance(v, (list, tuple)) else [v]):
            for z in (y if isinstance(y, (list, tuple)) else [y]):
                if isinstance(z, Syn) and _has_slice_integral(z, ctx, depth + 1):
                    return True
    return False


def run_integral(item, items: list, i: int, ctx: Ctx):
    """(value, next index) of an integral over a slice of the trajectory, or None for another integral."""
    if not isinstance(item, Scripted) or item.sub is None or item.sup is not None:
        return None
    sub = single_expr(item.sub)
    ends = slice_ends(sub, ctx)
    if ends is None:
        v = _variable(sub, ctx)
        if v is None or not any(_has_slice_integral(it, ctx, 0) for it in items[i + 1:]):
            return None
        ends = (v, v)
    name = _norm(sub)
    k = _matching_differential(items, i, name)
    if k is None:
        fail(rf"\int_{{{name}}} over a slice of the trajectory needs its differential d{name} (the same variables)",
             item.pos)
    if k <= i + 1:
        fail(r"\int has nothing to act on", item.pos)
    body, _ = product(items[:k], i + 1, ctx)
    (l0, t0), (l1, t1) = ends
    if to_the_end(ends[1], ctx):  # the rest of the trajectory, its final state included (trajectory_runs.py)
        l1, t1 = "s", T
    note(NOTE)
    return SumRun(body, t0, Integer(int(l0 == "a")), t1, Integer(int(l1 == "a"))), k + 2


__all__ = ["run_integral"]
