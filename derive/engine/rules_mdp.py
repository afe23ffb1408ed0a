"""Evaluation rules for the RL quantities: pi, P, rho_0, R, r_t, P(tau), V, Q, A, d, J, free functions."""
from __future__ import annotations

import numpy as np
from sympy import Dummy, latex, log
from sympy.core.symbol import Str

from ..lang import nodes
from ..lang.symbols import PointVar, StateVar
from . import tensor as tn
from . import values
from .registry import (Env, Unsupported, eval_int, evaluate, index_of, is_final_state, policy_arrays, rule,
                       var_size)
from .tensor import GRAD, Ten, Val
from .param_dist import is_param_dist, param_score


@rule(nodes.Pi)
def _pi(e, env: Env) -> Val:
    """pi(a|s): the policy's probability table; for pi_theta (softmax) with its score when the gradient is tracked."""
    name, act, st = e.args
    probs, score, _ = policy_arrays(env, name.name)
    return tn.gather(probs, score, [index_of(st, env), index_of(act, env)])


@rule(nodes.Trans)
def _trans(e, env: Env) -> Val:
    """P(s'|s, a): the instance's transition probability."""
    nxt, st, act = e.args
    return tn.gather(env.tables.P, None, [index_of(st, env), index_of(act, env), index_of(nxt, env)])


@rule(nodes.Rho0)
def _rho0(e, env: Env) -> Val:
    """rho_0(s): the initial-state distribution."""
    return tn.gather(env.tables.rho0, None, [index_of(e.args[0], env)])


@rule(nodes.Rew)
def _rew(e, env: Env) -> Val:
    """R(s, a, s'): the instance's reward (r(s) when the front matter says reward: state)."""
    st, act, nxt = e.args
    return tn.gather(env.tables.R, None, [index_of(st, env), index_of(act, env), index_of(nxt, env)])


@rule(nodes.Rt, nodes.TrajReturn, nodes.Ret, nodes.Delta, nodes.KAdv, nodes.GAE, nodes.LamRet)
def _defined(e, env: Env) -> Val:
    """A defined quantity, evaluated through its definition (derive/lang/mdp_nodes.py, value_nodes.py):
    r_t = R(s_t, a_t, s_{t+1}); R(tau) = sum_{t<T} gamma^t r_t; G_t = sum_{t'=t}^{T-1} gamma^{t'-t} r_{t'};
    delta_t = r_t + gamma V(s_{t+1}) - V(s_t); A^(k)_t = sum_{l<k} gamma^l r_{t+l} + gamma^k V(s_{t+k}) - V(s_t);
    A^GAE_t = sum_{l=0}^{T-t-1} (gamma lambda)^l delta_{t+l}; G^lambda_t."""
    return evaluate(e.definition(), env)


@rule(nodes.St, nodes.At)
def _index_as_number(e, env: Env) -> Val:
    """s_t, a_t used as a number: refused (they are a state and an action, not values)."""
    raise Unsupported(f"{e} is a state or action, not a number")


@rule(nodes.TrajProb)
def _traj_prob(e, env: Env) -> Val:
    """P(tau | pi) = rho_0(s_0) prod_{t=0}^{T-1} pi(a_t|s_t) P(s_{t+1}|s_t, a_t), on the trajectory in scope
    (finite horizon T only)."""
    if env.traj is None:
        raise Unsupported("P(tau|...) is used where no trajectory is in scope")
    if env.horizon is None:
        raise Unsupported("P(tau) needs a finite horizon T")
    name = e.args[0].name
    probs, score, _ = policy_arrays(env, name)
    scope = env.traj
    out = tn.gather(env.tables.rho0, None, [scope.state(0)])
    for u in range(env.horizon):
        out = tn.mul(out, tn.gather(probs, score, [scope.state(u), scope.action(u)]))
        out = tn.mul(out, tn.gather(env.tables.P, None, [scope.state(u), scope.action(u), scope.state(u + 1)]))
    return out


# ------------------------------------------------------- value functions


def value_tables(env: Env, name: str):
    """(V, Q, A) arrays with gradients for a policy, cached per policy source and tracking."""
    probs, score, src = policy_arrays(env, name)
    key = ("values", src, score is not None)
    tb = env.tables
    if key not in tb.memo:
        if env.horizon is None:
            tb.memo[key] = values.discounted_values(tb, probs, score)
        else:
            tb.memo[key] = values.finite_values(tb, probs, score)
    return tb.memo[key]


def time_of(e, tm, st, env: Env, name: str | None = None, example: str = r"V^\pi(s_t) or V^\pi_t(s)"):
    """The time index of a value node V_t(s), Q(s_t, a), ... in the finite setting (None when discounted).

    A value with no time index is refused there: finite-horizon values depend on t.
    """
    if env.horizon is None:
        return None
    if tm != nodes.NOTIME:
        return eval_int(tm, env)
    if isinstance(st, nodes.St):
        return eval_int(st.args[0], env)
    raise Unsupported(
        f"{name or latex(e)} has no time index: in the finite-horizon setting values depend on t, so write "
        f"{example}; for the stationary (infinite-horizon) values put 'setting: discounted' "
        f"in the front matter")


def _lookup(table, time, index, env: Env, last_ok: bool) -> Val:
    data, grad = table
    if time is not None:
        limit = env.horizon if last_ok else env.horizon - 1
        if not 0 <= time <= limit:
            raise tn.Undefined(f"time {time} is outside 0 .. {limit}")
        data = data[time]
        grad = None if grad is None else grad[time]
    return tn.gather(data, grad, index)


@rule(nodes.V)
def _v(e, env: Env) -> Val:
    """V^pi_t(s) (finite horizon, t = 0..T, V_T = 0) or V^pi(s) (discounted): exact, derive/engine/values.py."""
    name, st, tm = e.args
    V, _, _ = value_tables(env, name.name)
    return _lookup(V, time_of(e, tm, st, env), [index_of(st, env)], env, last_ok=True)


@rule(nodes.Q)
def _q(e, env: Env) -> Val:
    """Q^pi_t(s, a) = sum_{s'} P(s'|s,a) [R(s,a,s') + gamma V_{t+1}(s')], t = 0..T-1 (finite horizon), or the
    stationary Q^pi(s, a) (discounted): exact, derive/engine/values.py."""
    name, st, act, tm = e.args
    _, Q, _ = value_tables(env, name.name)
    return _lookup(Q, time_of(e, tm, st, env), [index_of(st, env), index_of(act, env)], env, last_ok=False)


@rule(nodes.A)
def _a(e, env: Env) -> Val:
    """A^pi_t(s, a) = Q^pi_t(s, a) - V^pi_t(s), t = 0..T-1 (finite) or A^pi(s, a) (discounted)."""
    name, st, act, tm = e.args
    _, _, A = value_tables(env, name.name)
    return _lookup(A, time_of(e, tm, st, env), [index_of(st, env), index_of(act, env)], env, last_ok=False)


def distribution_table(env: Env, name: str):
    probs, score, src = policy_arrays(env, name)
    key = ("dpi", src, score is not None)
    tb = env.tables
    if key not in tb.memo:
        tb.memo[key] = values.state_distribution(tb, probs, score)
    return tb.memo[key]


@rule(nodes.Dpi)
def _dpi(e, env: Env) -> Val:
    """d^pi(s): finite, sum_{t<T} gamma^t Pr(s_t = s) / sum_{t<T} gamma^t; discounted, (1 - gamma) sum_t gamma^t
    Pr(s_t = s); episodic, the normalised expected visits (S&B eq. 9.3).  derive/engine/values.py."""
    name, st = e.args
    d, dd = distribution_table(env, name.name)
    return tn.gather(d, dd, [index_of(st, env)])


@rule(nodes.J)
def _j(e, env: Env) -> Val:
    """J(pi) = sum_s rho_0(s) V^pi_0(s) (= E_{tau ~ pi}[R(tau)]; V^pi(s) in the discounted setting)."""
    V, _, _ = value_tables(env, e.args[0].name)
    data, grad = V
    if env.horizon is not None:
        data, grad = data[0], None if grad is None else grad[0]
    ns = env.tables.n_states
    s_ax = Ten(("_j",), np.arange(ns))
    v = tn.gather(data, grad, [s_ax])
    w = tn.gather(env.tables.rho0, None, [s_ax])
    return tn.sum_axes(tn.mul(w, v), ("_j",))


# ----------------------------------------------------- free functions


@rule(nodes.FreeFn)
def _free_fn(e, env: Env) -> Val:
    """An arbitrary function f(x), b(s), V(s): a seeded random table per instance; a function of states only
    is 0 at the final state s_T (the V_T = 0 convention)."""
    name = e.args[0].name
    args = e.args[1:]
    index = [index_of(a, env) for a in args]
    shape = tuple(var_size(a, env) for a in args)
    table = env.tables.free_function(name, shape)
    val = tn.gather(table, None, index)
    if all(isinstance(a, (StateVar, nodes.St)) for a in args) and any(is_final_state(a, env) for a in args):
        # convention: every value-like function of the state is 0 at the final state s_T
        return Val(tn.unop(lambda d: d * 0, val.v))
    return val


@rule(nodes.FreeProb)
def _free_prob(e, env: Env) -> Val:
    """q(x): an arbitrary distribution on X (seeded per instance); P_theta(x) carries its score when tracked."""
    name, x = e.args
    probs = env.tables.free_dist(name.name)
    score = None
    if env.track and is_param_dist(name.name):  # P_theta(x): an exponential family sharing theta (param_dist.py)
        score = param_score(env.tables, name.name, probs)
    return tn.gather(probs, score, [index_of(x, env)])


@rule(nodes.KL)
def _kl(e, env: Env) -> Val:
    """D_KL(q || p) = sum_x q(x) log(q(x) / p(x))."""
    q, p = e.args
    x = PointVar("x_KL")
    body = nodes.FreeProb(q, x) * log(nodes.FreeProb(q, x) / nodes.FreeProb(p, x))
    return evaluate(nodes.SumOver(body, x), env)


__all__ = ["value_tables", "distribution_table", "Str", "Dummy", "GRAD"]
