"""The notation: what each symbol and operator means (registries name -> builder).

``HEADS`` maps a symbol (a letter, a Greek macro, ``hat:A``, ``text:clip``) to a
builder ``fn(head, ctx) -> expression``; ``OPS`` maps an operator (``sum``,
``log``, ``nabla``, ``expect``, ...) to ``fn(item, items, i, ctx) -> (expression,
next index)``; the operators live in :mod:`derive.read_latex.operators`.  docs/notation.md
describes every form.
"""
from __future__ import annotations

from sympy.core.symbol import Str

from ..lang import nodes
from ..lang import symbols as sy
from ..lang.registry import registrar
from ..lang.symbols import ActionVar, PointVar, StateVar
from .errors import fail
from .interpret import (Ctx, Head, arguments, index, interpret, is_call_group,
                        call_group, misplaced, safe_exp, value_in_role)
from .syntax import Atom, Group, Placeholder, Rel, Scripted, Syn, Term, base_atom, raw, single

HEADS: dict = {}
OPS: dict = {}
head = registrar(HEADS)  # @head(r"\pi", ...): the reading of a symbol (derive/lang/registry.py)
op = registrar(OPS)  # @op("expect", ...): the reading of an operator


INTEGER_LETTERS = ("t", "k", "l", "n", "T", "i", "j", "m")
FREE_FUNCTIONS = ("f", "g", "h")
FREE_DISTRIBUTIONS = ("p", "q")
PARAMETERS = sy.PARAMETER_COMMANDS  # \gamma, \lambda, \epsilon, \beta (one table: derive/lang/symbols.py)

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
    if r in (r"\pi_{*}", r"\pi^{*}", r"\pi_*", r"\pi^*"):  # an optimal policy (greedy w.r.t. Q*)
        return "star"
    if r == r"\pi_{greedy}":  # \pi_{\text{greedy}}: greedy w.r.t. Q^{\pi_\theta} (policy improvement)
        return "greedy"
    if r.startswith(r"\pi_{") and r.endswith("}") and r[5:-1] in THETA_SPELLINGS:
        return THETA_SPELLINGS[r[5:-1]]
    if allow_theta and r in THETA_SPELLINGS:
        return THETA_SPELLINGS[r]
    from .notation_policies import flexible_policy  # \pi_{\theta_k}, \tilde\pi, \pi_{ref}, ...: the file's slots

    slot = flexible_policy(r, x.pos, allow_theta)
    if slot is not None:
        return slot
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
    if h.name == "T":
        return _horizon(h, ctx)
    return sy.integer(h.name)


@head("H")
def _horizon(h: Head, ctx: Ctx):
    """T and H: the horizon (read_markdown/conventions.py: ``horizon: last-index`` makes it derive's T - 1)."""
    from ..read_markdown.conventions import horizon

    if h.name == "H" and h.call is not None:
        fail("H is the horizon here, not a function: an entropy H(...) is not supported", h.pos)
    return horizon(ctx.options)


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
    return StateVar(h.name) if "state:" + h.name in ctx.actions else PointVar(h.name)  # \sum_{x \in \mathcal{S}}


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
    if h.sub is None and h.call is None:
        return free_scalar(h)
    u = index(h.take_sub("r_t"), ctx, "the time index of r_t")
    g = h.call
    if g is not None and g.sep is None and len(g.parts[0]) == 1 and raw(single(g.parts[0][0])) == r"\theta":
        h.take_call()
        num, den = ("old", "theta") if ctx.options.get("ratio") == "inverted" else ("theta", "old")  # hints.py
        return nodes.Pi(Str(num), nodes.At(u), nodes.St(u)) / nodes.Pi(Str(den), nodes.At(u), nodes.St(u))
    from ..read_markdown.conventions import reward_time

    return nodes.Rt(reward_time(u, ctx.options))


@head("e")
def _e(h: Head, ctx: Ctx):
    h.no_primes()
    if h.sup is not None:
        return safe_exp(interpret(h.take_sup(), ctx.deeper(h.pos)))
    return safe_exp(1)


@head("c")
def _c(h: Head, ctx: Ctx):
    h.no_primes()
    if h.sub is None:
        return free_scalar(h)
    sub = raw(h.take_sub("c_1 or c_2"))
    if sub == "1":
        return sy.c1
    if sub == "2":
        return sy.c2
    fail(f"unknown coefficient c_{{{sub}}} (known: c_1, c_2)", h.pos)


def free_scalar(h: Head):
    """r, A, c written bare: a free real number (a pure-algebra step, e.g. PPO-clip's case analysis;
    judged by derive/check_statements/scalars.py at rational points satisfying the assumptions)."""
    return sy.scalar(h.name)


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
        if len(g.parts[0]) == 1 and isinstance(g.parts[0][0], Rel) and g.parts[0][0].kind == "=":
            from .notation_optimal import event_probability  # P(s_t = s) = E_tau[[s_t = s]] (TRPO's rho_pi)

            return event_probability(g.parts[0][0], ctx)
        fail(r"P is written P(s'|s,a) (a transition) or P(\tau|\theta) (a trajectory)", g.pos)
    if g.sep == "|" and len(g.parts[0]) == 1 and len(g.parts[1]) == 1 and isinstance(g.parts[0][0], Rel) \
            and g.parts[0][0].kind == "=":  # P(s_t = s | \tilde\pi): the policy after the bar (TRPO eq. 2)
        from .notation_optimal import event_probability

        return event_probability(g.parts[0][0], ctx, policy_name(g.parts[1][0], r"P(s_t = s|\pi)"))
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
            return mrp_reward(args[0], ctx)  # notation_written.py
        return nodes.TrajReturn()
    return nodes.Rew(value_in_role(args[0], "state", ctx, "the state of R(s,a,s')"),
                     value_in_role(args[1], "action", ctx, "the action of R(s,a,s')"),
                     value_in_role(args[2], "state", ctx, "the next state of R(s,a,s')"))


@head("G")
def _G(h: Head, ctx: Ctx):
    h.no_primes()
    if h.sub is None and h.sup is None and h.call is not None:  # G(\tau): the trajectory's return, R(\tau)
        (x,) = arguments(h.take_call(r"G(\tau)"), 1, "G")
        if not is_tau(x):
            fail(r"G is the return: G_t (from time t) or G(\tau) (of a trajectory, as R(\tau))", h.pos)
        return nodes.TrajReturn()
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
        if h.call is None and h.base == "A":
            return free_scalar(h)
        if h.call is None:
            fail(f"{h.base} must be applied: {h.base}^\\pi(...) (the true value) or {h.base}(s) (a free function)",
                 h.pos)
        if h.base in ("V", "Q") and ctx.options.get("values") == "true":
            return bare_true_value(h, ctx)  # notation_written.py
        return free_function(h, ctx)
    if h.base == "A" and (h.sub is not None) != (h.call is not None) \
            and raw(single(h.sup)).replace(" ", "").startswith(("(", "GAE", r"\mathrm{GAE}")):
        from .reading import note  # A_t^{(k)}, A_t^{GAE}: estimators written without the hat (Hands-on RL)

        if h.call is not None:  # A^{GAE(\gamma,\lambda)}(s_t, a_t): the estimator at time t (JoyRL, eq. 10.5)
            s_t, a_t = (single(x) for x in arguments(h.take_call(r"A^{GAE}(s_t, a_t)"), 2, r"A^{GAE}(s_t, a_t)"))
            if not (isinstance(s_t, Scripted) and isinstance(a_t, Scripted) and raw(s_t.base) == "s"
                    and raw(a_t.base) == "a" and s_t.sub is not None and raw(s_t.sub) == raw(a_t.sub)
                    and s_t.sup is None and a_t.sup is None):
                fail(r"an estimator A^{GAE}(s_t, a_t) is evaluated at the state and action of one time t", h.pos)
            h.sub = s_t.sub

        note(r"A_t^{(k)}, A_t^{GAE} without a hat are the estimators \hat{A}_t^{(k)}, \hat{A}_t^{GAE} (GAE paper, eqs. 11-16)")
        return _hat_a(h, ctx)
    if raw(single_expr(h.sup)) == "*":  # V^*, Q^*, A^*: the optimal values (derive/read_latex/notation_optimal.py)
        from .notation_optimal import optimal_value

        h.take_sup()
        return optimal_value(h, ctx, h.base, _time(h, ctx))
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
        return gae_params(nodes.GAE(u, ref), single(sup), ctx)  # notation_written.py
    inner = single(sup)
    if isinstance(inner, Group) and inner.kind in ("paren", "left") and inner.sep is None \
            and len(inner.parts[0]) == 1:
        if raw(single(inner.parts[0][0])) == r"\infty":  # k -> infinity (GAE eq. 15): derive/engine/infinite.py
            from sympy import oo

            return nodes.KAdv(oo, u, ref)
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


@head("...")
def _ellipsis(h: Head, ctx: Ctx):
    fail(r"an ellipsis (\cdots, \dots, \ldots) is read only as a term of a sum: r_t + \gamma r_{t+1} + \cdots", h.pos)


@head(r"\tau", r"\theta", r"\infty")
def _only_in(h: Head, ctx: Ctx):
    fail(_ONLY_IN[h.base], h.pos)


from . import operators  # noqa: E402,F401  (registers OPS: sums, products, max/min, log, exp, nabla, E, bars)
from . import notation_policies, notation_sb, notation_traj, notation_tokens, expectations, integrals  # noqa: E402,F401
from .notation_written import bare_true_value, gae_params, mrp_reward  # noqa: E402  (issue 10: spellings of published derivations)
from . import variance  # noqa: E402,F401  (issue 10: \operatorname{Var})
from . import notation_defined  # noqa: E402,F401  (issue 10: \phi, \omega, \sigma defined by the file)
from . import kstep, notation_episodic  # noqa: E402,F401  (issue 10: \rho^\pi(s \to x, k); d^\pi when episodic)
from . import notation_from1  # noqa: E402,F401  (issue 10: horizon: from-1, p(s_1) = rho_0)
from . import notation_llm  # noqa: E402,F401  (issue 10: \pi_\theta(y|x), r(x, y) on the token MDP)
from . import notation_notes  # noqa: E402,F401  (issue 10 R3: lecture-note spellings, P(s', r|s, a), s ~ d^pi(s))
from . import notation_dpo  # noqa: E402,F401  (issue 10 R2: DPO's \pi^*, r^*, y_1/y_2, p^*(y_1 \succ y_2|x), \sigma)
from . import notation_objectives  # noqa: E402,F401  (issue 10 R2: \max_\theta F, \mathbb{D}_{KL}[\pi(y|x) \| Q])
from . import notation_groups  # noqa: E402,F401  (issue 10 R2: GRPO's o_{i,t}, o_{i,<t}, r_{i,t}(\theta), one output)
from . import notation_rewards  # noqa: E402,F401  (issue 10 R6: p(r|s,a) summed over \mathcal{R}(s,a))
