"""d^pi_{s_0}(s), the discounted state visitation distribution from a given start state, exactly.

    d^pi_{s_0}(s) = (1 - gamma) sum_{t >= 0} gamma^t Pr^pi(s_t = s | s_0)
                  = (1 - gamma) [(I - gamma P_pi)^{-1}]_{s_0, s}

(Agarwal, Jiang, Kakade, Sun, "Reinforcement Learning: Theory and Algorithms", ch. 1, the performance
difference lemma V^{pi'}(s) - V^pi(s) = 1/(1 - gamma) E_{s' ~ d^{pi'}_s} E_{a ~ pi'(.|s')}[A^pi(s', a)]).
Evaluated as that expectation over infinite trajectories, by the resolvent of derive/engine/resolvent.py
(gradients included).  Discounted setting only: over a finite horizon or in episodes it is refused.
"""
from __future__ import annotations

from sympy import Dummy, oo, Sum

from ..episodic import is_episodic
from ..lang import nodes
from ..lang.optimal import Same
from ..lang.symbols import gamma
from .registry import Env, Unsupported, evaluate, rule
from .tensor import Val


@rule(nodes.DpiFrom)
def _dpi_from(e, env: Env) -> Val:
    """d^pi_{s_0}(s) = (1 - gamma) E_{tau ~ pi}[sum_t gamma^t 1[s_t = s] | s_0 = s_0] (discounted)."""
    if env.horizon is not None or is_episodic(env):
        raise Unsupported(r"d^pi_{s_0} (the discounted visitation distribution from a start state) is defined in the "
                          "discounted infinite-horizon setting only")
    policy, state, start = e.args
    t = Dummy("t", integer=True)
    visits = Sum(gamma ** t * Same(nodes.St(t), state), (t, 0, oo))
    return evaluate((1 - gamma) * nodes.Expect(visits, nodes.TrajDist(policy), nodes.Given(nodes.St(0), start)), env)


__all__: list = []
