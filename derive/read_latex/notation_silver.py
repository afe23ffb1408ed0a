"""David Silver's MDP notation (UCL RL course, 2015, lecture 2 "Markov Decision Processes", slides on the
Bellman expectation and optimality equations).

=============================================  ====================================================
written                                        read as
=============================================  ====================================================
``\\mathcal{R}_s^a`` (``\\mathcal{R}^a_s``)        ``\\mathbb{E}[R_{t+1} | S_t = s, A_t = a]``: the expected
                                               reward ``\\sum_{s'} P(s'|s,a) R(s,a,s')``
``\\mathcal{P}_{ss'}^a`` (``_{s s'}``, ``_{s,s'}``)  ``P(s'|s,a)``
``\\mathcal{R}_s^\\pi``                          ``\\sum_a \\pi(a|s) \\mathcal{R}_s^a`` (the MRP ``<S, P^pi, R^pi>``)
``\\mathcal{P}_{ss'}^\\pi``                       ``\\sum_a \\pi(a|s) \\mathcal{P}_{ss'}^a``
=============================================  ====================================================

The same spellings without ``\\mathcal`` (``R_s^a``, ``P_{ss'}^a``) are read alike when both scripts are
written (a subscript of one or two states and a superscript that is an action or a policy); anything else
keeps its earlier reading.  derive's rewards are ``R(s, a, s')``, so Silver's ``\\mathcal{R}_s^a`` is their
expectation over the next state, said in ``read as``.

Silver's Markov reward process (lecture 2, "Bellman Equation for MRPs": ``v(s) = \\mathcal{R}_s + \\gamma
\\sum_{s'} \\mathcal{P}_{ss'} v(s')``): a file that writes ``\\mathcal{R}_s`` or ``\\mathcal{P}_{ss'}`` without a
superscript is read as the MDP under its policy (an MRP is an MDP with a fixed policy, Silver's
``\\mathcal{P}^\\pi``, ``\\mathcal{R}^\\pi``): ``\\mathcal{R}_s`` is ``\\mathcal{R}_s^\\pi``, ``\\mathcal{P}_{ss'}`` is
``\\mathcal{P}_{ss'}^\\pi`` and a bare ``v(s)`` is ``v_\\pi(s)``; random MRPs are then the random MDPs under a
random policy, which have rewards of (s, a, s') as general as an MRP's ``\\mathcal{R}_s``.
"""
from __future__ import annotations

import re

from sympy.core.symbol import Str

from ..lang import nodes
from ..lang.symbols import ActionVar, StateVar
from .errors import ParseFail, fail
from .interpret import Ctx, Head
from .roles import value_in_role
from .notation_policies import is_policy_spelling
from .reading import current, note
from .registry import HEADS, head
from .spellings import policy_name, single_expr
from .syntax import Atom, Term, raw, single

_ORIGINAL = {name: HEADS.get(name) for name in ("R", "P", "v")}
# \mathcal{R}_s, \mathcal{P}_{ss'} with no superscript: Silver's Markov reward process
_MRP = re.compile(r"\\mathcal\s*\{\s*(?:R\s*\}\s*_\s*(?:\{\s*s\s*\}|s(?![A-Za-z'\s{]))|P\s*\}\s*_\s*\{\s*s\s*,?\s*s'\s*\})(?!\s*\^)")
SILVER = "Silver, UCL RL lecture 2 (2015)"
MRP_NOTE = (r"Silver's Markov reward process (\mathcal{R}_s, \mathcal{P}_{ss'} with no action) is read as the MDP under "
            r"the file's policy \pi: \mathcal{R}_s = \mathcal{R}_s^\pi, \mathcal{P}_{ss'} = \mathcal{P}_{ss'}^\pi, "
            r"v(s) = v_\pi(s)")
_MRP_REFUSED = (r"{name} without an action or a policy (Silver's Markov reward process) is not read: write "
        r"{name}^a (the MDP's, with an action) or {name}^\pi (the MRP of the policy \pi)")


def _state_items(sub) -> list | None:
    """The state symbols of a subscript ``s``, ``ss'``, ``s s'`` or ``s,s'``, or None."""
    sub = single(sub)
    items = sub.items if isinstance(sub, Term) else [sub]
    out = [x for x in items if isinstance(x, Atom) and x.kind == "sym"]
    rest = [x for x in items if not (isinstance(x, Atom) and x.kind == "sym")]
    if any(raw(x).strip() != "," for x in rest):
        return None
    return out or None


def silver_mrp() -> bool:
    """Does the file write Silver's Markov reward process (\\mathcal{R}_s, \\mathcal{P}_{ss'}, no superscript)?"""
    reading = current()[0]
    cached = getattr(reading, "_silver_mrp", None)
    if cached is None:
        cached = reading._silver_mrp = bool(_MRP.search(reading.text or ""))
    return cached


def _script_kind(sup, ctx: Ctx):
    """('policy', name) for \\pi, \\pi', \\pi_*; ('action', expr) for an action; None otherwise.  No superscript
    in a Silver MRP file: ('mrp', 'theta'), the file's policy."""
    if sup is None:
        return ("mrp", "theta") if silver_mrp() else None
    if is_policy_spelling(sup):
        return "policy", policy_name(single_expr(sup), "the policy of Silver's R^\\pi / P^\\pi")
    try:
        return "action", value_in_role(sup, "action", ctx, "the action in Silver's superscript")
    except ParseFail:  # not an action: the earlier reading decides
        return None


def _expected_reward(st, act):
    nxt = StateVar("s''" if str(st) != "s''" else "s'''")  # bound: the body names only st, act
    return nodes.SumOver(nodes.Trans(nxt, st, act) * nodes.Rew(st, act, nxt), nxt)


def _under_policy(pol: str, st, body_of):
    act = ActionVar("a''")  # bound: the body names only st and this action
    return nodes.SumOver(nodes.Pi(Str(pol), act, st) * body_of(act), act)


def silver_reward(h: Head, ctx: Ctx, strict: bool):
    """\\mathcal{R}_s^a = E[R_{t+1} | S_t = s, A_t = a]; \\mathcal{R}_s^\\pi = \\sum_a \\pi(a|s) \\mathcal{R}_s^a."""
    states = _state_items(h.sub) if h.sub is not None else None
    kind = _script_kind(h.sup, ctx) if states is not None and len(states) == 1 else None
    if kind is None or h.call is not None or h.primes:
        if strict:
            fail(_MRP_REFUSED.format(name=r"\mathcal{R}_s") if h.sup is None else
                 r"\mathcal{R} is Silver's expected reward \mathcal{R}_s^a (or \mathcal{R}_s^\pi)", h.pos)
        return None
    h.take_sub()
    h.take_sup()
    st = value_in_role(states[0], "state", ctx, "the state of Silver's R_s^a")
    if kind[0] == "mrp":
        note(MRP_NOTE)
    if kind[0] == "action":
        note(r"\mathcal{R}_s^a (" + SILVER + r") is the expected reward \mathbb{E}[R_{t+1} \mid S_t = s, A_t = a]"
             r" = \sum_{s'} P(s' \mid s, a) R(s, a, s')")
        return _expected_reward(st, kind[1])
    note(r"\mathcal{R}_s^\pi (" + SILVER + r") is \sum_a \pi(a \mid s) \sum_{s'} P(s' \mid s, a) R(s, a, s')")
    return _under_policy(kind[1], st, lambda act: _expected_reward(st, act))


def silver_transition(h: Head, ctx: Ctx, strict: bool):
    """\\mathcal{P}_{ss'}^a = P(s'|s,a); \\mathcal{P}_{ss'}^\\pi = \\sum_a \\pi(a|s) P(s'|s,a)."""
    states = _state_items(h.sub) if h.sub is not None else None
    kind = _script_kind(h.sup, ctx) if states is not None and len(states) == 2 else None
    if kind is None or h.call is not None or h.primes:
        if strict:
            fail(_MRP_REFUSED.format(name=r"\mathcal{P}_{ss'}") if h.sup is None else
                 r"\mathcal{P} is Silver's transition probability \mathcal{P}_{ss'}^a (or \mathcal{P}_{ss'}^\pi)",
                 h.pos)
        return None
    h.take_sub()
    h.take_sup()
    st = value_in_role(states[0], "state", ctx, "the state of Silver's P_{ss'}^a")
    nxt = value_in_role(states[1], "state", ctx, "the next state of Silver's P_{ss'}^a")
    if kind[0] == "mrp":
        note(MRP_NOTE)
    if kind[0] == "action":
        note(r"\mathcal{P}_{ss'}^a (" + SILVER + r") is P(s' \mid s, a)")
        return nodes.Trans(nxt, st, kind[1])
    note(r"\mathcal{P}_{ss'}^\pi (" + SILVER + r") is \sum_a \pi(a \mid s) P(s' \mid s, a)")
    return _under_policy(kind[1], st, lambda act: nodes.Trans(nxt, st, act))


@head("cal:R")
def _cal_r(h: Head, ctx: Ctx):
    """\\mathcal{R}_s^a, \\mathcal{R}_s^\\pi: Silver's expected reward (of an action, or under a policy);
    \\mathcal{R}(\\tau): the trajectory's return R(\\tau) (the calligraphic letter as typography, stated)."""
    if h.sub is None and h.sup is None and not h.primes and h.call is not None \
            and raw(h.call).replace(" ", "").strip("()") in ("\\tau", "{\\tau}"):
        note(r"\mathcal{R}(\tau) is read as R(\tau), the trajectory's return")
        return _ORIGINAL["R"](h, ctx)
    return silver_reward(h, ctx, strict=True)


@head("cal:P")
def _cal_p(h: Head, ctx: Ctx):
    """\\mathcal{P}_{ss'}^a, \\mathcal{P}_{ss'}^\\pi: Silver's transition probability (of an action, or under a policy)."""
    return silver_transition(h, ctx, strict=True)


@head("R")
def _plain_r(h: Head, ctx: Ctx):
    """R_s^a, R_s^\\pi (both scripts written): Silver's expected reward; otherwise the earlier reading."""
    if h.sub is not None and h.sup is not None and h.call is None:
        value = silver_reward(h, ctx, strict=False)
        if value is not None:
            return value
    return _ORIGINAL["R"](h, ctx)


@head("P")
def _plain_p(h: Head, ctx: Ctx):
    """P_{ss'}^a, P_{ss'}^\\pi (both scripts written): Silver's transition; otherwise the earlier reading."""
    if h.sub is not None and h.sup is not None and h.call is None:
        value = silver_transition(h, ctx, strict=False)
        if value is not None:
            return value
    return _ORIGINAL["P"](h, ctx)


@head("v")
def _bare_v(h: Head, ctx: Ctx):
    """v(s) in a Silver MRP file: the value v_\\pi(s) of the file's policy; otherwise the earlier reading."""
    if h.sub is None and h.sup is None and not h.primes and h.call is not None and silver_mrp():
        from .interpret import arguments

        note(MRP_NOTE)
        (s_syn,) = arguments(h.take_call(), 1, "v(s)")
        return nodes.V(Str("theta"), value_in_role(s_syn, "state", ctx, "the state of v(s)"), nodes.NOTIME)
    if h.sub is None and h.sup is None and h.call is None and not h.primes:
        fail(r"v alone is a vector of values (Silver's matrix form v = \mathcal{R} + \gamma \mathcal{P} v): derive reads "
             r"it per state, v_\pi(s) = \mathcal{R}^\pi_s + \gamma \sum_{s'} \mathcal{P}^\pi_{ss'} v_\pi(s') (or v(s) with "
             r"\mathcal{R}_s, \mathcal{P}_{ss'} of a Markov reward process)", h.pos)
    return _ORIGINAL["v"](h, ctx)


__all__ = ["silver_reward", "silver_transition", "silver_mrp"]
