"""Method 3, Monte Carlo: the sampling estimator must agree with the exact value.

The side of the statement that is an expectation (possibly times a constant)
is estimated from N samples by the engine's sampling path of the expectation
(derive/engine/expectation.py: ``sampleable``, ``sample``; trajectories for
tau ~ pi, d^pi by simulation, categorical draws for a ~ pi(.|s), s' ~ P(.|s,a),
x ~ q; the body evaluated on every sample in float64).  This module holds the
statistical test only.  For each component (free variables, gradient entries,
free integers) the z-score z = (mean - exact) / (sd / sqrt(N)) of the sample
mean against the exactly computed other side is formed.

The test: the statement fails when some |z| exceeds the Bonferroni threshold
z* = Phi^{-1}(1 - ALPHA / (2 m)) for its m components, i.e. a family-wise
false-alarm rate of ALPHA per statement under the normal approximation (the
rate actually measured is in the README).  Components with zero sample
variance (up to float rounding) must match to 1e-9 (relative); one that does not is
reported as what it is: "the estimate is constant (zero sample variance) and
differs from the exact value by X", not as a z-score.  Inequalities are not sampled ("n/a"); a
conditional expectation over infinite trajectories, E[X | s_k = s (, a_k = a)] with k = 0 or a free t, is
sampled from the given state (derive/engine/infinite_conditional.py: stationarity, series truncated with the
tail bound in the test), one component per given value; other conditional expectations are "n/a".
"""
from __future__ import annotations

import zlib
from statistics import NormalDist

import numpy as np

from ..engine.evaluate import Unsupported, evaluate
from ..engine import expectation
from ..engine.fields import EXACT, FLOAT
from ..engine.infinite_sampling import MC_TAIL
from ..engine.tables import tables_for
from ..engine.tensor import Ten, Undefined, union
from ..lang import nodes
from ..mdp import (fixed_start, parse_setting, random_instance, setting_options, token_instance,
                   with_fixed_start, with_gamma, with_rewards)
from ..setting import Setting
from .quantifiers import base_envs
from .result import FAILS, HOLDS, NA, NOT_ATTEMPTED, MethodResult

ALPHA = 1e-4
DEFAULT_SAMPLES = 20_000


def mc_instance(setting: str, seed: int, full_support: bool = True):
    """The instance Monte Carlo runs on: 3 states, 2 actions, T = 3 (or discounted)."""
    if setting_options(setting)[1].get("family") == "token":
        return token_instance(900_001 + seed, 2, 3)
    base, gamma = parse_setting(setting)
    horizon = 3 if base == "finite" else None
    inst = random_instance(900_001 + seed, 3, 2, horizon, "plain", full_support=full_support)
    inst = inst if gamma is None else with_gamma(inst, gamma)
    inst = with_rewards(inst, Setting.of(setting).reward)  # reward: state (TRPO's r(s)) or state-action (r(s, a))
    return with_fixed_start(inst) if fixed_start(setting) else inst


def check_montecarlo(lhs, rhs, setting="finite", relation="=", seed=0, samples=DEFAULT_SAMPLES, ranges=(),
                     full_support=True, sample_side="auto", stream: str = "") -> MethodResult:
    if relation != "=":
        return MethodResult(NA, "inequalities are checked exactly")
    if parse_setting(setting)[0] == "episodic":  # derive/episodic.py: sampled episodes are not implemented
        return MethodResult(NA, "the episodic setting (gamma = 1, episodes end) is checked exactly only")
    if sample_side == "none":
        return MethodResult(NA, "the entry names no side to sample (sample side: none); checked exactly")
    inst = mc_instance(setting, seed, full_support)
    choice = _choose(lhs, rhs, sample_side, conditional=inst.horizon is None)
    if choice is None:
        return MethodResult(NA, "neither side is one unconditional expectation c * E[...] to sample (each "
                                "side is conditional, a combination of several terms, or no expectation); "
                                "checked exactly")
    found, other, side_name = choice
    rng = np.random.default_rng([seed, zlib.crc32(stream.encode())])
    zs, exact_misses, m, per_value = [], [], 0, samples
    try:
        float_envs = list(base_envs(tables_for(inst, FLOAT), (lhs, rhs), ranges))
        exact_envs = list(base_envs(tables_for(inst, EXACT), (lhs, rhs), ranges))
        for (fenv, ints), (eenv, _) in zip(float_envs, exact_envs):
            est = expectation.sample_side(found, fenv, samples, rng)  # c f(x_i), x_i ~ p
            ref = evaluate(other, eenv).v
            drawn = est.v.size_of("n") if "n" in est.v.axes else samples  # per value of a condition (conditional)
            per_value = min(per_value, drawn)
            z, miss, count = _zscores(est.v, ref, drawn, _tail_bound(inst))
            zs.extend(z)
            exact_misses.extend(miss)
            m += count
    except expectation.NotSampled as exc:  # checked exactly instead (conditional, nested series)
        return MethodResult(NA, str(exc))
    except (Unsupported, Undefined) as exc:
        return MethodResult(NOT_ATTEMPTED, f"could not sample: {exc}")
    if m == 0:
        return MethodResult(NOT_ATTEMPTED, "nothing to compare on the Monte Carlo instance")
    threshold = NormalDist().inv_cdf(1 - ALPHA / (2 * m))
    worst = max((abs(z) for z in zs), default=0.0)
    data = {"max_abs_z": worst, "threshold": threshold, "components": m, "samples": per_value,
            "side": side_name}
    drawn = f"N = {samples}" if per_value == samples else f"N = {per_value} per value of the condition"
    how = (f"{drawn}, {m} components, max |z| = {worst:.2f}, threshold {threshold:.2f} "
           f"(family-wise false alarm {ALPHA:g})")
    if exact_misses:
        gap = max(exact_misses)
        data["constant_misses"] = len(exact_misses)
        data["max_constant_gap"] = gap
        return MethodResult(FAILS, (
            f"the estimate is constant (zero sample variance) and differs from the exact value by {gap:.6g}"
            f" on {len(exact_misses)} of {m} components ({drawn}; a constant estimate must match to "
            f"1e-9 relative, no z-test applies)"), data)
    if worst > threshold:
        return MethodResult(FAILS, how, data)
    return MethodResult(HOLDS, how, data)


def _choose(lhs, rhs, sample_side, conditional=False):
    order = {"auto": ("rhs", "lhs"), "rhs": ("rhs",), "lhs": ("lhs",)}[sample_side]
    sides = {"lhs": (lhs, rhs), "rhs": (rhs, lhs)}
    fallback = None  # a conditional side (infinite horizon only) when no unconditional one is (infinite_conditional.py)
    for name in order:
        side, other = sides[name]
        found = expectation.sampleable(side)
        if found is None:
            continue
        if not any(isinstance(d, nodes.Given) for d in found[1].dists):
            return found, other, name
        fallback = fallback or ((found, other, name) if conditional else None)
    return fallback


def _tail_bound(inst) -> float:
    """The bias a truncated infinite series may carry (derive/engine/infinite_sampling.py), 0 on a finite horizon."""
    return 0.0 if inst.horizon is not None else MC_TAIL


def _zscores(est: Ten, ref: Ten, n: int, bias: float = 0.0):
    """z-scores of the sample mean (axis n) against the reference, per component.

    ``bias`` bounds the estimator's bias (the truncated tail of an infinite series): the difference
    is shrunk towards 0 by it before dividing by the standard error, so it can only lower |z|.
    """
    axes = tuple(a for a in union(est.axes, ref.axes) if a != "n")
    full = ("n",) + axes
    shape = tuple(n if a == "n" else (est.size_of(a) if a in est.axes else ref.size_of(a)) for a in full)
    x = np.broadcast_to(np.asarray(est.aligned(full), dtype=float), shape)
    r = np.broadcast_to(np.asarray(ref.aligned(axes), dtype=float), shape[1:])
    mean = x.mean(axis=0)
    sd = x.std(axis=0, ddof=1) if n > 1 else np.zeros_like(mean)
    se = sd / np.sqrt(n)
    zs, misses, count = [], [], 0
    for idx in np.ndindex(mean.shape):
        if not (np.isfinite(r[idx]) and np.isfinite(mean[idx])):
            continue
        count += 1
        if sd[idx] <= 1e-12 * (1 + abs(mean[idx])):  # constant samples (up to float rounding)
            if abs(mean[idx] - r[idx]) > 1e-9 * (1 + abs(r[idx])):
                misses.append(float(abs(mean[idx] - r[idx])))
            continue
        diff = mean[idx] - r[idx]
        zs.append(float(np.sign(diff) * max(0.0, abs(diff) - bias) / se[idx]))
    return zs, misses, count
