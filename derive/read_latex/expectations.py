"""Expectations as authors write them (docs/notation.md, "expectations"; issue 10, item 4).

=================================================  ==================================================
written                                            read as
=================================================  ==================================================
``\\mathbb{E}_{\\tau\\sim\\pi_\\theta}[X]``, ``E_\\pi[X]``  over the trajectories of the policy
``\\mathbb{E}^{\\pi}[X]``, ``\\mathbb{E}_{\\pi_\\theta}``    the same
``\\mathbb{E}[X]``, ``E[X]`` (no subscript)           inferred from X: trajectory variables (s_t, a_t,
                                                   r_t, R(\\tau), G_t, \\delta_t, ...) give
                                                   \\tau ~ \\pi_\\theta; a point x gives x ~ p when p is
                                                   the only distribution the file names; otherwise
                                                   unknown, with the reason
``\\mathbb{E}_{s_{t+1}}[X]``, ``\\mathbb{E}_{a_t}[X]``   s_{t+1} ~ P(.|s_t, a_t), a_t ~ \\pi_\\theta(.|s_t): the
                                                   variable given the earlier ones (GAE paper, eq. 8)
``\\mathbb{E}_\\tau[X]``                              \\tau ~ \\pi_\\theta
``\\underset{s\\sim d^\\pi}{\\mathbb{E}}[X]``            \\mathbb{E}_{s \\sim d^\\pi}[X] (tokens_extra.py)
``\\hat{\\mathbb{E}}_t[X]``                           PPO's empirical average over a batch (Schulman et
                                                   al. 2017, eq. (1)): \\mathbb{E}_{\\tau\\sim\\pi_{\\theta_{old}}}[X]
                                                   at time t (the batch is collected by \\pi_{\\theta_{old}})
``[X \\mid s_t = s]``, ``[X \\middle| s_0 = s, a_0 = a]``  conditioned on the values
``\\mathbb{E}_{(s,a)\\sim d^\\pi}[X]``                   s ~ d^\\pi, a ~ \\pi(.|s)
``\\mathbb{E}_{s\\sim d^\\pi}\\mathbb{E}_{a\\sim\\pi}[X]``  nested: the inner expectation is the outer's body
``\\tau \\sim p_\\theta(\\tau)``, ``\\tau \\sim P(\\tau|\\theta)`` \\tau ~ \\pi_\\theta (notation_traj.py)
=================================================  ==================================================
"""
from __future__ import annotations
from .policy_condition import check as check_policy_condition, strip as strip_policy_condition  # E[X | \pi_\theta]

from dataclasses import replace

from sympy import preorder_traversal
from sympy.core.symbol import Str

from ..lang import nodes
from ..lang.symbols import ActionVar, PointVar, StateVar
from .errors import fail
from .interpret import Ctx, factor, group_value, interpret, misplaced
from .roles import value_in_role
from .registry import op
from .spellings import FREE_DISTRIBUTIONS, head_and_call, is_tau, policy_name, single_expr
from .notation_traj import trajectory_policy
from .conditioned_draws import trajectory_draw
from .reading import note
from .syntax import Atom, Group, Placeholder, Rel, Scripted, Syn, base_atom, raw, single
from .expectation_unbracketed import param_expectation, unbracketed, unbracketed_expectation
from .expectation_parts import _body_group, _bracket, _finish, _is_expectation, _sub_items
from .implicit_draws import _file_distributions, infer_draws
from .index_ranges import dot_bar_condition, range_draws, range_given, ranged_expectation as checked
from .notation_policies import behaviour_without_draws
from .state_draws import state_draw  # \rho_0, d^\pi, \rho_{\theta_{old}}, P(\cdot|s,a)
from .free_action_draw import drawn_free_action
from .notation_joint import marginal_pair_draw
from .notation_param import draw_name


def ranged_expectation(sub, g, draws, given, body, ctx):
    return checked(sub, g, draws, given, body, ctx)

def _given(g: Group, ctx: Ctx) -> list:
    """The Given nodes of [X | s_t, a_t] and [X | s_t = s, a_t = a]."""
    out = []

    for x in g.parts[1]:
        if isinstance(x, Placeholder):
            misplaced(x)
        ranged = range_given(x, ctx)
        if ranged is not None:
            out.extend(ranged)
            continue
        lhs = x.lhs if isinstance(x, Rel) else x
        v = interpret(single(lhs), ctx.deeper(x.pos, "var"))
        if not isinstance(v, (nodes.St, nodes.At)):
            fail(f"an expectation is conditioned on s_t or a_t (S_t, A_t), not {raw(lhs)[:20]}", x.pos)
        if isinstance(x, Rel):
            role = "state" if isinstance(v, nodes.St) else "action"
            value = value_in_role(x.rhs, role, ctx, f"the value of {raw(lhs)[:20]} in the conditioning")
            if not isinstance(value, (StateVar, ActionVar)):
                from .conditioned_action import fixed_action_given  # A_t = \pi'(s): S&B's proof of eq. 4.8

                fixed = fixed_action_given(v, value, role)
                if fixed is None:
                    fail(f"{raw(lhs)[:20]} is conditioned on a state s or an action a (s_t = s), not {raw(x.rhs)[:20]}",
                         x.rhs.pos)
                out.append(fixed)
                continue
            out.append(nodes.Given(v, value))
        else:
            out.append(nodes.Given(v))
    return out


@op("expect")
def _expect(item, items, i, ctx: Ctx):
    r"""``\mathbb{E}_{x \sim p}[X]``, ``\mathbb{E}_{\tau \sim \pi}[X \mid s_t]``, ``\mathbb{E}^{\pi}[X]``,
    ``\mathbb{E}_{s \sim d^\pi} \mathbb{E}_{a \sim \pi}[X]``, a bare ``\mathbb{E}[X]``: the expectation over the
    draws its subscript names (``draws_of``) or, without one, inferred (implicit_draws.py)."""
    sub = item.sub if isinstance(item, Scripted) else None
    sup = item.sup if isinstance(item, Scripted) else None
    if sup is not None:
        if sub is not None:
            fail(r"\mathbb{E} with both a subscript and a superscript", sup.pos)
        sub = sup  # \mathbb{E}^{\pi}[X]: the policy as a superscript
    if i + 1 < len(items) and _is_expectation(items[i + 1]):  # E_{s ~ d} E_{a ~ pi}[X]
        if sub is None:
            fail(r"\mathbb{E}\mathbb{E}[...]: the outer expectation needs a subscript naming what it draws", item.pos)
        draws, body_ctx, last, lone = draws_of(_sub_items(sub), ctx)
        body, k = factor(items, i + 1, replace(body_ctx, draw_state=last))
        _conditioned(lone, body, sub)
        draws, given = ranged_expectation(sub, None, draws, [], body, ctx)  # s_{0:t}, \tau_{t:} (index_ranges.py)
        return nodes.Expect(body, *draws, *given), k
    if sub is not None and unbracketed(items, i + 1):  # E_{x \sim p} X: a binder (expectation_unbracketed.py)
        return unbracketed_expectation(item, sub, items, i, ctx, (draws_of, _conditioned, ranged_expectation))
    nxt, g = _bracket(items, i + 1, r"\mathbb{E}", item.pos)

    g = dot_bar_condition(g)
    g, sub, on_policy = strip_policy_condition(g, sub)  # E[X | \pi_\theta] (policy_condition.py)
    if sub is None and g.params and g.sep is None:  # E[X; \pi_\theta] (expectation_unbracketed.py)
        return _finish(param_expectation(g, ctx), nxt, g, ctx, i + 1)
    if sub is None:
        body = group_value(_body_group(g), ctx)
        given = _given(g, ctx) if g.sep == "|" else []
        draws = infer_draws(body, given, ctx, item.pos)
        draws, given = ranged_expectation(None, g, draws, given, body, ctx)  # [X | \tau_{:t}] (index_ranges.py)
        return _finish(nodes.Expect(body, *draws, *given), nxt, g, ctx, i + 1)
    draws, body_ctx, _, lone = draws_of(_sub_items(sub), ctx)
    check_policy_condition(draws, on_policy)
    given = []
    if g.sep == "|":  # E_{tau ~ pi}[X | s_t, a_t]: conditioning on variables of the trajectory
        if not any(isinstance(d, nodes.TrajDist) for d in draws):
            fail(r"conditioning (| s_t, a_t) needs a trajectory draw: \mathbb{E}_{\tau \sim \pi}[X \mid s_t]",
                 g.sep_pos)
        given = _given(g, body_ctx)
    body = group_value(_body_group(g), body_ctx)
    _conditioned(lone, body, sub)
    draws, given = ranged_expectation(sub, g, draws, given, body, ctx)  # s_{0:t}, \tau_{t:} (index_ranges.py)

    behaviour_without_draws(sub, draws, body)  # E_\beta[f(s, a)]: refused, the draws of s and a are not written
    body = drawn_free_action(draws, given, body, sub)  # E_\pi[q_\pi(s, a) | S_t = s]: a is A_t (free_action_draw.py)
    return _finish(nodes.Expect(body, *draws, *given), nxt, g, ctx, i + 1)


def _conditioned(lone: list, body, sub: Syn):
    """E_{s_{t+1}}[X] is over s_{t+1} given s_t, a_t only when X uses s_t or a_t (GAE eq. 8); otherwise the
    author may mean the marginal of s_{t+1}: unknown, with the reason."""
    for d in lone:
        v = d.args[0]
        earlier = [e for e in d.args[1:] if isinstance(e, (nodes.St, nodes.At))]
        if not any(_uses(body, e) for e in earlier):
            given = ", ".join(_tex(e) for e in earlier)
            fail(rf"\mathbb{{E}}_{{{_tex(v)}}}: over {_tex(v)} given {given}, or over its marginal? The body does not "
                 rf"use {given}; write \mathbb{{E}}_{{\tau \sim \pi_\theta}} (the marginal) or draw it with its "
                 r"distribution (s_{t+1} \sim P(\cdot|s_t, a_t), a_t \sim \pi_\theta(\cdot|s_t))", sub.pos)


# nodes that use s_u and a_u of their time index u (r_u = R(s_u, a_u, s_{u+1}), G_u, delta_u, ...): the position of u
_TIMED = {nodes.Rt: 0, nodes.Ret: 0, nodes.Delta: 0, nodes.GAE: 0, nodes.LamRet: 0, nodes.KAdv: 1}


def _uses(body, var) -> bool:
    """Does the body use the trajectory variable var (s_u or a_u), directly or through r_u, G_u, delta_u, ...?"""
    if body.has(var):
        return True
    u = var.args[0]
    return any(type(e) in _TIMED and e.args[_TIMED[type(e)]] == u for e in preorder_traversal(body))


def _tex(e) -> str:
    from sympy import latex

    return latex(e)


@op("hatexpect")
def _hat_expect(item, items, i, ctx: Ctx):
    """\\hat{\\mathbb{E}}_t[X]: PPO's empirical average over the batch, i.e. over trajectories of pi_old."""
    if isinstance(item, Scripted):
        if item.sup is not None:
            fail(r"unexpected superscript on \hat{\mathbb{E}}", item.sup.pos)
        if item.sub is not None and raw(single(item.sub)) not in ("t", "t'"):
            fail(r"\hat{\mathbb{E}}_t takes the time index t as its subscript", item.sub.pos)
    nxt, g = _bracket(items, i + 1, r"\hat{\mathbb{E}}_t", item.pos)
    given = _given(g, ctx) if g.sep == "|" else []
    body = group_value(_body_group(g), ctx)
    note(r"\hat{\mathbb{E}}_t (PPO's empirical average over a batch, Schulman et al. 2017 eq. (1)) is the "
         r"expectation over the batch's trajectories \tau \sim \pi_{\theta_{old}}, at time t")
    return _finish(nodes.Expect(body, nodes.TrajDist(Str("old")), *given), nxt, g, ctx, i + 1)


# ---------------------------------------------------------------- draws


def _listed_trajectory(syns: list):
    """TRPO's \\mathbb{E}_{s_0, a_0, \\ldots \\sim \\tilde\\pi} (Schulman et al. 2015, eq. 1): the trajectory
    s_0, a_0, s_1, a_1, ... listed from its start with an ellipsis, drawn with the policy named, is tau ~ pi."""
    if len(syns) != 3 or not isinstance(syns[2], Rel) or syns[2].kind != "~":
        return None
    names = [raw(single(x)).replace(" ", "") for x in syns[:2]] + [raw(single(syns[2].lhs)).replace(" ", "")]
    if names[:2] not in (["s_0", "a_0"], ["s_{0}", "a_{0}"]) or names[2] not in ("...", r"\dots", r"\ldots", r"\cdots"):
        return None
    pol = trajectory_policy(syns[2].rhs)
    pol = pol if pol is not None else policy_name(syns[2].rhs, r"s_0, a_0, \ldots \sim ...")
    note(r"s_0, a_0, \ldots \sim " + raw(syns[2].rhs).strip()[:20] + r": the trajectory \tau drawn with that policy "
         "(s_0 from rho_0, a_t from the policy, s_{t+1} from P)")
    return nodes.TrajDist(Str(pol))


def draws_of(syns: list, ctx: Ctx):
    """(Dist nodes of an expectation's subscript, context of its body, the state drawn last, the draws of
    lone trajectory variables such as E_{s_{t+1}}, drawn given the earlier ones).

    The authors' draws are read by notation modules that readings.py imports after this one (their own
    readings wrap ``\\mathbb{E}``'s), hence the imports inside the functions: importing them here would
    register their readings before this module's."""
    draws, lone = [], []
    last_state = ctx.draw_state
    from .notation_notes import listed_variables_draw  # s_t, a_t, s_{t'} \sim \pi_\theta: their marginal under tau

    from .notation_grpo_group import group_draws  # a_1, \ldots, a_G \sim \pi(\cdot|s) with group: G

    group = group_draws(syns, ctx, draws_of)
    if group is not None:
        return group, ctx, last_state, []

    ranged = range_draws(syns, ctx)
    if ranged is not None:
        return ranged, ctx, last_state, []
    traj = _listed_trajectory(syns) or listed_variables_draw(syns)
    if traj is not None:
        return [traj], ctx, last_state, []
    from .listed_trajectories import unnamed_listed_trajectory  # E_{s_0, a_0, \ldots} (TRPO sec. 2)

    listed = unnamed_listed_trajectory(syns, ctx)
    if listed is not None:
        return listed, ctx, last_state, []
    from .notation_llm import prompt_response_draws  # x ~ D, y ~ pi(.|x) on the token MDP

    llm = prompt_response_draws(syns, ctx)
    if llm is not None:
        return llm, ctx, last_state, []
    from .notation_groups import token_draws  # o_{i,t} ~ pi(.|q, o_{i,<t}) (GRPO, one output)

    grp = token_draws(syns, ctx)
    if grp is not None:
        return grp, ctx, last_state, []
    for x in syns:
        if not isinstance(x, Rel):
            d = _lone_draw(x, ctx)
            draws.append(d)
            if isinstance(d, (nodes.TransDraw, nodes.PolicyDraw)):
                lone.append(d)
            if isinstance(d, (nodes.TransDraw, nodes.InitDraw)):
                last_state = d.args[0]
            continue
        if x.kind == "|" and is_tau(x.lhs):  # \mathbb{E}_{\tau|\tilde\pi} (TRPO, appendix A): \tau \sim \tilde\pi
            pol = trajectory_policy(x.rhs)
            pol = pol if pol is not None else policy_name(x.rhs, r"\tau | ...")
            note(r"\mathbb{E}_{\tau | \pi}: over trajectories \tau \sim \pi (the policy after the bar)")
            draws.append(nodes.TrajDist(Str(pol)))
            continue
        if x.kind != "~":
            fail(r"an expectation's subscript lists draws such as \tau \sim \pi_\theta, a \sim \pi(\cdot|s)", x.pos)
        lhs, rhs = single(x.lhs), x.rhs
        if is_tau(lhs):  # \tau \sim p_\theta(\tau), also p_\theta(\tau|s_0=s, a_0=a) (conditioned_draws.py)
            draws.extend(trajectory_draw(rhs, ctx))
            continue
        if isinstance(lhs, Group) and lhs.kind in ("paren", "left") and len(lhs.parts) == 1 \
                and len(lhs.parts[0]) == 2:  # (s, a) ~ d^pi

            marginal = marginal_pair_draw(lhs, rhs)
            if marginal is not None:
                draws.append(marginal)
                continue
            pair, last_state = _pair_draw(lhs, rhs, ctx)
            draws.extend(pair)
            continue
        a = base_atom(lhs)
        letter = a.name.rstrip("'") if a is not None and a.kind == "sym" else None
        if letter not in ("s", "a", "b", "x", "y", "S", "A"):
            fail(f"cannot draw {raw(lhs)[:20]}: draw \\tau, a state s, an action a or a point x", lhs.pos)
        var = interpret(lhs, ctx.deeper(lhs.pos, "action" if letter == "b" else "var"))
        from .notation_notes import drawn_argument  # s \sim d^\pi(s), a \sim \pi(a|s): the density at the draw

        rhs = drawn_argument(lhs, rhs)
        rhead, rcall = head_and_call(rhs)
        rraw = raw(rhead).replace(" ", "")
        if isinstance(var, (StateVar, nodes.St)):
            draws.append(state_draw(var, rhead, rcall, rraw, ctx, rhs))
            last_state = var
        elif isinstance(var, (ActionVar, nodes.At)):
            draws.append(_action_draw(var, lhs, rhs, rhead, rcall, last_state, ctx))
            if letter == "b":
                ctx = ctx.binding(a.name)
        else:
            if rcall is None and draw_name(rraw) is not None:  # x ~ P_\theta (notation_param.py)
                draws.append(nodes.FreeDraw(var, Str(draw_name(rraw))))
                continue
            from .notation_sample_space import capital_distribution  # x \sim Q (capital names of a sample space)

            rraw = capital_distribution(rraw) or rraw if rraw in ("P", "Q") and rcall is None else rraw
            if rraw not in FREE_DISTRIBUTIONS or rcall is not None:
                fail(f"a point is drawn from a free distribution (x \\sim q) or from P_\\theta, not {raw(rhs)[:20]}",
                     rhs.pos)
            draws.append(nodes.FreeDraw(var, Str(rraw)))
    return draws, ctx, last_state, lone


def _lone_draw(x: Syn, ctx: Ctx):
    """A subscript item without '~': a policy (E_\\pi), \\tau, or a variable of the trajectory (E_{s_{t+1}})."""
    if is_tau(x):
        note(r"\mathbb{E}_\tau: over trajectories \tau \sim \pi_\theta")
        return nodes.TrajDist(Str("theta"))
    a = base_atom(single(x))
    if a is not None and a.kind == "sym" and a.name in ("s", "a", "S", "A") and isinstance(single(x), Scripted) \
            and single(x).sub is not None and single(x).sup is None:
        v = interpret(single(x), ctx.deeper(x.pos, "var"))
        if isinstance(v, nodes.St):
            u = v.args[0]
            if u == 0:
                note(r"\mathbb{E}_{s_0}: s_0 \sim \rho_0")
                return nodes.InitDraw(v)
            note(rf"\mathbb{{E}}_{{s_{{{u}}}}}: s_{{{u}}} \sim P(\cdot \mid s_{{{u - 1}}}, a_{{{u - 1}}}), given the "
                 "earlier variables of the trajectory")
            return nodes.TransDraw(v, nodes.St(u - 1), nodes.At(u - 1))
        if isinstance(v, nodes.At):
            u = v.args[0]
            note(rf"\mathbb{{E}}_{{a_{{{u}}}}}: a_{{{u}}} \sim \pi_\theta(\cdot \mid s_{{{u}}}), given s_{{{u}}}")
            return nodes.PolicyDraw(v, Str("theta"), nodes.St(u))
    if isinstance(single(x), Atom) and single(x).kind == "sym" and single(x).name in ("x", "y"):
        return _point_draw(PointVar(single(x).name), x.pos)  # E_x[f(x)]: x ~ the file's only distribution
    from .notation_notes import distribution_subscript  # E_{P(\tau;\theta)}, E_{p(x)}: the density names the draw

    dist = distribution_subscript(x, ctx)
    if dist is not None:
        return dist
    return nodes.TrajDist(Str(policy_name(x, "an expectation's subscript", allow_theta=False)))


def _point_draw(point, pos: int):
    names = _file_distributions()
    if len(names) != 1:
        fail(rf"\mathbb{{E}}_{{{point}}}: the point {point} could be drawn from "
             + (" or ".join(sorted(names)) if names else "no named distribution")
             + rf"; write \mathbb{{E}}_{{{point} \sim p}}", pos)
    (name,) = names
    note(rf"\mathbb{{E}}_{{{point}}}: over {point} \sim {name} (the only distribution the file names)")
    return nodes.FreeDraw(point, Str(name))


def _pair_draw(lhs: Group, rhs: Syn, ctx: Ctx):
    """(s, a) ~ d^pi: s ~ d^pi, a ~ pi(.|s) (the state-action distribution d^pi(s) pi(a|s))."""
    s_syn, a_syn = lhs.parts[0]
    s = value_in_role(s_syn, "state", ctx, "the state of (s, a)")
    act = value_in_role(a_syn, "action", ctx, "the action of (s, a)")
    rhead = single(rhs)
    ra = base_atom(rhead)
    if ra is None or ra.name != "d" or not isinstance(rhead, Scripted) or rhead.sup is None or rhead.sub is not None:
        fail(r"a state-action pair is drawn as (s, a) \sim d^{\pi}", rhs.pos)
    pol = policy_name(single_expr(rhead.sup), "the superscript of d")
    note(r"(s, a) \sim d^\pi: s \sim d^\pi, a \sim \pi(\cdot \mid s)")
    return [nodes.OccDraw(s, Str(pol)), nodes.PolicyDraw(act, Str(pol), s)], s


def _action_draw(var, lhs, rhs, rhead, rcall, last_state, ctx: Ctx):
    pol = policy_name(rhead, f"{raw(lhs)} \\sim ...", allow_theta=False)
    if rcall is not None:
        if rcall.sep != "|" or len(rcall.parts[0]) != 1 or not isinstance(rcall.parts[0][0], Placeholder) \
                or len(rcall.parts[1]) != 1:
            fail(r"an action is drawn as a \sim \pi(\cdot|s)", rcall.pos)
        st = value_in_role(rcall.parts[1][0], "state", ctx, r"the state of \pi(\cdot|s)")
    elif isinstance(var, nodes.At):
        st = nodes.St(var.args[0])  # a_t ~ pi: in the state s_t
    elif last_state is not None:
        st = last_state
    else:
        fail(r"a \sim \pi needs a state: write a \sim \pi(\cdot|s) or draw the state first "
             r"(s \sim d^\pi, a \sim \pi)", rhs.pos)
    return nodes.PolicyDraw(var, Str(pol), st)


__all__ = ["draws_of", "infer_draws"]
