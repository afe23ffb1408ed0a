"""The operators of the notation (registered in ``notation.OPS``): sums, products, max/min,
log, exp, nabla, expectations and the evaluation bar.  Each binds what follows it by the
scope rules of docs/notation.md."""
from __future__ import annotations

from sympy import Max, Min, Product, Sum, oo
from sympy.core.symbol import Str

from ..lang import nodes
from ..lang import symbols as sy
from ..lang.symbols import ActionVar, StateVar
from .errors import fail
from .interpret import (Ctx, arguments, check_role, factor, group_value, index, interpret, is_call_group,
                        call_group, misplaced, power, product, safe_exp, safe_log, value_in_role)
from .notation import (FREE_DISTRIBUTIONS, INTEGER_LETTERS, PARAMETERS, THETA_SPELLINGS, head_and_call, is_tau, op, policy_name, single_expr)
from .syntax import Atom, Group, Placeholder, Rel, Scripted, Syn, base_atom, raw, single



def _ops_sub_var(x: Syn, ctx: Ctx, what: str):
    """The variable of \\sum_a, \\max_{a'}, \\sum_{s \\in \\mathcal{S}}: (variable, letter to bind or None)."""
    x = _only_item(x)
    if isinstance(x, Rel) and x.kind != "in":
        misplaced(x)
    if isinstance(x, Rel):
        space = raw(single(x.rhs))
        x = x.lhs
        kind = {"cal:S": "state", "cal:A": "action", "cal:X": "point"}.get(space)
        if kind is None:
            fail(f"unknown space {space[:20]} (known: \\mathcal{{S}}, \\mathcal{{A}}, \\mathcal{{X}})", x.pos)
    x = single(x)
    a = base_atom(x)
    if a is None or a.kind != "sym":
        fail(f"{what} ranges over a variable such as a, s', x", x.pos)
    letter = a.name.rstrip("'")
    if letter in ("s", "a", "x", "y") or (letter == "b" and not isinstance(x, Scripted)):
        role = "var"
        v = interpret(x, ctx.deeper(x.pos, "action" if letter == "b" else role))
        check_role(v, role, x, what)
        return v, (a.name if letter == "b" else None)
    if letter in INTEGER_LETTERS:
        fail(f"{what} over the integer {a.name} needs bounds: write {what}_{{{a.name}=0}}^{{T-1}}", x.pos)
    fail(f"{what} ranges over a variable such as a, s', x, not {raw(x)[:20]}", x.pos)


def _only_item(x: Syn):
    """The single item of a script (a brace group with one item, possibly a relation)."""
    if isinstance(x, Group) and x.kind == "brace":
        if len(x.parts[0]) != 1:
            fail("several indices in one subscript are not supported; nest the operators", x.parts[0][1].pos)
        return x.parts[0][0]
    return x


def _body(items, i, ctx: Ctx, what: str, pos: int):
    if i + 1 >= len(items):
        fail(f"{what} has nothing to act on", pos)
    return product(items, i + 1, ctx)


def _integer_limits(item: Scripted, ctx: Ctx, what: str):
    rel = _only_item(item.sub)
    if not isinstance(rel, Rel) or rel.kind != "=":
        return None
    var_syn = single(rel.lhs)
    a = base_atom(var_syn)
    if not isinstance(var_syn, Atom) or a.kind != "sym" or a.name.rstrip("'") not in INTEGER_LETTERS \
            or a.name == "T":
        fail(f"the index of {what}_{{...=...}} must be an integer letter such as t, t', k, l, n, i", rel.lhs.pos)
    var = sy.integer(a.name)
    lo = index(rel.rhs, ctx, f"the lower limit of {what}")
    if item.sup is None:
        fail(f"{what}_{{{a.name}=...}} needs an upper limit: ^{{T-1}}", item.pos)
    if raw(single(item.sup)) == r"\infty":
        hi = oo
    else:
        hi = index(item.sup, ctx, f"the upper limit of {what}")
    return var, lo, hi


@op("sum")
def _sum(item, items, i, ctx: Ctx):
    if not isinstance(item, Scripted) or item.sub is None:
        fail(r"\sum needs a subscript: \sum_{t=0}^{T-1}, \sum_a, \sum_\tau", item.pos)
    limits = _integer_limits(item, ctx, r"\sum")
    if limits is not None:
        body, j = _body(items, i, ctx, r"\sum", item.pos)
        return Sum(body, limits), j
    if is_tau(single(item.sub)):
        if item.sup is not None:
            fail(r"\sum_\tau takes no upper limit", item.sup.pos)
        body, j = _body(items, i, ctx, r"\sum_\tau", item.pos)
        return nodes.SumTraj(body), j
    if item.sup is not None:
        fail(r"a sum over a space (\sum_a) takes no upper limit", item.sup.pos)
    var, letter = _ops_sub_var(item.sub, ctx, r"\sum")
    body, j = _body(items, i, ctx.binding(letter) if letter else ctx, r"\sum", item.pos)
    return nodes.SumOver(body, var), j


@op("prod")
def _prod(item, items, i, ctx: Ctx):
    if not isinstance(item, Scripted) or item.sub is None:
        fail(r"\prod needs limits: \prod_{t=0}^{T-1}", item.pos)
    limits = _integer_limits(item, ctx, r"\prod")
    if limits is None:
        fail(r"\prod is only supported over an integer range: \prod_{t=0}^{T-1}", item.pos)
    body, j = _body(items, i, ctx, r"\prod", item.pos)
    return Product(body, limits), j


def _args_op(item, items, i, ctx: Ctx, name: str, cls):
    j = i + 1
    if j >= len(items) or not is_call_group(items[j]):
        fail(f"\\{name} needs arguments: \\{name}(x, y)", item.pos)
    g = call_group(items[j])
    args = arguments(g, tuple(range(2, 20)), f"\\{name}")
    value = cls(*(interpret(a, ctx.deeper(a.pos)) for a in args))
    if isinstance(items[j], Scripted):
        if items[j].sub is not None:
            fail("unexpected subscript", items[j].sub.pos)
        value = power(value, interpret(items[j].sup, ctx.deeper(g.pos)), items[j].sup.pos)
    return value, j + 1


@op("max")
def _max(item, items, i, ctx: Ctx):
    if isinstance(item, Scripted) and item.sub is not None:
        if item.sup is not None:
            fail(r"\max_a takes no superscript", item.sup.pos)
        var, letter = _ops_sub_var(item.sub, ctx, r"\max")
        body, j = _body(items, i, ctx.binding(letter) if letter else ctx, r"\max", item.pos)
        return nodes.MaxOver(body, var), j
    if isinstance(item, Scripted):
        fail(r"unexpected superscript on \max", item.sup.pos)
    return _args_op(item, items, i, ctx, "max", Max)


@op("min")
def _min(item, items, i, ctx: Ctx):
    if isinstance(item, Scripted):
        fail(r"\min_a (a minimum over a space) is not supported; \min(x, y) is", item.pos)
    return _args_op(item, items, i, ctx, "min", Min)


def prefix_argument(item, items, i, ctx: Ctx, what: str):
    """The next factor after a prefix operator: (value, power to apply to the result or None, next index).

    ``\\log(x)^2`` and ``\\log{x}^2`` mean (\\log x)^2: the scripts of a group written right after
    the operator apply to the result, as for a function application.
    """
    j = i + 1
    if j >= len(items) or isinstance(items[j], type(None)):
        fail(f"{what} needs an argument", item.pos)
    nxt = items[j]
    if isinstance(nxt, Scripted) and isinstance(nxt.base, Group) and not (nxt.base.left == "." and nxt.base.right == "|"):
        if nxt.sub is not None:
            fail("unexpected subscript", nxt.sub.pos)
        from .interpret import group

        return group(nxt.base, ctx), nxt.sup, j + 1
    value, k = factor(items, j, ctx)
    return value, None, k


def _prefix(item, items, i, ctx: Ctx, what: str, fn):
    sup = None
    if isinstance(item, Scripted):
        if item.sub is not None and what != r"\nabla":
            fail(f"{what} with a subscript (a base) is not supported: {what} is the natural logarithm"
                 if what in (r"\log", r"\ln") else f"unexpected subscript on {what}", item.sub.pos)
        sup = item.sup
    arg, post, j = prefix_argument(item, items, i, ctx, what)
    value = fn(arg)
    for s in (post, sup):
        if s is not None:
            value = power(value, interpret(s, ctx.deeper(s.pos)), s.pos)
    return value, j


@op("log")
def _log(item, items, i, ctx: Ctx):
    return _prefix(item, items, i, ctx, r"\log", lambda x: safe_log(x, item.pos))


@op("exp")
def _exp(item, items, i, ctx: Ctx):
    return _prefix(item, items, i, ctx, r"\exp", safe_exp)


@op("nabla")
def _nabla(item, items, i, ctx: Ctx):
    if not isinstance(item, Scripted) or item.sub is None or raw(single(item.sub)) != r"\theta":
        fail(r"derive differentiates with respect to theta only: write \nabla_\theta", item.pos)
    if item.sup is not None:
        fail(r"unexpected superscript on \nabla_\theta", item.sup.pos)
    arg, post, j = prefix_argument(item, items, i, ctx, r"\nabla_\theta")
    value = nodes.Grad(arg)
    if post is not None:
        value = power(value, interpret(post, ctx.deeper(post.pos)), post.pos)
    return value, j


# ---------------------------------------------------------- expectations


@op("expect")
def _expect(item, items, i, ctx: Ctx):
    if not isinstance(item, Scripted) or item.sub is None:
        fail(r"\mathbb{E} needs a subscript naming what is drawn: \mathbb{E}_{\tau \sim \pi_\theta}[...]",
             item.pos)
    if item.sup is not None:
        fail(r"unexpected superscript on \mathbb{E}", item.sup.pos)
    j = i + 1
    nxt = items[j] if j < len(items) else None
    g = nxt.base if isinstance(nxt, Scripted) else nxt
    if not (isinstance(g, Group) and g.kind in ("paren", "bracket", "left") and g.left in "([{"):
        fail(r"\mathbb{E}_{...} must be followed by its body in brackets: \mathbb{E}_{...}[ ... ]", item.pos)
    sub = item.sub
    draws_syn = sub.parts[0] if isinstance(sub, Group) and sub.kind == "brace" else [sub]
    draws, body_ctx = draws_of(draws_syn, ctx)
    given = []
    if g.sep == "|":  # E_{tau ~ pi}[X | s_t, a_t]: conditioning on variables of the trajectory
        if not any(isinstance(d, nodes.TrajDist) for d in draws):
            fail(r"conditioning (| s_t, a_t) needs a trajectory draw: \mathbb{E}_{	au \sim \pi}[X \mid s_t]",
                 g.sep_pos)
        for x in g.parts[1]:
            v = interpret(single(x), body_ctx.deeper(x.pos, "var")) if not isinstance(x, (Rel, Placeholder)) \
                else misplaced(x)
            if not isinstance(v, (nodes.St, nodes.At)):
                fail(f"an expectation is conditioned on s_t or a_t, not {raw(x)[:20]}", x.pos)
            given.append(nodes.Given(v))
        g = Group(g.pos, g.kind, g.left, g.right, [g.parts[0]])
    body = group_value(g, body_ctx)
    value = nodes.Expect(body, *draws, *given)
    if isinstance(nxt, Scripted):
        if nxt.sub is not None:
            fail("unexpected subscript", nxt.sub.pos)
        value = power(value, interpret(nxt.sup, ctx.deeper(g.pos)), nxt.sup.pos)
    return value, j + 1


def draws_of(syns: list, ctx: Ctx):
    """The Dist nodes of an expectation's subscript, and the context of its body."""
    draws = []
    last_state = None
    for x in syns:
        if not isinstance(x, Rel):
            draws.append(nodes.TrajDist(Str(policy_name(x, "an expectation's subscript", allow_theta=False))))
            continue
        if x.kind != "~":
            fail(r"an expectation's subscript lists draws such as \tau \sim \pi_\theta, a \sim \pi(\cdot|s)", x.pos)
        lhs, rhs = single(x.lhs), x.rhs
        if is_tau(lhs):
            draws.append(nodes.TrajDist(Str(policy_name(rhs, r"\tau \sim ..."))))
            continue
        a = base_atom(lhs)
        letter = a.name.rstrip("'") if a is not None and a.kind == "sym" else None
        if letter not in ("s", "a", "b", "x", "y"):
            fail(f"cannot draw {raw(lhs)[:20]}: draw \\tau, a state s, an action a or a point x", lhs.pos)
        var = interpret(lhs, ctx.deeper(lhs.pos, "action" if letter == "b" else "var"))
        rhead, rcall = head_and_call(rhs)
        rraw = raw(rhead).replace(" ", "")
        if isinstance(var, (StateVar, nodes.St)):
            draws.append(_state_draw(var, rhead, rcall, rraw, ctx, rhs))
            last_state = var
        elif isinstance(var, (ActionVar, nodes.At)):
            pol = policy_name(rhead, f"{raw(lhs)} \\sim ...", allow_theta=False)
            if rcall is not None:
                if rcall.sep != "|" or len(rcall.parts[0]) != 1 or not isinstance(rcall.parts[0][0], Placeholder) \
                        or len(rcall.parts[1]) != 1:
                    fail(r"an action is drawn as a \sim \pi(\cdot|s)", rcall.pos)
                st = value_in_role(rcall.parts[1][0], "state", ctx, r"the state of \pi(\cdot|s)")
            elif last_state is not None:
                st = last_state
            else:
                fail(r"a \sim \pi needs a state: write a \sim \pi(\cdot|s) or draw the state first "
                     r"(s \sim d^\pi, a \sim \pi)", rhs.pos)
            draws.append(nodes.PolicyDraw(var, Str(pol), st))
            if letter == "b":
                ctx = ctx.binding(a.name)
        else:
            if rraw not in FREE_DISTRIBUTIONS or rcall is not None:
                fail(f"a point is drawn from a free distribution: x \\sim q, not {raw(rhs)[:20]}", rhs.pos)
            draws.append(nodes.FreeDraw(var, Str(rraw)))
    return draws, ctx


def _state_draw(var, rhead, rcall, rraw, ctx: Ctx, rhs: Syn):
    if rraw == r"\rho_{0}" and rcall is None:
        return nodes.InitDraw(var)
    a = base_atom(rhead)
    if a is not None and a.name == "d" and isinstance(rhead, Scripted) and rhead.sup is not None \
            and rhead.sub is None and rcall is None:
        return nodes.OccDraw(var, Str(policy_name(single_expr(rhead.sup), "the superscript of d")))
    if rraw == "P" and rcall is not None:
        if rcall.sep != "|" or len(rcall.parts[0]) != 1 or not isinstance(rcall.parts[0][0], Placeholder) \
                or len(rcall.parts[1]) != 2:
            fail(r"a next state is drawn as s' \sim P(\cdot|s,a)", rcall.pos)
        st = value_in_role(rcall.parts[1][0], "state", ctx, r"the state of P(\cdot|s,a)")
        act = value_in_role(rcall.parts[1][1], "action", ctx, r"the action of P(\cdot|s,a)")
        return nodes.TransDraw(var, st, act)
    fail(r"a state is drawn from \rho_0, d^{\pi} or P(\cdot|s,a), not " + raw(rhs)[:30], rhs.pos)


# ----------------------------------------------------------- evaluation bar


SETTABLE = {**PARAMETERS, "c_{1}": sy.c1, "c_{2}": sy.c2}


def eval_bar(g: Group, sub: Syn, ctx: Ctx):
    """\\left. X \\right|_{\\theta=\\theta_{old}}: X with pi_theta replaced by another policy;
    \\left. X \\right|_{\\lambda=0}: X with a parameter set to a constant."""
    rel = sub.parts[0][0] if isinstance(sub, Group) and sub.kind == "brace" and len(sub.parts[0]) == 1 else None
    name = raw(single(rel.lhs)).replace(" ", "") if isinstance(rel, Rel) and rel.kind == "=" else None
    if name in SETTABLE:
        value = interpret(rel.rhs, ctx.deeper(rel.rhs.pos))
        if not value.free_symbols <= set(SETTABLE.values()):
            fail(f"{name} can only be set to a constant", rel.rhs.pos)
        body = group_value(Group(g.pos, "left", "(", ")", g.parts, g.sep, g.sep_pos), ctx)
        return nodes.SetParam(body, SETTABLE[name], value)
    if name != r"\theta":
        fail(r"an evaluation bar is written \left. X \right|_{\theta=\theta_{old}} or "
             r"\left. X \right|_{\lambda=0}", sub.pos)
    to = raw(single(rel.rhs)).replace(" ", "")
    if to not in THETA_SPELLINGS:
        fail(r"\theta can be set to \theta_{old} or \theta' in an evaluation bar", rel.rhs.pos)
    body = group_value(Group(g.pos, "left", "(", ")", g.parts, g.sep, g.sep_pos), ctx)
    return nodes.EvalAt(body, Str("theta"), Str(THETA_SPELLINGS[to]))


__all__ = ["eval_bar"]
