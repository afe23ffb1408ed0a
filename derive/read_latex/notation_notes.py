"""Lecture-note and textbook spellings still refused before (issue 10, part R3).

=============================================  ==================================================
written                                        read as
=============================================  ==================================================
``P(s', r \\mid s, a)`` (capital P; Lilian     Sutton & Barto's joint dynamics ``p(s', r|s, a)``
Weng, JoyRL ch. 9)                             (eq. 3.2): ``P(s'|s,a) [r = R(s,a,s')]`` under
                                               ``\\sum_{s', r}`` (notation_sb.py)
``s \\sim d^\\pi(s)``, ``a \\sim \\pi_\\theta(a|s)``  the draws ``s \\sim d^\\pi``, ``a \\sim \\pi_\\theta(\\cdot|s)``: the
                                               density written with the drawn variable as its
                                               argument (JoyRL ch. 9, CS285) is the distribution
``\\mathbb{E}_{P(\\tau;\\theta)}``, ``E_{p(x)}``      the density names the draw: tau ~ pi_theta, x ~ p
``\\mathbb{E}_{s_t, a_t, s_{t'} \\sim \\pi}``        their joint marginal under tau ~ pi
``\\pi(a|s, \\theta)`` (S&B eq. 13.1)             ``\\pi_\\theta(a|s)``
``r(s, a, s')``; ``r(s)`` with reward: state    ``R(s, a, s')``; the reward of the state (TRPO sec. 2)
``\\hat{R}_t`` (Spinning Up)                     the reward-to-go G_t (files that never write gamma)
``\\int_{s_0} f(s_0)\\, ds_0``                    a sum over the first state's values
``\\bigtriangledown``                             ``\\nabla``
=============================================  ==================================================

Values, objectives and distributions (``\\eta(s)``, ``\\mu(s)``, critics, ``U(\\theta)``, n-step returns) are read by
read_latex/notation_values.py, imported at the end of this module.
"""
from __future__ import annotations

from sympy.core.symbol import Str

from ..lang import nodes
from .interpret import Ctx, Head
from .registry import HEADS, head
from .reading import current, note
from .syntax import Atom, Group, Placeholder, raw, Rel, Scripted, single, Term
from .notation_sb import is_joint, joint_dynamics
from .index_ranges import range_probability
from .roles import index, value_in_role
from .spellings import FREE_DISTRIBUTIONS, head_and_call, policy_name
from .errors import fail
from .notation_traj import trajectory_policy
from .expectation_parts import TRAJECTORY_NODES
from .command_tables import OP_MACROS

_ORIGINAL = {name: HEADS[name] for name in ("P", r"\pi", "r")}


@head("P")
def _P(h: Head, ctx: Ctx):
    """P(s', r | s, a): Sutton & Barto's joint dynamics with a capital P (as p(s', r | s, a))."""
    if h.base == "P" and h.kind == "sym" and is_joint(h) and not h.primes:
        note(r"P(s', r \mid s, a) is Sutton & Barto's joint dynamics p(s', r \mid s, a) (eq. 3.2)")
        return joint_dynamics(h, ctx)

    whole = range_probability(h, ctx)
    if whole is not None:
        return whole
    return _ORIGINAL["P"](h, ctx)


@head(r"\pi")
def _pi(h: Head, ctx: Ctx):
    """\\pi(a|s, \\theta) (Sutton & Barto 2018, eq. 13.1: the policy's parameter after the state) is \\pi_\\theta(a|s)."""
    from sympy.core.symbol import Str as _Str

    g = h.call
    if g is not None and g.sep == "|" and not g.params and len(g.parts) == 2 and len(g.parts[0]) == 1 \
            and len(g.parts[1]) == 2 and h.sub is None and h.sup is None and not h.primes and h.base == r"\pi" \
            and raw(single(g.parts[1][1])).replace(" ", "").startswith(r"\theta"):
        h.take_call()
        pol = policy_name(g.parts[1][1], r"the parameter of \pi(a|s, \theta)")
        note(r"\pi(a|s, \theta) (Sutton & Barto 2018, eq. 13.1) is \pi_\theta(a|s)")
        act = value_in_role(g.parts[0][0], "action", ctx, r"the action of \pi(a|s, \theta)")
        st = value_in_role(g.parts[1][0], "state", ctx, r"the state of \pi(a|s, \theta)")
        return nodes.Pi(_Str(pol), act, st)
    return _ORIGINAL[r"\pi"](h, ctx)


@head("r")
def _r(h: Head, ctx: Ctx):
    """r(s, a, s'), r(s_t, a_t, s_{t+1}): the reward function written in lower case, derive's R(s, a, s')."""
    g = h.call
    if g is not None and g.sep is None and not g.params and len(g.parts) == 1 and len(g.parts[0]) == 3 \
            and h.sub is None and h.sup is None and not h.primes:
        h.take_call()
        st, act, nxt = g.parts[0]
        note(r"r(s, a, s') is the reward function R(s, a, s')")
        return nodes.Rew(value_in_role(st, "state", ctx, "the state of r(s,a,s')"),
                         value_in_role(act, "action", ctx, "the action of r(s,a,s')"),
                         value_in_role(nxt, "state", ctx, "the next state of r(s,a,s')"))
    if g is not None and g.sep is None and not g.params and len(g.parts) == 1 and len(g.parts[0]) == 1 \
            and h.sub is None and h.sup is None and not h.primes and ctx.options.get("reward") == "state" \
            and raw(single(g.parts[0][0])).replace(" ", "")[:1] in ("s", "S"):
        return state_reward(h, ctx)
    return _ORIGINAL["r"](h, ctx)


def state_reward(h: Head, ctx: Ctx):
    """r(s), r(s_t) under ``reward: state`` (TRPO, Schulman et al. 2015, sec. 2: r: S -> R): the file is judged on
    MDPs whose rewards depend on the state alone, R(s, a, s') = r(s) (mdp.with_state_rewards), where r(s) equals
    the expected reward sum_a pi(a|s) sum_{s'} P(s'|s,a) R(s,a,s') for every policy."""
    from ..lang.symbols import ActionVar, StateVar

    if ctx.options.get("setting") == "episodic":
        fail(r"r(s), a reward of the state alone, is read in the finite and discounted settings (reward: state), "
             r"not with episodes that end at random", h.pos)
    g = h.take_call()
    st = value_in_role(g.parts[0][0], "state", ctx, "the state of r(s)")
    act, nxt = ActionVar("a_r"), StateVar("s_r")
    note(r"r(s) is the reward of the state (reward: state): the MDPs have R(s, a, s') = r(s), so r(s) = "
         r"\sum_a \pi(a \mid s) \sum_{s'} P(s' \mid s, a) R(s, a, s')")
    inner = nodes.SumOver(nodes.Trans(nxt, st, act) * nodes.Rew(st, act, nxt), nxt)
    return nodes.SumOver(nodes.Pi(Str("theta"), act, st) * inner, act)


# a display line that starts with \hat{R}_t = ... (the file's own definition, which derive would otherwise judge as a
# claim with its own reading); an inline reminder in prose ("using the notation $\hat{R}_t = ...$") is not one
_DEFINES_HAT_R = __import__("re").compile(r"(?m)^[ \t]*(?:\$\$)?[ \t]*\\(?:wide)?hat\s*\{?\s*R\s*\}?\s*_\s*\{?\s*t\s*\}?\s*(?:&\s*)?(?:=|:=|\\doteq)")


@head("hat:R")
def _hat_r(h: Head, ctx: Ctx):
    """\\hat{R}_t: Spinning Up's reward-to-go (Part 3, "Don't let the past distract you"),
    sum_{t'=t}^{T} R(s_{t'}, a_{t'}, s_{t'+1}), undiscounted: derive's G_t in a file that never writes gamma (then
    gamma = 1 is inferred); where the file writes gamma, unknown (with or without gamma^{t'-t}?)."""
    import re

    h.no_primes()
    if h.sup is not None or h.call is not None:
        fail(r"\hat{R}_t (the reward-to-go) takes only its time index", h.pos)
    u = index(h.take_sub(r"\hat{R}_t"), ctx, r"the time index of \hat{R}_t")
    if _DEFINES_HAT_R.search(current()[0].text):
        fail(r"\hat{R}_t: this file writes its own \hat{R}_t = ...; derive reads it only where it is bound as a "
             r"definition (write \hat{R}_t := ... before its use)", h.pos)
    if re.search(r"\\(?:var)?gamma(?![A-Za-z])|γ", current()[0].text) or ctx.options.get("setting") == "discounted":
        fail(r"\hat{R}_t: the reward-to-go with or without \gamma^{t'-t}? This file writes \gamma (or is discounted); "
             r"write G_t (= \sum_{t'=t} \gamma^{t'-t} r_{t'}) or define \hat{R}_t := ...", h.pos)
    note(r"\hat{R}_t is the reward-to-go \sum_{t'=t} r_{t'} (Spinning Up; undiscounted, as the file never writes "
         r"\gamma): derive's G_t")
    return nodes.Ret(u)


def drawn_argument(var_syn, rhs):
    """``s \\sim d^\\pi(s)``, ``a \\sim \\pi_\\theta(a|s)``: the distribution written as its density at the drawn
    variable.  Returns the right side as derive writes it (``d^\\pi``; ``\\pi_\\theta(\\cdot|s)``), or ``rhs`` itself
    when the written argument is not exactly the drawn variable (then the usual reading or error stands)."""
    rhead, rcall = head_and_call(rhs)
    if rcall is None or rcall.params:
        return rhs
    name = raw(rhead).replace(" ", "")
    if rcall.sep is None and len(rcall.parts) == 1 and len(rcall.parts[0]) == 1 \
            and isinstance(rcall.parts[0][0], Placeholder):  # \rho_0(\cdot), d^\pi(\cdot): the distribution itself
        note(rf"{name}(\cdot) is the distribution {name}")
        return rhead
    if name == "p" and rcall.sep == "|" and len(rcall.parts) == 2 and len(rcall.parts[1]) == 2:
        rhead = Atom(rhead.pos, "sym", "P")  # s' \sim p(\cdot|s,a) (Sutton & Barto's p): the transition P
        note(r"p(\cdot \mid s, a) is the transition probability P(\cdot \mid s, a)")
        rhs = Term(rhs.pos, [rhead, rcall])
    if name.startswith(r"\pi") and rcall.sep is None and len(rcall.parts) == 1 and len(rcall.parts[0]) == 1 \
            and raw(single(rcall.parts[0][0])).replace(" ", "")[:1] in ("s", "S") \
            and raw(single(var_syn)).replace(" ", "")[:1] in ("a", "A"):  # a \sim \pi(s): the action distribution at s
        note(rf"a \sim {name}(s) is a \sim {name}(\cdot \mid s)")
        g = Group(rcall.pos, rcall.kind, rcall.left, rcall.right, [[Placeholder(rcall.pos)], list(rcall.parts[0])],
                  "|", rcall.pos, rcall.params)
        return Term(rhs.pos, [rhead, g])
    v = raw(single(var_syn)).replace(" ", "")
    first = rcall.parts[0][0] if rcall.parts and len(rcall.parts[0]) == 1 else None
    if first is None or raw(single(first)).replace(" ", "") != v:
        return rhs
    name = raw(rhead).strip()
    if rcall.sep is None and len(rcall.parts) == 1:
        note(rf"{v} \sim {name}({v}): the distribution {name}, its density written at the drawn {v}")
        return rhead
    if rcall.sep == "|" and len(rcall.parts) == 2:
        parts = [[Placeholder(first.pos)], list(rcall.parts[1])]
        g = Group(rcall.pos, rcall.kind, rcall.left, rcall.right, parts, rcall.sep, rcall.sep_pos, rcall.params)
        note(rf"{v} \sim {name}({v} \mid \ldots): the distribution {name}(\cdot \mid \ldots), its density written "
             rf"at the drawn {v}")
        return Term(rhs.pos, [rhead, g])
    return rhs





def _trajectory_variable(x) -> bool:
    """s_u, a_u, S_u, A_u (a variable of the trajectory at a time index), as written."""
    x = single(x)
    return isinstance(x, Scripted) and isinstance(x.base, Atom) and x.base.kind == "sym" \
        and x.base.name in ("s", "a", "S", "A") and x.sub is not None and x.sup is None


def listed_variables_draw(syns: list):
    """``\\mathbb{E}_{s_t, a_t, s_{t'}, a_{t'}, s_{t'+1} \\sim \\pi_\\theta}[X]`` (Spinning Up's reward-to-go proof):
    variables of the trajectory drawn jointly under a policy, i.e. from their marginal under tau ~ pi; for a
    body that is a function of them this is ``\\mathbb{E}_{\\tau \\sim \\pi}[X]``.  None when the subscript is not
    such a list (at least two items, each s_u or a_u, the last followed by ``\\sim`` and a policy)."""
    if len(syns) < 2 or not isinstance(syns[-1], Rel) or syns[-1].kind != "~":
        return None
    if not all(_trajectory_variable(x) for x in syns[:-1]) or not _trajectory_variable(syns[-1].lhs):
        return None
    rhs = syns[-1].rhs

    pol = trajectory_policy(rhs)
    pol = pol if pol is not None else policy_name(rhs, r"s_t, a_t \sim ...", allow_theta=False)
    listed = ", ".join(raw(single(x)).strip() for x in syns[:-1] + [syns[-1].lhs])
    note(rf"{listed} \sim {raw(rhs).strip()[:20]}: these variables drawn from their joint marginal under the "
         r"trajectory distribution of the policy, read as \mathbb{E}_{\tau \sim \pi} (the body is a function of them)")
    return nodes.TrajDist(Str(pol))


def distribution_subscript(x, ctx: Ctx):
    """``\\mathbb{E}_{P(\\tau;\\theta)}[X]``, ``\\mathbb{E}_{p_\\theta(\\tau)}[X]`` (CS294, trunghng), ``\\mathbb{E}_{p(x)}[f(x)]``,
    ``E_{q(x)}[...]`` (JoyRL ch. 12, importance sampling): the subscript names the distribution by its density,
    the drawn variable being its argument: ``\\tau \\sim \\pi_\\theta``, ``x \\sim p``.  None otherwise."""
    from ..lang.symbols import PointVar

    rhead, rcall = head_and_call(x)
    if rcall is None:
        return None
    pol = trajectory_policy(x)
    if pol is not None:
        note(rf"\mathbb{{E}}_{{{raw(single(x)).strip()[:30]}}}: over trajectories \tau \sim \pi (the subscript is "
             r"the trajectory's density)")
        return nodes.TrajDist(Str(pol))
    name = raw(rhead).replace(" ", "")
    from .notation_sample_space import capital_distribution, capital_point  # E_{P(X)}: P, Q of a sample space

    name = capital_distribution(name) or name if name in ("P", "Q") and rcall.sep is None else name
    if name in FREE_DISTRIBUTIONS and rcall.sep is None and not rcall.params and len(rcall.parts) == 1 \
            and len(rcall.parts[0]) == 1:
        arg = single(rcall.parts[0][0])
        point = capital_point(arg)
        if point is not None:
            note(rf"\mathbb{{E}}_{{{name}({point.name})}}: over {point.name} \sim {name} (the subscript is its density)")
            return nodes.FreeDraw(point, Str(name))
    return None


def first_state(x) -> bool:
    """``s_0`` (``s_{0}``, ``S_0``) written as the variable of an integral: the first state of the trajectory."""
    x = single(x) if x is not None else None
    return isinstance(x, Scripted) and isinstance(x.base, Atom) and x.base.kind == "sym" \
        and x.base.name in ("s", "S") and x.sup is None and x.sub is not None \
        and raw(single(x.sub)).replace(" ", "").strip("{}") == "0"


def over_first_state(body, var_syn):
    """``\\int_{s_0} f(s_0)\\, ds_0``: the sum over the values of s_0, f's every use of s_0 bound by it.  Refused when
    the body uses another variable of the trajectory (then s_0 is not a plain integration variable)."""
    from sympy import preorder_traversal

    from ..lang.symbols import StateVar

    s0 = nodes.St(0)
    for e in preorder_traversal(body):
        if isinstance(e, TRAJECTORY_NODES) and e != s0 or isinstance(e, nodes.Expect):
            fail(r"\int_{s_0} ... ds_0 is read as a sum over the values of s_0 when the body is a function of s_0 "
                 r"alone (\rho_0(s_0) V^\pi(s_0)); write \mathbb{E}_{s_0 \sim \rho_0}[...] or \sum_s", var_syn.pos)
    from sympy import Integer

    # V^\pi(s_0) is V_0(s_0) in the finite setting: keep the time 0 when s_0 becomes a bound state
    timed = {e: e.func(e.args[0], e.args[1], *e.args[2:-1], Integer(0)) for e in preorder_traversal(body)
             if isinstance(e, (nodes.V, nodes.Q, nodes.A)) and e.args[1] == s0 and e.args[-1] == nodes.NOTIME}
    bound = StateVar("s_0")
    return nodes.SumOver(body.xreplace(timed).xreplace({s0: bound}), bound)


def _register_macros():
    """``\\bigtriangledown`` (and ``\\triangledown``), the nabla of many Chinese notes and Zhihu posts (EasyRL's
    readers, luweiagi's notes): the gradient operator ``\\nabla`` (a whitelist entry of read_latex/tokens.py)."""
    OP_MACROS.setdefault("bigtriangledown", "nabla")
    OP_MACROS.setdefault("triangledown", "nabla")


_register_macros()


__all__ = ["drawn_argument", "listed_variables_draw", "distribution_subscript", "first_state", "over_first_state", "state_reward"]
