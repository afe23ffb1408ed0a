"""A sum over the values of a run of the trajectory's variables (issue 10, R11).

``\\int_{\\tau_{x_0:u_t}} X \\, d\\tau_{x_0:u_t}`` (helpingstar/Math-RL eqs. 3.9, 4.3-4.5) on a finite MDP is the sum
over the values of the variables s_{k0}, (a_{k0}), ..., of the trajectory in scope (the counting measure), every
other variable left as it is.  The run is given by its ends: (time, 0) for s_time, (time, 1) for a_time.
"""
from __future__ import annotations

from .node_base import Node, _body, _p


def _end(p, time, is_action) -> str:
    return "%s_{%s}" % ("a" if int(is_action) else "s", _p(p, time))


class SumRun(Node):
    """sum over the values of s_{k0} (or a_{k0}), ..., s_{k1} (or a_{k1}) of the trajectory in scope."""

    precedence = 45

    nargs = 5  # body, first time, first is an action (0/1), last time, last is an action (0/1)

    def tex(self, p):
        body, t0, a0, t1, a1 = self.args
        if t0 == t1 and a0 == a1:
            return r"\sum_{%s} %s" % (_end(p, t0, a0), _body(p, body))
        return r"\sum_{%s, \ldots, %s} %s" % (_end(p, t0, a0), _end(p, t1, a1), _body(p, body))


__all__ = ["SumRun"]
