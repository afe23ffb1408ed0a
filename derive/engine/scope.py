"""Trajectory scopes: what s_t and a_t stand for inside an expression.

* ``EnumScope``: every trajectory at once; s_t is the axis ``<prefix>.s<t>``
  ranging over all states, a_t the axis ``<prefix>.a<t>``.  Used by exact and
  symbolic evaluation, and for the free s_t, a_t of an identity.
* ``SampleScope``: N sampled trajectories; s_t is the sampled state of each,
  along the Monte Carlo axis ``n``.

``marginal`` gives Pr(the variables of a scope that a term uses), by
eliminating the others in time order (s_0, a_0, s_1, ...): the chain
rho_0(s_0) pi(a_0|s_0) P(s_1|s_0,a_0) ... summed over unused variables.
"""
from __future__ import annotations

import numpy as np

from .tensor import Ten, Undefined, mul, sum_axes


class EnumScope:
    def __init__(self, prefix: str, horizon: int, n_states: int, n_actions: int, fixed_start: bool = False):
        self.prefix = prefix
        self.fixed_start = fixed_start  # s_0 is the fixed start state 0 (front matter start: fixed, S&B 13.2)
        self.horizon = horizon
        self.n_states = n_states
        self.n_actions = n_actions

    def state_axis(self, u: int) -> str:
        return f"{self.prefix}.s{u}"

    def action_axis(self, u: int) -> str:
        return f"{self.prefix}.a{u}"

    def state(self, u: int) -> Ten:
        if not 0 <= u <= self.horizon:
            raise Undefined(f"s_{u} lies outside the trajectory s_0 .. s_{self.horizon} (T = {self.horizon})")
        return Ten((self.state_axis(u),), np.arange(1 if u == 0 and self.fixed_start else self.n_states))

    def action(self, u: int) -> Ten:
        if not 0 <= u < self.horizon:
            raise Undefined(f"a_{u} lies outside the trajectory a_0 .. a_{self.horizon - 1} (T = {self.horizon})")
        return Ten((self.action_axis(u),), np.arange(self.n_actions))

    def owns(self, axis: str) -> bool:
        return axis.startswith(self.prefix + ".")

    def all_axes(self) -> list:
        out = []
        for u in range(self.horizon + 1):
            out.append(self.state_axis(u))
            if u < self.horizon:
                out.append(self.action_axis(u))
        return out

    def axis_size(self, axis: str) -> int:
        if axis == self.state_axis(0) and self.fixed_start:
            return 1
        return self.n_states if axis[len(self.prefix) + 1] == "s" else self.n_actions


class SampleScope:
    def __init__(self, states: np.ndarray, actions: np.ndarray):
        self.states = states  # (N, T+1)
        self.actions = actions  # (N, T)
        self.horizon = actions.shape[1]

    def state(self, u: int) -> Ten:
        if not 0 <= u <= self.horizon:
            raise Undefined(f"s_{u} lies outside the trajectory (T = {self.horizon})")
        return Ten(("n",), self.states[:, u])

    def action(self, u: int) -> Ten:
        if not 0 <= u < self.horizon:
            raise Undefined(f"a_{u} lies outside the trajectory (T = {self.horizon})")
        return Ten(("n",), self.actions[:, u])

    def owns(self, axis: str) -> bool:
        return False


def marginal(scope: EnumScope, needed: set, init, policy, transition):
    """Pr(needed variables of the scope) as a Val over those axes.

    ``init(ix_s)``, ``policy(ix_a, ix_s)`` and ``transition(ix_s2, ix_s, ix_a)``
    return Vals of rho_0, pi and P at the given index tensors.
    """
    order = []
    for u in range(scope.horizon + 1):
        order.append(scope.state_axis(u))
        if u < scope.horizon:
            order.append(scope.action_axis(u))
    last = max((order.index(a) for a in needed), default=-1)
    if last < 0:
        return None
    F = init(scope.state(0))
    for u in range(scope.horizon + 1):
        s_ax, a_ax = scope.state_axis(u), scope.action_axis(u)
        if order.index(s_ax) == last:
            break
        F = mul(F, policy(scope.action(u), scope.state(u)))
        if order.index(a_ax) == last:
            drop = [s_ax] if s_ax not in needed else []
            return sum_axes(F, drop)
        F = mul(F, transition(scope.state(u + 1), scope.state(u), scope.action(u)))
        drop = [ax for ax in (s_ax, a_ax) if ax not in needed]
        F = sum_axes(F, drop)
    return F
