"""Nodes of value functions and their estimators: V, Q, A, d^pi, J, delta_t, A_t^(k), GAE, the lambda-return.

Every value function is 0 at the final state s_T of a finite horizon; a discounted one is stationary
(time argument ``NOTIME``).  delta_t = r_t + gamma V(s_{t+1}) - V(s_t), the k-step advantages
A_t^(k) (eqs. 11-14) and GAE (eq. 16) as in Schulman et al., High-Dimensional Continuous Control
Using Generalized Advantage Estimation (arXiv:1506.02438), truncated at the horizon T.
"""
from __future__ import annotations

from sympy.core.symbol import Str

from .mdp_nodes import Ret, Rt, St
from .node_base import NOTIME, POLICY_LATEX, Node, _p, theta_or_policy
from .operator_nodes import FreeFn
from .symbols import T, gamma, lam


def _time_sub(p, tm) -> str:
    """The subscript t of a finite-horizon value function; none for a stationary one (NOTIME)."""
    return "" if tm == NOTIME else "_{%s}" % _p(p, tm)


def _state_action_tex(letter: str, e, p) -> str:
    """Q^pi_t(s, a) or A^pi_t(s, a): the letter, the time subscript, the policy, the state and action."""
    name, st, act, tm = e.args
    return r"%s%s^{%s}(%s, %s)" % (letter, _time_sub(p, tm), POLICY_LATEX[name.name], _p(p, st), _p(p, act))


class V(Node):
    """V^pi_t(s): expected return from state s at time t (stationary when discounted)."""

    nargs = 3

    def tex(self, p):
        name, st, tm = self.args
        return r"V%s^{%s}(%s)" % (_time_sub(p, tm), POLICY_LATEX[name.name], _p(p, st))


class Q(Node):
    """Q^pi_t(s, a)."""

    nargs = 4

    def tex(self, p):
        return _state_action_tex("Q", self, p)


class A(Node):
    """A^pi_t(s, a) = Q^pi_t(s, a) - V^pi_t(s)."""

    nargs = 4

    def tex(self, p):
        return _state_action_tex("A", self, p)


class Dpi(Node):
    """d^pi(s): normalised discounted state distribution.

    Discounted: d(s) = (1-gamma) sum_t gamma^t Pr(s_t = s).
    Finite horizon: d(s) = sum_{t<T} gamma^t Pr(s_t = s) / sum_{t<T} gamma^t.
    """

    nargs = 2

    def tex(self, p):
        return r"d^{%s}(%s)" % (POLICY_LATEX[self.args[0].name], _p(p, self.args[1]))


class J(Node):
    """J(pi) = E_{tau ~ pi}[R(tau)]."""

    nargs = 1

    def tex(self, p):
        return r"J(%s)" % theta_or_policy(self.args[0].name)


class VRef(Node):
    """Names a value function used by delta, GAE, ...: the true V^pi or a free V."""

    nargs = 1  # Str: a policy name for the true value, or "free:NAME"

    def tex(self, p):
        ref = self.args[0].name
        if ref.startswith("free:"):
            return ref[5:]
        return r"V^{%s}" % POLICY_LATEX[ref]

    def at(self, state):
        """The expression V(state) this reference stands for."""
        ref = self.args[0].name
        if ref.startswith("free:"):
            return FreeFn(Str(ref[5:]), state)
        if isinstance(state, St):
            return V(Str(ref), state, state.args[0])
        return V(Str(ref), state, NOTIME)


def true_v(policy: str = "theta") -> VRef:
    return VRef(Str(policy))


def free_v(name: str = "V") -> VRef:
    return VRef(Str("free:" + name))


class Delta(Node):
    """delta_t = r_t + gamma V(s_{t+1}) - V(s_t), for the named V."""

    nargs = 2

    def tex(self, p):
        u, ref = self.args
        return r"\delta^{%s}_{%s}" % (_p(p, ref), _p(p, u))

    def definition(self):
        u, ref = self.args
        return Rt(u) + gamma * ref.at(St(u + 1)) - ref.at(St(u))


class KAdv(Node):
    """k-step advantage A_t^(k) = sum_{l=0}^{k-1} gamma^l r_{t+l} + gamma^k V(s_{t+k}) - V(s_t)."""

    nargs = 3

    def tex(self, p):
        kk, u, ref = self.args
        return r"\hat{A}^{(%s)}_{%s}" % (_p(p, kk), _p(p, u))

    def definition(self):
        from sympy import Dummy, Sum

        kk, u, ref = self.args
        v = Dummy("l", integer=True)
        return Sum(gamma**v * Rt(u + v), (v, 0, kk - 1)) + gamma**kk * ref.at(St(u + kk)) - ref.at(St(u))


class GAE(Node):
    """A_t^{GAE(gamma,lambda)} = sum_{l=0}^{T-t-1} (gamma lambda)^l delta_{t+l} (truncated at T)."""

    nargs = 2

    def tex(self, p):
        return r"\hat{A}^{\mathrm{GAE}(\gamma,\lambda)}_{%s}" % _p(p, self.args[0])

    def definition(self):
        from sympy import Dummy, Sum

        u, ref = self.args
        v = Dummy("l", integer=True)
        return Sum((gamma * lam) ** v * Delta(u + v, ref), (v, 0, T - u - 1))


class LamRet(Node):
    """lambda-return G_t^lambda = (1-lambda) sum_{n=1}^{T-t-1} lambda^{n-1} G_t^(n) + lambda^{T-t-1} G_t."""

    nargs = 2

    def tex(self, p):
        return r"G^{\lambda}_{%s}" % _p(p, self.args[0])

    def definition(self):
        from sympy import Dummy, Sum

        u, ref = self.args
        m = Dummy("n", integer=True)
        nstep = KAdv(m, u, ref).definition() + ref.at(St(u))
        return (1 - lam) * Sum(lam ** (m - 1) * nstep, (m, 1, T - u - 1)) + lam ** (T - u - 1) * Ret(u)


class DpiFrom(Node):
    """d^pi_{s_0}(s): the discounted state visitation distribution from a given start state,
    (1 - gamma) sum_{t>=0} gamma^t Pr^pi(s_t = s | s_0) (Agarwal, Jiang, Kakade, Sun, "Reinforcement
    Learning: Theory and Algorithms", ch. 1); discounted setting only (derive/engine/infinite_visits.py)."""

    nargs = 3  # policy, the state s, the start state s_0

    def tex(self, p):
        return r"d^{%s}_{%s}(%s)" % (POLICY_LATEX[self.args[0].name], _p(p, self.args[2]), _p(p, self.args[1]))


__all__ = ["V", "Q", "A", "Dpi", "DpiFrom", "J", "VRef", "true_v", "free_v", "Delta", "KAdv", "GAE", "LamRet"]
