"""Trajectory and distribution spellings of published derivations (issue 10, item 3).

================================================  ==============================================
written                                           read as
================================================  ==============================================
``P(\\tau;\\theta)``, ``\\Pr(\\tau\\mid\\theta)``        ``P(\\tau|\\theta)`` (Spinning Up, CS285)
``P_\\theta(\\tau)``, ``p_\\theta(\\tau)``             ``P(\\tau|\\theta)`` (Levine's CS285, Hung-yi Lee)
``\\pi_\\theta(\\tau)``                               ``P(\\tau|\\theta)`` (Levine's CS285 lecture 5)
``p(\\tau)``                                        ``P(\\tau|\\theta)`` (as ``P(\\tau)``)
``\\pi(a|s;\\theta)``                               ``\\pi_\\theta(a|s)``
``\\rho_\\pi(s)``                                   TRPO's unnormalised visitation (Schulman et al. 2015,
                                                  sec. 2): ``d^\\pi(s)/(1-\\gamma)`` when discounted,
                                                  ``d^\\pi(s) \\sum_{t<T} \\gamma^t`` in the finite setting
``\\tau \\sim p_\\theta(\\tau)``, ``\\tau \\sim \\pi_\\theta``  ``\\tau \\sim \\pi_\\theta`` (expectations.py)
================================================  ==============================================

A parameterised distribution over the sample space X (``P_\\theta(x)``, ``p_\\theta(x)``, a point x or y)
is read by notation_param.py; any other argument (``p_\\theta(s_1)``) is refused with that reason,
never read as something else.
"""
from __future__ import annotations

from sympy.core.symbol import Str

from ..lang import nodes
from ..lang.symbols import ActionVar
from .errors import fail
from .interpret import Ctx, Head
from .roles import value_in_role
from .registry import HEADS, head
from .spellings import head_and_call, is_tau, policy_name, single_expr
from .notation_policies import rho_head
from .notation_param import param_prob, takes_point
from .reading import current, note
from .syntax import Atom, Scripted, raw, single
from .notation_sb import is_joint, joint_dynamics

_ORIGINAL = {name: HEADS[name] for name in ("P", r"\pi", "p", r"\rho")}
PARAMETERISED_X = (r"{what}: a parameterised distribution is read over a trajectory, P_\theta(\tau), or over "
                   r"the sample space X at a point x or y, P_\theta(x); for states and actions write "
                   r"\pi_\theta(a|s) or P(\tau|\theta), or the joint density of consecutive variables of the "
                   r"trajectory from s_0, p_\theta(s_0, a_0, \ldots, s_t), or given the ones before them, "
                   r"p_\theta(a_1 \mid s_0, a_0, s_1)")


def _one_tau(g) -> bool:
    return g is not None and g.sep is None and len(g.parts[0]) == 1 and is_tau(g.parts[0][0])


def _param_policy(h: Head, what: str) -> str:
    """The policy named after ';' in the call group (P(\\tau;\\theta), \\pi(a|s;\\theta))."""
    params = h.take_params()
    if len(params) != 1:
        fail(f"{what} takes one parameter after ';'", h.call.params[1])
    return policy_name(params[0], f"the parameter of {what}")


@head("P", "text:Pr")
def _P(h: Head, ctx: Ctx):
    """P(s'|s,a), P(\\tau|\\theta) and P(\\tau;\\theta), P_\\theta(\\tau), \\Pr(\\tau|\\theta)."""
    if h.sub is not None:
        h.no_primes()
        sub = single_expr(h.take_sub())
        g = h.take_call(r"P_\theta(\tau)")
        if g.sep == "|" and len(g.parts[0]) == 1 and len(g.parts[1]) == 1 and h.base == "P" \
                and not is_tau(g.parts[0][0]):  # P_\pi(s'|s) = \sum_a \pi(a|s) P(s'|s,a)
            nxt = value_in_role(g.parts[0][0], "state", ctx, r"the next state of P_\pi(s'|s)")
            st = value_in_role(g.parts[1][0], "state", ctx, r"the state of P_\pi(s'|s)")
            pol = Str(policy_name(sub, f"the subscript of {h.label}", allow_theta=False))
            note(r"P_\pi(s' \mid s) is the state transition under \pi: \sum_a \pi(a \mid s) P(s' \mid s, a)")
            act = ActionVar("a")
            return nodes.SumOver(nodes.Pi(pol, act, st) * nodes.Trans(nxt, st, act), act)
        if h.base == "P" and takes_point(g):  # P_\theta(x): a distribution on X (notation_param.py)
            return param_prob("P", sub, g, ctx, h.pos)
        if not _one_tau(g):
            fail(PARAMETERISED_X.format(what=f"{h.label}_{{{raw(sub)[:20]}}}(...)"), h.pos)
        return nodes.TrajProb(Str(policy_name(sub, f"the subscript of {h.label}")))
    g = h.call
    if g is not None and g.params:
        h.take_call()
        pol = _param_policy(h, r"P(\tau;\theta)")
        if not _one_tau(g):
            fail(r"';' is read in P(\tau;\theta): the probability of a trajectory under a parameter", g.pos)
        return nodes.TrajProb(Str(pol))
    return _ORIGINAL["P"](h, ctx)


@head(r"\pi")
def _pi(h: Head, ctx: Ctx):
    """\\pi(a|s) and \\pi_\\theta(\\tau) (a trajectory's probability), \\pi(a|s;\\theta)."""
    g = h.call
    if _one_tau(g):
        pol = policy_name(Scripted(h.pos, Atom(h.pos, "sym", h.name), h.take_sub(), None), "the policy")
        h.take_call()
        note(r"\pi_\theta(\tau) is the probability of the trajectory, P(\tau|\theta)")
        return nodes.TrajProb(Str(pol))
    if g is not None and g.params:
        if h.sub is not None or h.primes or h.base != r"\pi":
            fail(r"a policy is written \pi_\theta(a|s) or \pi(a|s;\theta), not both", h.pos)
        h.take_call()
        pol = _param_policy(h, r"\pi(a|s;\theta)")
        if g.sep != "|" or len(g.parts[0]) != 1 or len(g.parts[1]) != 1:
            fail(r"a policy is written \pi(a|s;\theta)", g.pos)
        act = value_in_role(g.parts[0][0], "action", ctx, r"the action of \pi(a|s)")
        st = value_in_role(g.parts[1][0], "state", ctx, r"the state of \pi(a|s)")
        return nodes.Pi(Str(pol), act, st)
    return _ORIGINAL[r"\pi"](h, ctx)


@head("p")
def _p(h: Head, ctx: Ctx):
    """p(x) (a free distribution), p_\\theta(\\tau) and p(\\tau) (a trajectory), p(s', r|s, a) (Sutton & Barto)."""
    if h.sub is not None:
        h.no_primes()
        sub = single_expr(h.take_sub())
        g = h.take_call(r"p_\theta(\tau)")
        if takes_point(g):  # p_\theta(x): a distribution on X (notation_param.py)
            return param_prob("p", sub, g, ctx, h.pos)
        if not _one_tau(g):
            fail(PARAMETERISED_X.format(what=f"p_{{{raw(sub)[:20]}}}(...)"), h.pos)
        return nodes.TrajProb(Str(policy_name(sub, "the subscript of p")))
    if _one_tau(h.call) and not h.primes:
        h.take_call()
        note(r"p(\tau) is the probability of the trajectory under \pi_\theta, P(\tau|\theta)")
        return nodes.TrajProb(Str("theta"))
    if is_joint(h):
        return joint_dynamics(h, ctx)
    g = h.call
    if g is not None and g.sep == "|" and len(g.parts[0]) == 1 and len(g.parts[1]) == 2 and not h.primes:
        return _ORIGINAL["P"](h, ctx)  # p(s'|s,a): the transition probability, as P(s'|s,a)
    if g is not None and g.sep == "|" and len(g.parts[0]) == 1 and len(g.parts[1]) == 1 and not h.primes \
            and current()[0].mrp:  # p(s'|s) of a Markov reward process: the transition under the file's policy
        h.take_call()
        nxt = value_in_role(g.parts[0][0], "state", ctx, "the next state of p(s'|s)")
        st = value_in_role(g.parts[1][0], "state", ctx, "the state of p(s'|s)")
        note(r"p(s' \mid s) is the Markov reward process's transition under \pi: \sum_a \pi(a \mid s) P(s' \mid s, a)")
        act = ActionVar("a")
        return nodes.SumOver(nodes.Pi(Str("theta"), act, st) * nodes.Trans(nxt, st, act), act)
    if g is not None and g.sep is None and not g.params and len(g.parts) == 1 and len(g.parts[0]) == 1 \
            and not h.primes and raw(g.parts[0][0]).replace(" ", "").replace("{", "").replace("}", "") in ("s_0", "S_0"):
        h.take_call()  # p(s_0), p(S_0): the density of the first state of the trajectory, \rho_0(s_0)
        note(r"p(s_0) is the initial-state distribution \rho_0(s_0)")
        return nodes.Rho0(value_in_role(g.parts[0][0], "state", ctx, "the argument of p(s_0)"))
    return _ORIGINAL["p"](h, ctx)


@head(r"\rho")
def _rho(h: Head, ctx: Ctx):
    """\\rho_0(s) (the initial distribution) and TRPO's \\rho_\\pi(s)."""
    sub = h.sub if h.sub is not None else h.sup
    if sub is not None and raw(single(sub)) != "0":
        h.no_primes()
        return rho_head(h, ctx)
    return _ORIGINAL[r"\rho"](h, ctx)


def trajectory_policy(x) -> str | None:
    """The policy of a trajectory distribution written p_\\theta(\\tau), P(\\tau|\\theta), \\pi_\\theta(\\tau),
    P(\\tau;\\theta), p_\\theta, P_\\theta (after \\tau \\sim), or None for another spelling."""
    rhead, rcall = head_and_call(x)
    a = rhead.base if isinstance(rhead, Scripted) else rhead
    if not isinstance(a, Atom) or a.kind not in ("sym", "text") or a.name not in ("p", "P", "Pr", r"\pi"):
        return None
    sub = rhead.sub if isinstance(rhead, Scripted) else None
    if rcall is None:
        if sub is None or a.name == r"\pi":
            return None
        return policy_name(single_expr(sub), f"the subscript of {a.name}")
    if rcall.sep is None and rcall.params is None and len(rcall.parts[0]) == 1 and is_tau(rcall.parts[0][0]):
        if sub is not None:
            return policy_name(single_expr(sub), f"the subscript of {a.name}")
        return "theta" if a.name in ("p", "P", "Pr") else policy_name(rhead, "the policy")
    if sub is None and rcall.sep == "|" and len(rcall.parts[0]) == 1 and is_tau(rcall.parts[0][0]) \
            and len(rcall.parts[1]) == 1:
        return policy_name(rcall.parts[1][0], r"P(\tau|...)")
    if sub is None and rcall.params is not None and len(rcall.params[0]) == 1 and is_tau(rcall.parts[0][0]):
        return policy_name(rcall.params[0][0], r"P(\tau;...)")
    return None


__all__ = ["trajectory_policy", "PARAMETERISED_X"]
