"""Optimal values and the greedy choice: V*, Q*, A*, argmax_a.

Sutton & Barto (2nd ed., 2018) section 3.6 write them v_*, q_*:

* discounted: V*(s) = max_pi V^pi(s) (eq. 3.15), Q*(s, a) = E_{s'}[R(s,a,s') + gamma V*(s')] (eq. 3.17),
  V*(s) = max_a Q*(s, a) (eq. 3.18), A*(s, a) = Q*(s, a) - V*(s);
* finite horizon T: V*_T = 0, Q*_t(s, a) = E_{s'}[R(s,a,s') + gamma V*_{t+1}(s')],
  V*_t(s) = max_a Q*_t(s, a) (backward induction).

The optimal policy ``pi_*`` (policy name ``star``) is greedy with respect to Q*, and the greedy policy
``pi_greedy`` (``greedy``) is greedy with respect to Q^{pi_theta} (the policy improvement step, S&B eq. 4.9);
both split ties evenly over the maximising actions.  ``argmax_a f(a)`` stands for an action: the
smallest-index maximiser (every maximiser gives the same f).
"""
from __future__ import annotations

from .node_base import NOTIME, Node, _Binder, _body, _p


def _sub(p, tm) -> str:
    return "" if tm == NOTIME else "_{%s}" % _p(p, tm)


class VStar(Node):
    """V*_t(s): the optimal value (stationary when discounted)."""

    nargs = 2  # state, time (NOTIME)

    def tex(self, p):
        st, tm = self.args
        return r"V^{*}%s(%s)" % (_sub(p, tm), _p(p, st))


class QStar(Node):
    """Q*_t(s, a): the optimal action value."""

    nargs = 3

    def tex(self, p):
        st, act, tm = self.args
        return r"Q^{*}%s(%s, %s)" % (_sub(p, tm), _p(p, st), _p(p, act))


class AStar(Node):
    """A*_t(s, a) = Q*_t(s, a) - V*_t(s)."""

    nargs = 3

    def tex(self, p):
        st, act, tm = self.args
        return r"A^{*}%s(%s, %s)" % (_sub(p, tm), _p(p, st), _p(p, act))


class ArgMax(_Binder):
    """argmax_a body: an action (the smallest-index maximiser), usable wherever an action is."""

    nargs = 2

    def tex(self, p):
        return r"\operatorname*{arg\,max}_{%s} %s" % (_p(p, self.args[1]), _body(p, self.args[0]))


class Same(Node):
    """[x = y] for two states (or two actions): 1 where they are equal, else 0 (Pr(s_t = s) = E[[s_t = s]])."""

    nargs = 2

    def tex(self, p):
        return r"\mathbb{1}\left[%s = %s\right]" % (_p(p, self.args[0]), _p(p, self.args[1]))


def v_star(st, tm=NOTIME):
    return VStar(st, tm)


def q_star(st, act, tm=NOTIME):
    return QStar(st, act, tm)


def a_star(st, act, tm=NOTIME):
    return AStar(st, act, tm)


__all__ = ["VStar", "QStar", "AStar", "ArgMax", "Same", "v_star", "q_star", "a_star"]
