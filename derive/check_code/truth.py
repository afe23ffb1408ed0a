"""Ground truth: each kind computed per episode from its definition, in exact Fractions.

No recursion and no masks: the rollout is split into episodes (a step ends its
episode when it terminated, was truncated, or is the last of the arrays) and
each quantity is the finite sum of its definition inside the episode:

* delta_t = r_t + gamma * (0 if terminated_t else next_values[t]) - values[t];
* GAE A_t = sum_{l=0}^{e-t} (gamma lam)^l delta_{t+l}, e the last step of t's episode;
* G_t = sum_{l=0}^{e-t} gamma^l r_{t+l} + gamma^{e-t+1} * (0 if terminated_e else next_values[e]);
* G^lambda_t = A_t + values[t].

Inputs are lists of columns (one list per batch column, length T) of Fractions
and bools; outputs are lists of columns of Fractions.  ``0^0 = 1``.
"""
from __future__ import annotations

from fractions import Fraction

KINDS = ("gae", "returns", "lambda-returns", "td-errors")


def episodes(term: list, trunc: list) -> list:
    """[(start, end)] of one column: end is the last step (inclusive) of each episode."""
    T = len(term)
    out, start = [], 0
    for t in range(T):
        if term[t] or trunc[t] or t == T - 1:
            out.append((start, t))
            start = t + 1
    return out


def _pow(x: Fraction, n: int) -> Fraction:
    return Fraction(1) if n == 0 else x ** n


def column_deltas(r, v, nv, term, gamma) -> list:
    return [r[t] + gamma * (0 if term[t] else nv[t]) - v[t] for t in range(len(r))]


def column_gae(r, v, nv, term, trunc, gamma, lam) -> list:
    delta = column_deltas(r, v, nv, term, gamma)
    out = [None] * len(r)
    for start, end in episodes(term, trunc):
        for t in range(start, end + 1):
            out[t] = sum((_pow(gamma * lam, l) * delta[t + l] for l in range(end - t + 1)), Fraction(0))
    return out


def column_returns(r, nv, term, trunc, gamma) -> list:
    out = [None] * len(r)
    for start, end in episodes(term, trunc):
        boot = Fraction(0) if term[end] else nv[end]
        for t in range(start, end + 1):
            n = end - t + 1
            out[t] = sum((_pow(gamma, l) * r[t + l] for l in range(n)), Fraction(0)) + _pow(gamma, n) * boot
    return out


def truth(kind: str, cols: dict, gamma: Fraction, lam: Fraction) -> list:
    """The exact outputs of ``kind`` for a rollout given as columns (keys r, v, nv, term, trunc)."""
    out = []
    for b in range(len(cols["r"])):
        r, v, nv, term, trunc = (cols[k][b] for k in ("r", "v", "nv", "term", "trunc"))
        if kind == "gae":
            out.append(column_gae(r, v, nv, term, trunc, gamma, lam))
        elif kind == "lambda-returns":
            out.append([a + x for a, x in zip(column_gae(r, v, nv, term, trunc, gamma, lam), v)])
        elif kind == "returns":
            out.append(column_returns(r, nv, term, trunc, gamma))
        elif kind == "td-errors":
            out.append(column_deltas(r, v, nv, term, gamma))
        else:
            raise ValueError(f"unknown kind {kind!r}")
    return out
