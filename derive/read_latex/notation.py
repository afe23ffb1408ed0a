"""The core notation: the readings of the letters and of the MDP's symbols (filed in ``registry.HEADS``).

``s``, ``a``, ``t``, ``T``, ``r_t``, ``\\gamma``, ``\\pi(a|s)``, ``P(s'|s,a)``, ``\\rho_0(s)``, ``R(\\tau)``,
``G_t``, ``D_{KL}(q \\| p)``, ``\\operatorname{clip}``; the value functions are read in
:mod:`derive.read_latex.value_functions`, the operators in :mod:`derive.read_latex.operators`.
docs/notation.md describes every form.
"""
from __future__ import annotations

from sympy.core.symbol import Str

from ..lang import nodes
from ..lang import symbols as sy
from ..lang.symbols import ActionVar, PointVar, StateVar
from .errors import fail
from .arithmetic import safe_exp
from .interpret import Ctx, Head, arguments, interpret
from .roles import index, value_in_role
from .notation_optimal import event_probability  # P(s_t = s) = E_tau[[s_t = s]] (TRPO's rho_pi)
from .notation_written import mrp_reward  # R(s) of a Markov reward process (issue 10)
from .registry import head
from .spellings import (FREE_DISTRIBUTIONS, FREE_FUNCTIONS, INTEGER_LETTERS, PARAMETERS, default_ref, is_tau, policy_name,
                        single_expr)
from .syntax import Atom, Rel, Scripted, raw, single


# ------------------------------------------------------------ letters


def horizon(options: dict):
    """The value of the written horizon letter (T or H) under the file's convention (``ctx.options``):
    ``horizon: last-index`` (t = 0..T) makes it derive's T - 1, otherwise T (read_markdown/conventions.py)."""
    if options.get("horizon") == "last-index":
        return sy.T - 1
    return sy.T


def reward_time(u, options: dict):
    """derive's time of the written reward r_u under the file's convention: ``reward-index: t+1`` (Sutton & Barto's
    R_{t+1} follows A_t) makes it u - 1, otherwise u (read_markdown/conventions.py)."""
    if options.get("reward-index") == "t+1":
        return u - 1
    return u


@head(*INTEGER_LETTERS)
def _integer(h: Head, ctx: Ctx):
    r"""``t``, ``k``, ``l``, ``n``, ``i``, ``j``, ``m``: integer indices (``s_{t+1}``, ``\sum_{k=0}^{n}``); ``T``:
    the horizon, as ``H``."""
    if h.name == "T":
        return _horizon(h, ctx)
    return sy.integer(h.name)


@head("H")
def _horizon(h: Head, ctx: Ctx):
    """T and H: the horizon (read_markdown/conventions.py: ``horizon: last-index`` makes it derive's T - 1)."""
    if h.name == "H" and h.call is not None:
        fail("H is the horizon here, not a function: an entropy H(...) is not supported", h.pos)
    return horizon(ctx.options)


@head("s")
def _state(h: Head, ctx: Ctx):
    r"""``s_t``, ``s_{t+1}``: the trajectory's state at a time; ``s``, ``s'``: a free state variable."""
    if h.sub is not None:
        h.no_primes()
        return nodes.St(index(h.take_sub(), ctx, "the time index of s_t"))
    return StateVar(h.name)


@head("a")
def _action(h: Head, ctx: Ctx):
    r"""``a_t``: the trajectory's action at a time; ``a``, ``a'``: a free action variable."""
    if h.sub is not None:
        h.no_primes()
        return nodes.At(index(h.take_sub(), ctx, "the time index of a_t"))
    return ActionVar(h.name)


@head("b")
def _b(h: Head, ctx: Ctx):
    r"""``b``: an action bound by ``\sum_b`` (or drawn, or an argument of \pi, Q, A, P); ``b(s)``: a free function."""
    bound = ctx.role == "action" or h.name in ctx.actions
    if h.call is not None and ctx.role != "action":
        return free_function(h, ctx)
    if bound:
        return ActionVar(h.name)
    fail(f"{h.name} is neither an action bound by \\sum_{h.name} (or drawn in an expectation, or an argument "
         f"of \\pi/Q/A/P) nor a function {h.name}(s)", h.pos)


@head("x", "y")
def _point(h: Head, ctx: Ctx):
    r"""``x``, ``y``: points of a free distribution's space X; a state when bound by ``\sum_{x \in \mathcal{S}}``."""
    return StateVar(h.name) if "state:" + h.name in ctx.actions else PointVar(h.name)  # \sum_{x \in \mathcal{S}}


def free_function(h: Head, ctx: Ctx):
    h.no_primes()
    g = h.take_call(f"{h.name}(s)")
    args = arguments(g, (1, 2, 3), f"the function {h.name}")
    vals = [value_in_role(a, "var", ctx, f"an argument of {h.name}") for a in args]
    return nodes.FreeFn(Str(h.name), *vals)


@head(*FREE_FUNCTIONS)
def _free_function(h: Head, ctx: Ctx):
    r"""``f(x)``, ``g(s, a)``, ``h(s, a, s')``: a free function of one to three variables."""
    return free_function(h, ctx)


@head(*FREE_DISTRIBUTIONS)
def _free_prob(h: Head, ctx: Ctx):
    r"""``p(x)``, ``q(x)``: the probability of the point x under the free distribution p or q."""
    h.no_primes()
    g = h.take_call(f"{h.name}(x)")
    (x,) = arguments(g, 1, f"the distribution {h.name}")
    return nodes.FreeProb(Str(h.name), value_in_role(x, "point", ctx, f"the argument of {h.name}"))


@head("r")
def _reward(h: Head, ctx: Ctx):
    r"""``r_t``: the reward at time t (``reward-index: t+1`` shifts it, read_markdown/conventions.py);
    ``r_t(\theta)``: PPO's ratio ``\pi_\theta(a_t|s_t) / \pi_{\theta_{old}}(a_t|s_t)`` (Schulman et al. 2017, eq. 6;
    inverted under ``ratio: inverted``); a bare ``r``: a free real number."""
    h.no_primes()
    if h.sub is None and h.call is None:
        return free_scalar(h)
    u = index(h.take_sub("r_t"), ctx, "the time index of r_t")
    g = h.call
    if g is not None and g.sep is None and len(g.parts[0]) == 1 and raw(single(g.parts[0][0])) == r"\theta":
        h.take_call()
        num, den = ("old", "theta") if ctx.options.get("ratio") == "inverted" else ("theta", "old")  # hints.py
        return nodes.Pi(Str(num), nodes.At(u), nodes.St(u)) / nodes.Pi(Str(den), nodes.At(u), nodes.St(u))
    return nodes.Rt(reward_time(u, ctx.options))


@head("e")
def _e(h: Head, ctx: Ctx):
    r"""``e``, ``e^{x}``: Euler's number and the exponential."""
    h.no_primes()
    if h.sup is not None:
        return safe_exp(interpret(h.take_sup(), ctx.deeper(h.pos)))
    return safe_exp(1)


@head("c")
def _c(h: Head, ctx: Ctx):
    r"""``c_1``, ``c_2``: PPO's loss coefficients (Schulman et al. 2017, eq. 9); a bare ``c``: a free real number."""
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
    r"""``\gamma``, ``\lambda``, ``\epsilon``, ``\beta``: derive's parameters (derive/lang/symbols.py:
    PARAMETER_COMMANDS)."""
    h.no_primes()
    return PARAMETERS[h.base]


# ----------------------------------------------------- the MDP


@head(r"\pi")
def _pi(h: Head, ctx: Ctx):
    r"""``\pi(a|s)``, ``\pi_\theta(a|s)``, ``\pi_{\theta_{old}}(a|s)``, ``\pi'(a|s)``: the probability of a at s
    under the policy named (spellings.policy_name)."""
    pol = policy_name(Scripted(h.pos, Atom(h.pos, "sym", h.name), h.take_sub(), None), "the policy")
    g = h.take_call(r"\pi(a|s)")
    if g.sep != "|" or len(g.parts[0]) != 1 or len(g.parts[1]) != 1:
        fail(r"a policy is written \pi(a|s) (or \pi(a \mid s))", g.pos)
    act = value_in_role(g.parts[0][0], "action", ctx, "the action of \\pi(a|s)")
    st = value_in_role(g.parts[1][0], "state", ctx, "the state of \\pi(a|s)")
    return nodes.Pi(Str(pol), act, st)


@head("P")
def _P(h: Head, ctx: Ctx):
    r"""``P(s'|s,a)``: the transition probability; ``P(\tau|\theta)``, ``P(\tau)``: a trajectory's probability;
    ``P(s_t = s)``, ``P(s_t = s|\tilde\pi)``: the probability of an event (notation_optimal.event_probability)."""
    h.no_primes()
    g = h.take_call(r"P(s'|s,a) or P(\tau|\theta)")
    if g.sep is None:
        if len(g.parts[0]) == 1 and is_tau(g.parts[0][0]):
            return nodes.TrajProb(Str("theta"))
        if len(g.parts[0]) == 1 and isinstance(g.parts[0][0], Rel) and g.parts[0][0].kind == "=":
            return event_probability(g.parts[0][0], ctx)
        fail(r"P is written P(s'|s,a) (a transition) or P(\tau|\theta) (a trajectory)", g.pos)
    if g.sep == "|" and len(g.parts[0]) == 1 and len(g.parts[1]) == 1 and isinstance(g.parts[0][0], Rel) \
            and g.parts[0][0].kind == "=":  # P(s_t = s | \tilde\pi): the policy after the bar (TRPO eq. 2)
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
    r"""``\rho_0(s)``: the initial state distribution."""
    h.no_primes()
    if raw(h.take_sub(r"\rho_0(s)")) != "0":
        fail(r"the initial distribution is written \rho_0(s)", h.pos)
    g = h.take_call(r"\rho_0(s)")
    (x,) = arguments(g, 1, r"\rho_0")
    return nodes.Rho0(value_in_role(x, "state", ctx, r"the argument of \rho_0"))


@head("R")
def _R(h: Head, ctx: Ctx):
    r"""``R(s,a,s')``: the reward function; ``R(\tau)``: the trajectory's return; ``R(s)``: a Markov reward
    process's reward (notation_written.mrp_reward)."""
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
    r"""``G_t``: the return from time t; ``G_t^\lambda``: the lambda-return; ``G(\tau)``: the trajectory's return,
    as ``R(\tau)``."""
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
    r"""``D_{KL}(q \| p)``: the KL divergence of the free distributions q and p."""
    h.no_primes()
    if raw(single(h.take_sub(r"D_{KL}"))).replace(" ", "") != "KL":
        fail(r"unknown D_{...}: only the KL divergence D_{KL}(q \| p)", h.pos)
    return _kl_args(h)


@head("text:KL")
def _kl(h: Head, ctx: Ctx):
    r"""``\operatorname{KL}(q \| p)``: the KL divergence, as ``D_{KL}(q \| p)``."""
    return _kl_args(h)


@head("text:clip")
def _clip(h: Head, ctx: Ctx):
    r"""``\operatorname{clip}(x, lo, hi)``: x clipped to [lo, hi] (PPO, Schulman et al. 2017, eq. 7)."""
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
    r"""``\cdots`` outside the terms of a sum: refused (an ellipsis is read only as a term of a series, series.py)."""
    fail(r"an ellipsis (\cdots, \dots, \ldots) is read only as a term of a sum: r_t + \gamma r_{t+1} + \cdots", h.pos)


@head(r"\tau", r"\theta", r"\infty")
def _only_in(h: Head, ctx: Ctx):
    r"""``\tau``, ``\theta``, ``\infty`` alone: refused, naming where each is read (``R(\tau)``, ``\pi_\theta``, an
    upper limit)."""
    fail(_ONLY_IN[h.base], h.pos)
