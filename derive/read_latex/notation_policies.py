"""Policies and objectives as authors write them (issue 10, item 7).

Policy spellings (mapped to derive's slots by :class:`derive.read_latex.reading.Reading`):

==========================================  ==========================  =====================
spelling                                    source                      preferred slot
==========================================  ==========================  =====================
``\\pi``, ``\\pi_\\theta``                    everywhere                  theta (fixed)
``\\pi_{\\theta_{old}}``, ``\\pi_{old}``       PPO (Schulman et al. 2017)  old (fixed)
``\\pi'``, ``\\pi_{\\theta'}``                 textbooks                   prime (fixed)
``\\pi_{\\theta_k}``                          Spinning Up TRPO/PPO        old
``\\pi_{\\theta_{k+1}}``, ``\\pi_{new}``       Spinning Up, lecture notes  prime
``\\tilde\\pi``                               TRPO (Schulman et al. 2015) prime
``\\pi_{ref}``                                GRPO (Shao et al. 2024)     prime
``\\pi_1``, ``\\pi_2``                         lecture notes               prime, old
==========================================  ==========================  =====================

Objectives: ``\\eta(\\pi)`` is TRPO's expected discounted return (Schulman et al. 2015, eq. (1)),
derive's ``J``; ``J(\\pi_\\theta)``, ``J(\\theta_k)``; ``\\bar{R}_\\theta`` is Hung-yi Lee's
expected return of ``\\pi_\\theta`` (derive's ``J(\\theta)``); ``L_\\pi(\\tilde\\pi)`` is TRPO's local
approximation (eq. (3)): ``\\eta(\\pi) + \\sum_s \\rho_\\pi(s) \\sum_a \\tilde\\pi(a|s) A_\\pi(s,a)``.
"""
from __future__ import annotations

from sympy import Dummy, Sum
from sympy.core.symbol import Str

from ..lang import nodes
from ..lang import symbols as sy
from ..lang.symbols import ActionVar, StateVar
from .errors import fail
from .interpret import Ctx, Head, arguments
from .registry import HEADS, head
from .spellings import declared_behaviour, policy_name, single_expr
from .reading import note
from .syntax import raw, single
from .roles import value_in_role


@head(r"tilde:\pi")
def _tilde_pi(h: Head, ctx: Ctx):
    """\\tilde\\pi(a|s): TRPO's new policy (a slot of the file, usually \\pi')."""
    return HEADS[r"\pi"](h, ctx)


@head(r"\eta")
def _eta(h: Head, ctx: Ctx):
    """\\eta(\\pi): TRPO's expected discounted return of a policy (Schulman et al. 2015, eq. (1)) = J(\\pi)."""
    h.no_primes()
    g = h.take_call(r"\eta(\pi)")
    (x,) = arguments(g, 1, r"\eta")
    pol = policy_name(x, r"the argument of \eta", allow_theta=False)
    note(r"\eta(\pi) is TRPO's expected return (Schulman et al. 2015, eq. (1)): derive's J")
    return nodes.J(Str(pol))


@head(r"bar:R")
def _bar_r(h: Head, ctx: Ctx):
    """\\bar{R}_\\theta: the expected return of \\pi_\\theta (Hung-yi Lee's lectures) = J(\\theta)."""
    h.no_primes()
    sub = h.take_sub(r"\bar{R}_\theta")
    pol = policy_name(single_expr(sub), r"the subscript of \bar{R}")
    note(r"\bar{R}_\theta is the expected return of \pi_\theta (Hung-yi Lee's notation): derive's J(\theta)")
    return nodes.J(Str(pol))


def local_approximation(old: str, new: str, ctx: Ctx, pos: int):
    """TRPO eq. (3): L_pi(pi~) = eta(pi) + sum_s rho_pi(s) sum_a pi~(a|s) A_pi(s,a), discounted setting.

    With rho_pi = d^pi / (1 - gamma) (docs/conventions.md) this is the catalog's surrogate
    (derive/catalog/statements/trust_region.md): J(pi) + E_{s ~ d^pi}[sum_a pi~(a|s) A^pi(s,a)] / (1 - gamma).
    """
    if ctx.options.get("setting") != "discounted":
        fail(r"L_\pi(\tilde\pi) is TRPO's local approximation of the discounted setting: write front matter "
             "setting: discounted", pos)
    s, a = StateVar("s"), ActionVar("a")
    inner = nodes.SumOver(nodes.Pi(Str(new), a, s) * nodes.A(Str(old), s, a, nodes.NOTIME), a)
    return nodes.J(Str(old)) + nodes.Expect(inner, nodes.OccDraw(s, Str(old))) / (1 - sy.gamma)


def rho(pol: str, s, ctx: Ctx):
    """TRPO's unnormalised discounted visitation rho_pi(s) = sum_t gamma^t Pr(s_t = s).

    derive's d^pi is normalised (docs/conventions.md): discounted, d = (1 - gamma) rho; finite
    horizon T, d = rho / sum_{t<T} gamma^t.  So rho = d / (1 - gamma), or d sum_{t<T} gamma^t.
    """
    d = nodes.Dpi(Str(pol), s)
    if ctx.options.get("setting") == "discounted":
        note(r"\rho_\pi(s) = \sum_t \gamma^t \Pr(s_t = s) (TRPO, unnormalised) is d^\pi(s) / (1 - \gamma)")
        return d / (1 - sy.gamma)
    u = Dummy("t", integer=True)
    note(r"\rho_\pi(s) = \sum_{t<T} \gamma^t \Pr(s_t = s) (TRPO, unnormalised) is d^\pi(s) \sum_{t<T} \gamma^t")
    return Sum(sy.gamma ** u, (u, 0, sy.T - 1)) * d


def rho_head(h: Head, ctx: Ctx):
    """\\rho_\\pi(s), \\rho_{\\pi_\\theta}(s), \\rho^{\\pi}(s): TRPO's unnormalised discounted visitation."""
    sub = h.sup if h.sup is not None and h.sub is None else h.sub
    pol = policy_name(single_expr(sub), r"the policy of \rho_\pi", allow_theta=False)
    if sub is h.sup:
        h.take_sup()
    else:
        h.take_sub()
    g = h.take_call(r"\rho_\pi(s)")
    (x,) = arguments(g, 1, r"\rho_\pi")

    return rho(pol, value_in_role(x, "state", ctx, r"the argument of \rho_\pi"), ctx)


def is_policy_spelling(x) -> bool:
    """Does the script x name a policy (\\pi, \\pi_\\theta, \\tilde\\pi, ...)?"""
    r = raw(single(x)).replace(" ", "")
    return r.startswith(r"\pi") or r == r"tilde:\pi"


def l_head(h: Head, ctx: Ctx):
    """L_\\pi(\\tilde\\pi): TRPO's local approximation (eq. (3)), read as its definition."""
    if h.sup is not None or h.sub is None or not is_policy_spelling(h.sub):
        return None
    old = policy_name(single_expr(h.take_sub()), r"the subscript of L_\pi")
    g = h.take_call(r"L_\pi(\tilde\pi)")
    (x,) = arguments(g, 1, r"L_\pi")
    new = policy_name(x, r"the argument of L_\pi", allow_theta=False)
    note(r"L_\pi(\tilde\pi) is TRPO's local approximation (Schulman et al. 2015, eq. (3)): "
         r"\eta(\pi) + \sum_s \rho_\pi(s) \sum_a \tilde\pi(a|s) A_\pi(s,a)")
    return local_approximation(old, new, ctx, h.pos)


__all__ = ["local_approximation", "rho", "rho_head", "l_head", "is_policy_spelling"]


@head("L")
def _l(h: Head, ctx: Ctx):
    """L_\\pi(\\tilde\\pi) (TRPO eq. (3)); any other L (L^{CLIP}(\\theta), L^{CPI}, ...) is the file's own name."""
    value = l_head(h, ctx)
    if value is None:
        fail(f"{raw(h.item)[:30]} is not defined in this file: define it first (L^{{CLIP}}(\\theta) := ...); "
             r"only TRPO's L_\pi(\tilde\pi) has a meaning of its own", h.pos)
    return value


def behaviour_without_draws(sub, draws, body):
    r"""Refuse ``\mathbb{E}_\beta[f(s, a)]`` (the behaviour policy as the only subscript, a free s or a inside).

    Off-policy texts (Lilian Weng's "Off-Policy Policy Gradient") write it for s ~ d^\beta, a ~ \beta(.|s);
    derive's ``\mathbb{E}_\pi`` is over trajectories, in which a free s, a would stay free: a different
    statement.  Refused with the spelling that says the draws, never read either way silently.
    """
    name = declared_behaviour()
    if name is None or len(draws) != 1 or not isinstance(draws[0], nodes.TrajDist):
        return
    if raw(single(sub)).replace(" ", "").strip("{}") != name:
        return
    if any(isinstance(v, (StateVar, ActionVar)) for v in getattr(body, "free_symbols", ())):
        fail(f"\\mathbb{{E}}_{{{name}}}[...] of a free s, a: write the draws, \\mathbb{{E}}_{{s \\sim d^{{{name}}}, "
             f"a \\sim {name}(\\cdot|s)}}[...] (the subscript {name} alone means trajectories \\tau \\sim {name})",
             sub.pos)


def free_action_in_trajectories(draws, given, body, sub):
    r"""Refuse ``\mathbb{E}_\pi[q_\pi(s, a) \mid S_t = s]``: an expectation over trajectories only, whose body
    has a free action a (not a variable of the trajectory, not fixed by the condition).

    Over trajectories a free a stays free (the expectation is of a function of a), while Sutton & Barto's
    exercises mean a ~ \pi(\cdot|s) there; refused with the spelling that draws it.
    """
    if len(draws) != 1 or not isinstance(draws[0], nodes.TrajDist):
        return
    fixed = set()
    for g in given:
        fixed |= g.free_symbols
    free = sorted((v for v in getattr(body, "free_symbols", ()) if isinstance(v, ActionVar) and v not in fixed),
                  key=str)
    if free:
        a = free[0].name
        fail(f"\\mathbb{{E}} over trajectories of a free action {a}: write its draw, \\mathbb{{E}}_{{{a} \\sim "
             f"\\pi(\\cdot|s)}}[...] (or \\sum_{{{a}}} \\pi({a}|s) ...), or condition on it (\\mid A_t = {a})",
             sub.pos)


def _behaviour(name: str):
    """\\mu(a|s) (or \\beta(a|s)): the behaviour policy, when the front matter declares ``behaviour: \\mu``."""
    original = HEADS.get(name)

    def build(h: Head, ctx: Ctx):
        r"""``\mu(a|s)``, ``\beta(a|s)``: the declared behaviour policy (front matter ``behaviour:``), read as a
        policy of the file; otherwise the earlier reading, or a refusal naming the declaration."""
        if declared_behaviour() != name:
            if original is not None:
                return original(h, ctx)
            if h.call is not None and h.call.sep is None and len(h.call.parts[0]) == 1:  # \mu(s_0), \mu(s)
                fail(f"{name}(s) is not defined: a distribution over states is written \\rho_0(s_0) (the start) or "
                     f"d^\\pi(s) (the state distribution); a behaviour policy {name}(a|s) is declared in the front "
                     f"matter (behaviour: {name})", h.pos)
            fail(f"unknown symbol {name} (for a behaviour policy {name}(a|s), declare it in the front matter: "
                 f"behaviour: {name})", h.pos)
        if h.call is None:
            fail(f"{name} is the behaviour policy of this file: write {name}(a|s)", h.pos)
        return HEADS[r"\pi"](h, ctx)

    HEADS[name] = build


for _name in (r"\mu", r"\beta"):
    _behaviour(_name)
