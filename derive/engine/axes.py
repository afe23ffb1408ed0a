"""Binding variables to the named axes of values, and the small operations on those axes.

A bound variable (the s of sum_s, the a of E_{a ~ pi(.|s)}) becomes a fresh enumerated axis
``"<name>#<depth>"`` with one entry per state, action or point; a trajectory tau becomes an
``EnumScope`` whose states s_0..s_T and actions a_0..a_{T-1} are axes.  Used by the rules in
derive/engine/rules_operators.py, expectation.py and windows.py (a leaf: it imports no rule).
"""
from __future__ import annotations

import numpy as np

from ..lang import nodes
from . import tensor as tn
from .registry import Env, Unsupported, eval_int, index_of, var_key, var_size
from .scope import EnumScope
from .tensor import Ten, Val


def bind_fresh(var, env: Env):
    """Bind a variable to a fresh enumerated axis; returns (env, axis name)."""
    key = var_key(var, env)
    axis = f"{key if isinstance(key, tuple) else var.name}#{env.depth}"
    index = Ten((axis,), np.arange(var_size(var, env)))
    return env.bind_var(key, index).with_(depth=env.depth + 1), axis


def sum_full(val: Val, axes, sizes: dict, env: Env) -> Val:
    """sum over ``axes`` of val, counting axes the value does not depend on (each contributes a factor |axis|)."""
    factor = 1
    for a in axes:
        if a not in val.axes:
            factor *= sizes[a]
    out = tn.sum_axes(val, axes)
    if factor != 1:
        out = tn.mul(out, Val(Ten.scalar(env.field.const(factor), env.field.dtype)))
    return out


def new_scope(env: Env) -> EnumScope:
    """Every trajectory (s_0, a_0, ..., s_T) of the finite horizon T, as enumerated axes."""
    if env.horizon is None:
        raise Unsupported(
            "a sum over every trajectory (sum_tau) needs a finite horizon T; in the discounted setting write "
            "E_{tau ~ pi}[...] (evaluated exactly over infinite trajectories)")
    tb = env.tables
    return EnumScope(f"tau{env.depth}", env.horizon, tb.n_states, tb.n_actions)


def scope_axis(scope, var, env: Env) -> str:
    """The axis of s_u or a_u in an enumerated trajectory scope."""
    u = eval_int(var.args[0], env)
    if isinstance(var, nodes.St):
        scope.state(u)
        return scope.state_axis(u)
    scope.action(u)
    return scope.action_axis(u)


def outer_axis(var, env: Env) -> str:
    """The axis of the outer variable a conditional expectation [X | s_t = s] is given (s enumerated)."""
    ix = index_of(var, env)
    if len(ix.axes) != 1 or not np.array_equal(ix.data, np.arange(ix.data.shape[0])):
        raise Unsupported("a conditional expectation is evaluated exactly, over every value of what it is given")
    return ix.axes[0]


def rename(val: Val, old: str, new: str) -> Val:
    """The same value with axis ``old`` called ``new`` (value and gradient)."""
    return Val(val.v.rename(old, new), None if val.d is None else val.d.rename(old, new))


__all__ = ["bind_fresh", "sum_full", "new_scope", "scope_axis", "outer_axis", "rename"]
