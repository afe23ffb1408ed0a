"""Rollouts to run an implementation on: episodes of random MDPs, cut by termination and time limits.

A rollout is what a learner's buffer holds: T steps of B environments (or one,
as 1-D arrays), each column a concatenation of episodes.  The episodes come
from a seeded ``derive.mdp.random_instance`` sampled with
``derive.engine.sampler.sample_trajectories``:

* **termination**: some states of the MDP are designated terminal; an episode
  terminates at the first step whose next state is terminal (``terminated[t]``);
* **truncation**: a time limit L; an episode that reaches L steps without
  terminating is truncated (``truncated[t]``), and its final observation is kept
  for ``next_values[t]``; the first episode of a column may start part-way
  through its time limit, as in a buffer filled by a running environment;
* the last episode of a column is usually cut by the end of the arrays (neither
  flag set on the last step);
* the critic is a random table V(s) of small dyadic rationals, so every input
  is exactly representable in float64: ``values[t] = V(s_t)``,
  ``next_values[t] = V(s_{t+1})``.  ``values[t + 1]`` after an episode boundary
  is V of the reset state, which is what the bootstrap must *not* use.

``suite(seed)`` is the fixed list of cases a check runs: length-1 episodes,
gamma = 0 and 1, lambda = 0 and 1, 1-D and (T, B) shapes (B = 1 included),
terminations, truncations and both in one batch.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, replace
from fractions import Fraction

import numpy as np

from ..engine.sampler import sample_trajectories
from ..mdp import random_instance

F = Fraction


@dataclass
class Rollout:
    """Columns (one list per batch column) of Fractions / bools; ``batched`` False means 1-D arrays."""

    label: str
    r: list
    v: list
    nv: list
    term: list
    trunc: list
    gamma: Fraction
    lam: Fraction
    batched: bool = True

    @property
    def T(self) -> int:
        return len(self.r[0])

    @property
    def B(self) -> int:
        return len(self.r)

    @property
    def shape(self) -> tuple:
        return (self.T, self.B) if self.batched else (self.T,)

    def cols(self) -> dict:
        return {"r": self.r, "v": self.v, "nv": self.nv, "term": self.term, "trunc": self.trunc}

    def array(self, key: str) -> np.ndarray:
        cols = getattr(self, key)
        a = np.array([[float(x) for x in col] for col in cols], dtype=np.float64).T  # (T, B)
        return np.ascontiguousarray(a if self.batched else a[:, 0])

    def arrays(self) -> dict:
        return {k: self.array(k) for k in ("r", "v", "nv", "term", "trunc")}

    def args(self, kind: str) -> tuple:
        """The positional arguments of the documented signature of ``kind``."""
        a = self.arrays()
        g, lam = float(self.gamma), float(self.lam)
        if kind == "gae" or kind == "lambda-returns":
            return (a["r"], a["v"], a["nv"], a["term"], a["trunc"], g, lam)
        if kind == "returns":
            return (a["r"], a["nv"], a["term"], a["trunc"], g)
        if kind == "td-errors":
            return (a["r"], a["v"], a["nv"], a["term"], g)
        raise ValueError(f"unknown kind {kind!r}")

    def size(self) -> tuple:
        """Smaller is simpler: steps x columns, then columns, then nonzero numbers."""
        nonzero = sum(1 for key in ("r", "v", "nv") for col in getattr(self, key) for x in col if x != 0)
        return (self.T * self.B, self.B, self.T, nonzero)

    def describe(self, kind: str) -> dict:
        """JSON-ready inputs (numbers as floats; flags as 0/1), shaped like the arrays."""
        def shaped(key, conv):
            rows = [[conv(getattr(self, key)[b][t]) for b in range(self.B)] for t in range(self.T)]
            return rows if self.batched else [row[0] for row in rows]

        out = {"shape": list(self.shape), "gamma": float(self.gamma)}
        if kind in ("gae", "lambda-returns"):
            out["lam"] = float(self.lam)
        out["rewards"] = shaped("r", _num)
        if kind != "returns":
            out["values"] = shaped("v", _num)
        out["next_values"] = shaped("nv", _num)
        out["terminated"] = shaped("term", int)
        if kind != "td-errors":
            out["truncated"] = shaped("trunc", int)
        return out


def _num(x):
    f = float(x)
    return int(f) if f == int(f) and abs(f) < 2**53 else f


def shaped_values(cols: list, batched: bool) -> list:
    """Columns of numbers -> nested lists shaped (T, B) or (T,) (floats)."""
    T = len(cols[0])
    rows = [[_num(cols[b][t]) for b in range(len(cols))] for t in range(T)]
    return rows if batched else [row[0] for row in rows]


# ------------------------------------------------------------ generation


@dataclass(frozen=True)
class Spec:
    label: str
    T: int
    B: int | None  # None: 1-D arrays
    states: int = 3
    actions: int = 2
    terminal: object = 1  # number of terminal states, or "all"
    limit: int = 4  # time limit (truncation)
    gamma: float = 0.9
    lam: float = 0.95
    require: tuple = ()  # "terminated", "truncated": regenerate until present


def generate(spec: Spec, seed: int) -> Rollout:
    """The rollout of a spec (re-drawn with the next seeds until its ``require`` flags are present)."""
    for attempt in range(40):
        ro = _generate(spec, seed * 7919 + attempt)
        flags = {"terminated": any(x for col in ro.term for x in col),
                 "truncated": any(x for col in ro.trunc for x in col)}
        if all(flags[k] for k in spec.require):
            return ro
    return ro


def _generate(spec: Spec, seed: int) -> Rollout:
    rng = random.Random(seed)
    S, A = spec.states, spec.actions
    inst = random_instance(seed, S, A, spec.limit, "plain")
    if spec.terminal == "all":
        terminal = set(range(S))
    else:
        terminal = set(rng.sample(range(S), min(int(spec.terminal), S)))
    critic = [F(rng.randint(-12, 12), 4) for _ in range(S)]
    nrng = np.random.default_rng(seed)
    B = spec.B or 1
    cols = {k: [] for k in ("r", "v", "nv", "term", "trunc")}
    for _ in range(B):
        col = {k: [] for k in cols}
        remaining = rng.randint(1, spec.limit)  # the first episode may be part-way through its time limit
        while len(col["r"]) < spec.T:
            states, actions = sample_trajectories(inst, "theta", 1, nrng, horizon=remaining)
            s, a = states[0].tolist(), actions[0].tolist()
            for k in range(remaining):
                if len(col["r"]) == spec.T:
                    break
                s0, a0, s1 = s[k], a[k], s[k + 1]
                ends_by_term = s1 in terminal
                col["r"].append(inst.R[s0][a0][s1])
                col["v"].append(critic[s0])
                col["nv"].append(critic[s1])
                col["term"].append(ends_by_term)
                col["trunc"].append(not ends_by_term and k == remaining - 1)
                if ends_by_term:
                    break
            remaining = spec.limit
        for k in cols:
            cols[k].append(col[k])
    return Rollout(spec.label, cols["r"], cols["v"], cols["nv"], cols["term"], cols["trunc"],
                   F(spec.gamma), F(spec.lam), batched=spec.B is not None)


BOTH = ("terminated", "truncated")

SUITE = [
    Spec("one step, terminated", 1, None, terminal="all", gamma=0.5, lam=0.5),
    Spec("one step, truncated", 1, None, terminal=0, limit=1, gamma=0.5, lam=0.5),
    Spec("one step, end of the arrays", 1, None, terminal=0, limit=50, gamma=0.75, lam=0.5),
    Spec("terminating episodes", 8, None, states=3, terminal=1, limit=50, gamma=0.75, lam=0.5, require=("terminated",)),
    Spec("time-limited episodes", 8, None, states=3, terminal=0, limit=3, gamma=0.9, lam=0.75, require=("truncated",)),
    Spec("terminated and truncated", 10, None, states=4, terminal=1, limit=3, gamma=0.5, lam=0.75, require=BOTH),
    Spec("gamma = 0", 6, None, states=3, terminal=1, limit=3, gamma=0.0, lam=0.5, require=BOTH),
    Spec("gamma = 1", 8, None, states=3, terminal=1, limit=3, gamma=1.0, lam=0.5, require=BOTH),
    Spec("lambda = 0", 6, None, states=3, terminal=1, limit=3, gamma=0.75, lam=0.0, require=BOTH),
    Spec("lambda = 1", 8, None, states=3, terminal=1, limit=3, gamma=0.5, lam=1.0, require=BOTH),
    Spec("gamma = 1, lambda = 1", 8, None, states=4, terminal=1, limit=4, gamma=1.0, lam=1.0, require=BOTH),
    Spec("gamma = 0, lambda = 1", 6, None, states=3, terminal=1, limit=3, gamma=0.0, lam=1.0, require=BOTH),
    Spec("length-1 episodes, every state terminal", 5, None, states=2, terminal="all", gamma=0.75, lam=0.5),
    Spec("length-1 episodes, time limit 1", 5, None, states=3, terminal=0, limit=1, gamma=0.75, lam=0.5),
    Spec("no episode boundary", 6, None, states=3, terminal=0, limit=50, gamma=0.99, lam=0.95),
    Spec("batched (T, 1)", 6, 1, states=3, terminal=1, limit=3, gamma=0.75, lam=0.5, require=BOTH),
    Spec("batched, terminated and truncated", 10, 3, states=4, terminal=1, limit=4, gamma=0.9, lam=0.75, require=BOTH),
    Spec("batched, gamma = 0.99, lambda = 0.95", 12, 4, states=4, terminal=1, limit=5, gamma=0.99, lam=0.95,
         require=BOTH),
    Spec("batched, gamma = 1, lambda = 1", 8, 3, states=3, terminal=1, limit=3, gamma=1.0, lam=1.0, require=BOTH),
    Spec("batched, gamma = 0", 6, 2, states=3, terminal=1, limit=3, gamma=0.0, lam=0.5, require=BOTH),
    Spec("batched, lambda = 0", 6, 2, states=3, terminal=1, limit=3, gamma=0.5, lam=0.0, require=BOTH),
    Spec("batched, length-1 episodes", 4, 3, states=2, terminal="all", gamma=0.5, lam=0.5),
    Spec("batched, time limit 1", 4, 3, states=3, terminal=0, limit=1, gamma=0.5, lam=0.5),
    Spec("batched, one state", 6, 2, states=1, actions=2, terminal=0, limit=2, gamma=0.75, lam=0.5,
         require=("truncated",)),
    Spec("batched, long", 40, 6, states=5, actions=3, terminal=1, limit=9, gamma=0.99, lam=0.95, require=BOTH),
]


def suite(seed: int = 0) -> list:
    """The rollouts a check runs on, in order (small first)."""
    return [generate(spec, seed * 1000 + i) for i, spec in enumerate(SUITE)]


def with_(ro: Rollout, **kw) -> Rollout:
    return replace(ro, **kw)
