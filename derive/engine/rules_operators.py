"""Evaluation rules for the operators: nabla_theta, the evaluation bar, sums over spaces, max, E."""
from __future__ import annotations

import numpy as np
from sympy import Sum

from ..lang import nodes
from . import tensor as tn
from .evaluate import Env, Unsupported, evaluate, index_of, policy_arrays, rule, var_key, var_size
from .linearity import split_terms
from .rules_algebra import iterate_limits, maximum
from .scope import EnumScope, marginal
from ..lang.symbols import gamma
from .tensor import GRAD, Ten, Val


@rule(nodes.Grad)
def _grad(e, env: Env) -> Val:
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
    u, v = (evaluate(a, env) for a in e.args)
    if GRAD not in u.v.axes or GRAD not in v.v.axes:
        raise Unsupported("<u, v> takes two gradients (vectors over the components of theta)")
    if u.d is not None or v.d is not None:
        raise Unsupported("the gradient of an inner product of gradients is not supported")
    return tn.sum_axes(tn.mul(u, v), (GRAD,))


@rule(nodes.EvalAt)
def _eval_at(e, env: Env) -> Val:
    body, frm, to = e.args
    return evaluate(body, env.with_policy(frm.name, to.name))


@rule(nodes.SetParam)
def _set_param(e, env: Env) -> Val:
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
    from .evaluate import preorder

    for x in preorder(expr):
        if isinstance(x, (nodes.V, nodes.Q, nodes.A, nodes.J, nodes.Dpi)):
            return True
        if isinstance(x, nodes.VRef) and not x.args[0].name.startswith("free:"):
            return True
    return False


def bind_fresh(var, env: Env):
    """Bind a variable to a fresh enumerated axis; returns (env, axis name)."""
    key = var_key(var, env)
    axis = f"{key if isinstance(key, tuple) else var.name}#{env.depth}"
    index = Ten((axis,), np.arange(var_size(var, env)))
    return env.bind_var(key, index).with_(depth=env.depth + 1), axis


@rule(nodes.SumOver)
def _sum_over(e, env: Env) -> Val:
    body, var = e.args
    inner, axis = bind_fresh(var, env)
    val = evaluate(body, inner)
    return _sum_full(val, [axis], {axis: var_size(var, env)}, env)


def _sum_full(val: Val, axes, sizes: dict, env: Env) -> Val:
    """Sum over axes, counting axes the value does not depend on (each contributes a factor)."""
    factor = 1
    for a in axes:
        if a not in val.axes:
            factor *= sizes[a]
    out = tn.sum_axes(val, axes)
    if factor != 1:
        out = tn.mul(out, Val(Ten.scalar(env.field.const(factor), env.field.dtype)))
    return out


@rule(nodes.MaxOver)
def _max_over(e, env: Env) -> Val:
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


def new_scope(env: Env) -> EnumScope:
    if env.horizon is None:
        raise Unsupported(
            "a sum over every trajectory (sum_tau) needs a finite horizon T; in the discounted setting write "
            "E_{tau ~ pi}[...] (evaluated exactly over infinite trajectories)")
    tb = env.tables
    return EnumScope(f"tau{env.depth}", env.horizon, tb.n_states, tb.n_actions)


@rule(nodes.SumTraj)
def _sum_traj(e, env: Env) -> Val:
    scope = new_scope(env)
    val = evaluate(e.args[0], env.with_(traj=scope, depth=env.depth + 1))
    axes = scope.all_axes()
    return _sum_full(val, axes, {a: scope.axis_size(a) for a in axes}, env)


# ----------------------------------------------------------- expectation


@rule(nodes.Expect)
def _expect(e, env: Env) -> Val:
    if env.horizon is None and any(isinstance(d, nodes.TrajDist) for d in e.dists):
        from . import infinite  # the discounted setting: exact resolvent evaluation of infinite trajectories

        return infinite.expect(e, env)
    out = None
    for term in split_terms(e.body):
        val = _expect_term(term, e.dists, env)
        out = val if out is None else tn.add(out, val)
    return out


def _expect_term(term, dists, env: Env) -> Val:
    if isinstance(term, Sum):
        out = None
        for inner in iterate_limits(term.limits, env):
            val = _expect_term(term.function, dists, inner)
            out = val if out is None else tn.add(out, val)
        if out is None:
            from .evaluate import const

            return const(env, 0)
        return out
    return expectation(term, dists, env)


def expectation(body, dists, env: Env) -> Val:
    """E over the given distributions of body, by exact enumeration."""
    inner = env
    axes = []
    densities = []
    trajs = []
    given = [d.args[0] for d in dists if isinstance(d, nodes.Given)]
    for d in dists:
        if isinstance(d, nodes.Given):
            continue
        if isinstance(d, nodes.TrajDist):
            scope = new_scope(inner)
            inner = inner.with_(traj=scope, depth=inner.depth + 1)
            trajs.append((scope, d.args[0].name))
        else:
            inner, axis = bind_fresh(d.var(), inner)
            axes.append(axis)
            densities.append(d.density())
    val = evaluate(body, inner)
    weight = None
    for dens in densities:
        w = evaluate(dens, inner)
        weight = w if weight is None else tn.mul(weight, w)
    if given and len(trajs) != 1:
        raise Unsupported("conditioning ( | s_t, a_t ) needs exactly one trajectory distribution")
    kept, norm = [], None
    for scope, policy in trajs:
        used = set(a for a in val.axes if scope.owns(a))
        if weight is not None:
            used |= set(a for a in weight.axes if scope.owns(a))
        kept = [_scope_axis(scope, g, inner) for g in given]
        used |= set(kept)
        w = trajectory_marginal(scope, used, policy, inner)
        if w is not None:
            weight = w if weight is None else tn.mul(weight, w)
        axes.extend(sorted(used - set(kept)))
        if kept:
            norm = trajectory_marginal(scope, set(kept), policy, inner)
    if weight is not None:
        val = tn.mul(weight, tn.zero_where_impossible(weight.v, val))
    out = tn.sum_axes(val, axes)
    if norm is not None:
        out = tn.div(out, norm)
        values = [d.args[-1] for d in dists if isinstance(d, nodes.Given)]  # [X | s_t = s]: the axis of s
        for g, axis in zip(values, kept):
            out = _rename(out, axis, _outer_axis(g, env))
    return out


def _scope_axis(scope, var, env: Env) -> str:
    from .evaluate import eval_int

    u = eval_int(var.args[0], env)
    if isinstance(var, nodes.St):
        scope.state(u)
        return scope.state_axis(u)
    scope.action(u)
    return scope.action_axis(u)


def _outer_axis(var, env: Env) -> str:
    ix = index_of(var, env)
    if len(ix.axes) != 1 or not np.array_equal(ix.data, np.arange(ix.data.shape[0])):
        raise Unsupported("a conditional expectation is evaluated exactly, over every value of what it is given")
    return ix.axes[0]


def _rename(val: Val, old: str, new: str) -> Val:
    return Val(val.v.rename(old, new), None if val.d is None else val.d.rename(old, new))


def trajectory_marginal(scope: EnumScope, used: set, policy: str, env: Env):
    probs, score, _ = policy_arrays(env, policy)
    tb = env.tables
    return marginal(
        scope,
        used,
        init=lambda s: tn.gather(tb.rho0, None, [s]),
        policy=lambda a, s: tn.gather(probs, score, [s, a]),
        transition=lambda s2, s, a: tn.gather(tb.P, None, [s, a, s2]),
    )


__all__ = ["expectation", "bind_fresh", "index_of"]
