"""Evaluation rules for the operators: nabla_theta, <u, v>, the evaluation bars, sums and max over spaces, sum_tau.

The expectation E is derive/engine/expectation.py (exact and sampled side by side).
"""
from __future__ import annotations

import numpy as np

from ..lang import nodes
from ..lang.symbols import gamma
from . import tensor as tn
from .axes import bind_fresh, new_scope, sum_full
from .piecewise import maximum
from .registry import Env, Unsupported, evaluate, preorder, rule, var_size
from .tensor import GRAD, Ten, Val


@rule(nodes.Grad)
def _grad(e, env: Env) -> Val:
    """nabla_theta f: forward mode, the body evaluated as a dual number (value, d/dtheta_i for every component i);
    the result has the axis ``grad``.  A gradient inside a gradient is refused."""
    if env.track:
        raise Unsupported("second derivatives (a gradient inside a gradient) are not supported")
    val = evaluate(e.args[0], env.with_(track=True))
    if GRAD in val.v.axes:
        raise Unsupported("the gradient of a gradient is not supported")
    if val.d is None:
        n = env.tables.n_theta
        zeros = env.field.zeros(val.v.data.shape + (n,))
        return Val(Ten(val.v.axes + (GRAD,), zeros))
    return Val(val.d)


@rule(nodes.Inner)
def _inner(e, env: Env) -> Val:
    """<u, v> = sum_i u_i v_i over the components of theta (both sides gradients)."""
    u, v = (evaluate(a, env) for a in e.args)
    if GRAD not in u.v.axes or GRAD not in v.v.axes:
        raise Unsupported("<u, v> takes two gradients (vectors over the components of theta)")
    if u.d is not None or v.d is not None:
        raise Unsupported("the gradient of an inner product of gradients is not supported")
    return tn.sum_axes(tn.mul(u, v), (GRAD,))


@rule(nodes.EvalAt)
def _eval_at(e, env: Env) -> Val:
    """f|_{pi = pi'}: f evaluated with the policy pi taking the probabilities of pi'."""
    body, frm, to = e.args
    return evaluate(body, env.with_policy(frm.name, to.name))


@rule(nodes.SetParam)
def _set_param(e, env: Env) -> Val:
    """f|_{c = v}: f evaluated with the parameter c (gamma, lambda, epsilon, beta) set to the constant v; refused for
    gamma around V, Q, A, d^pi, J (computed with the instance's gamma)."""
    body, sym, value = e.args
    if sym == gamma and _uses_true_values(body):
        # V, Q, A, d and J are computed with the instance's gamma: a bar cannot change it under them
        raise Unsupported(r"\left. ... \right|_{\gamma=...} around V, Q, A, d^\pi or J is not supported: "
                          "fix the discount for the whole derivation with the front matter 'gamma: ...'")
    val = evaluate(value, env)
    if val.d is not None or val.v.axes:
        raise Unsupported("a parameter can only be set to a constant")
    return evaluate(body, env.with_(params=((sym, val),) + env.params))


def _uses_true_values(expr) -> bool:
    for x in preorder(expr):
        if isinstance(x, (nodes.V, nodes.Q, nodes.A, nodes.J, nodes.Dpi)):
            return True
        if isinstance(x, nodes.VRef) and not x.args[0].name.startswith("free:"):
            return True
    return False


@rule(nodes.SumOver)
def _sum_over(e, env: Env) -> Val:
    """sum_x f(x) over every state, action or point x (a term that does not read x counts |X| times)."""
    body, var = e.args
    inner, axis = bind_fresh(var, env)
    val = evaluate(body, inner)
    return sum_full(val, [axis], {axis: var_size(var, env)}, env)


@rule(nodes.MaxOver)
def _max_over(e, env: Env) -> Val:
    """max_x f(x) over every state, action or point x, folded with max (derivative of the maximiser; a tie with
    different derivatives is not differentiable, derive/engine/piecewise.py)."""
    body, var = e.args
    inner, axis = bind_fresh(var, env)
    val = evaluate(body, inner)
    if axis not in val.axes:
        return val
    out = None
    for i in range(var_size(var, env)):
        sl = _slice(val, axis, i)
        out = sl if out is None else maximum(out, sl)
    return out


def _slice(val: Val, axis: str, i: int) -> Val:
    def take(t: Ten):
        if t is None or axis not in t.axes:
            return t
        k = t.axes.index(axis)
        return Ten(t.axes[:k] + t.axes[k + 1:], tn._as_array(np.take(t.data, i, axis=k), t.data.dtype))

    return Val(take(val.v), take(val.d))


@rule(nodes.SumTraj)
def _sum_traj(e, env: Env) -> Val:
    """sum_tau f(tau) over every trajectory (s_0, a_0, ..., s_T) of the finite horizon T (no weights: P(tau)
    must be written); a time the body does not read counts |S| or |A| times."""
    scope = new_scope(env)
    val = evaluate(e.args[0], env.with_(traj=scope, depth=env.depth + 1))
    axes = scope.all_axes()
    return sum_full(val, axes, {a: scope.axis_size(a) for a in axes}, env)

