"""Nodes of expectations: E_{dists}[body | given] and its sampling statements (tau ~ pi, a ~ pi(.|s),
s' ~ P(.|s, a), s ~ rho_0, s ~ d^pi, x ~ q, and the conditioning).  Each draw knows its density.
"""
from __future__ import annotations

from .mdp_nodes import Pi, Rho0, Trans, TrajProb
from .node_base import POLICY_LATEX, Node, _p
from .operator_nodes import FreeProb
from .value_nodes import Dpi, DpiFrom


class Dist(Node):
    """A sampling statement ``var ~ distribution`` inside an expectation."""

    def var(self):
        return self.args[0]

    def density(self):
        """Probability of ``var`` as an expression (None for trajectories)."""
        raise NotImplementedError


class TrajDist(Dist):
    """tau ~ pi: trajectories from rho_0, the policy and the dynamics."""

    nargs = 1

    def var(self):
        return None

    def tex(self, p):
        name = self.args[0].name
        return r"\tau \sim %s" % POLICY_LATEX[name]

    def density(self):
        return TrajProb(self.args[0])


class PolicyDraw(Dist):
    """a ~ pi(.|s)."""

    nargs = 3  # var, policy, state

    def tex(self, p):
        v, name, st = self.args
        return r"%s \sim %s(\cdot \mid %s)" % (_p(p, v), POLICY_LATEX[name.name], _p(p, st))

    def density(self):
        v, name, st = self.args
        return Pi(name, v, st)


class TransDraw(Dist):
    """s' ~ P(.|s, a)."""

    nargs = 3

    def tex(self, p):
        v, st, act = self.args
        return r"%s \sim P(\cdot \mid %s, %s)" % (_p(p, v), _p(p, st), _p(p, act))

    def density(self):
        v, st, act = self.args
        return Trans(v, st, act)


class InitDraw(Dist):
    """s ~ rho_0."""

    nargs = 1

    def tex(self, p):
        return r"%s \sim \rho_0" % _p(p, self.args[0])

    def density(self):
        return Rho0(self.args[0])


class OccDraw(Dist):
    """s ~ d^pi (normalised discounted state distribution)."""

    nargs = 2

    def tex(self, p):
        return r"%s \sim d^{%s}" % (_p(p, self.args[0]), POLICY_LATEX[self.args[1].name])

    def density(self):
        return Dpi(self.args[1], self.args[0])


class OccFromDraw(Dist):
    """s ~ d^pi_{s_0}: the discounted state visitation distribution from the start state s_0 (Agarwal et al.)."""

    nargs = 3  # the state drawn, the policy, the start state

    def tex(self, p):
        return r"%s \sim d^{%s}_{%s}" % (_p(p, self.args[0]), POLICY_LATEX[self.args[1].name], _p(p, self.args[2]))

    def density(self):
        return DpiFrom(self.args[1], self.args[0], self.args[2])


class FreeDraw(Dist):
    """x ~ q for a named free distribution q on X."""

    nargs = 2

    def tex(self, p):
        return r"%s \sim %s" % (_p(p, self.args[0]), self.args[1].name)

    def density(self):
        return FreeProb(self.args[1], self.args[0])


class Given(Dist):
    """Conditioning on a trajectory variable: E_{tau ~ pi}[X | s_t, a_t], or on its value: [X | s_t = s]."""

    nargs = (1, 2)  # the variable of the trajectory, and the (free) variable it equals

    def var(self):
        return None

    def tex(self, p):
        if len(self.args) == 2:
            return "%s = %s" % (_p(p, self.args[0]), _p(p, self.args[1]))
        return _p(p, self.args[0])

    def density(self):
        return None


class Expect(Node):
    """E_{dists}[body | given]: dists are Dist nodes, drawn in order (later ones may use earlier ones)."""

    def tex(self, p):
        body, dists = self.args[0], self.args[1:]
        draws = [d for d in dists if not isinstance(d, Given)]
        given = [d for d in dists if isinstance(d, Given)]
        sub = ", ".join(_p(p, d) for d in draws)
        cond = (r" \mid " + ", ".join(_p(p, d) for d in given)) if given else ""
        return r"\mathbb{E}_{%s}\left[%s%s\right]" % (sub, _p(p, body), cond)

    @property
    def body(self):
        return self.args[0]

    @property
    def dists(self):
        return self.args[1:]

    @property
    def free_symbols(self):
        bound = {d.var() for d in self.dists if d.var() is not None}
        out = set(self.body.free_symbols)
        for d in self.dists:
            given = isinstance(d, Given)  # E[X | s_t]: the t of s_t is free too
            for x in (d.args if given else d.args[1:]):
                out |= x.free_symbols
        return out - bound


__all__ = ["Dist", "TrajDist", "PolicyDraw", "TransDraw", "InitDraw", "OccDraw", "OccFromDraw", "FreeDraw", "Given",
           "Expect"]
