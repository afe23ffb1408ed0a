"""The notation: what each symbol and operator means (registries name -> builder).

``HEADS`` maps a symbol (a letter, a Greek macro, ``hat:A``, ``text:clip``) to a
builder ``fn(head, ctx) -> expression``; ``OPS`` maps an operator (``sum``,
``log``, ``nabla``, ``expect``, ...) to ``fn(item, items, i, ctx) -> (expression,
next index)``.  docs/notation.md describes every form.
"""
from __future__ import annotations

from sympy import Max, Min, Product, Sum, oo
from sympy.core.symbol import Str

from ..lang import nodes
from ..lang import symbols as sy
from ..lang.symbols import ActionVar, PointVar, StateVar
from .errors import fail
from .interpret import (Ctx, Head, arguments, check_role, factor, group_value, index, interpret, is_call_group,
                        call_group, misplaced, power, product, safe_exp, safe_log, value_in_role)
from .syntax import Atom, Group, Placeholder, Rel, Scripted, Syn, Term, base_atom, raw, single

HEADS: dict = {}
OPS: dict = {}


def head(*names):
    def register(fn):
        for name in names:
            HEADS[name] = fn
        return fn

    return register


def op(*names):
    def register(fn):
        for name in names:
            OPS[name] = fn
        return fn

    return register


INTEGER_LETTERS = ("t", "k", "l", "n", "T", "i", "j", "m")
FREE_FUNCTIONS = ("f", "g", "h")
FREE_DISTRIBUTIONS = ("p", "q")
PARAMETERS = {r"\gamma": sy.gamma, r"\lambda": sy.lam, r"\epsilon": sy.eps, r"\beta": sy.beta}

# ----------------------------------------------------------- policies

# spellings of the parameter of a policy (raw text, see syntax.raw)
THETA_SPELLINGS = {
    r"\theta": "theta", "theta": "theta",
    r"\theta_{old}": "old", "old": "old", r"\theta_{prime}": "prime", "prime": "prime", r"\theta'": "prime",
}


def policy_name(x: Syn, what: str, allow_theta: bool = True) -> str:
    """The policy a spelling names: \\pi, \\pi_\\theta -> theta; \\pi_{\\theta_{old}}, \\pi_{old} -> old; \\pi' -> prime."""
    r = raw(single(x)).replace(" ", "")
    if r == r"\pi":
        return "theta"
    if r == r"\pi'":
        return "prime"
    if r.startswith(r"\pi_{") and r.endswith("}") and r[5:-1] in THETA_SPELLINGS:
        return THETA_SPELLINGS[r[5:-1]]
    if allow_theta and r in THETA_SPELLINGS:
        return THETA_SPELLINGS[r]
    fail(f"{what}: {r[:40] or 'nothing'} is not a policy (write \\pi, \\pi_\\theta, \\pi_{{\\theta_{{old}}}} "
         "or \\pi')", x.pos)


def default_ref(ctx: Ctx):
    """The value function delta_t, GAE, ... use: the true V^pi, or the free V (front matter delta: V)."""
    return nodes.free_v("V") if ctx.options.get("delta") == "V" else nodes.true_v()


def single_expr(x: Syn):
    """The one expression of a script / argument (a brace group with one item), or fail."""
    if isinstance(x, Group) and x.kind == "brace":
        if len(x.parts[0]) != 1:
            fail("a list where a single expression is expected", x.parts[0][1].pos)
        x = x.parts[0][0]
    if isinstance(x, (Rel, Placeholder)):
        misplaced(x)
    return x


def head_and_call(x: Syn):
    """Split ``\\pi_\\theta(\\cdot|s)`` (two juxtaposed items) into the head item and its call group."""
    x = single(x)
    if isinstance(x, Term) and len(x.items) == 2 and is_call_group(x.items[1]) and not isinstance(x.items[1], Scripted):
        return x.items[0], call_group(x.items[1])
    return x, None


# ------------------------------------------------------------ letters


def unknown_symbol(h: Head):
    if h.kind == "text":
        fail(f"unknown name \\operatorname{{{h.name}}} (known: clip, KL)", h.pos)
    fail(f"unknown symbol {h.label}", h.pos)


@head(*INTEGER_LETTERS)
def _integer(h: Head, ctx: Ctx):
    return sy.integer(h.name)


@head("s")
def _state(h: Head, ctx: Ctx):
    if h.sub is not None:
        h.no_primes()
        return nodes.St(index(h.take_sub(), ctx, "the time index of s_t"))
    return StateVar(h.name)


@head("a")
def _action(h: Head, ctx: Ctx):
    if h.sub is not None:
        h.no_primes()
        return nodes.At(index(h.take_sub(), ctx, "the time index of a_t"))
    return ActionVar(h.name)


@head("b")
def _b(h: Head, ctx: Ctx):
    bound = ctx.role == "action" or h.name in ctx.actions
    if h.call is not None and ctx.role != "action":
        return free_function(h, ctx)
    if bound:
        return ActionVar(h.name)
    fail(f"{h.name} is neither an action bound by \\sum_{h.name} (or drawn in an expectation, or an argument "
         f"of \\pi/Q/A/P) nor a function {h.name}(s)", h.pos)


@head("x", "y")
def _point(h: Head, ctx: Ctx):
    return PointVar(h.name)


def free_function(h: Head, ctx: Ctx):
    h.no_primes()
    g = h.take_call(f"{h.name}(s)")
    args = arguments(g, (1, 2, 3), f"the function {h.name}")
    vals = [value_in_role(a, "var", ctx, f"an argument of {h.name}") for a in args]
    return nodes.FreeFn(Str(h.name), *vals)


@head(*FREE_FUNCTIONS)
def _free_function(h: Head, ctx: Ctx):
    return free_function(h, ctx)


@head(*FREE_DISTRIBUTIONS)
def _free_prob(h: Head, ctx: Ctx):
    h.no_primes()
    g = h.take_call(f"{h.name}(x)")
    (x,) = arguments(g, 1, f"the distribution {h.name}")
    return nodes.FreeProb(Str(h.name), value_in_role(x, "point", ctx, f"the argument of {h.name}"))


@head("r")
def _reward(h: Head, ctx: Ctx):
    h.no_primes()
    u = index(h.take_sub("r_t"), ctx, "the time index of r_t")
    g = h.call
    if g is not None and g.sep is None and len(g.parts[0]) == 1 and raw(single(g.parts[0][0])) == r"\theta":
        h.take_call()
        return nodes.Pi(Str("theta"), nodes.At(u), nodes.St(u)) / nodes.Pi(Str("old"), nodes.At(u), nodes.St(u))
    return nodes.Rt(u)


@head("e")
def _e(h: Head, ctx: Ctx):
    h.no_primes()
    if h.sup is not None:
        return safe_exp(interpret(h.take_sup(), ctx.deeper(h.pos)))
    return safe_exp(1)


@head("c")
def _c(h: Head, ctx: Ctx):
    h.no_primes()
    sub = raw(h.take_sub("c_1 or c_2"))
    if sub == "1":
        return sy.c1
    if sub == "2":
        return sy.c2
    fail(f"unknown coefficient c_{{{sub}}} (known: c_1, c_2)", h.pos)


@head(r"\gamma", r"\lambda", r"\epsilon", r"\beta")
def _parameter(h: Head, ctx: Ctx):
    h.no_primes()
    return PARAMETERS[h.base]


# ----------------------------------------------------- the MDP


@head(r"\pi")
def _pi(h: Head, ctx: Ctx):
    pol = policy_name(Scripted(h.pos, Atom(h.pos, "sym", h.name), h.take_sub(), None), "the policy")
    g = h.take_call(r"\pi(a|s)")
    if g.sep != "|" or len(g.parts[0]) != 1 or len(g.parts[1]) != 1:
        fail(r"a policy is written \pi(a|s) (or \pi(a \mid s))", g.pos)
    act = value_in_role(g.parts[0][0], "action", ctx, "the action of \\pi(a|s)")
    st = value_in_role(g.parts[1][0], "state", ctx, "the state of \\pi(a|s)")
    return nodes.Pi(Str(pol), act, st)


def is_tau(x: Syn) -> bool:
    return raw(single(x)).replace(" ", "") == r"\tau"


@head("P")
def _P(h: Head, ctx: Ctx):
    h.no_primes()
    g = h.take_call(r"P(s'|s,a) or P(\tau|\theta)")
    if g.sep is None:
        if len(g.parts[0]) == 1 and is_tau(g.parts[0][0]):
            return nodes.TrajProb(Str("theta"))
        fail(r"P is written P(s'|s,a) (a transition) or P(\tau|\theta) (a trajectory)", g.pos)
    if g.sep != "|" or len(g.parts[0]) != 1:
        fail(r"P is written P(s'|s,a) (a transition) or P(\tau|\theta) (a trajectory)", g.pos)
    if is_tau(g.parts[0][0]):
        if len(g.parts[1]) != 1:
            fail(r"P(\tau|...) takes one policy after the bar", g.pos)
        return nodes.TrajProb(Str(policy_name(g.parts[1][0], r"P(\tau|...)")))
    if len(g.parts[1]) != 2:
        fail(r"a transition probability is written P(s'|s,a)", g.pos)
    nxt = value_in_role(g.parts[0][0], "state", ctx, "the next state of P(s'|s,a)")
    st = value_in_role(g.parts[1][0], "state", ctx, "the state of P(s'|s,a)")
    act = value_in_role(g.parts[1][1], "action", ctx, "the action of P(s'|s,a)")
    return nodes.Trans(nxt, st, act)


@head(r"\rho")
def _rho(h: Head, ctx: Ctx):
    h.no_primes()
    if raw(h.take_sub(r"\rho_0(s)")) != "0":
        fail(r"the initial distribution is written \rho_0(s)", h.pos)
    g = h.take_call(r"\rho_0(s)")
    (x,) = arguments(g, 1, r"\rho_0")
    return nodes.Rho0(value_in_role(x, "state", ctx, r"the argument of \rho_0"))


@head("R")
def _R(h: Head, ctx: Ctx):
    h.no_primes()
    g = h.take_call(r"R(\tau) or R(s,a,s')")
    args = arguments(g, (1, 3), "R")
    if len(args) == 1:
        if not is_tau(args[0]):
            fail(r"R with one argument is the return R(\tau)", args[0].pos)
        return nodes.TrajReturn()
    return nodes.Rew(value_in_role(args[0], "state", ctx, "the state of R(s,a,s')"),
                     value_in_role(args[1], "action", ctx, "the action of R(s,a,s')"),
                     value_in_role(args[2], "state", ctx, "the next state of R(s,a,s')"))


@head("G")
def _G(h: Head, ctx: Ctx):
    h.no_primes()
    u = index(h.take_sub("G_t"), ctx, "the time index of G_t")
    if h.sup is not None:
        sup = raw(single_expr(h.take_sup())).replace(" ", "")
        if sup == r"\lambda":
            return nodes.LamRet(u, default_ref(ctx))
        fail(f"unknown return G^{{{sup[:30]}}} (known: G_t, G_t^\\lambda)", h.sup.pos)
    return nodes.Ret(u)


# ------------------------------------------------------- value functions


def _time(h: Head, ctx: Ctx):
    return index(h.take_sub(), ctx, f"the time index of {h.base}_t") if h.sub is not None else nodes.NOTIME


@head("V", "Q", "A")
def _value(h: Head, ctx: Ctx):
    h.no_primes()
    if h.sup is None:
        if h.sub is not None:
            fail(f"{h.base}_t needs a policy: write {h.base}^{{\\pi}}_t", h.pos)
        if h.call is None:
            fail(f"{h.base} must be applied: {h.base}^\\pi(...) (the true value) or {h.base}(s) (a free function)",
                 h.pos)
        return free_function(h, ctx)
    pol = Str(policy_name(single_expr(h.take_sup()), f"the superscript of {h.base}"))
    tm = _time(h, ctx)
    g = h.take_call(f"{h.base}^\\pi(s)" if h.base == "V" else f"{h.base}^\\pi(s,a)")
    if h.base == "V":
        (s,) = arguments(g, 1, "V^\\pi")
        return nodes.V(pol, value_in_role(s, "state", ctx, "the state of V^\\pi(s)"), tm)
    s, a = arguments(g, 2, f"{h.base}^\\pi")
    cls = nodes.Q if h.base == "Q" else nodes.A
    return cls(pol, value_in_role(s, "state", ctx, f"the state of {h.base}^\\pi(s,a)"),
               value_in_role(a, "action", ctx, f"the action of {h.base}^\\pi(s,a)"), tm)


@head("d")
def _d(h: Head, ctx: Ctx):
    h.no_primes()
    pol = Str(policy_name(single_expr(h.take_sup(r"d^{\pi}(s)")), "the superscript of d"))
    g = h.take_call(r"d^{\pi}(s)")
    (s,) = arguments(g, 1, "d^\\pi")
    return nodes.Dpi(pol, value_in_role(s, "state", ctx, "the state of d^\\pi(s)"))


@head("J")
def _J(h: Head, ctx: Ctx):
    h.no_primes()
    g = h.take_call(r"J(\theta) or J(\pi')")
    (x,) = arguments(g, 1, "J")
    return nodes.J(Str(policy_name(x, "the argument of J")))


@head(r"\delta")
def _delta(h: Head, ctx: Ctx):
    h.no_primes()
    u = index(h.take_sub(r"\delta_t"), ctx, r"the time index of \delta_t")
    ref = default_ref(ctx)
    if h.sup is not None:
        ref = value_ref(single(h.take_sup()), r"\delta")
    return nodes.Delta(u, ref)


def value_ref(x: Syn, what: str):
    """The V a TD error uses: \\delta^V (a free V) or \\delta^{V^{\\pi}} (the true value of a policy)."""
    a = base_atom(x)
    if isinstance(x, Atom) and x.name == "V":
        return nodes.free_v("V")
    if a is not None and isinstance(x, Scripted) and a.name == "V" and x.sub is None and x.sup is not None:
        return nodes.true_v(policy_name(single_expr(x.sup), f"the superscript of {what}"))
    fail(f"{what}^{{...}} names the value function: V (a free V) or V^{{\\pi}} (the true value)", x.pos)


@head("hat:A")
def _hat_a(h: Head, ctx: Ctx):
    h.no_primes()
    u = index(h.take_sub(r"\hat{A}_t"), ctx, r"the time index of \hat{A}_t")
    ref = default_ref(ctx)
    if h.sup is None:
        return nodes.GAE(u, ref)
    sup = h.take_sup()
    r = raw(single(sup)).replace(" ", "")
    if r.startswith("GAE"):
        return nodes.GAE(u, ref)
    inner = single(sup)
    if isinstance(inner, Group) and inner.kind in ("paren", "left") and inner.sep is None \
            and len(inner.parts[0]) == 1:
        k = index(inner.parts[0][0], ctx, r"the k of \hat{A}_t^{(k)}")
        return nodes.KAdv(k, u, ref)
    fail(r"unknown estimator: write \hat{A}_t, \hat{A}_t^{\mathrm{GAE}(\gamma,\lambda)} or \hat{A}_t^{(k)}",
         sup.pos)


# ------------------------------------------------------ other names


def _kl_args(h: Head):
    g = h.take_call(r"D_{KL}(q \| p)")
    if g.sep != "||" or len(g.parts[0]) != 1 or len(g.parts[1]) != 1:
        fail(r"a KL divergence is written D_{KL}(q \| p)", g.pos)
    names = []
    for x in (g.parts[0][0], g.parts[1][0]):
        r = raw(single(x))
        if r not in FREE_DISTRIBUTIONS:
            fail(f"D_{{KL}} compares the free distributions p and q, not {r[:30]}", x.pos)
        names.append(Str(r))
    return nodes.KL(*names)


@head("D")
def _D(h: Head, ctx: Ctx):
    h.no_primes()
    if raw(single(h.take_sub(r"D_{KL}"))).replace(" ", "") != "KL":
        fail(r"unknown D_{...}: only the KL divergence D_{KL}(q \| p)", h.pos)
    return _kl_args(h)


@head("text:KL")
def _kl(h: Head, ctx: Ctx):
    return _kl_args(h)


@head("text:clip")
def _clip(h: Head, ctx: Ctx):
    g = h.take_call(r"\operatorname{clip}(x, lo, hi)")
    args = arguments(g, 3, "clip")
    return nodes.Clip(*(interpret(a, ctx.deeper(a.pos)) for a in args))


_ONLY_IN = {
    r"\tau": r"\tau (a trajectory) is only allowed in R(\tau), P(\tau|\theta), \tau \sim \pi and \sum_\tau",
    r"\theta": r"\theta (the policy parameter) is only allowed in J(\theta), P(\tau|\theta), \pi_\theta, "
               r"\nabla_\theta and r_t(\theta)",
    r"\infty": r"\infty is only allowed as the upper limit of a sum",
}


@head(r"\tau", r"\theta", r"\infty")
def _only_in(h: Head, ctx: Ctx):
    fail(_ONLY_IN[h.base], h.pos)


# ------------------------------------------------------------ operators


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


__all__ = ["HEADS", "OPS", "policy_name", "eval_bar"]
