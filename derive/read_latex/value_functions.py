"""The value functions: ``V^\\pi(s)``, ``Q^\\pi(s,a)``, ``A^\\pi(s,a)`` (optionally at a time, ``V^\\pi_t``),
``d^\\pi(s)``, ``J(\\theta)``, the TD error ``\\delta_t`` and the estimators ``\\hat{A}_t``, ``\\hat{A}_t^{(k)}``,
``\\hat{A}_t^{GAE(\\gamma,\\lambda)}`` (Schulman et al. 2016, eqs. 11-16); filed in ``registry.HEADS``.
"""
from __future__ import annotations

from sympy.core.symbol import Str

from ..lang import nodes
from .errors import fail
from .interpret import Ctx, Head, arguments
from .roles import index, value_in_role
from .notation import free_function, free_scalar
from .notation_optimal import optimal_value  # V^*, Q^*, A^*
from .notation_written import bare_true_value, gae_params
from .reading import note
from .registry import head
from .spellings import default_ref, policy_name, single_expr
from .syntax import Atom, Group, Scripted, Syn, base_atom, raw, single


# ------------------------------------------------------- value functions


def _time(h: Head, ctx: Ctx):
    return index(h.take_sub(), ctx, f"the time index of {h.base}_t") if h.sub is not None else nodes.NOTIME


@head("V", "Q", "A")
def _value(h: Head, ctx: Ctx):
    r"""``V^\pi(s)``, ``Q^\pi(s,a)``, ``A^\pi(s,a)`` (``V^\pi_t(s_t)`` at a time): the policy's true values;
    ``V^*``, ``Q^*``, ``A^*``: the optimal values; ``V(s)``: a free function (the true value under ``values:
    true``); ``A_t^{GAE}``, ``A_t^{(k)}``: the estimators; a bare ``A``: a free number."""
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
        # A_t^{(k)}, A_t^{GAE}: estimators written without the hat (Hands-on RL)
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
    r"""``d^\pi(s)``: the policy's normalised state distribution (docs/conventions.md)."""
    h.no_primes()
    pol = Str(policy_name(single_expr(h.take_sup(r"d^{\pi}(s)")), "the superscript of d"))
    g = h.take_call(r"d^{\pi}(s)")
    (s,) = arguments(g, 1, "d^\\pi")
    return nodes.Dpi(pol, value_in_role(s, "state", ctx, "the state of d^\\pi(s)"))


@head("J")
def _J(h: Head, ctx: Ctx):
    r"""``J(\theta)``, ``J(\pi')``: the expected return of the policy named."""
    h.no_primes()
    g = h.take_call(r"J(\theta) or J(\pi')")
    (x,) = arguments(g, 1, "J")
    return nodes.J(Str(policy_name(x, "the argument of J")))


@head(r"\delta")
def _delta(h: Head, ctx: Ctx):
    r"""``\delta_t``: the TD error ``r_t + \gamma V(s_{t+1}) - V(s_t)`` of the true V^\pi (a free V under ``delta:
    V``); ``\delta_t^V``, ``\delta_t^{V^\pi}``: of the V named."""
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
    r"""``\hat{A}_t``, ``\hat{A}_t^{GAE(\gamma,\lambda)}``: the GAE estimator (Schulman et al. 2016, eq. 16);
    ``\hat{A}_t^{(k)}``: the k-step estimator (eqs. 11-15), ``k = \infty`` included."""
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
