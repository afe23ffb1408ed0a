"""An instance's numbers as arrays of one field, converted once and cached."""
from __future__ import annotations

import numpy as np

from ..mdp import Instance


class Tables:
    """Arrays of an instance in one field: rho0[s], P[s,a,s'], R[s,a,s'], pi[name][s,a]."""

    def __init__(self, inst: Instance, field, symbols: dict | None = None):
        self.inst = inst
        self.field = field
        src = symbols or {}
        self.rho0 = src["rho0"] if "rho0" in src else field.array(inst.rho0)
        self.P = src["P"] if "P" in src else field.array(inst.P)
        self.R = src["R"] if "R" in src else field.array(inst.R)
        self.gamma = src["gamma"] if "gamma" in src else field.const(inst.gamma)
        self.pi = {name: src["pi:" + name] if "pi:" + name in src else field.array(p)
                   for name, p in inst.policies.items()}
        self.params = {name: src["param:" + name] if "param:" + name in src else field.const(v)
                       for name, v in inst.params.items()}
        self.points = src["points"] if "points" in src else field.array(inst.points)
        self._free_fn = {}
        self._free_dist = {}
        self.symbols = src
        self.memo: dict = {}

    @property
    def n_states(self):
        return self.inst.n_states

    @property
    def n_actions(self):
        return self.inst.n_actions

    @property
    def n_theta(self):
        return self.inst.n_states * self.inst.n_actions

    def free_function(self, name: str, shape: tuple) -> np.ndarray:
        key = (name, shape)
        self.inst.note_used(key)
        if key not in self._free_fn:
            sym = self.symbols.get("free_function")
            self._free_fn[key] = sym(name, shape) if sym else self.field.array(self.inst.free_function(name, shape))
        return self._free_fn[key]

    def free_dist(self, name: str) -> np.ndarray:
        self.inst.note_used(name)
        if name not in self._free_dist:
            sym = self.symbols.get("free_dist")
            self._free_dist[name] = sym(name) if sym else self.field.array(self.inst.free_dist(name))
        return self._free_dist[name]

    def score_table(self, probs: np.ndarray) -> np.ndarray:
        """d pi(a|s) / d theta[s', b] = [s = s'] pi(a|s) ([a = b] - pi(b|s)), shape (S, A, S*A)."""
        ns, na = self.n_states, self.n_actions
        out = self.field.zeros((ns, na, ns * na))
        for s in range(ns):
            for a in range(na):
                for b in range(na):
                    out[s, a, s * na + b] = probs[s, a] * ((1 if a == b else 0) - probs[s, b])
        return out


def tables_for(inst: Instance, field) -> Tables:
    key = ("tables", field.name)
    if key not in inst.cache:
        inst.cache[key] = Tables(inst, field)
    return inst.cache[key]
