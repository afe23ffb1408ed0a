r"""An integral over several variables of the trajectory against their joint probability (issue 10).

Spinning Up's reward-to-go proof (openai/spinningup docs/spinningup/extra_pg_proof1.rst, "1. Using the
Marginal Distribution") writes

    \int_{s_t, a_t, s_{t'}, a_{t'}, s_{t'+1}} P(s_t, a_t, s_{t'}, a_{t'}, s_{t'+1} | \pi_{\theta}) f(t,t')

On a finite MDP the integral is a sum over the values of the listed variables (the counting measure,
read_latex/integrals.py), and ``P(V | \pi)`` is the joint (marginal) probability of those variables of a
trajectory of pi, so for X a function of them

    \sum_v P(V = v | \pi) X(v) = \mathbb{E}_{\tau \sim \pi}[X(V)]

exactly.  Read only in that form: the probability right after the integral, its variables written
exactly as the subscript lists them, a policy after the bar, and a body that uses no other variable
of the trajectory (checked; otherwise refused with the reason).  The reading is said in the notes.
"""
from __future__ import annotations

from sympy.core.symbol import Str

from ..lang import nodes
from .errors import fail
from .interpret import Ctx, product
from .roles import index
from .spellings import policy_name
from .notation_traj import trajectory_policy
from .reading import note
from .syntax import Atom, Group, Scripted, base_atom, raw, single
from .index_ranges import _extremes, _inside, _Item, _uses, needs

_LETTERS = {"s": "s", "S": "s", "a": "a", "A": "a"}


def _variable(x):
    """(letter, time syntax) of s_u / a_u as written, else None."""
    x = single(x)
    a = base_atom(x)
    if not isinstance(x, Scripted) or a is None or a.kind != "sym" or a.name not in _LETTERS or x.sub is None \
            or x.sup is not None:
        return None
    return _LETTERS[a.name], x.sub


def _norm(x) -> str:
    return raw(single(x)).replace(" ", "")


def check_body(body, listed, ctx: Ctx, what: str, written: str, pos: int):
    """The body is a function of the listed variables of the trajectory (else refused with the reason)."""
    drawn = []
    for x in listed:
        letter, u = _variable(x)
        t = index(u, ctx, f"the time index of {letter}_t")
        drawn.append(_Item(letter, t, t, x))
    for kind, u, bound in _uses(body):
        lo_u, hi_u = _extremes(u, bound) if u is not None else (None, None)
        need = needs(kind, lo_u, hi_u)
        if need is None or not all(_time_listed(kk, a, b, drawn, _inside) for kk, a, b in need):
            fail(rf"{what} is the expectation of X when X is a function of {written}; the body uses another "
                 r"variable of the trajectory (write \mathbb{E}_{\tau \sim \pi_\theta}[X])", pos)


def joint_integral(item, items: list, i: int, ctx: Ctx):
    """(value, next index) of ``\\int_{s_t, a_t, ...} P(s_t, a_t, ... | \\pi) X``; None when the subscript is not a
    list of several trajectory variables (the caller reads it)."""
    sub = item.sub if isinstance(item, Scripted) else None
    listed = sub.parts[0] if isinstance(sub, Group) and sub.kind == "brace" and len(sub.parts) == 1 else None
    if listed is None or len(listed) < 2 or not all(_variable(x) for x in listed):
        return None
    written = ", ".join(_norm(x) for x in listed)
    head_ = items[i + 1] if i + 1 < len(items) else None
    call = items[i + 2] if i + 2 < len(items) else None
    if not (isinstance(head_, Atom) and head_.kind == "sym" and head_.name == "P" and isinstance(call, Group)
            and call.kind in ("paren", "left") and call.sep == "|" and len(call.parts) == 2):
        fail(rf"\int_{{{written}}} is read against the joint probability of those variables: "
             rf"\int_{{{written}}} P({written} \mid \pi_\theta) X", item.pos)
    if [_norm(x) for x in call.parts[0]] != [_norm(x) for x in listed]:
        fail(rf"the probability after \int_{{{written}}} must be of the same variables, written the same way: "
             rf"P({written} \mid \pi_\theta)", call.pos)
    if len(call.parts[1]) != 1:
        fail(r"the joint probability of the trajectory's variables is given the policy alone: P(s_t, a_t \mid \pi_\theta)",
             call.pos)
    pol_syn = call.parts[1][0]
    pol = trajectory_policy(pol_syn)
    pol = pol if pol is not None else policy_name(pol_syn, r"P(s_t, a_t \mid \pi)")
    if i + 3 >= len(items):
        fail(rf"\int_{{{written}}} P(...) has nothing to average", item.pos)
    body, k = product(items, i + 3, ctx)
    check_body(body, listed, ctx, rf"\int_{{{written}}} P(...) X", written, item.pos)
    note(rf"\int_{{{written}}} P({written} \mid \pi) X: the sum over their values against their joint probability "
         r"under \tau \sim \pi, i.e. \mathbb{E}_{\tau \sim \pi}[X] (X is a function of them)")
    return nodes.Expect(body, nodes.TrajDist(Str(pol))), k


def _time_listed(kind, lo_u, hi_u, drawn, inside) -> bool:
    """Every time from lo_u to hi_u of the letter is listed (single variables: each time written)."""
    if lo_u == hi_u:
        return inside(kind, lo_u, hi_u, drawn)
    d = hi_u - lo_u
    if not d.is_Integer or d > 8:
        return False
    return all(inside(kind, lo_u + j, lo_u + j, drawn) for j in range(int(d) + 1))


__all__ = ["joint_integral"]
