"""The operators of the notation (registered in ``registry.OPS``): sums, products, max/min,
log, exp, nabla, expectations and the evaluation bar.  Each binds what follows it by the
scope rules of docs/notation.md."""
from __future__ import annotations

from sympy import Max, Min, Product, Sum, oo
from sympy.core.symbol import Str

from ..lang import nodes
from ..lang import symbols as sy
from .errors import fail
from .interpret import (arguments, binder_body, call_group, Ctx, factor, group, group_value, interpret,
                        is_call_group, misplaced, power, product)
from .arithmetic import safe_exp, safe_log
from .reading import note, note_in
from .roles import check_role, index
from .registry import bar, op
from .spellings import flexible_policy, INTEGER_LETTERS, is_tau, PARAMETERS, THETA_SPELLINGS
from .reward_sums import RewardVar, sum_over
from .series_episode import episode_end
from .syntax import Atom, Group, Rel, Scripted, Syn, base_atom, raw, single
from .notation_optimal import max_over_policies
from .notation_matrices import gradient_of, nabla_order



def _ops_sub_var(x: Syn, ctx: Ctx, what: str):
    """The variable of \\sum_a, \\max_{a'}, \\sum_{s \\in \\mathcal{S}}: (variable, letter to bind or None)."""
    x = _only_item(x)
    kind = None
    if isinstance(x, Rel) and x.kind != "in":
        misplaced(x)
    if isinstance(x, Rel):
        space = raw(single(x.rhs))
        x = x.lhs
        if space.startswith(("cal:A(", "A(")):  # S&B's \mathcal{A}(s): derive's every state has every action
            space = "cal:A"
        kind = {"cal:S": "state", "cal:A": "action", "cal:X": "point", "S": "state", "A": "action"}.get(space)
        if space.startswith("cal:R(") and what == r"\sum":  # Zhao's \mathcal{R}(s,a): the rewards possible after (s,a);
            space = "cal:R"  # exact: each term must carry p(r|s,a) or p(s',r|s,a), zero outside it (notation_rewards.py)
        if space == "cal:R" and what == r"\sum" and raw(single(x)).replace(" ", "") == "r":
            kind = "reward"  # S&B: \sum_{r \in \mathcal{R}} p(s', r|s, a) r, the finite reward set (as \sum_{s', r})
        if kind is None:
            fail(f"unknown space {space[:20]} (known: \\mathcal{{S}}, \\mathcal{{A}}, \\mathcal{{X}}, and "
                 f"\\mathcal{{R}} in \\sum_{{r \\in \\mathcal{{R}}}})", x.pos)
    x = single(x)
    a = base_atom(x)
    if a is None or a.kind != "sym":
        fail(f"{what} ranges over a variable such as a, s', x", x.pos)
    letter = a.name.rstrip("'")
    if a.name == "r" and what == r"\sum" and not isinstance(x, Scripted):  # S&B: \sum_{s', r} p(s', r|s, a)
        return RewardVar("r"), "r"
    if letter in ("x", "y") and kind == "state" and a.name == letter and not isinstance(x, Scripted):
        from ..lang.symbols import StateVar  # \sum_{x \in \mathcal{S}}: x names a state (read_latex/kstep.py)

        return StateVar(a.name), "state:" + a.name
    if letter in ("x", "y") and not isinstance(x, Scripted):
        v = interpret(x, ctx.deeper(x.pos, "var"))
        check_role(v, "var", x, what)
        return v, "point:" + a.name  # bound as a point of X: never read as a state in its body
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
    if item.sup is None and a.name in TIME_LETTERS:  # \sum_{t'=t} r_{t'}: to the end of the trajectory
        return var, lo, _trajectory_end(ctx, what, a.name, rel.rhs)
    if item.sup is None:
        fail(f"{what}_{{{a.name}=...}} needs an upper limit: ^{{T-1}}", item.pos)
    if raw(single(item.sup)) == r"\infty":
        hi = oo
    else:
        hi = index(item.sup, ctx, f"the upper limit of {what}")
    return var, lo, hi


TIME_LETTERS = ("t", "t'", "t''")


def _trajectory_span(ctx: Ctx):
    """(first time, last time in derive's units, how the last is shown) of the trajectory's times in this file:
    0..T-1 (the written T under ``horizon: last-index`` is derive's T - 1, shown as T), 1..T under
    ``horizon: from-1`` (CS285, CS224R), 0..infinity (1..infinity) in the discounted and episodic settings."""
    first = 1 if ctx.options.get("horizon") == "from-1" else 0
    if ctx.options.get("setting") in ("discounted", "episodic"):  # infinite horizon (episodic: derive/episodic.py)
        return first, oo, "\\infty (infinite horizon)"
    if first == 1:
        return 1, sy.T, "T (horizon: from-1)"
    return 0, sy.T - 1, "T (horizon: last-index)" if ctx.options.get("horizon") == "last-index" else "T-1"


def _trajectory_times(item: Scripted, ctx: Ctx, what: str):
    r"""\sum_t, \prod_t without bounds: the trajectory's times (``_trajectory_span``), or None for another subscript."""
    x = single(item.sub)
    if not isinstance(x, Atom) or x.kind != "sym" or x.name not in TIME_LETTERS:
        return None
    if item.sup is not None:
        fail(f"{what}_{{{x.name}}} with an upper limit needs a lower one: {what}_{{{x.name}=0}}^{{T-1}}",
             item.sup.pos)
    first, last, shown = _trajectory_span(ctx)
    where = "the times" if last == oo else "the trajectory's times"
    note_in(ctx, f"{what}_{{{x.name}}} without bounds: over {where} {x.name} = {first}..{shown}")
    return sy.integer(x.name), first, last


def _trajectory_end(ctx: Ctx, what: str, name: str, lo_syn):
    r"""The last time of a sum written with a lower limit only, \sum_{t'=t}: the trajectory's last time
    (``_trajectory_span``), said in read as."""
    _, last, shown = _trajectory_span(ctx)
    where = "the times" if last == oo else "the trajectory's times"
    note_in(ctx, f"{what}_{{{name}={raw(lo_syn).strip()}}} without an upper limit: over {where} {name} = "
                 f"{raw(lo_syn).strip()}..{shown}")
    return last


def _sum_over_list(item, items, i, ctx: Ctx):
    r"""\sum_{s,a} X and \sum_{s \in \mathcal{S}, a \in \mathcal{A}} X: nested sums over the spaces."""
    variables, inner = [], ctx
    for x in item.sub.parts[0]:
        var, letter = _ops_sub_var(x, inner, r"\sum")
        variables.append(var)
        letter = letter or _summed_time(var)
        inner = inner.binding(letter) if letter else inner
    body, j = binder_body(items, i, inner, r"\sum", item.pos)
    for var in reversed(variables):
        body = sum_over(body, var, item.pos)
    return body, j


@op("sum")
def _sum(item, items, i, ctx: Ctx):
    r"""``\sum_{t=0}^{T-1} X``, ``\sum_a X``, ``\sum_{s'} X``, ``\sum_\tau X``, ``\sum_{s', r} X``: a sum over an
    integer range, a space or trajectories (the body is the rest of the product)."""
    if not isinstance(item, Scripted) or item.sub is None:
        fail(r"\sum needs a subscript: \sum_{t=0}^{T-1}, \sum_a, \sum_\tau", item.pos)
    if isinstance(item.sub, Group) and item.sub.kind == "brace" and len(item.sub.parts[0]) > 1 \
            and item.sup is None:
        return _sum_over_list(item, items, i, ctx)
    limits = _integer_limits(item, ctx, r"\sum") or _trajectory_times(item, ctx, r"\sum")
    if limits is not None:
        body, j = binder_body(items, i, ctx, r"\sum", item.pos)
        return Sum(body, episode_end(body, limits, ctx, r"\sum")), j  # undiscounted to \infty: series_episode.py
    if is_tau(single(item.sub)):
        if item.sup is not None:
            fail(r"\sum_\tau takes no upper limit", item.sup.pos)
        body, j = binder_body(items, i, ctx, r"\sum_\tau", item.pos)
        return nodes.SumTraj(body), j
    if item.sup is not None:
        fail(r"a sum over a space (\sum_a) takes no upper limit", item.sup.pos)
    var, letter = _ops_sub_var(item.sub, ctx, r"\sum")
    letter = letter or _summed_time(var)
    body, j = binder_body(items, i, ctx.binding(letter) if letter else ctx, r"\sum", item.pos)
    return sum_over(body, var, item.pos), j


def _summed_time(var):
    r"""\sum_{s_0}: "sum:s_0" marks the trajectory's s_0 as summed over in the body (read_latex/kstep.py)."""
    return f"sum:s_{var.args[0]}" if isinstance(var, nodes.St) else None


@op("prod")
def _prod(item, items, i, ctx: Ctx):
    r"""``\prod_{t=0}^{T-1} X``: a product over an integer range."""
    if not isinstance(item, Scripted) or item.sub is None:
        fail(r"\prod needs limits: \prod_{t=0}^{T-1}", item.pos)
    limits = _integer_limits(item, ctx, r"\prod") or _trajectory_times(item, ctx, r"\prod")
    if limits is None:
        fail(r"\prod is only supported over an integer range: \prod_{t=0}^{T-1}", item.pos)
    body, j = binder_body(items, i, ctx, r"\prod", item.pos)
    return Product(body, episode_end(body, limits, ctx, r"\prod")), j


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
    r"""``\max_a X``: the maximum over a space; ``\max_\pi v_\pi(s)``: the optimal value (Sutton & Barto 2018, eq.
    3.15); ``\max(x, y)``: the larger."""
    if isinstance(item, Scripted) and item.sub is not None and raw(single(item.sub)).replace(" ", "") == r"\pi":
        body, j = binder_body(items, i, ctx, r"\max_\pi", item.pos)
        return max_over_policies(body, item.pos), j
    if isinstance(item, Scripted) and item.sub is not None:
        if item.sup is not None:
            fail(r"\max_a takes no superscript", item.sup.pos)
        var, letter = _ops_sub_var(item.sub, ctx, r"\max")
        body, j = binder_body(items, i, ctx.binding(letter) if letter else ctx, r"\max", item.pos)
        return nodes.MaxOver(body, var), j
    if isinstance(item, Scripted):
        fail(r"unexpected superscript on \max", item.sup.pos)
    return _args_op(item, items, i, ctx, "max", Max)


@op("argmax")
def _argmax(item, items, i, ctx: Ctx):
    r"""\arg\max_a f(a): an action, the maximiser (derive/lang/optimal.py: the smallest-index one)."""
    from ..lang.optimal import ArgMax

    if not isinstance(item, Scripted) or item.sub is None or item.sup is not None:
        fail(r"\arg\max needs the variable it maximises over as a subscript: \arg\max_a Q(s, a)", item.pos)
    var, letter = _ops_sub_var(item.sub, ctx, r"\arg\max")
    body, j = binder_body(items, i, ctx.binding(letter) if letter else ctx, r"\arg\max", item.pos)
    return ArgMax(body, var), j


@op("min")
def _min(item, items, i, ctx: Ctx):
    r"""``\min(x, y)``: the smaller; ``\min_a X`` refused."""
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
    r"""``\log x``, ``\ln x``, ``\log(x)^2``: the natural logarithm of the next factor (log of zero or of a negative
    number refused).  ``\log a \prod_t b_t`` is the logarithm of the whole product, as in \log ab = \log a + \log b
    (an author taking the log of both sides of P(\tau) = \rho_0(s_0) \prod_t ...); the reading is stated."""
    if _product_follows(items, i):
        arg, j = product(items, i + 1, ctx)
        note(r"\log a \prod_t b_t is read as \log\left(a \prod_t b_t\right): the logarithm of the whole product "
             r"(write (\log a) \prod_t b_t for the other reading)")
        return safe_log(arg, item.pos), j
    return _prefix(item, items, i, ctx, r"\log", lambda x: safe_log(x, item.pos))


def _product_follows(items, i) -> bool:
    r"""``\log x \prod ...``: a plain \log (no scripts) whose argument, one call like \rho_0(s_0), is followed by \prod."""
    if isinstance(items[i], Scripted) or i + 1 >= len(items):
        return False
    first = items[i + 1].base if isinstance(items[i + 1], Scripted) else items[i + 1]
    if isinstance(first, Group):  # \log(x) \prod ...: the argument is delimited as written
        return False
    j = i + 2
    if j < len(items) and is_call_group(items[j]):
        j += 1
    nxt = base_atom(items[j]) if j < len(items) else None
    return nxt is not None and nxt.kind == "op" and nxt.name == "prod"


@op("exp")
def _exp(item, items, i, ctx: Ctx):
    r"""``\exp x``, ``\exp(x)``: the exponential of the next factor."""
    return _prefix(item, items, i, ctx, r"\exp", safe_exp)


@op("nabla")
def _nabla(item, items, i, ctx: Ctx):
    r"""``\nabla_\theta X``: the gradient of the next factor with respect to theta (a bare ``\nabla`` means
    ``\nabla_\theta``)."""
    if not isinstance(item, Scripted) or item.sub is None:  # \nabla \bar{R}_\theta (Hung-yi Lee): theta is the only parameter

        note(r"\nabla without a subscript: the gradient with respect to \theta (derive's only parameter)")
    elif raw(single(item.sub)) != r"\theta":
        fail(r"derive differentiates with respect to theta only: write \nabla_\theta", item.pos)
    order = nabla_order(item, ctx)  # \nabla^2_\theta, \nabla_\theta^\top (read_latex/notation_matrices.py)
    arg, post, j = prefix_argument(item, items, i, ctx, r"\nabla_\theta")
    value = gradient_of(arg, order)
    if post is not None:
        value = power(value, interpret(post, ctx.deeper(post.pos)), post.pos)
    return value, j


# expectations: derive/read_latex/expectations.py (registered in registry.OPS)


# ----------------------------------------------------------- evaluation bar


SETTABLE = {**PARAMETERS, "c_{1}": sy.c1, "c_{2}": sy.c2}


@bar("at")
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

    slot = THETA_SPELLINGS.get(to) or flexible_policy(to, rel.rhs.pos, True)
    if slot is None:
        fail(r"\theta can be set to \theta_{old} or \theta' (or \theta_k) in an evaluation bar", rel.rhs.pos)
    body = group_value(Group(g.pos, "left", "(", ")", g.parts, g.sep, g.sep_pos), ctx)
    return nodes.EvalAt(body, Str("theta"), Str(slot))


__all__ = ["eval_bar"]
