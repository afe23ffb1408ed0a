"""Nodes of the MDP and its trajectories: pi(a|s), P(s'|s,a), rho_0, R, s_t, a_t, r_t, P(tau|pi), R(tau), G_t.

Conventions (docs/conventions.md): a trajectory is tau = (s_0, a_0, r_0, ..., s_{T-1}, a_{T-1},
r_{T-1}, s_T), r_t = R(s_t, a_t, s_{t+1}), R(tau) = sum_{t=0}^{T-1} gamma^t r_t (gamma = 1 gives the
T-step return) and G_t = sum_{t'=t}^{T-1} gamma^{t'-t} r_{t'}.
"""
from __future__ import annotations

from .node_base import POLICY_LATEX, Node, _p, theta_or_policy
from .symbols import T, gamma


class Pi(Node):
    """pi_pol(a|s): probability of action a in state s under a policy."""

    nargs = 3

    def tex(self, p):
        name, act, st = self.args
        return r"%s(%s \mid %s)" % (POLICY_LATEX[name.name], _p(p, act), _p(p, st))


class Trans(Node):
    """P(s'|s,a): transition probability."""

    nargs = 3

    def tex(self, p):
        nxt, st, act = self.args
        return r"P(%s \mid %s, %s)" % (_p(p, nxt), _p(p, st), _p(p, act))


class Rho0(Node):
    """rho_0(s): initial state distribution."""

    nargs = 1

    def tex(self, p):
        return r"\rho_0(%s)" % _p(p, self.args[0])


class Rew(Node):
    """R(s, a, s'): reward of a transition."""

    nargs = 3

    def tex(self, p):
        return "R(%s, %s, %s)" % tuple(_p(p, x) for x in self.args)


class St(Node):
    """s_t: the state at time t of the trajectory in scope."""

    nargs = 1

    def tex(self, p):
        return "s_{%s}" % _p(p, self.args[0])


class At(Node):
    """a_t: the action at time t of the trajectory in scope."""

    nargs = 1

    def tex(self, p):
        return "a_{%s}" % _p(p, self.args[0])


class Rt(Node):
    """r_t = R(s_t, a_t, s_{t+1})."""

    nargs = 1

    def tex(self, p):
        return "r_{%s}" % _p(p, self.args[0])

    def definition(self):
        u = self.args[0]
        return Rew(St(u), At(u), St(u + 1))


class TrajProb(Node):
    """P(tau | pi) = rho_0(s_0) prod_t pi(a_t|s_t) P(s_{t+1}|s_t,a_t)."""

    nargs = 1

    def tex(self, p):
        return r"P(\tau \mid %s)" % theta_or_policy(self.args[0].name)


class TrajReturn(Node):
    """R(tau) = sum_{t=0}^{T-1} gamma^t r_t (gamma = 1: the T-step return)."""

    nargs = 0

    def tex(self, p):
        return r"R(\tau)"

    def definition(self):
        from sympy import Dummy, Sum

        u = Dummy("t", integer=True)
        return Sum(gamma**u * Rt(u), (u, 0, T - 1))


class Ret(Node):
    """G_t = sum_{t'=t}^{T-1} gamma^{t'-t} r_{t'}: the (discounted) return from t."""

    nargs = 1

    def tex(self, p):
        return "G_{%s}" % _p(p, self.args[0])

    def definition(self):
        from sympy import Dummy, Sum

        u = self.args[0]
        v = Dummy("t'", integer=True)
        return Sum(gamma ** (v - u) * Rt(v), (v, u, T - 1))


__all__ = ["Pi", "Trans", "Rho0", "Rew", "St", "At", "Rt", "TrajProb", "TrajReturn", "Ret"]
