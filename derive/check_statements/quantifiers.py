"""Free variables of a statement and the environments that instantiate them.

A statement ``lhs = rhs`` is read universally over its free variables:

* free state/action/point variables (s, a, s', x) become axes: every value is checked;
* free s_t, a_t become axes of a free trajectory scope (every combination);
* free integers (t, t', k, l, n) take every small valid value on the instance:
  t ranges over 0..T-1, k over 1..T-t, l over 0..k-1 (or 0..T-t-1), ...
  unless the statement declares its own ranges.
"""
from __future__ import annotations

import numpy as np
from sympy import Symbol

from ..engine.evaluate import Env, eval_int
from ..engine.scope import EnumScope
from ..engine.tensor import Ten
from ..lang.symbols import T, ActionVar, PointVar, StateVar, k, l, n, t, tp

# Default ranges (inclusive), in the order they are instantiated.
DEFAULT_RANGES = [
    (t, 0, T - 1),
    (tp, t, T - 1),
    (k, 1, T - t),
    (l, 0, T - t - 1),
    (n, 1, T - t),
]


def free_variables(*exprs):
    syms = set()
    for e in exprs:
        syms |= e.free_symbols
    vars_ = sorted((s for s in syms if isinstance(s, (StateVar, ActionVar, PointVar))), key=lambda s: s.name)
    ints = sorted((s for s in syms if isinstance(s, Symbol) and s.is_integer and s != T), key=lambda s: s.name)
    return vars_, ints


# Discounted (infinite horizon): a free t is instantiated at 0 and 1 (an identity about s_t for a free t is
# checked at two times; the infinite future after t is evaluated exactly, derive/engine/infinite.py).
DISCOUNTED_RANGES = [
    (t, 0, 1),
    (tp, t, t + 1),
    (k, 1, 3),
    (l, 0, 2),
    (n, 1, 3),
]
FREE_WINDOW = 8  # time steps of the free trajectory scope in the discounted setting (s_t, a_t for small t)


def ranges_for(ints, declared=(), discounted: bool = False):
    """Ranges for the free integers: declared ones first, then the defaults, then t-like."""
    out = list(declared)
    have = {r[0] for r in out}
    for sym, lo, hi in (DISCOUNTED_RANGES if discounted else DEFAULT_RANGES):
        if sym in ints and sym not in have:
            # a default bound may mention t: when t is not free in the statement, read it as t = 0
            mentioned = getattr(lo, "free_symbols", set()) | getattr(hi, "free_symbols", set())
            absent = {x: 0 for x in mentioned if x != T and x not in ints}
            lo = lo.subs(absent) if hasattr(lo, "subs") else lo
            hi = hi.subs(absent) if hasattr(hi, "subs") else hi
            out.append((sym, lo, hi))
            have.add(sym)
    for sym in ints:
        if sym not in have:
            out.append((sym, 0, 1 if discounted else T - 1))
            have.add(sym)
    return out


def axis_label(axis: str, n_actions: int) -> str:
    """A readable name for an internal axis."""
    if axis.startswith("free."):
        kind, u = axis[5], axis[6:]
        return f"{kind}_{u}"
    if "#" in axis:
        return axis.split("#")[0]
    return axis


def base_envs(tables, exprs, declared_ranges=()):
    """Every environment a statement is checked in on one instance: (env, integer assignment)."""
    vars_, ints = free_variables(*exprs)
    env = Env(tables)
    discounted = tables.inst.horizon is None
    window = FREE_WINDOW if discounted else tables.inst.horizon
    fixed = getattr(tables.inst, "fixed_start", False)  # start: fixed: a free s_0 is the start state
    env = env.with_(traj=EnumScope("free", window, tables.n_states, tables.n_actions, fixed_start=fixed))
    for v in vars_:
        size = (tables.n_states if isinstance(v, StateVar) else tables.n_actions if isinstance(v, ActionVar)
                else len(tables.inst.points))  # (a subclass too: an example's named state s_a, lang/example_numbers.py)
        env = env.bind_var(v, Ten((v.name,), np.arange(size)))
    env = env.with_(depth=1)
    ranges = ranges_for(ints, declared_ranges, discounted)
    yield from _instantiate(env, ranges, {})


def _instantiate(env, ranges, assignment):
    if not ranges:
        yield env, dict(assignment)
        return
    sym, lo, hi = ranges[0]
    try:
        lo_i, hi_i = eval_int(lo, env), eval_int(hi, env)
    except Exception:  # T in the discounted setting: the integer is not used
        lo_i, hi_i = 0, -1
    for value in range(lo_i, hi_i + 1):
        assignment[sym.name] = value
        yield from _instantiate(env.bind_int(sym, value), ranges[1:], assignment)
        del assignment[sym.name]
