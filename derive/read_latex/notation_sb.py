"""Sutton & Barto's notation (Reinforcement Learning: An Introduction, 2nd ed. 2018, ch. 3-4).

=====================================  ===================================================
written                                read as
=====================================  ===================================================
``v_\\pi(s)``, ``q_\\pi(s,a)``            ``V^\\pi(s)``, ``Q^\\pi(s,a)`` (eqs. 3.12, 3.13)
``S_t``, ``A_t``                        the state ``s_t`` and action ``a_t`` of the trajectory
``R_{t+1}``                             the reward that follows ``A_t`` (sec. 3.1): derive's ``r_t``,
                                        under ``reward-index: t+1`` (front matter) or when the
                                        file writes S&B's capital ``S_t``/``A_t`` (stated in notes)
``G_t``                                 the return ``R_{t+1} + \\gamma R_{t+2} + ...`` = derive's ``G_t``
``p(s', r \\mid s, a)``                  the joint dynamics (eq. 3.2).  derive's rewards are
                                        ``R(s,a,s')``, so ``p(s',r|s,a) = P(s'|s,a) [r = R(s,a,s')]``
                                        and ``\\sum_r p(s',r|s,a) f(r) = P(s'|s,a) f(R(s,a,s'))``:
                                        a sum over the finite reward set is read exactly that way
=====================================  ===================================================
"""
from __future__ import annotations

from sympy import Dummy, Sum
from sympy.core.symbol import Str

from ..lang import nodes
from ..lang import symbols as sy
from ..lang.symbols import StateVar
from .errors import fail
from .interpret import arguments, Ctx, Head
from .roles import index, value_in_role
from .registry import HEADS, head
from .spellings import is_tau, policy_name, single_expr
from .notation_policies import is_policy_spelling
from .reading import current, note
from .reward_sums import JointDynamics, RewardVar, sum_over
from .syntax import raw, single
from .notation_optimal import optimal_value

_ORIGINAL = {name: HEADS[name] for name in ("q", "A", "R", "r")}
SB = "Sutton & Barto 2018"


def _sb_value(h: Head, ctx: Ctx, cls):
    """v_\\pi(s) -> V^\\pi(s); q_\\pi(s, a) -> Q^\\pi(s, a) (stationary, or V_t at s_t as for V^\\pi)."""
    h.no_primes()
    pol = Str(policy_name(single_expr(h.take_sub()), f"the subscript of {h.name}"))
    g = h.take_call(f"{h.name}_\\pi(s)")
    if cls is nodes.V:
        (s,) = arguments(g, 1, "v_\\pi")
        return nodes.V(pol, value_in_role(s, "state", ctx, "the state of v_\\pi(s)"), nodes.NOTIME)
    s, a = arguments(g, 2, "q_\\pi")
    return nodes.Q(pol, value_in_role(s, "state", ctx, "the state of q_\\pi(s,a)"),
                   value_in_role(a, "action", ctx, "the action of q_\\pi(s,a)"), nodes.NOTIME)


def _star_sub(h: Head) -> bool:
    """v_*, q_*: S&B's optimal values (read by derive/read_latex/notation_optimal.py)."""
    return h.sub is not None and h.sup is None and raw(single_expr(h.sub)) == "*"


@head("v")
def _v(h: Head, ctx: Ctx):
    r"""``v_\pi(s)``: Sutton & Barto's state value, derive's ``V^\pi(s)`` (eq. 3.12); ``v_*(s)``: the optimal value."""
    if _star_sub(h):
        h.take_sub()
        return optimal_value(h, ctx, "v")
    if h.sub is None and h.sup is None and h.call is not None and ctx.options.get("values") == "true":
        from .notation_written import bare_true_value  # v(s) = E[G_t | S_t = s] written in the file (values: true)

        return bare_true_value(h, ctx)
    if h.sub is None or h.sup is not None or not is_policy_spelling(h.sub):
        fail(r"v is Sutton & Barto's state value v_\pi(s) (or the optimal v_*(s))", h.pos)
    return _sb_value(h, ctx, nodes.V)


@head("q")
def _q(h: Head, ctx: Ctx):
    r"""``q_\pi(s, a)``: Sutton & Barto's action value, derive's ``Q^\pi(s, a)`` (eq. 3.13); ``q_*(s, a)``: the
    optimal value; any other q as before."""
    if _star_sub(h):
        h.take_sub()
        return optimal_value(h, ctx, "q")
    if h.sub is not None and is_policy_spelling(h.sub):
        return _sb_value(h, ctx, nodes.Q)
    if h.sub is None and h.sup is None and h.call is not None and ctx.options.get("values") == "true" \
            and h.call.sep is None and len(h.call.parts[0]) == 2:
        from .notation_written import bare_true_value  # q(s, a) = E[G_t | S_t = s, A_t = a] (values: true)

        return bare_true_value(h, ctx)
    return _ORIGINAL["q"](h, ctx)


@head("S")
def _capital_s(h: Head, ctx: Ctx):
    """S_t: S&B's state at time t."""
    h.no_primes()
    return nodes.St(index(h.take_sub("S_t"), ctx, "the time index of S_t"))


@head("A")
def _capital_a(h: Head, ctx: Ctx):
    """A_t is S&B's action when the file writes S&B's capitals (S_t); otherwise A is the advantage."""
    if h.sub is not None and h.sup is None and h.call is None and not h.primes and current()[0].sutton_barto:
        note(r"A_t is the action at time t (Sutton & Barto's capital S_t, A_t)")
        return nodes.At(index(h.take_sub(), ctx, "the time index of A_t"))
    return _ORIGINAL["A"](h, ctx)


def expected_reward(h: Head, ctx: Ctx):
    """R(s, a), r(s, a), r(s_t, a_t): the expected reward sum_{s'} P(s'|s,a) R(s,a,s') (S&B's r(s,a), eq. 3.5;
    derive's rewards depend on the next state)."""
    g = h.take_call()
    s_syn, a_syn = arguments(g, 2, f"{h.name}(s, a)")
    st = value_in_role(s_syn, "state", ctx, f"the state of {h.name}(s,a)")
    act = value_in_role(a_syn, "action", ctx, f"the action of {h.name}(s,a)")
    nxt = StateVar("s_next")
    if ctx.options.get("reward") == "state-action":  # R(s, a, s') = r(s, a) on this file's MDPs (mdp.py)
        note(f"{h.name}(s, a) is the reward of the state and action, " + r"\sum_{s'} P(s' \mid s, a) R(s, a, s') = "
             r"R(s, a, s') for every s' (reward: state-action)")
    else:
        note(f"{h.name}(s, a) is the expected reward " + r"\sum_{s'} P(s' \mid s, a) R(s, a, s') "
             r"(Sutton & Barto eq. 3.5; derive's rewards R(s, a, s') depend on the next state)")
    return nodes.SumOver(nodes.Trans(nxt, st, act) * nodes.Rew(st, act, nxt), nxt)


def _two_arguments(h: Head) -> bool:
    g = h.call
    return g is not None and g.sep is None and g.params is None and len(g.parts[0]) == 2 and h.sub is None \
        and h.sup is None and not h.primes


@head("R")
def _capital_r(h: Head, ctx: Ctx):
    """R_{t+1}: S&B's reward after A_t (derive's r_t) under the reward-index: t+1 convention; R(s,a)."""
    if _two_arguments(h):
        return expected_reward(h, ctx)
    if h.sub is None or h.call is not None:
        return _ORIGINAL["R"](h, ctx)
    h.no_primes()
    u = index(h.take_sub(), ctx, "the time index of R_t")
    if ctx.options.get("reward-index") == "t+1":
        return nodes.Rt(u - 1)
    if ctx.options.get("reward-index") == "t":  # stated in the front matter: R_t follows A_t (S_0, A_0, R_0, S_1, ...)
        return nodes.Rt(u)
    if current()[0].sutton_barto:
        note(r"Sutton & Barto's notation (capital S_t, A_t, R_{t+1}): R_{t+1} is the reward that follows A_t, "
             r"derive's r_t (convention reward-index: t+1, inferred)")
        return nodes.Rt(u - 1)
    fail(f"R_{{{raw(h.sub)[:20]}}}: which reward this is depends on the index convention; write front matter "
         r"reward-index: t+1 (Sutton & Barto: R_{t+1} follows A_t) or derive's r_t (the reward of step t)", h.pos)


@head("r")
def _r(h: Head, ctx: Ctx):
    """A bare r bound by \\sum_r is S&B's reward variable; r_t is the reward of step t."""
    if h.sub is None and h.call is None and not h.primes and "r" in ctx.actions:
        return RewardVar("r")
    if h.sub is None and not h.primes and _one_tau(h.call):
        return _trajectory_reward(h, ctx)
    if _two_arguments(h):
        return expected_reward(h, ctx)
    if h.sub is None and h.call is not None and h.call.sep is None and len(h.call.parts[0]) == 1 \
            and raw(single(h.call.parts[0][0])).replace(" ", "")[:1] in ("s", "S"):
        fail(r"r(s): a reward of the state alone (TRPO, Schulman et al. 2015, sec. 2: r: S -> R) is not derive's "
             r"reward, r_t = R(s_t, a_t, s_{t+1}); reading r(s_t) as r_t would change A_\pi and \eta, so it is not "
             r"read: write r_t (and A_\pi, V_\pi of that reward) or define r(s) := ...", h.pos)
    return _ORIGINAL["r"](h, ctx)


def _trajectory_reward(h: Head, ctx: Ctx):
    """r(\tau) (Levine's CS285 lecture 5: the sum of the rewards of the trajectory) is sum_{t<T} r_t in a file
    that never writes gamma; where the file writes gamma it is not clear whether r(\tau) carries gamma^t:
    unknown, with the reason."""
    import re

    if re.search(r"\\(?:var)?gamma(?![A-Za-z])|γ", current()[0].text):
        fail(r"r(\tau): the sum of the rewards with or without \gamma^t? This file writes \gamma; write R(\tau) "
             r"(= \sum_t \gamma^t r_t) or define r(\tau) := ...", h.pos)
    if ctx.options.get("setting") == "discounted":
        fail(r"r(\tau), the undiscounted sum of an infinite trajectory's rewards, is not defined in the discounted "
             r"setting; write R(\tau)", h.pos)
    h.take_call()
    note(r"r(\tau) is the sum of the trajectory's rewards (CS285): \sum_{t=0}^{T-1} r_t")
    u = Dummy("t", integer=True)
    return Sum(nodes.Rt(u), (u, 0, sy.T - 1))


def _one_tau(g) -> bool:
    return g is not None and g.sep is None and len(g.parts[0]) == 1 and is_tau(g.parts[0][0])


def is_joint(h: Head) -> bool:
    g = h.call
    return g is not None and g.sep == "|" and len(g.parts[0]) == 2 and len(g.parts[1]) == 2 and h.sub is None


def joint_dynamics(h: Head, ctx: Ctx):
    """p(s', r | s, a): kept until the sum over r (see ``sum_over``)."""
    h.no_primes()
    g = h.take_call()
    r = raw(single(g.parts[0][1]))
    if r != "r" or "r" not in ctx.actions:
        fail(r"p(s', r \mid s, a) needs its reward r bound by a sum over the reward set: \sum_{s', r} "
             r"p(s', r \mid s, a) ...", g.pos)
    nxt = value_in_role(g.parts[0][0], "state", ctx, "the next state of p(s', r|s, a)")
    st = value_in_role(g.parts[1][0], "state", ctx, "the state of p(s', r|s, a)")
    act = value_in_role(g.parts[1][1], "action", ctx, "the action of p(s', r|s, a)")
    return JointDynamics(nxt, RewardVar("r"), st, act)


__all__ = ["RewardVar", "JointDynamics", "sum_over", "is_joint", "joint_dynamics"]


def _subscript_policy(name: str):
    """V_\\pi(s), Q_\\pi(s,a), A_\\pi(s,a) (TRPO's spelling): the policy as a subscript, read as V^\\pi."""
    original = HEADS[name]

    def build(h: Head, ctx: Ctx):
        r"""``V_\pi(s)``, ``Q_\pi(s,a)``, ``A_\pi(s,a)`` (TRPO): the policy as a subscript, read as ``V^\pi(s)``;
        otherwise the earlier reading."""
        if h.sup is None and h.sub is not None and is_policy_spelling(h.sub) and h.call is not None:
            h.sup, h.sub = h.sub, None
        return original(h, ctx)

    HEADS[name] = build


for _name in ("V", "Q", "A"):
    _subscript_policy(_name)
