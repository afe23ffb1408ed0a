"""Short constructors of expressions in derive's language, for tests and plots (the catalog itself is LaTeX:
derive/catalog/statements/)."""
from __future__ import annotations

from sympy import Eq, Gt, Integer, Sum, log, oo, sqrt
from sympy.core.symbol import Str

from ..lang import nodes
from ..lang.nodes import (NOTIME, Clip, EvalAt, Expect, FreeDraw, FreeFn, FreeProb, Given, Grad, Indicator,
                          PolicyDraw, St, At, TrajDist)
from ..lang.symbols import ActionVar, T, gamma, s, t

TH, OLD, PRIME = Str("theta"), Str("old"), Str("prime")


def pi(act, st, policy=TH):
    return nodes.Pi(policy, act, st)


def pi_t(u, policy=TH):
    """pi(a_u | s_u)."""
    return nodes.Pi(policy, At(u), St(u))


def grad_log_pi(u, policy=TH):
    """nabla_theta log pi_theta(a_u | s_u)."""
    return Grad(log(pi_t(u, policy)))


def grad_log(act, st, policy=TH):
    return Grad(log(nodes.Pi(policy, act, st)))


def E_tau(body, policy=TH, given=()):
    return Expect(body, TrajDist(policy), *[Given(g) for g in given])


def sum_t(body, var=t, lo=0, hi=None):
    return Sum(body, (var, lo, T - 1 if hi is None else hi))


def V_t(u, policy=TH):
    return nodes.V(policy, St(u), NOTIME)


def Q_t(u, policy=TH):
    return nodes.Q(policy, St(u), At(u), NOTIME)


def A_t(u, policy=TH):
    return nodes.A(policy, St(u), At(u), NOTIME)


def V_s(st, policy=TH):
    return nodes.V(policy, st, NOTIME)


def Q_sa(st, act, policy=TH):
    return nodes.Q(policy, st, act, NOTIME)


def A_sa(st, act, policy=TH):
    return nodes.A(policy, st, act, NOTIME)


def f(name, *args):
    """An arbitrary function name(args)."""
    return FreeFn(Str(name), *args)


def dist(name, x):
    return FreeProb(Str(name), x)


def draw(x, name):
    return FreeDraw(x, Str(name))


def ratio_t(u):
    """r_t(theta) = pi_theta(a_t|s_t) / pi_old(a_t|s_t)."""
    return pi_t(u) / pi_t(u, OLD)


def at_old(body):
    """The evaluation bar |_{theta = theta_old}."""
    return EvalAt(body, TH, OLD)


def old_objective_gradient(per_step):
    """grad_theta E_{tau ~ pi_old}[sum_t gamma^t per_step(t)] at theta = theta_old: a surrogate's gradient."""
    return at_old(Grad(E_tau(sum_t(gamma ** t * per_step), OLD)))


def clip(x, lo, hi):
    return Clip(x, lo, hi)


def inf_sum(body, var=t, lo=0):
    """sum_{var=lo}^{infinity} body."""
    return Sum(body, (var, lo, oo))


def almost_surely(lhs, rhs, given=(St(t), At(t))):
    """E[(lhs - rhs)^2 | given] (= 0 exactly when lhs = rhs almost surely given them)."""
    return E_tau((lhs - rhs) ** 2, given=given)


# GRPO's group of G = 3 completions a, a', a'' ~ pi_theta(.|s) with rewards f(s, a_i) (Shao et al. 2024,
# DeepSeekMath, GRPO): the normalised advantages (R_i - mean) / std, population std, 0 when all are equal.
GROUP = [ActionVar("a" + "'" * i) for i in range(3)]
REWARDS = [f("f", s, a) for a in GROUP]
MEAN = sum(REWARDS) / len(GROUP)
STD = sqrt(sum((r - MEAN) ** 2 for r in REWARDS) / len(GROUP))
NORMALISED = [(r - MEAN) / (STD + Indicator(Eq(STD, Integer(0)))) for r in REWARDS]


def p_success(state):
    """p_s = P(f(s, b) > 0) for b ~ pi_theta(.|s): the success probability of binary rewards."""
    return Expect(Indicator(Gt(f("f", state, ActionVar("b")), 0)), PolicyDraw(ActionVar("b"), TH, state))


__all__ = ["TH", "OLD", "PRIME", "St", "At", "Expect", "pi", "pi_t", "grad_log_pi", "grad_log", "E_tau", "sum_t",
           "V_t", "Q_t", "A_t", "V_s", "Q_sa", "A_sa", "f", "dist", "draw", "ratio_t", "at_old",
           "old_objective_gradient", "clip", "inf_sum", "almost_surely", "GROUP", "REWARDS", "MEAN", "STD",
           "NORMALISED", "p_success"]
