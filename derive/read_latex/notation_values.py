"""Values, objectives and state distributions as lecture notes and textbooks write them (issue 10, part R3).

=============================================  ==================================================
written                                        read as
=============================================  ==================================================
``\\eta(s)``, ``\\mu(s)`` (S&B eqs. 9.2-9.3)     expected visits to s in an episode, the on-policy
                                               distribution (finite horizon; refused discounted)
``A^R_\\pi``, ``V^R_\\pi``, ``J^R`` (OmniSafe)    derive's A, V, J (the reward part)
``\\pi_{\\theta_0}``                              a policy slot of the file (preferably old)
``V_\\omega(s)``, ``V_\\phi(s)``, ``Q_w(s,a)``      free functions (a critic with its parameters)
``U(\\theta)`` (Abbeel)                          ``J(\\theta)``
``G_t^{(n)}``, ``\\delta_t^{(n)}``                 the n-step return and TD error (GAE eqs. 11-14)
``d_0(s)``                                     ``\\rho_0(s)``
bare ``b`` in a file about a baseline          a constant baseline (a free real number)
=============================================  ==================================================
"""
from __future__ import annotations

from sympy.core.symbol import Str

from ..lang import nodes
from .interpret import arguments, Ctx, Head
from .registry import HEADS, head
from .reading import current, note
from .syntax import Atom, Group, raw, single
from .errors import fail
from .spellings import declared_behaviour, default_ref, FLEXIBLE, policy_name
from .roles import index, value_in_role

_ORIGINAL_DIST = {name: HEADS[name] for name in (r"\eta", r"\mu")}
SB_VISITS = "Sutton & Barto 2018, sec. 9.2, eqs. 9.2-9.3"


def _state_argument(h: Head):
    """The one argument of \\eta(s), \\mu(s) when it is written as a plain state (s, s', s''), else None."""
    g = h.call
    if g is None or g.sep is not None or g.params or len(g.parts) != 1 or len(g.parts[0]) != 1 \
            or h.sub is not None or h.sup is not None or h.primes:
        return None
    x = single(g.parts[0][0])
    return x if isinstance(x, Atom) and x.kind == "sym" and x.name.rstrip("'") == "s" else None


def _visits(h: Head, ctx: Ctx, what: str):
    """sum_{t<T} Pr(s_t = s) under pi_theta: the expected number of visits to s in an episode (derive's episode
    visits s_0 .. s_{T-1}; s_T is terminal), S&B's eta(s) (eq. 9.2).  Refused in the discounted setting, where
    S&B's continuing-task distribution is the stationary one, not derive's d^pi."""
    from sympy import Dummy, Sum, oo

    from ..lang import symbols as sy
    from ..lang.optimal import Same
    from ..lang.symbols import StateVar

    if ctx.options.get("setting") == "discounted":
        fail(f"{what}(s): Sutton & Barto's expected visits and on-policy distribution ({SB_VISITS}) are read in the "
             r"episodic (finite-horizon) setting; in a continuing task they are the stationary distribution, which is "
             r"not derive's d^\pi(s): write d^\pi(s) (normalised discounted visitation) if that is meant", h.pos)
    arg = single(h.take_call().parts[0][0])
    st = StateVar(arg.name)
    u = Dummy("t", integer=True)
    last = oo if ctx.options.get("setting") == "episodic" else sy.T - 1  # episodic: every episode ends (derive/episodic.py)
    return Sum(nodes.Expect(Same(nodes.St(u), st), nodes.TrajDist(Str("theta"))), (u, 0, last))


def _visits_at(st):
    """sum_{t>=0} Pr(s_t = st): the expected visits to st in an episode of the episodic setting."""
    from sympy import Dummy, Sum, oo

    from ..lang.optimal import Same

    u = Dummy("t", integer=True)
    return Sum(nodes.Expect(Same(nodes.St(u), st), nodes.TrajDist(Str("theta"))), (u, 0, oo))


@head(r"\eta")
def _eta(h: Head, ctx: Ctx):
    """\\eta(s): S&B's expected number of visits to s in an episode (eq. 9.2); \\eta(\\pi) stays TRPO's J."""
    if _state_argument(h) is None:
        return _ORIGINAL_DIST[r"\eta"](h, ctx)
    from .kstep import eta_from_start  # the file defines eta(s) from a start s_0 that is not fixed

    own = eta_from_start(h, ctx)
    if own is not None:
        return own
    last = r"\infty" if ctx.options.get("setting") == "episodic" else "T-1"
    note(r"\eta(s) is the expected number of visits to s in an episode under \pi_\theta (" + SB_VISITS + r"): "
         r"\sum_{t=0}^{" + last + r"} \Pr(s_t = s)")
    return _visits(h, ctx, r"\eta")


@head(r"\mu")
def _mu(h: Head, ctx: Ctx):
    """\\mu(s_0): the start distribution \\rho_0(s_0) (CS294, the HF course); \\mu(s): S&B's on-policy distribution
    eta(s) / sum_s' eta(s') (eq. 9.3) = (1/T) sum_{t<T} Pr(s_t = s); \\mu(a|s) stays a declared behaviour policy."""
    g = h.call
    if declared_behaviour() != r"\mu" and g is not None and g.sep is None and not g.params and len(g.parts) == 1 \
            and len(g.parts[0]) == 1 and h.sub is None and h.sup is None and not h.primes \
            and raw(single(g.parts[0][0])).replace(" ", "") in ("s_0", "s_{0}"):
        h.take_call()
        note(r"\mu(s_0) is the distribution of the first state, \rho_0(s_0)")
        return nodes.Rho0(value_in_role(g.parts[0][0], "state", ctx, r"the argument of \mu(s_0)"))
    if declared_behaviour() == r"\mu" or _state_argument(h) is None:
        return _ORIGINAL_DIST[r"\mu"](h, ctx)
    from ..lang import symbols as sy

    if ctx.options.get("setting") == "episodic":  # episodes of random length: normalise by the expected length
        from ..lang.symbols import StateVar

        note(r"\mu(s) is the on-policy distribution of \pi_\theta (" + SB_VISITS + r"): \eta(s) / \sum_{s'} \eta(s'), "
             r"\eta(s) = \sum_{t=0}^{\infty} \Pr(s_t = s) (episodic: every episode ends)")
        other = StateVar(r"s_{\mu}")
        return _visits(h, ctx, r"\mu") / nodes.SumOver(_visits_at(other), other)
    note(r"\mu(s) is the on-policy distribution of \pi_\theta (" + SB_VISITS + r"): \eta(s) / \sum_{s'} \eta(s') = "
         r"\frac{1}{T} \sum_{t=0}^{T-1} \Pr(s_t = s) (every episode has T steps)")
    return _visits(h, ctx, r"\mu") / sy.T




def _reward_part(name: str):
    """OmniSafe's ``A^R_\\pi(s,a)``, ``V^R_\\pi(s)``, ``Q^R_\\pi(s,a)``, ``J^R(\\pi)``: the reward part of a constrained
    MDP (the cost part is ``^C``), derive's A, V, Q, J of the reward.  Any other superscript is left as before."""
    original = HEADS[name]

    def build(h: Head, ctx: Ctx):
        r"""``A^R_\pi(s,a)``, ``V^R_\pi(s)``, ``Q^R_\pi(s,a)``, ``J^R(\pi)`` (OmniSafe): derive's A, V, Q, J;
        otherwise the earlier reading."""
        if h.sup is not None and raw(single(h.sup)).replace(" ", "").strip("{}") == "R" and h.call is not None \
                and not h.primes and (name == "J" or h.sub is not None):
            note(f"{name}^R (OmniSafe: the reward part of a constrained MDP) is derive's {name}")
            if name == "J":
                h.sup = None
            else:
                h.sup, h.sub = h.sub, None  # A^R_\pi(s,a) -> A^\pi(s,a)
        return original(h, ctx)

    HEADS[name] = build


for _name in ("V", "Q", "A", "J"):
    _reward_part(_name)


def _register_policy_spellings():
    """\\pi_{\\theta_0} (OmniSafe, lecture notes: the current parameters, around which the surrogate is expanded): a
    slot of the file, preferably the old policy, as \\pi_{\\theta_k} (read_latex/notation_policies.py)."""
    FLEXIBLE.setdefault(r"\theta_{0}", ("old", r"\pi_{\theta_0}"))


_register_policy_spellings()


CRITIC_PARAMETERS = {r"\phi": "phi", r"\omega": "omega", r"\psi": "psi", "w": "w", r"\varphi": "phi"}


def _critic(name: str):
    """``V_\\omega(s)``, ``V_\\phi(s_t)``, ``Q_w(s, a)``: a learned critic with its parameters as a subscript (actor-
    critic notes): an arbitrary function, as a bare V(s), named with its parameter (``V_\\phi`` and ``V`` differ)."""
    original = HEADS[name]

    def build(h: Head, ctx: Ctx):
        r"""``V_\omega(s)``, ``V_\phi(s_t)``, ``Q_w(s, a)``: a learned critic, an arbitrary function named with its
        parameter; otherwise the earlier reading."""
        if h.sub is not None and h.sup is None and h.call is not None and not h.primes \
                and raw(single(h.sub)).replace(" ", "").strip("{}") in CRITIC_PARAMETERS:
            from sympy.core.symbol import Str as _Str

            label = CRITIC_PARAMETERS[raw(single(h.take_sub())).replace(" ", "").strip("{}")]
            g = h.take_call()
            args = arguments(g, 1 if name == "V" else 2, f"{name}_{{{label}}}")
            vals = [value_in_role(args[0], "state", ctx, f"the state of {name}_{label}")]
            if name == "Q":
                vals.append(value_in_role(args[1], "action", ctx, f"the action of {name}_{label}"))
            note(f"{name}_{label} (a critic with parameters {label}) is an arbitrary function of the "
                 + ("state" if name == "V" else "state and action") + f", as a bare {name}")
            return nodes.FreeFn(_Str(f"{name}_{label}"), *vals)
        return original(h, ctx)

    HEADS[name] = build


for _name in ("V", "Q"):
    _critic(_name)


@head("U")
def _utility(h: Head, ctx: Ctx):
    """``U(\\theta)``: the expected return of pi_theta as Abbeel's lectures write it (CS294 / Deep RL Bootcamp, "utility"
    U(theta) = sum_tau P(tau; theta) R(tau)), derive's J(theta); a file's own definition of U takes precedence."""
    h.no_primes()
    if h.sub is not None or h.sup is not None or h.call is None:
        fail(r"U is read only as the expected return U(\theta) (Abbeel's notation, derive's J(\theta)); "
             r"define another U with :=", h.pos)
    (x,) = arguments(h.take_call(), 1, "U")
    pol = policy_name(x, "the argument of U")
    note(r"U(\theta) is the expected return of the policy (Abbeel's 'utility', U(\theta) = \sum_\tau P(\tau;\theta) "
         r"R(\tau)): derive's J")
    return nodes.J(Str(pol))


_ORIGINAL_RET = {name: HEADS[name] for name in ("G", r"\delta", "d")}


def _step_count(h: Head):
    """The n of a superscript ``^{(n)}`` (a parenthesised label), or None."""
    sup = single(h.sup) if h.sup is not None else None
    if isinstance(sup, Group) and sup.kind == "brace" and len(sup.parts) == 1 and len(sup.parts[0]) == 1:
        sup = single(sup.parts[0][0])
    if isinstance(sup, Group) and sup.kind in ("paren", "left") and sup.sep is None and len(sup.parts) == 1 \
            and len(sup.parts[0]) == 1:
        return sup.parts[0][0]
    return None


@head("G")
def _n_step_return(h: Head, ctx: Ctx):
    """``G_t^{(n)}``: the n-step return sum_{l<n} gamma^l r_{t+l} + gamma^n V(s_{t+n}) (S&B eq. 7.1's G_{t:t+n},
    the GAE paper's hat{A}^{(n)}_t + V(s_t)), with the V that delta_t uses (the file's own V under delta: V)."""
    n_syn = _step_count(h) if h.sub is not None and h.call is None and not h.primes else None
    if n_syn is None:
        return _ORIGINAL_RET["G"](h, ctx)

    h.take_sup()
    u = index(h.take_sub(), ctx, "the time index of G_t^{(n)}")
    n = index(n_syn, ctx, "the n of G_t^{(n)}")
    ref = default_ref(ctx)
    note(r"G_t^{(n)} is the n-step return \sum_{l=0}^{n-1} \gamma^l r_{t+l} + \gamma^n V(s_{t+n}) (Sutton & Barto "
         r"eq. 7.1), with the V of \delta_t: " + ("the file's own V" if ctx.options.get("delta") == "V" else r"V^{\pi}"))
    return nodes.KAdv(n, u, ref) + ref.at(nodes.St(u))


@head(r"\delta")
def _n_step_td(h: Head, ctx: Ctx):
    """``\\delta_t^{(n)}``: the n-step TD error G_t^{(n)} - V(s_t), the GAE paper's k-step advantage
    hat{A}^{(n)}_t (Schulman et al. 2016, eqs. 11-14), with the V that delta_t uses."""
    n_syn = _step_count(h) if h.sub is not None and h.call is None and not h.primes else None
    if n_syn is None:
        return _ORIGINAL_RET[r"\delta"](h, ctx)

    h.take_sup()
    u = index(h.take_sub(), ctx, r"the time index of \delta_t^{(n)}")
    n = index(n_syn, ctx, r"the n of \delta_t^{(n)}")
    note(r"\delta_t^{(n)} is the n-step TD error G_t^{(n)} - V(s_t), the k-step advantage \hat{A}^{(n)}_t "
         r"(GAE paper, eqs. 11-14), with the V of \delta_t")
    return nodes.KAdv(n, u, default_ref(ctx))


@head("d")
def _d_zero(h: Head, ctx: Ctx):
    """``d_0(s)`` (the RLHF book, Agarwal et al.'s notes): the initial-state distribution rho_0(s)."""
    if h.sub is not None and h.sup is None and h.call is not None and not h.primes \
            and raw(single(h.sub)).replace(" ", "").strip("{}") == "0":
        h.take_sub()
        (x,) = arguments(h.take_call(), 1, "d_0")
        note(r"d_0(s) is the initial-state distribution \rho_0(s)")
        return nodes.Rho0(value_in_role(x, "state", ctx, "the argument of d_0(s)"))
    return _ORIGINAL_RET["d"](h, ctx)


_ORIGINAL_B = HEADS["b"]
_BASELINE_PROSE = __import__("re").compile(r"(?i)baseline|基线")


@head("b")
def _constant_baseline(h: Head, ctx: Ctx):
    """A bare ``b`` that no sum, draw or policy argument binds as an action, in a file whose text says "baseline"
    (基线): a constant baseline, a free real number (as ``c``; judged at one seeded rational per random MDP next to MDP
    quantities).  Elsewhere an unbound b is refused as before; ``b(s)`` stays a free function."""
    if h.call is None and h.sub is None and h.sup is None and not h.primes and ctx.role != "action" \
            and h.name not in ctx.actions and _BASELINE_PROSE.search(current()[0].text):
        from ..lang import symbols as sy

        note(r"b (bare, not an action, in a file about a baseline) is a constant baseline: a free real number")
        return sy.scalar("b")
    return _ORIGINAL_B(h, ctx)

__all__: list = []
