r"""Stochastic rewards and the policy's one-step distributions, drawn in an expectation (issue 10).

Sutton & Barto 2018 (eq. 3.2, and its marginal ``p(r|s,a)``), Shiyu Zhao's *Mathematical Foundations of RL*
(ch. 2) and AlgorithmiKee's notes (MDP II, "Bellman Equations for State Value") write the reward as a random
variable with a distribution ``p(r \mid s, a)``, and under a policy ``p(r \mid s)`` / ``p_\pi(r \mid s)`` and
``p(s' \mid s)`` / ``p_\pi(s' \mid s)``.  derive's rewards are ``R(s, a, s')`` (docs/conventions.md), so exactly

========================================================  ===========================================================
written                                                   read as
========================================================  ===========================================================
``\mathbb{E}_{r \sim p(r \mid s, a)}[f(r)]``                ``\sum_{s'} P(s' \mid s, a) f(R(s, a, s'))``
(also ``r \sim p(\cdot \mid s, a)``)                       (p(r|s,a) = \sum_{s'} P(s'|s,a) [r = R(s,a,s')])
``\mathbb{E}_{r \sim p(r \mid s)}[f(r)]``, ``p_\pi(r|s)``   ``\sum_a \pi(a \mid s) \sum_{s'} P(s' \mid s, a) f(R(s,a,s'))``
``\mathbb{E}_{s' \sim p(s' \mid s)}[f(s')]``, ``p_\pi``     ``\sum_a \pi(a \mid s) \sum_{s'} P(s' \mid s, a) f(s')``
``\sum_r p(r \mid s)\, f(r)``, ``\sum_r p_\pi(r \mid s) f(r)``  as the first row, averaged over ``a \sim \pi(\cdot|s)``
``p_\pi(s' \mid s)`` (a policy subscript)                   ``\sum_a \pi(a \mid s) P(s' \mid s, a)``
``\mathbb{E}_{(s', r) \sim p(s', r \mid s, a)}[f(s', r)]``    ``\sum_{s'} P(s' \mid s, a) f(s', R(s, a, s'))`` (S&B eq. 3.2)
(also ``s', r \sim p(\cdot, \cdot \mid s, a)``)
``\sum_{r} r\, p(r \mid s', s, a)`` (robert780612/dlpt)       ``R(s, a, s')``: the reward given the transition
========================================================  ===========================================================

The policy of ``p(r|s)`` and ``p(s'|s)`` is the one the subscript names (``p_\pi``, ``p_{\pi'}``), else the file's
``\pi``; the reading is said in the step's notes.  ``f`` may use r (or s') only as a value: anything else (a
condition inside the bracket, r outside its expectation) is refused by the readings it reaches.
"""
from __future__ import annotations

from sympy.core.symbol import Str

from ..lang import nodes
from ..lang.symbols import ActionVar, StateVar
from .errors import fail
from .interpret import Ctx, group_value
from .registry import HEADS, OPS, head, op
from .roles import value_in_role
from .reward_sums import JointDynamics, RewardMarginal, RewardVar, sum_over_reward
from .spellings import policy_name, single_expr
from .reading import note
from .syntax import Atom, Group, Placeholder, Rel, Scripted, base_atom, raw, single
from .expectation_parts import _body_group, _bracket, _finish, _sub_items

_EXPECT = OPS["expect"]
_ORIGINAL = {name: HEADS[name] for name in ("p", "P")}
_DENSITIES = ("p", "P", r"\Pr")

NOTE_R_SA = (r"r \sim p(r \mid s, a): the reward's distribution after (s, a), \sum_{s'} P(s' \mid s, a) [r = R(s, a, s')] "
             r"(derive's rewards R(s, a, s') depend on the next state), so \mathbb{E}_{r}[f(r)] = "
             r"\sum_{s'} P(s' \mid s, a) f(R(s, a, s'))")
NOTE_R_S = (r"p(r \mid s) is the reward's distribution at s under the policy: \sum_a \pi(a \mid s) \sum_{s'} "
            r"P(s' \mid s, a) [r = R(s, a, s')]")
NOTE_R_SSA = (r"p(r \mid s', s, a) is the reward's distribution given the transition: [r = R(s, a, s')] (derive's "
              r"rewards R(s, a, s') are determined by it), so \sum_r p(r \mid s', s, a) f(r) = f(R(s, a, s'))")
NOTE_JOINT = (r"(s', r) \sim p(s', r \mid s, a) (Sutton & Barto, eq. 3.2): p(s', r \mid s, a) = P(s' \mid s, a) "
              r"[r = R(s, a, s')], so \mathbb{E}[f(s', r)] = \sum_{s'} P(s' \mid s, a) f(s', R(s, a, s'))")
NOTE_S_S = r"p(s' \mid s) is the next state's distribution under the policy: \sum_a \pi(a \mid s) P(s' \mid s, a)"


def _density(rhs):
    """(policy syntax or None, call group) of p(.|...), p_\\pi(.|...), P(.|...), \\Pr(.|...), else None."""
    x = single(rhs)
    items = getattr(x, "items", None)
    if not items or len(items) != 2:
        return None
    hd, call = items
    a = base_atom(hd)
    if a is None or a.kind not in ("sym", "op") or raw(a).lstrip("\\") not in ("p", "P", "Pr"):
        return None
    if isinstance(hd, Scripted) and (hd.sup is not None or (hd.sub is not None and not _is_policy(hd.sub))):
        return None
    g = call
    if getattr(g, "kind", None) not in ("paren", "left") or g.sep != "|" or g.params or len(g.parts) != 2 \
            or len(g.parts[0]) != 1 or len(g.parts[1]) not in (1, 2):
        return None
    return (hd.sub if isinstance(hd, Scripted) else None), g


def _is_policy(sub) -> bool:
    return raw(single_expr(sub)).replace(" ", "").startswith(r"\pi")


def _policy(sub) -> str:
    return "theta" if sub is None else policy_name(single_expr(sub), r"the policy of p_\pi(\cdot \mid s)")


def _same_or_dot(x, lhs) -> bool:
    return isinstance(single(x), Placeholder) or raw(single(x)).replace(" ", "") == raw(single(lhs)).replace(" ", "")


def _reward_draw(sub):
    """(lhs, policy syntax, call group) when the subscript is one draw r ~ p(r|s,a) / r ~ p(r|s), else None."""
    syns = _sub_items(sub)
    if len(syns) != 1 or not isinstance(syns[0], Rel) or syns[0].kind != "~":
        return None
    lhs = single(syns[0].lhs)
    if not (isinstance(lhs, Atom) and lhs.kind == "sym" and lhs.name in ("r", "s'")):
        return None
    got = _density(syns[0].rhs)
    if got is None or not _same_or_dot(got[1].parts[0][0], lhs):
        return None
    if lhs.name == "s'" and len(got[1].parts[1]) != 1:
        return None  # s' ~ p(s'|s, a): the transition, read by expectations.py
    return lhs, got[0], got[1]


def _atom_name(x):
    x = single(x)
    return x.name if isinstance(x, Atom) and x.kind == "sym" else None


def _joint_draw(sub):
    r"""(next-state syntax, call group) of ``(s', r) \sim p(s', r \mid s, a)`` (also ``s', r \sim p(\cdot, \cdot|s,a)``,
    either order), else None."""
    syns = _sub_items(sub)
    if len(syns) == 1 and isinstance(syns[0], Rel) and syns[0].kind == "~":
        lhs = single(syns[0].lhs)
        if not (isinstance(lhs, Group) and lhs.kind in ("paren", "left") and len(lhs.parts) == 1
                and len(lhs.parts[0]) == 2):
            return None
        names, rel = lhs.parts[0], syns[0]
    elif len(syns) == 2 and not isinstance(syns[0], Rel) and isinstance(syns[1], Rel) and syns[1].kind == "~":
        names, rel = [syns[0], syns[1].lhs], syns[1]
    else:
        return None
    if sorted(_atom_name(x) or "" for x in names) != ["r", "s'"]:
        return None
    x = single(rel.rhs)
    items = getattr(x, "items", None)
    if not items or len(items) != 2:
        return None
    hd, g = items
    a = base_atom(hd)
    if a is None or raw(a).lstrip("\\") not in ("p", "P", "Pr") or isinstance(hd, Scripted) \
            or getattr(g, "kind", None) not in ("paren", "left") or g.sep != "|" or g.params or len(g.parts) != 2 \
            or len(g.parts[0]) != 2 or len(g.parts[1]) != 2:
        return None
    for written, drawn in zip(g.parts[0], names):
        if not (isinstance(single(written), Placeholder) or _atom_name(written) == _atom_name(drawn)):
            return None
    nxt = next(x for x in names if _atom_name(x) == "s'")
    return nxt, g


def _averaged(pol_sub, st, build):
    """\\sum_b \\pi(b|s) build(b): a one-step quantity averaged over the policy's action at s."""
    b = ActionVar("a_p")
    return nodes.SumOver(nodes.Pi(Str(_policy(pol_sub)), b, st) * build(b), b)


@op("expect")
def _expect(item, items, i, ctx: Ctx):
    r"""``\mathbb{E}_{r \sim p(r|s,a)}[f(r)]``, ``\mathbb{E}_{r \sim p(r|s)}[f(r)]``,
    ``\mathbb{E}_{s' \sim p(s'|s)}[f(s')]``: the one-step distributions read exactly (module docstring)."""
    sub = item.sub if isinstance(item, Scripted) else None
    joint = _joint_draw(sub) if sub is not None and item.sup is None else None
    if joint is not None:
        return _joint_expectation(item, items, i, ctx, *joint)
    got = _reward_draw(sub) if sub is not None and item.sup is None else None
    if got is None:
        return _EXPECT(item, items, i, ctx)
    lhs, pol_sub, g = got
    nxt, body_g = _bracket(items, i + 1, r"\mathbb{E}", item.pos)
    if body_g.sep is not None:
        fail(r"a condition inside \mathbb{E}_{r \sim p(r|s,a)}[\cdot] is not read: the draw's subscript already "
             r"conditions on (s, a)", body_g.sep_pos)
    st = value_in_role(g.parts[1][0], "state", ctx, f"the state of p({raw(lhs)}|s)")
    if lhs.name == "s'":
        nxt_state = StateVar("s'")
        body = group_value(_body_group(body_g), ctx)
        note(NOTE_S_S)
        value = _averaged(pol_sub, st, lambda b: nodes.SumOver(nodes.Trans(nxt_state, st, b) * body, nxt_state))
        return _finish(value, nxt, body_g, ctx, i + 1)
    r = RewardVar("r")
    body = group_value(_body_group(body_g), ctx.binding("r"))
    if len(g.parts[1]) == 2:
        if pol_sub is not None:
            fail(r"p_\pi(r \mid s, a): the reward's distribution after (s, a) does not depend on the policy; "
                 r"write p(r \mid s, a)", g.pos)
        act = value_in_role(g.parts[1][1], "action", ctx, "the action of p(r|s, a)")
        # said by reward_sums.eliminate_marginal's note
        value = sum_over_reward(RewardMarginal(r, st, act) * body, r, g.pos)
    else:
        note(NOTE_R_S)
        value = _averaged(pol_sub, st, lambda b: sum_over_reward(RewardMarginal(r, st, b) * body, r, g.pos))
    return _finish(value, nxt, body_g, ctx, i + 1)


def _joint_expectation(item, items, i, ctx: Ctx, nxt_syn, g):
    r"""\mathbb{E}_{(s', r) \sim p(s', r|s, a)}[f(s', r)] = \sum_{s'} P(s'|s,a) f(s', R(s,a,s')) (S&B eq. 3.2)."""
    nxt, body_g = _bracket(items, i + 1, r"\mathbb{E}", item.pos)
    if body_g.sep is not None:
        fail(r"a condition inside \mathbb{E}_{(s', r) \sim p(s', r|s,a)}[\cdot] is not read: the draw's subscript "
             r"already conditions on (s, a)", body_g.sep_pos)
    st = value_in_role(g.parts[1][0], "state", ctx, "the state of p(s', r|s, a)")
    act = value_in_role(g.parts[1][1], "action", ctx, "the action of p(s', r|s, a)")
    nxt_state = value_in_role(nxt_syn, "state", ctx, "the next state of p(s', r|s, a)")
    r = RewardVar("r")
    body = group_value(_body_group(body_g), ctx.binding("r"))
    value = nodes.SumOver(sum_over_reward(JointDynamics(nxt_state, r, st, act) * body, r, g.pos), nxt_state)
    note(NOTE_JOINT)
    return _finish(value, nxt, body_g, ctx, i + 1)


def _policy_reward(name: str):
    def build(h, ctx: Ctx):
        g = h.call
        if not (g is not None and g.sep == "|" and not g.params and len(g.parts) == 2 and len(g.parts[0]) == 1
                and len(g.parts[1]) == 1 and h.sup is None and not h.primes and (h.sub is None or _is_policy(h.sub))):
            return _ORIGINAL[name](h, ctx)
        if h.sub is not None and name == "p" and raw(single(g.parts[0][0])).strip() != "r":  # p_\pi(s'|s)
            pol_sub = h.take_sub()
            h.take_call()
            nxt = value_in_role(g.parts[0][0], "state", ctx, f"the next state of {name}_\\pi(s'|s)")
            st = value_in_role(g.parts[1][0], "state", ctx, f"the state of {name}_\\pi(s'|s)")
            note(NOTE_S_S)
            return _averaged(pol_sub, st, lambda b: nodes.Trans(nxt, st, b))
        if raw(single(g.parts[0][0])).strip() != "r" or "r" not in ctx.actions:
            return _ORIGINAL[name](h, ctx)
        pol_sub = h.take_sub() if h.sub is not None else None
        h.take_call()
        st = value_in_role(g.parts[1][0], "state", ctx, f"the state of {name}(r|s)")
        note(NOTE_R_S)
        return _averaged(pol_sub, st, lambda b: RewardMarginal(RewardVar("r"), st, b))

    build.__doc__ = (f"``{name}(r \\mid s)``, ``{name}_\\pi(r \\mid s)`` under ``\\sum_r``: the reward's distribution "
                     "at s under the policy, kept until the sum over r eliminates it (reward_sums.py).")
    return build


for _name in ("p", "P"):
    head(_name)(_policy_reward(_name))


def _reward_given_transition(name: str):
    before = HEADS[name]

    def build(h, ctx: Ctx):
        g = h.call
        if not (g is not None and g.sep == "|" and not g.params and len(g.parts) == 2 and len(g.parts[0]) == 1
                and len(g.parts[1]) == 3 and h.sub is None and h.sup is None and not h.primes
                and raw(single(g.parts[0][0])).strip() == "r" and "r" in ctx.actions):
            return before(h, ctx)
        h.take_call()
        nxt = value_in_role(g.parts[1][0], "state", ctx, f"the next state of {name}(r|s', s, a)")
        st = value_in_role(g.parts[1][1], "state", ctx, f"the state of {name}(r|s', s, a)")
        act = value_in_role(g.parts[1][2], "action", ctx, f"the action of {name}(r|s', s, a)")
        note(NOTE_R_SSA)
        # p(s', r|s, a) / P(s'|s, a): the sum over r turns the joint into P(s'|s,a) f(R(s,a,s')), and the quotient
        # cancels symbolically (never evaluated as 0/0): sum_r p(r|s',s,a) f(r) = f(R(s,a,s'))
        return JointDynamics(nxt, RewardVar("r"), st, act) / nodes.Trans(nxt, st, act)

    build.__doc__ = (f"``{name}(r \\mid s', s, a)`` under ``\\sum_r``: the reward given the transition, "
                     "``[r = R(s, a, s')]`` on derive's MDPs.")
    return build


for _name in ("p", "P"):
    head(_name)(_reward_given_transition(_name))


__all__ = ["NOTE_R_SA", "NOTE_R_S", "NOTE_S_S"]
