"""Cumulative probability tables for inverse-CDF sampling (used by :mod:`derive.engine.sampler`).

Every draw is inverse-CDF sampling of one uniform u in [0, 1) (``rng.random``,
53-bit multiples of 2^-53) against a cumulative table c_0 <= ... <= c_{K-1}:
the outcome is the number of k < K-1 with c_k <= u, i.e. outcome j is chosen
iff c_{j-1} <= u < c_j (c_{-1} = 0).  Exactness rules:

* a zero-probability outcome j has c_j == c_{j-1} exactly (the interval is
  empty; a leading zero has c_0 = 0 <= u), so it is never chosen;
* every entry from the last positive probability on is set to exactly 1.0, so
  a cumulative sum that ends at 0.9999999999999999 cannot hand the remaining
  sliver to a trailing zero-probability outcome;
* tables built from an instance (rho_0, P) are cumulated in exact Fractions and
  then rounded once (rounding is monotone, so equal sums give equal floats and
  the total is exactly 1.0); policy probabilities given as float arrays are
  cumulated in float64 (object arrays of Fractions / mpq are cumulated exactly).

``float_tables`` holds an instance's numbers as float64 arrays with these tables (cached on the
instance); ``cumulative`` builds the tables of probability rows; ``Thresholds`` prepares a table for
counting ``c_k[row] <= u``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from ..mdp import Instance

LINEAR_MAX = 8  # at most this many thresholds per row: count booleans; more: binary search
CACHE_KEY = ("sampler", "float_tables")


@dataclass
class Thresholds:
    """A cumulative table prepared for counting ``c_k[row] <= u``.

    ``cum`` is (rows, K) with cum[:, -1] == 1.0.  For K - 1 <= LINEAR_MAX the
    thresholds are the columns ``cols[k] = cum[:, k]`` (k < K-1), contiguous;
    otherwise ``flat`` is cum[:, :K-1] padded with +inf to width 2^m - 1 and
    flattened, searched by ``m`` halving steps.
    """

    cum: np.ndarray
    n_outcomes: int
    cols: list = field(default_factory=list)
    flat: np.ndarray | None = None
    width: int = 0
    steps: tuple = ()

    @classmethod
    def build(cls, cum: np.ndarray) -> "Thresholds":
        cum = np.ascontiguousarray(cum, dtype=np.float64)
        rows, k = cum.shape
        out = cls(cum=cum, n_outcomes=k)
        n_thr = k - 1
        if n_thr <= LINEAR_MAX:
            out.cols = [np.ascontiguousarray(cum[:, j]) for j in range(n_thr)]
        else:
            m = int(n_thr).bit_length()  # 2^m - 1 >= n_thr
            width = (1 << m) - 1
            pad = np.full((rows, width), np.inf)
            pad[:, :n_thr] = cum[:, :n_thr]
            out.flat = pad.ravel()
            out.width = width
            out.steps = tuple(1 << j for j in range(m - 1, -1, -1))
        return out


@dataclass
class FloatTables:
    """float64 views of an instance plus the cumulative tables sampling needs."""

    n_states: int
    n_actions: int
    rho0: np.ndarray  # (S,)
    P: np.ndarray  # (S, A, S)
    R: np.ndarray  # (S, A, S)
    gamma: float
    horizon: int | None
    cum_rho0: np.ndarray  # (S,), last entry exactly 1.0
    cum_P: np.ndarray  # (S*A, S): row s*A + a is the CDF of P(.|s, a)
    R_flat: np.ndarray  # (S*A*S,): R[s, a, s'] at (s*A + a)*S + s'
    init: Thresholds = None  # cum_rho0 as a one-row table
    trans: Thresholds = None  # cum_P


def _exact_cum(row) -> list:
    """Cumulative sums of exact probabilities as floats, exactly 1.0 from the last positive entry on."""
    acc = Fraction(0)
    out = []
    last = max((i for i, p in enumerate(row) if p != 0), default=-1)
    for i, p in enumerate(row):
        if p < 0:
            raise ValueError(f"negative probability {p}")
        acc += Fraction(p)
        out.append(1.0 if i >= last else float(acc))
    if acc != 1:
        raise ValueError(f"probabilities sum to {acc}, not 1")
    return out


def float_tables(inst: Instance) -> FloatTables:
    """The instance's numbers as float64 arrays with sampling tables (cached in ``inst.cache``)."""
    tb = inst.cache.get(CACHE_KEY)
    if tb is not None:
        return tb
    S, A = inst.n_states, inst.n_actions
    rho0 = np.array([float(x) for x in inst.rho0], dtype=np.float64)
    P = np.array([[[float(x) for x in inst.P[s][a]] for a in range(A)] for s in range(S)], dtype=np.float64)
    R = np.array([[[float(x) for x in inst.R[s][a]] for a in range(A)] for s in range(S)], dtype=np.float64)
    cum_rho0 = np.array(_exact_cum(inst.rho0), dtype=np.float64)
    cum_P = np.array([_exact_cum(inst.P[s][a]) for s in range(S) for a in range(A)], dtype=np.float64)
    tb = FloatTables(
        n_states=S, n_actions=A, rho0=rho0, P=P, R=R, gamma=float(inst.gamma), horizon=inst.horizon,
        cum_rho0=cum_rho0, cum_P=cum_P.reshape(S * A, S), R_flat=np.ascontiguousarray(R.reshape(-1)),
    )
    tb.init = Thresholds.build(cum_rho0[None, :])
    tb.trans = Thresholds.build(tb.cum_P)
    inst.cache[CACHE_KEY] = tb
    return tb


def cumulative(probs, tol: float = 1e-9) -> np.ndarray:
    """Row-wise CDFs (..., K) of probability rows, obeying the exactness rules above.

    Rows must be non-negative and sum to 1 within ``tol``; float rows are
    cumulated in float64 and divided by their total, object rows (Fractions,
    mpq) exactly.  Entries from each row's last positive probability on are 1.0.
    """
    arr = np.asarray(probs)
    if arr.ndim == 0:
        raise ValueError("probabilities must have at least one axis (the outcomes)")
    if arr.shape[-1] == 0:
        raise ValueError("a probability row needs at least one outcome")
    if arr.dtype == object:
        exact = np.cumsum(arr, axis=-1)
        if np.any(arr < 0):
            raise ValueError("negative probability")
        total = exact[..., -1]
        if np.any(total != 1):
            raise ValueError("probability rows do not sum to 1")
        cum = exact.astype(np.float64)
        positive = arr != 0
    else:
        arr = np.asarray(arr, dtype=np.float64)
        if not np.all(np.isfinite(arr)) or np.any(arr < 0):
            raise ValueError("probabilities must be finite and non-negative")
        cum = np.cumsum(arr, axis=-1)
        total = cum[..., -1:]
        if np.any(np.abs(total - 1.0) > tol):
            raise ValueError(f"probability rows must sum to 1 (within {tol}); got totals {np.unique(total)[:5]}")
        cum = cum / total  # x <= total gives x / total <= 1
        positive = arr > 0
    K = arr.shape[-1]
    last = K - 1 - np.argmax(positive[..., ::-1], axis=-1)  # index of the last positive entry
    cum[np.arange(K) >= last[..., None]] = 1.0
    return cum


def _policy_cum(inst: Instance, probs) -> np.ndarray:
    if isinstance(probs, str):
        probs = np.array(inst.policies[probs], dtype=object)
    cum = cumulative(probs)
    if cum.shape != (inst.n_states, inst.n_actions):
        raise ValueError(f"policy probabilities must have shape {(inst.n_states, inst.n_actions)}, got {cum.shape}")
    return cum


__all__ = ["Thresholds", "FloatTables", "float_tables", "cumulative", "LINEAR_MAX"]
