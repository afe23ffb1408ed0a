"""An expectation E_{x ~ p}[f(x)], evaluated two ways side by side: exactly and by sampling.

Exact (``@rule(nodes.Expect)``, ``exact``): enumeration of every value of the draws,
    E_{x ~ p}[f(x)] = sum_x p(x) f(x),
with x a state, action or point (a ~ pi(.|s), s' ~ P(.|s,a), s ~ rho_0, s ~ d^pi, x ~ q) or a whole trajectory
tau = (s_0, a_0, ..., s_T) of horizon T, p(tau) = rho_0(s_0) prod_{t<T} pi(a_t|s_t) P(s_{t+1}|s_t,a_t)
(only the times the body reads are enumerated: their marginal, derive/engine/scope.py).  On an infinite
discounted trajectory (T = None) the exact value is the resolvent evaluation of derive/engine/infinite.py.

Sampling (``sample``): the body evaluated on N draws x_1..x_N ~ p (axis ``n``), in float64,
    E_{x ~ p}[f(x)] ~ (1/N) sum_i f(x_i);
trajectories by the vectorised sampler, s ~ d^pi by simulation, categorical draws otherwise; infinite
series cut where their tail is below MC_TAIL (derive/engine/infinite_sampling.py).  The statistical
test of the sample mean against the exact value is derive/check_statements/montecarlo.py.
"""
from __future__ import annotations

import numpy as np
from sympy import Mul, Sum

from ..lang import nodes
from . import infinite
from . import tensor as tn
from .axes import bind_fresh, new_scope, outer_axis, rename, scope_axis
from .infinite_sampling import NotSampled, truncation_for_sampling
from .linearity import terms_of
from .param_dist import is_param_dist
from .registry import Env, Unsupported, const, evaluate, policy_arrays, preorder, rule, var_key, var_size
from .rules_algebra import iterate_limits
from .sampler import sample_categorical, sample_state_distribution, sample_trajectories
from .scope import EnumScope, SampleScope, marginal
from .tensor import Ten, Val, union

CAND = "cand"  # the axis of a draw's candidate values while its density is evaluated


# ------------------------------------------------------------------ exact


@rule(nodes.Expect)
def exact(e, env: Env) -> Val:
    """E_{x ~ p}[f] = sum_x p(x) f(x), term by term (linearity); E_tau on an infinite horizon by the resolvent.

    A sum over time in the body, E[sum_{t=lo}^{hi} X_t] = sum_t E[X_t], is taken outside (integer bounds).
    """
    if env.horizon is None and any(isinstance(d, nodes.TrajDist) for d in e.dists):
        return infinite.expect(e, env)  # the discounted setting: exact resolvent evaluation of infinite trajectories
    out = None
    for term in terms_of(e.body):  # the terms of a body, split once (linearity.py)
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
            return const(env, 0)
        return out
    return expectation(term, dists, env)


def expectation(body, dists, env: Env) -> Val:
    """E over the given distributions of body, by exact enumeration: sum_x p(x) body(x).

    Each drawn variable gets a fresh axis weighted by its density; each tau ~ pi an enumerated scope
    weighted by the marginal of the times used.  Conditioning, E[X | s_t = s] = E[X 1{s_t = s}] / Pr(s_t = s),
    needs exactly one trajectory; the result keeps the axis of the outer s.
    """
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
        kept = [scope_axis(scope, g, inner) for g in given]
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
            out = rename(out, axis, outer_axis(g, env))
    return out


def trajectory_marginal(scope: EnumScope, used: set, policy: str, env: Env):
    """Pr of the trajectory times in ``used``: rho_0(s_0) prod_t pi(a_t|s_t) P(s_{t+1}|s_t,a_t), others summed out."""
    probs, score, _ = policy_arrays(env, policy)
    tb = env.tables
    return marginal(
        scope,
        used,
        init=lambda s: tn.gather(tb.rho0, None, [s]),
        policy=lambda a, s: tn.gather(probs, score, [s, a]),
        transition=lambda s2, s, a: tn.gather(tb.P, None, [s, a, s2]),
    )


# --------------------------------------------------------------- sampling


def sample(expect: nodes.Expect, env: Env, n: int, rng) -> Val:
    """f(x_i) for n draws x_i ~ p of E_{x ~ p}[f(x)] (axis ``n``), in float64: the sample mean estimates it.

    tau ~ pi: trajectories of the horizon T (an infinite one is cut at M + a window, every series at M,
    where its tail is below MC_TAIL); s ~ d^pi: states by simulation; x ~ p otherwise: categorical draws
    from the density p(.) evaluated on every candidate.  Draws are taken in the order written, so a later
    density may read an earlier draw (a ~ pi(.|s) after s ~ d^pi).  Conditional expectations over infinite
    trajectories are sampled from the given state (infinite_conditional.py); others are not (NotSampled).
    """
    inst = env.tables.inst
    inner = env
    body = expect.body
    if any(isinstance(d, nodes.Given) for d in expect.dists):  # E_tau[X | s_k = s (, a_k = a)], infinite horizon
        from .infinite_conditional import sample_conditional  # (it samples trajectories from the given state)
        return sample_conditional(expect, env, n, rng)
    for d in expect.dists:
        if isinstance(d, nodes.TrajDist):
            length = None
            if inst.horizon is None:  # infinite trajectories: every series cut where its tail is < 1e-9
                body, length, _ = truncation_for_sampling(body, inst)
            states, actions = sample_trajectories(inst, _float_probs(inner, d.args[0].name), n, rng, horizon=length)
            inner = inner.with_(traj=SampleScope(states, actions))
            continue
        key = var_key(d.var(), inner)
        if isinstance(d, nodes.OccDraw):
            samples = sample_state_distribution(inst, _float_probs(inner, d.args[1].name), n, rng)
            inner = inner.bind_var(key, Ten(("n",), samples))
            continue
        cand = Ten((CAND,), np.arange(var_size(d.var(), inner)))
        density = evaluate(d.density(), inner.bind_var(key, cand)).v
        axes = union(("n",), tuple(a for a in density.axes if a != CAND))
        full = axes + (CAND,)
        shape = tuple(n if a == "n" else density.size_of(a) for a in full)
        rows = np.broadcast_to(density.aligned(full), shape)
        inner = inner.bind_var(key, Ten(axes, sample_categorical(np.asarray(rows, dtype=float), rng)))
    return evaluate(body, inner)


def _float_probs(env: Env, name: str):
    probs, _, _ = policy_arrays(env, name)
    return np.asarray(probs, dtype=float)


def sampleable(side):
    """(constant factor or None, Expect, policy map) if the side is c * E[...], else None.

    An evaluation bar |_{pi = pi'} is kept as a policy map, and a gradient of an expectation whose
    distributions do not depend on theta is moved inside it: nabla E_{x ~ p}[f] = E_{x ~ p}[nabla f].
    """
    if isinstance(side, nodes.EvalAt):
        found = sampleable(side.args[0])
        if found is None:
            return None
        coef, expect, mapping = found
        return coef, expect, mapping + ((side.args[1].name, side.args[2].name),)
    if isinstance(side, nodes.Grad) and isinstance(side.args[0], nodes.Expect):
        inner = side.args[0]
        if all(not _depends_on_theta(d) for d in inner.dists):
            return None, nodes.Expect(nodes.Grad(inner.body), *inner.dists), ()
        return None
    if isinstance(side, nodes.Expect):
        return None, side, ()
    if isinstance(side, Mul):
        expects = [f for f in side.args if isinstance(f, nodes.Expect)]
        if len(expects) == 1:
            rest = Mul(*[f for f in side.args if f is not expects[0]])
            if not any(isinstance(x, nodes.Node) for x in preorder(rest)):
                return rest, expects[0], ()
    return None


def sample_side(found, env: Env, n: int, rng) -> Val:
    """c * f(x_i) for n draws, for ``found = sampleable(side)``: the policy map applied, then ``sample``."""
    coef, expect, mapping = found
    for frm, to in mapping:
        env = env.with_policy(frm, to)
    est = sample(expect, env, n, rng)
    if coef is None:
        return est
    c = evaluate(coef, env).v
    axes = union(est.v.axes, c.axes)
    data = np.asarray(est.v.aligned(axes), dtype=float) * np.asarray(c.aligned(axes), dtype=float)
    return Val(Ten(axes, data))


def _depends_on_theta(dist) -> bool:
    if isinstance(dist, nodes.FreeDraw) and is_param_dist(dist.args[1].name):
        return True  # x ~ P_theta: the distribution depends on theta
    return any(getattr(a, "name", None) == "theta" for a in dist.args) or any(
        isinstance(x, (nodes.Pi, nodes.TrajProb, nodes.Dpi)) and x.args[0].name == "theta"
        for x in preorder(dist))


__all__ = ["exact", "expectation", "trajectory_marginal", "sample", "sampleable", "sample_side", "NotSampled"]
