"""What a written script or argument says, read or refused, never dropped (issue 10: silent misreadings).

=============================================  ==================================================
written                                        read as
=============================================  ==================================================
``\\hat{A}_t^{GAE(\\gamma, 0)}``, ``GAE(\\gamma, 1)``  GAE with lambda set to the written value (GAE paper,
                                               eqs. 17-18); another first parameter is refused
bare ``V(s)``, ``Q(s,a)`` with ``values: true``    ``V^\\pi(s)``, ``Q^\\pi(s,a)`` (inferred by
                                               read_markdown/conventions.py when the file writes
                                               ``V(s) = E[G_t | s_t = s]``)
``R(s)``, in a file that writes ``p(s'|s)``     the Markov reward process's expected reward
=============================================  ==================================================
"""
from __future__ import annotations

from sympy.core.symbol import Str

from ..lang import nodes
from ..lang.symbols import ActionVar, StateVar
from .errors import fail
from .interpret import Ctx, Head, arguments, interpret
from .roles import value_in_role
from .spellings import PARAMETERS, policy_name
from .syntax import Atom, Group, Syn, Term, raw, single
from .reading import current, note


def gae_params(gae, sup: Syn, ctx: Ctx):
    r"""\hat{A}_t^{GAE(\gamma,\lambda)} (GAE paper, eq. 16) with the parameters as written: GAE(\gamma, 0) is
    GAE with lambda set to 0 (eq. 17, the TD error), GAE(\gamma, 1) with lambda = 1 (eq. 18); a written
    parameter is never dropped."""
    args = sup.items[-1] if isinstance(sup, Term) and len(sup.items) >= 2 else None  # GAE: \text or letters
    if isinstance(args, Group) and args.kind in ("paren", "left") and len(args.parts) == 1 \
            and len(args.parts[0]) == 1 and raw(single(args.parts[0][0])).replace(" ", "") == r"\lambda":
        note(r"GAE(\lambda) is GAE(\gamma, \lambda) with the file's discount \gamma (Schulman et al. 2016, eq. 16)")
        return gae
    if not (isinstance(args, Group) and args.kind in ("paren", "left") and len(args.parts) == 1
            and len(args.parts[0]) == 2):
        if raw(sup).replace(" ", "") == "GAE":
            return gae
        fail(r"the superscript of \hat{A}_t is read as GAE(\gamma, \lambda), GAE(\lambda), GAE(\gamma, 0) or "
             r"GAE(\gamma, 1)",
             sup.pos)
    g, lam = args.parts[0]
    if raw(single(g)) != r"\gamma":
        fail(r"the first parameter of GAE(\gamma, \lambda) must be written \gamma (fix a discount with the "
             r"front matter 'gamma: ...')", g.pos)
    if raw(single(lam)) == r"\lambda":
        return gae
    value = interpret(lam, ctx.deeper(lam.pos))
    if not value.free_symbols <= set(PARAMETERS.values()):
        fail(r"the second parameter of GAE(\gamma, \lambda) must be \lambda or a constant", lam.pos)
    return nodes.SetParam(gae, PARAMETERS[r"\lambda"], value)


def bare_true_value(h: Head, ctx: Ctx):
    """A bare V(s), Q(s,a) in a file that defines it as the value of its policy (front matter ``values: true``,
    or inferred by read_markdown/conventions.py from ``V(s) = E[G_t | s_t = s]``): V^pi(s), Q^pi(s,a)."""
    note(f"bare {h.base}: the value {h.base.upper()}^\\pi of the file's policy (values: true)")
    g = h.take_call(f"{h.base}(s)" if h.base in ("V", "v") else f"{h.base}(s,a)")
    pol = Str(policy_name(Atom(h.pos, "sym", r"\pi"), f"the policy of {h.base}"))
    if h.base in ("V", "v"):  # v(s), q(s,a): Sutton & Barto's lower case without the subscript pi
        (s,) = arguments(g, 1, h.base)
        return nodes.V(pol, value_in_role(s, "state", ctx, "the state of V(s)"), nodes.NOTIME)
    s, a = arguments(g, 2, "Q")
    return nodes.Q(pol, value_in_role(s, "state", ctx, "the state of Q(s,a)"),
                   value_in_role(a, "action", ctx, "the action of Q(s,a)"), nodes.NOTIME)


def mrp_reward(x: Syn, ctx: Ctx):
    r"""R(s) in a Markov reward process (a file that writes p(s'|s)): the expected reward on leaving s under the
    file's policy, \sum_a \pi(a|s) \sum_{s'} P(s'|s,a) R(s,a,s') (Easy RL sec. 2.2; an MRP is an MDP under a
    fixed policy, Sutton & Barto 2018, sec. 3.5).  Elsewhere R with one argument is the return R(\tau)."""
    if not current()[0].mrp:
        fail(r"R with one argument is the return R(\tau); R(s), the expected reward of a Markov reward process, "
             r"is read in a file that writes its transitions p(s'|s)", x.pos)
    st = value_in_role(x, "state", ctx, "the state of R(s)")
    act, nxt = ActionVar("a_mrp"), StateVar("s_mrp")
    note(r"R(s) is the expected reward of the Markov reward process, \sum_a \pi(a \mid s) \sum_{s'} "
         r"P(s' \mid s, a) R(s, a, s') (the file writes p(s'|s))")
    inner = nodes.SumOver(nodes.Trans(nxt, st, act) * nodes.Rew(st, act, nxt), nxt)
    return nodes.SumOver(nodes.Pi(Str("theta"), act, st) * inner, act)


__all__ = ["gae_params", "bare_true_value", "mrp_reward"]
