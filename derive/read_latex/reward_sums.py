"""Sums over Sutton & Barto's reward variable r, eliminated exactly (derive's rewards are ``R(s, a, s')``).

``\\sum_r p(s', r \\mid s, a) f(r) = P(s' \\mid s, a) f(R(s, a, s'))`` (S&B 2018, eq. 3.2: the joint dynamics is
``P(s'|s,a) [r = R(s,a,s')]``); ``\\sum_r p(r \\mid s, a) f(r) = \\sum_{s'} P(s' \\mid s, a) f(R(s, a, s'))`` (the
marginal, Zhao's elementwise form).  ``RewardVar``, ``JointDynamics`` and ``RewardMarginal`` stand for r,
``p(s', r|s, a)`` and ``p(r|s, a)`` until the sum eliminates them; they are never evaluated.
"""
from __future__ import annotations

from sympy import Add, Function, Mul, Symbol, expand

from ..lang import nodes
from ..lang.symbols import StateVar
from .errors import fail
from .reading import note


class RewardVar(Symbol):
    """The reward variable r of S&B's p(s', r | s, a), bound by a sum over the reward set."""

    def __new__(cls, name="r"):
        return Symbol.__new__(cls, name, real=True)


class JointDynamics(Function):
    """p(s', r | s, a) before the sum over r eliminates it (never evaluated)."""

    nargs = 4


class RewardMarginal(Function):
    """p(r | s, a) before the sum over r eliminates it (never evaluated): args (r, s, a)."""

    nargs = 3


def eliminate_marginal(factors, r):
    """sum_r of one product term with a factor p(r|s,a): sum_{s'} P(s'|s,a) f(R(s,a,s')), or None."""
    marg = [f for f in factors if isinstance(f, RewardMarginal) and f.args[0] == r]
    if len(marg) != 1:
        return None
    _, st, act = marg[0].args
    nxt = StateVar("s_next")
    if any(f.has(nxt) for f in factors):
        return None
    rest = Mul(*[f for f in factors if f is not marg[0]])
    note(r"p(r \mid s, a) is the reward's distribution after (s, a): \sum_{s'} P(s' \mid s, a) [r = R(s, a, s')] "
         r"(derive's rewards R(s, a, s') depend on the next state), so \sum_r p(r \mid s, a) f(r) = "
         r"\sum_{s'} P(s' \mid s, a) f(R(s, a, s')) (over \mathcal{R}(s, a) or the whole reward set alike: "
         r"p(r \mid s, a) = 0 outside \mathcal{R}(s, a))")
    return nodes.SumOver(nodes.Trans(nxt, st, act) * rest.xreplace({r: nodes.Rew(st, act, nxt)}), nxt)


def _eliminate_term(term, r, pos: int):
    """sum_r of one product term: p(s', r|s,a) f(r) -> P(s'|s,a) f(R(s,a,s'))."""
    factors = Mul.make_args(term)
    marginal = eliminate_marginal(factors, r)
    if marginal is not None:
        return marginal
    joints = [f for f in factors if isinstance(f, JointDynamics) and f.args[1] == r]
    if len(joints) == 1:
        nxt, _, st, act = joints[0].args
        rest = Mul(*[f for f in factors if f is not joints[0]])
        return nodes.Trans(nxt, st, act) * rest.xreplace({r: nodes.Rew(st, act, nxt)})
    sums = [f for f in factors if isinstance(f, nodes.SumOver) and f.args[0].has(r)]
    if not joints and len(sums) == 1 and not any(f.has(sums[0].args[1]) for f in factors if f is not sums[0]):
        inner = Mul(*[f for f in factors if f is not sums[0]]) * sums[0].args[0]  # sum_r c(r) sum_s' B
        return nodes.SumOver(sum_over_reward(inner, r, pos), sums[0].args[1])
    fail(r"a sum over the rewards r is read through p(s', r \mid s, a) (derive's rewards are R(s,a,s')): "
         r"every term under \sum_r must have exactly one factor p(s', r \mid s, a)", pos)


def sum_over_reward(body, r, pos: int):
    """\\sum_r body, over S&B's finite reward set, with p(s',r|s,a) = P(s'|s,a) [r = R(s,a,s')]."""
    out = [_eliminate_term(t, r, pos) for t in Add.make_args(expand(body, deep=False, mul=True, multinomial=False,
                                                                      power_exp=False, power_base=False, log=False))]
    value = Add(*out)
    if value.has(r):
        fail(r"the reward r is used outside the factor p(s', r \mid s, a) of its sum", pos)
    if body.has(JointDynamics):
        note(r"p(s', r \mid s, a) (Sutton & Barto, eq. 3.2) is P(s' \mid s, a) [r = R(s, a, s')]: "
             r"\sum_r p(s', r \mid s, a) f(r) = P(s' \mid s, a) f(R(s, a, s'))")
    return value


def sum_over(body, var, pos: int = 0):
    """nodes.SumOver, except a sum over S&B's reward variable, which is eliminated exactly."""
    if isinstance(var, RewardVar):
        return sum_over_reward(body, var, pos)
    return nodes.SumOver(body, var)


__all__ = ["RewardVar", "JointDynamics", "RewardMarginal", "eliminate_marginal", "sum_over_reward", "sum_over"]
