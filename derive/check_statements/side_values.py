"""A side's exact value on an instance, remembered for the next step of the chain (issue 14).

In a chain ``a = b = c`` the right side of one step is the left side of the next (the same parsed
expression), so the exact method would evaluate every middle expression twice on every instance.
``side_value(expr, env)`` evaluates ``expr`` in the top-level environment of ``check_exact`` once per
instance and environment and hands back the same value the second time.

The key is the expression (SymPy's structural equality) with everything of the environment a value
depends on: the instance's tables (the memo lives in ``tables.memo``, so one instance's values never
reach another), the free variables bound (names and kinds), the free integers' values, the free
trajectory's window, the depth, the policy map and the parameter overrides.  The free objects the
evaluation used (``Instance.recording``, which a counterexample lists) are remembered with the value
and recorded again on a hit, so a counterexample reads the same.  ``Undefined`` (the value does not
exist on this instance) is remembered and raised again; any other exception is not remembered.  The arrays of a remembered value are made read-only: a later in-place change would fail
loudly instead of altering a verdict.
"""
from __future__ import annotations

import numpy as np

from ..engine.evaluate import evaluate
from ..engine.tensor import Undefined

KEEP = 16  # values per instance, the oldest dropped first (a chain needs only the step before's right side)
_SLOT = "check_statements.side_values"


def _signature(env) -> tuple:
    traj = env.traj
    window = None if traj is None else (type(traj).__name__, getattr(traj, "prefix", None),
                                        getattr(traj, "horizon", None), getattr(traj, "fixed_start", None))
    return (tuple(sorted((str(k), type(k).__name__) for k in env.vars)),
            tuple(sorted((str(k), v) for k, v in env.ints.items())),
            window, env.depth, env.track, env.policy_map, env.params)


def _freeze(val) -> None:
    for part in (getattr(val, "v", None), getattr(val, "d", None)):  # engine/tensor.py: Val(v, d), Ten.data
        arr = getattr(part, "data", None)
        if isinstance(arr, np.ndarray):
            arr.flags.writeable = False


def side_value(expr, env):
    """``evaluate(expr, env)``, computed once per instance and environment (module docstring)."""
    try:
        key = (expr, _signature(env))
        hash(key)
    except TypeError:  # something unhashable: evaluate as usual
        return evaluate(expr, env)
    tables = env.tables
    memo = tables.memo.setdefault(_SLOT, {})
    inst = tables.inst
    hit = memo.get(key)
    if hit is not None:
        val, used = hit
        if inst.used is not None:
            inst.used |= used
        if isinstance(val, Undefined):
            raise val.with_traceback(None)
        return val
    outer = inst.used
    inst.used = set()
    try:
        val = evaluate(expr, env)
    except Undefined as exc:  # undefined on this instance (x / 0, s_t outside the horizon): as certain as a value
        val = exc
    finally:
        inner, inst.used = inst.used, outer
        if outer is not None:
            outer |= inner
    while len(memo) >= KEEP:
        memo.pop(next(iter(memo)))
    _freeze(val)
    memo[key] = (val, frozenset(inner))
    if isinstance(val, Undefined):
        raise val.with_traceback(None)
    return val
