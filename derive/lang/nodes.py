"""The nodes of derive's expression language.

Every RL quantity is a SymPy ``Function`` subclass that prints as the LaTeX a
textbook would use and that the one evaluator (:mod:`derive.engine.evaluate`)
knows how to evaluate on an instance.  Ordinary algebra (``+``, ``*``, powers,
``log``, ``exp``, ``Min``, ``Max``, ``Sum``, ``Product``) is SymPy's own.

Conventions (docs/conventions.md holds the full text):

* trajectory ``tau = (s_0, a_0, r_0, ..., s_{T-1}, a_{T-1}, r_{T-1}, s_T)``,
* ``r_t = R(s_t, a_t, s_{t+1})``,
* ``R(tau) = sum_{t=0}^{T-1} gamma^t r_t`` (gamma = 1 gives the T-step return),
* ``G_t = sum_{t'=t}^{T-1} gamma^{t'-t} r_{t'}``,
* every value function is 0 at the final state ``s_T`` of a finite horizon.

Policies are named by strings: ``theta`` (pi_theta, the one ``nabla_theta``
differentiates), ``old`` (pi_{theta_old}) and ``prime`` (pi').

The nodes live in modules named for what they hold: node_base.py (``Node``, policy names),
mdp_nodes.py (the MDP and trajectories), value_nodes.py (value functions, delta, GAE),
operator_nodes.py (free functions, nabla, bars, indicators, sum_a / max_a), expectation_nodes.py
(E and its draws).  This module gathers them: ``from derive.lang import nodes`` gives every one.
"""
from __future__ import annotations

from sympy import Function, Integer, S  # noqa: F401  (names of this module before the split)
from sympy.core.symbol import Str  # noqa: F401

from .symbols import T, gamma, lam  # noqa: F401
from .node_base import Node, NOTIME, pol, POLICY_LATEX  # noqa: F401
from .mdp_nodes import At, Pi, Ret, Rew, Rho0, Rt, St, TrajProb, TrajReturn, Trans  # noqa: F401
from .operator_nodes import (  # noqa: F401
    Clip, EvalAt, FreeFn, FreeProb, Grad, Hess, Indicator, Inner, KL, MatVec, MaxOver, Outer, PInv, SetParam, SumOver,
    SumTraj, Transposed)
from .value_nodes import A, Delta, Dpi, DpiFrom, free_v, GAE, J, KAdv, LamRet, Q, true_v, V, VRef  # noqa: F401
from .expectation_nodes import (  # noqa: F401
    Dist, Expect, FreeDraw, Given, InitDraw, OccDraw, OccFromDraw, PolicyDraw, TrajDist, TransDraw)

# the modules whose classes are the language's own nodes (read_latex/notation_llm.py tells them apart
# from objectives.py's and optimal.py's)
NODE_MODULES = frozenset(__name__.rsplit(".", 1)[0] + "." + m for m in (
    "node_base", "mdp_nodes", "operator_nodes", "value_nodes", "expectation_nodes"))

__all__ = [
    "A", "At", "Clip", "Delta", "Dist", "Dpi", "EvalAt", "Expect", "free_v", "FreeDraw", "FreeFn", "FreeProb",
    "Function", "GAE", "gamma", "Given", "Grad", "Hess", "Indicator", "InitDraw", "Inner", "Integer", "J", "KAdv", "KL",
    "lam", "LamRet", "MatVec", "MaxOver", "Node", "NODE_MODULES", "NOTIME", "OccDraw", "Outer", "Pi", "PInv", "pol", "POLICY_LATEX",
    "PolicyDraw", "Q", "Ret", "Rew", "Rho0", "Rt", "S", "SetParam", "St", "Str", "SumOver", "SumTraj", "T",
    "TrajDist", "TrajProb", "Transposed", "TrajReturn", "Trans", "TransDraw", "true_v", "V", "VRef",
    "DpiFrom", "OccFromDraw",  # d^pi_{s_0}: the visitation distribution from a start state (issue 12)
]
