"""The known bugs: a reference buggy implementation of each, to name the bug a failing implementation makes.

Every buggy version is the correct backward recursion with one thing changed,
expressed by flags of one float64 scan (``scan``):

* ``nextv``: the bootstrap value after step t: ``"nv"`` next_values[t] (right), or
  ``"shifted"`` values[t + 1] (the reset state after a boundary; next_values at T-1);
* ``mask``: what zeroes the bootstrap: ``"term"`` terminated[t] (right), ``"done"``
  terminated | truncated, ``"none"``, ``"shift"`` terminated[t + 1] (0 at T-1);
* ``cut``: what stops the recursion: ``"done"`` terminated | truncated (right), ``"term"``
  terminated only, ``"none"``, ``"shift"`` done[t + 1];
* ``decay``: the factor of the recursion: ``"gl"`` gamma*lambda (right), ``"l"``, ``"g"``;
* ``end``: the bootstrap at the end of the arrays: ``"boot"`` next_values[T-1] (right), ``"zero"``;
* ``plus_v``: lambda-returns add values (right) or not.

For returns the recursion is G_t = r_t + gamma m_t ((1 - c_t) NV_t + c_t G_{t+1}), with c_t
"this step continues into t + 1": right is 1 - truncated_t (termination is in m_t).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Bug:
    name: str
    description: str
    flags: dict = field(default_factory=dict)


RIGHT = {"nextv": "nv", "mask": "term", "cut": "done", "decay": "gl", "end": "boot", "plus_v": True}


def _shift(x: np.ndarray) -> np.ndarray:
    out = np.zeros_like(x)
    out[:-1] = x[1:]
    return out


def scan(kind: str, r, v, nv, term, trunc, gamma: float, lam: float, **flags) -> np.ndarray:
    """The recursion of ``kind`` with the given flags (RIGHT: the correct one); arrays (T,) or (T, B)."""
    f = {**RIGHT, **flags}
    r, v, nv = (np.asarray(x, dtype=np.float64) for x in (r, v, nv))
    term = np.asarray(term) != 0
    trunc = np.asarray(trunc) != 0 if trunc is not None else np.zeros_like(term)
    T = r.shape[0]
    done = term | trunc
    if f["nextv"] == "nv":
        NV = nv.copy()
    else:
        NV = nv.copy()
        NV[:-1] = v[1:]
    if f["end"] == "zero":
        NV[-1] = 0.0
    mask = {"term": ~term, "done": ~done, "none": np.ones_like(term), "shift": ~_shift(term)}[f["mask"]]
    mask = mask.astype(np.float64)
    if kind == "td-errors":
        return r + gamma * mask * NV - v
    if kind == "returns":
        cont = {"done": ~trunc, "term": ~trunc, "none": np.ones_like(term), "shift": ~_shift(trunc),
                "trunc-and-term": ~done}[f["cut"]].astype(np.float64)
        cont[-1] = 0.0
        G = np.zeros_like(r)
        nxt = np.zeros(r.shape[1:])
        for t in range(T - 1, -1, -1):
            G[t] = r[t] + gamma * mask[t] * ((1 - cont[t]) * NV[t] + cont[t] * nxt)
            nxt = G[t]
        return G
    delta = r + gamma * mask * NV - v
    cont = {"done": ~done, "term": ~term, "none": np.ones_like(term), "shift": ~_shift(done)}[f["cut"]]
    cont = cont.astype(np.float64)
    decay = {"gl": gamma * lam, "l": lam, "g": gamma}[f["decay"]]
    A = np.zeros_like(r)
    nxt = np.zeros(r.shape[1:])
    for t in range(T - 1, -1, -1):
        A[t] = delta[t] + (decay * cont[t] * nxt if t < T - 1 else 0.0)
        nxt = A[t]
    if kind == "lambda-returns" and f["plus_v"]:
        A = A + v
    return A


_D = {
    "truncation-as-termination": "truncation handled as termination: the bootstrap after a truncated step is 0 "
                                 "instead of next_values[t] (done = terminated | truncated used for both)",
    "missing-done-mask": "missing (1 - done): the bootstrap is not zeroed at a termination and the sum runs on "
                         "into the next episode",
    "bootstrap-at-termination": "missing (1 - terminated) in delta: the value of the terminal state is "
                                "bootstrapped (the recursion is cut correctly)",
    "recursion-not-cut": "the recursion is not cut at an episode boundary: A_t = delta_t + gamma lambda A_{t+1} "
                         "runs across terminations and truncations into the next episode",
    "lambda-instead-of-gamma-lambda": "lambda where gamma*lambda belongs: A_t = delta_t + lambda A_{t+1}",
    "gamma-instead-of-gamma-lambda": "gamma where gamma*lambda belongs (lambda dropped): A_t = delta_t + gamma A_{t+1}",
    "off-by-one-done-mask": "off-by-one in the done mask: step t is masked with the flags of step t + 1",
    "reset-state-bootstrap": "the reset state leaks into the bootstrap: values[t + 1] (the value of the next "
                             "episode's first state after a boundary) is used instead of next_values[t]",
    "truncation-ignored": "truncation ignored: only terminated is used, so a truncated episode bootstraps from "
                          "the reset state values[t + 1] and the sum runs on into the next episode",
    "no-bootstrap-at-rollout-end": "padding leaks into the bootstrap: the end of the arrays is treated as a "
                                   "termination (next value 0) instead of bootstrapping from next_values[T - 1]",
    "missing-values": "lambda-returns without + values: the advantages are returned instead of the returns",
    "returns-run-past-truncation": "the return is not cut at a truncation: it runs on into the next episode "
                                   "instead of bootstrapping from next_values[t]",
}


def _bug(name, **flags) -> Bug:
    return Bug(name, _D[name], flags)


_GAE_BUGS = [
    _bug("truncation-as-termination", mask="done"),
    _bug("missing-done-mask", mask="none", cut="none"),
    _bug("bootstrap-at-termination", mask="none"),
    _bug("recursion-not-cut", cut="none"),
    _bug("lambda-instead-of-gamma-lambda", decay="l"),
    _bug("gamma-instead-of-gamma-lambda", decay="g"),
    _bug("off-by-one-done-mask", mask="shift", cut="shift"),
    _bug("reset-state-bootstrap", nextv="shifted"),
    _bug("truncation-ignored", nextv="shifted", cut="term"),
    _bug("no-bootstrap-at-rollout-end", end="zero"),
]

BUGS = {
    "gae": _GAE_BUGS,
    "lambda-returns": _GAE_BUGS + [_bug("missing-values", plus_v=False)],
    "returns": [
        _bug("truncation-as-termination", mask="done"),
        _bug("missing-done-mask", mask="none"),
        _bug("returns-run-past-truncation", cut="none"),
        _bug("off-by-one-done-mask", mask="shift", cut="shift"),
        _bug("no-bootstrap-at-rollout-end", end="zero"),
    ],
    "td-errors": [
        _bug("missing-done-mask", mask="none"),
        _bug("off-by-one-done-mask", mask="shift"),
        _bug("reset-state-bootstrap", nextv="shifted"),
        _bug("no-bootstrap-at-rollout-end", end="zero"),
    ],
}


def bug_output(kind: str, bug: Bug, ro) -> np.ndarray:
    """The buggy version's output on a rollout (shaped like its arrays)."""
    a = ro.arrays()
    return scan(kind, a["r"], a["v"], a["nv"], a["term"], a["trunc"], float(ro.gamma), float(ro.lam), **bug.flags)
