"""Vectorised NumPy sampling of trajectories, categorical draws and d^pi.

Conventions: a trajectory is tau = (s_0, a_0, r_0, ..., s_{T-1}, a_{T-1}, r_{T-1}, s_T)
with r_t = R(s_t, a_t, s_{t+1}).  ``sample_trajectories`` returns the states
(n, T+1) and actions (n, T); ``rewards`` turns them into r_t.

Every draw is inverse-CDF sampling of one uniform u in [0, 1) against a cumulative table
(:mod:`derive.engine.cdf_tables` states the exactness rules: a zero-probability outcome is
never chosen, and no rounding hands a sliver to a trailing zero-probability outcome).

Speed: samples are processed in blocks of ``BLOCK`` (cache sized), the time
loop is the only Python loop, the two uniforms of a step are drawn in one call
into a reused buffer, (s, a) is flattened to one row index s*A + a, and the
outcome is counted as a sum of booleans ``u >= c_k[row]`` (each c_k a
contiguous column gathered with ``take``) for small K, or by a branch-free
binary search over the row for large K.

The returned state/action arrays are Fortran-ordered (n, T+1) / (n, T) views:
the column s_t of all samples is contiguous, which is how they are read.
"""
from __future__ import annotations

import bisect
import random

import numpy as np

from ..mdp import Instance
from .cdf_tables import (  # noqa: F401  (re-exported: importers use derive.engine.sampler)
    LINEAR_MAX, FloatTables, Thresholds, _policy_cum, cumulative, float_tables)

BLOCK = 65536  # samples per block (the state of a block stays in cache)


# ---------------------------------------------------------------- counting


class _Work:
    """Reusable scratch buffers for one block size."""

    def __init__(self, m: int):
        self.m = m
        self.g = np.empty(m, dtype=np.float64)
        self.b = np.empty(m, dtype=np.bool_)
        self.c8 = np.empty(m, dtype=np.int8)
        self.idx = np.empty(m, dtype=np.intp)
        self.pos = np.empty(m, dtype=np.intp)
        self.ix = np.empty(m, dtype=np.intp)

    def cut(self, m: int) -> "_Work":
        if m == self.m:
            return self
        w = _Work.__new__(_Work)
        w.m = m
        for name in ("g", "b", "c8", "idx", "pos", "ix"):
            setattr(w, name, getattr(self, name)[:m])
        return w


def _count(th: Thresholds, u: np.ndarray, rows, out: np.ndarray, w: _Work) -> None:
    """out[i] = number of thresholds k < K-1 of row rows[i] with c_k <= u[i] (rows: intp array or None = row 0)."""
    if th.n_outcomes == 1:
        out[...] = 0
        return
    if th.flat is None:
        c8, g, b = w.c8, w.g, w.b
        for k, col in enumerate(th.cols):
            if rows is None:
                thr = col[0]
            else:
                col.take(rows, out=g, mode="wrap")
                thr = g
            if k == 0:
                np.greater_equal(u, thr, out=c8.view(np.bool_))
            else:
                np.greater_equal(u, thr, out=b)
                np.add(c8, b.view(np.int8), out=c8)
        np.copyto(out, c8, casting="unsafe")
        return
    # branch-free binary search: pos = number of thresholds <= u
    pos, ix, g, b = w.pos, w.ix, w.g, w.b
    pos[...] = 0
    base = w.idx if rows is not None else None
    if rows is not None:
        np.multiply(rows, th.width, out=base)
    for step in th.steps:
        if base is None:
            np.add(pos, step - 1, out=ix)
        else:
            np.add(base, pos, out=ix)
            ix += step - 1
        th.flat.take(ix, out=g, mode="wrap")
        np.greater_equal(u, g, out=b)
        if step == 1:
            pos += b
        else:
            np.add(pos, b * step, out=pos)
    np.copyto(out, pos, casting="unsafe")


def _step(trans: Thresholds, act: Thresholds, A: int, s, ua, us, a_out, s_out, w: _Work) -> None:
    """One transition for a block: a ~ pi(.|s) into a_out, s' ~ P(.|s, a) into s_out."""
    _count(act, ua, s, a_out, w)
    idx = w.idx  # free again: _count only uses it as scratch while searching
    np.multiply(s, A, out=idx)
    idx += a_out
    _count(trans, us, idx, s_out, w)


def _horizon(inst: Instance, horizon) -> int:
    T = inst.horizon if horizon is None else horizon
    if T is None:
        raise ValueError("infinite-horizon instance: pass horizon=T to sample truncated trajectories")
    T = int(T)
    if T < 0:
        raise ValueError("horizon must be >= 0")
    return T


# ---------------------------------------------------------------- sampling


def sample_trajectories(inst: Instance, probs, n: int, rng: np.random.Generator, horizon: int | None = None):
    """n trajectories of length T under the policy ``probs`` (S, A): (states (n, T+1), actions (n, T)), int64.

    ``probs`` is a float64 array (or an object array of exact probabilities, or
    a policy name of the instance).  ``horizon`` defaults to the instance's T
    and is required for an infinite-horizon instance.  Uses 1 + 2T uniforms
    per trajectory.
    """
    tb = float_tables(inst)
    T = _horizon(inst, horizon)
    n = int(n)
    if n < 0:
        raise ValueError("n must be >= 0")
    act = Thresholds.build(_policy_cum(inst, probs))
    A = tb.n_actions
    states = np.empty((T + 1, n), dtype=np.intp)
    actions = np.empty((T, n), dtype=np.intp)
    work = _Work(min(BLOCK, max(n, 1)))
    ubuf = np.empty((2, work.m), dtype=np.float64)
    for lo in range(0, n, BLOCK):
        hi = min(n, lo + BLOCK)
        m = hi - lo
        w = work.cut(m)
        if m != ubuf.shape[1]:
            ubuf = np.empty((2, m), dtype=np.float64)  # rng.random(out=) needs a contiguous buffer
        ub = ubuf
        s = states[0, lo:hi]
        _count(tb.init, rng.random(m), None, s, w)
        for t in range(T):
            rng.random(out=ub)
            a = actions[t, lo:hi]
            s_next = states[t + 1, lo:hi]
            _step(tb.trans, act, A, s, ub[0], ub[1], a, s_next, w)
            s = s_next
    return _as_int64(states).T, _as_int64(actions).T


def _as_int64(x: np.ndarray) -> np.ndarray:
    return x if x.dtype == np.int64 else x.astype(np.int64)


def rewards(inst: Instance, states: np.ndarray, actions: np.ndarray) -> np.ndarray:
    """r_t = R(s_t, a_t, s_{t+1}) for sampled trajectories: float64 (n, T)."""
    tb = float_tables(inst)
    S, A = tb.n_states, tb.n_actions
    flat = (states[:, :-1] * A + actions) * S + states[:, 1:]
    return tb.R_flat.take(flat)


def sample_categorical(probs_rows, rng: np.random.Generator) -> np.ndarray:
    """One draw from each probability row of ``probs_rows`` (..., K): int64 array of shape (...)."""
    cum = cumulative(probs_rows)
    lead = cum.shape[:-1]
    K = cum.shape[-1]
    rows = int(np.prod(lead, dtype=np.int64))
    cum2 = cum.reshape(rows, K)
    u = rng.random(rows)
    if K == 1:
        out = np.zeros(rows, dtype=np.int64)
    elif K - 1 <= LINEAR_MAX:
        out = np.zeros(rows, dtype=np.int64)
        for k in range(K - 1):
            out += u >= cum2[:, k]
    else:
        th = Thresholds.build(cum2)
        out = np.empty(rows, dtype=np.int64)
        _count(th, u, np.arange(rows, dtype=np.intp), out, _Work(rows))
    return out.reshape(lead)


def _time_cum(inst: Instance) -> np.ndarray:
    """CDF of the time t of d^pi: Pr(t) = gamma^t / sum_{u<T} gamma^u, t = 0..T-1 (0^0 = 1)."""
    T = inst.horizon
    if T < 1:
        raise ValueError("d^pi needs a horizon T >= 1")
    g = float(inst.gamma)
    if g == 0:
        w = np.zeros(T)
        w[0] = 1.0
    else:
        w = g ** np.arange(T, dtype=np.float64)
    return cumulative(w / w.sum(), tol=1e-6)


def sample_times(inst: Instance, n: int, rng: np.random.Generator) -> np.ndarray:
    """n times t ~ the weights of d^pi: (1-gamma) gamma^t (discounted) or gamma^t / sum_{u<T} gamma^u (finite)."""
    if inst.horizon is None:
        gamma = float(inst.gamma)
        if not 0 <= gamma < 1:
            raise ValueError(f"the discounted state distribution needs 0 <= gamma < 1, got {inst.gamma}")
        if gamma == 0:
            return np.zeros(n, dtype=np.int64)
        return rng.geometric(1.0 - gamma, size=n).astype(np.int64) - 1  # Pr(k) = gamma^(k-1) (1-gamma), k >= 1
    cum = _time_cum(inst)
    return np.searchsorted(cum[:-1], rng.random(n), side="right").astype(np.int64)


def sample_state_distribution(inst: Instance, probs, n: int, rng: np.random.Generator) -> np.ndarray:
    """n states from the normalised discounted state distribution d^pi, by simulation: int64 (n,).

    Draws t (``sample_times``), runs the chain from rho_0 under the policy for
    t steps and returns s_t.  All samples run in lock-step, sorted by t
    (longest first) so the still-running ones are a prefix that shrinks as
    samples freeze; the loop stops when every sample has reached its time.
    """
    tb = float_tables(inst)
    act = Thresholds.build(_policy_cum(inst, probs))
    n = int(n)
    times = sample_times(inst, n, rng)
    order = np.argsort(-times, kind="stable")
    t_sorted = times[order]
    s = np.empty(n, dtype=np.intp)
    work = _Work(max(n, 1))
    _count(tb.init, rng.random(n), None, s, work.cut(n))
    a = np.empty(n, dtype=np.intp)
    nxt = np.empty(n, dtype=np.intp)
    # active[k] = number of samples with t > k (a prefix of the sorted order)
    step = 0
    neg = -t_sorted
    while True:
        m = int(np.searchsorted(neg, -step, side="left"))  # count of t_sorted > step
        if m == 0:
            break
        u = rng.random((2, m))
        w = work.cut(m)
        _step(tb.trans, act, tb.n_actions, s[:m], u[0], u[1], a[:m], nxt[:m], w)
        s[:m] = nxt[:m]
        step += 1
    out = np.empty(n, dtype=np.int64)
    out[order] = s
    return out


# ---------------------------------------------------------------- baseline


def python_loop_sampler(inst: Instance, probs, n: int, rng: np.random.Generator, horizon: int | None = None):
    """The plain pure-Python sampler (a loop over samples and steps): same output as ``sample_trajectories``.

    The benchmark baseline: Python's ``random.Random`` (seeded from ``rng``)
    draws each uniform and ``bisect`` inverts the same cumulative tables.
    """
    tb = float_tables(inst)
    T = _horizon(inst, horizon)
    S, A = tb.n_states, tb.n_actions
    cum0 = tb.cum_rho0.tolist()
    cum_pi = _policy_cum(inst, probs).tolist()
    cum_P = tb.cum_P.reshape(S, A, S).tolist()
    rand = random.Random(int(rng.integers(2**63))).random
    find = bisect.bisect_right
    states, actions = [], []
    for _ in range(n):
        s = find(cum0, rand(), 0, S - 1)
        traj_s, traj_a = [s], []
        for _t in range(T):
            a = find(cum_pi[s], rand(), 0, A - 1)
            s = find(cum_P[s][a], rand(), 0, S - 1)
            traj_a.append(a)
            traj_s.append(s)
        states.append(traj_s)
        actions.append(traj_a)
    return (np.array(states, dtype=np.int64).reshape(n, T + 1),
            np.array(actions, dtype=np.int64).reshape(n, T))


__all__ = [
    "FloatTables", "float_tables", "cumulative", "sample_trajectories", "rewards", "sample_categorical",
    "sample_times", "sample_state_distribution", "python_loop_sampler",
]
