r"""An integral over the state and action of one time against their joint density, with differentials (issue 10).

The held-out helpingstar/Math-RL chapter 4 (eqs. 4.5-4.7) and control-style notes write the policy gradient as

    \int_{(x_t, u_t)} \gamma^t \nabla_\theta \log \pi_\theta(u_t|x_t) Q^{\pi_\theta}(x_t, u_t) p_\theta(x_t, u_t) dx_t du_t
    \int_{(x_t, u_t)} ... \pi_\theta(u_t|x_t) p_\theta(x_t) dx_t du_t

(x, u: the state and action, read_latex/notation_control.py).  On a finite MDP the integral is the sum over the
values of (s_t, a_t) (counting measure, read_latex/integrals.py) and ``p_\theta(s_t, a_t)`` -- or
``\pi_\theta(a_t|s_t) p_\theta(s_t)`` -- is the joint (marginal) probability of the pair at time t under the
trajectories of pi_theta, so for X a function of (s_t, a_t)

    \sum_{s, a} P(s_t = s, a_t = a) X(s, a) = \mathbb{E}_{\tau \sim \pi_\theta}[X(s_t, a_t)]

exactly.  Read only in that form: the subscript lists the variables (in a tuple or a list, ``\int_{s_t, a_t}``),
the differentials after the body name the same variables (any order), the body has exactly one joint density of
them (``p_\theta(s_t, a_t)``, ``p(s_t, a_t)``, ``P(s_t, a_t \mid \pi)``, or ``\pi(a_t|s_t) p_\theta(s_t)``) and uses
no other variable of the trajectory (checked); otherwise the earlier readings apply or it is refused with the
reason.  The reading is said in the notes.
"""
from __future__ import annotations

from sympy.core.symbol import Str

from ..lang import nodes
from .errors import fail
from .interpret import Ctx, group_value, product
from .registry import OPS, op
from .spellings import policy_name, single_expr
from .notation_traj import trajectory_policy
from .reading import note
from .syntax import Atom, Group, Placeholder, Rel, Scripted, base_atom, raw, single
from .expectation_parts import _body_group, _bracket, _finish
from .joint_integrals import _norm, _variable, check_body

_INT = OPS["int"]
def _listed(sub):
    """The variables the subscript lists: {s_t, a_t}, {(s_t, a_t)}; None otherwise."""
    if sub is None:
        return None
    x = sub
    if isinstance(x, Group) and x.kind == "brace" and len(x.parts) == 1 and len(x.parts[0]) == 1:
        inner = single(x.parts[0][0])
        if isinstance(inner, Group) and inner.kind in ("paren", "left") and len(inner.parts) == 1 and inner.sep is None:
            x = inner
    if not isinstance(x, Group) or len(x.parts) != 1 or x.sep is not None:
        return None
    listed = x.parts[0]
    if len(listed) < 2 or not all(_variable(v) for v in listed):
        return None
    return listed


def _is_d(x) -> bool:
    return isinstance(x, Atom) and x.kind in ("sym", "text") and x.name == "d"


def _differentials(items, i: int, names: set):
    """(first index of the differentials, index after them, names differentiated) or None."""
    for k in range(i + 1, len(items) - 1):
        if _is_d(items[k]) and _variable(items[k + 1]) is not None:
            seen, j = [], k
            while j + 1 < len(items) and _is_d(items[j]) and _variable(items[j + 1]) is not None:
                seen.append(_norm(items[j + 1]))
                j += 2
            return k, j, seen
    return None


def _call(items, j: int):
    """(head syntax, call group) at items[j], items[j+1], or None."""
    if j + 1 >= len(items):
        return None
    hd, g = items[j], items[j + 1]
    if isinstance(g, Group) and g.kind in ("paren", "left"):
        return hd, g
    return None


def _density_name(hd):
    """'p' (with its policy syntax or None) for p, p_\\theta, P, \\Pr; None otherwise."""
    a = base_atom(hd)
    if a is None or raw(a).lstrip("\\") not in ("p", "P", "Pr") or (isinstance(hd, Scripted) and hd.sup is not None):
        return None
    return hd.sub if isinstance(hd, Scripted) else False


def _policy_of(sub, g, what: str) -> str:
    if g.sep == "|":
        if len(g.parts[1]) != 1:
            return None
        pol = trajectory_policy(g.parts[1][0])
        return pol if pol is not None else policy_name(g.parts[1][0], what)
    if sub is False or sub is None:
        return "theta"
    return policy_name(single_expr(sub), what)


def _find_density(items, listed):
    """(policy, indices of the density's items) of the joint density of the listed variables in items."""
    want = sorted(_norm(x) for x in listed)
    found = []
    for j in range(len(items) - 1):
        got = _call(items, j)
        if got is None:
            continue
        hd, g = got
        sub = _density_name(hd)
        if sub is not None and sorted(_norm(x) for x in g.parts[0]) == want and g.sep in (None, "|"):
            pol = _policy_of(sub, g, r"p_\theta(s_t, a_t)")
            if pol is not None:
                found.append((pol, {j, j + 1}))
    if len(found) == 1:
        return found[0]
    if found:
        return None
    return _policy_times_marginal(items, listed)


def _policy_times_marginal(items, listed):
    r"""\pi(a_t|s_t) p_\theta(s_t): the joint density of a pair written as the policy times the state's marginal."""
    if len(listed) != 2:
        return None
    (l0, _), (l1, _) = _variable(listed[0]), _variable(listed[1])
    if {l0, l1} != {"s", "a"}:
        return None
    s_syn, a_syn = (listed[0], listed[1]) if l0 == "s" else (listed[1], listed[0])
    pis, margs = [], []
    for j in range(len(items) - 1):
        got = _call(items, j)
        if got is None:
            continue
        hd, g = got
        a = base_atom(hd)
        before = base_atom(items[j - 1]) if j else None
        if before is not None and before.kind == "op":
            continue  # \log \pi(a_t|s_t), \nabla \pi(a_t|s_t): not the density factor
        if a is not None and a.name == r"\pi" and g.sep == "|" and len(g.parts[0]) == 1 and len(g.parts[1]) == 1 \
                and _norm(g.parts[0][0]) == _norm(a_syn) and _norm(g.parts[1][0]) == _norm(s_syn):
            pis.append((policy_name(hd, r"\pi(a_t|s_t)"), j))
        sub = _density_name(hd)
        if sub is not None and g.sep is None and len(g.parts[0]) == 1 and _norm(g.parts[0][0]) == _norm(s_syn):
            margs.append((_policy_of(sub, g, r"p_\theta(s_t)"), j))
    if len(pis) != 1 or len(margs) != 1 or pis[0][0] != margs[0][0]:
        return None
    return pis[0][0], {pis[0][1], pis[0][1] + 1, margs[0][1], margs[0][1] + 1}


@op("int")
def _int(item, items, i, ctx: Ctx):
    r"""``\int_{(s_t, a_t)} X\, p_\theta(s_t, a_t)\, ds_t\, da_t``: \mathbb{E}_{\tau \sim \pi_\theta}[X] (module
    docstring); any other integral as before."""
    sub = item.sub if isinstance(item, Scripted) and item.sup is None else None
    listed = _listed(sub)
    diffs = _differentials(items, i, set()) if listed is not None else None
    if listed is None or diffs is None:
        return _INT(item, items, i, ctx)
    k, after, seen = diffs
    written = ", ".join(_norm(x) for x in listed)
    if sorted(seen) != sorted(_norm(x) for x in listed):
        fail(rf"the integral's subscript ({written}) and its differentials d{', d'.join(seen)} name different "
             r"variables", items[k].pos)
    body_items = items[i + 1:k]
    got = _find_density(body_items, listed)
    if got is None:
        fail(rf"\int_{{({written})}} ... d{' d'.join(seen)} is read against the joint density of those variables, "
             rf"one factor p_\theta({written}) (or \pi_\theta(a_t \mid s_t) p_\theta(s_t)) in the body", item.pos)
    pol, used = got
    rest = [x for j, x in enumerate(body_items) if j not in used]
    if not rest:
        fail(rf"\int_{{({written})}} p(...) has nothing to average", item.pos)
    body, _ = product(rest, 0, ctx)
    check_body(body, listed, ctx, rf"\int_{{({written})}} p({written}) X", written, item.pos)
    note(rf"\int_{{({written})}} X\, p({written})\, d({written}): the sum over their values against their joint "
         r"probability under \tau \sim \pi (counting measure), i.e. \mathbb{E}_{\tau \sim \pi}[X] (X a function of them)")
    return nodes.Expect(body, nodes.TrajDist(Str(pol))), after




_EXPECT = OPS["expect"]


def _marginal_draws(sub):
    r"""(policy, listed variables) of ``s_t \sim p_\theta(s_t)`` [, ``a_t \sim \pi_\theta(a_t|s_t)``], else None."""
    syns = sub.parts[0] if isinstance(sub, Group) and sub.kind == "brace" else [sub]
    if len(syns) not in (1, 2) or not all(isinstance(x, Rel) and x.kind == "~" for x in syns):
        return None
    s_syn = single(syns[0].lhs)
    got = _variable(s_syn)
    if got is None or got[0] != "s":
        return None
    rhs = single(syns[0].rhs)
    items = getattr(rhs, "items", None)
    if not items or len(items) != 2 or _call(items, 0) is None:
        return None
    hd, g = _call(items, 0)
    dsub = _density_name(hd)
    if dsub is None or g.sep is not None or len(g.parts[0]) != 1 or _norm(g.parts[0][0]) != _norm(s_syn):
        return None
    pol = _policy_of(dsub, g, r"p_\theta(s_t)")
    listed = [s_syn]
    if len(syns) == 2:
        a_syn = single(syns[1].lhs)
        got_a = _variable(a_syn)
        rhs = single(syns[1].rhs)
        items = getattr(rhs, "items", None)
        if got_a is None or got_a[0] != "a" or raw(got_a[1]) != raw(got[1]) or not items or len(items) != 2 \
                or _call(items, 0) is None:
            return None
        hd, g = _call(items, 0)
        a = base_atom(hd)
        if a is None or a.name != r"\pi" or g.sep != "|" or len(g.parts[0]) != 1 or len(g.parts[1]) != 1 \
                or _norm(g.parts[1][0]) != _norm(s_syn) \
                or not (isinstance(single(g.parts[0][0]), Placeholder) or _norm(g.parts[0][0]) == _norm(a_syn)):
            return None
        if policy_name(hd, r"a_t \sim \pi(a_t|s_t)") != pol:
            return None
        listed.append(a_syn)
    return pol, listed


@op("expect")
def _expect(item, items, i, ctx: Ctx):
    r"""``\mathbb{E}_{s_t \sim p_\theta(s_t), a_t \sim \pi_\theta(a_t|s_t)}[X]`` (the state's marginal at time t):
    \mathbb{E}_{\tau \sim \pi_\theta}[X] for X a function of (s_t, a_t); anything else as before."""
    sub = item.sub if isinstance(item, Scripted) and item.sup is None else None
    got = _marginal_draws(sub) if sub is not None else None
    if got is None:
        return _EXPECT(item, items, i, ctx)
    pol, listed = got
    nxt, g = _bracket(items, i + 1, r"\mathbb{E}", item.pos)
    if g.sep is not None:
        fail(r"a condition inside \mathbb{E}_{s_t \sim p_\theta(s_t)}[\cdot] is not read", g.sep_pos)
    body = group_value(_body_group(g), ctx)
    written = ", ".join(_norm(x) for x in listed)
    check_body(body, listed, ctx, rf"\mathbb{{E}}_{{{written}}}[X]", written, item.pos)
    note(rf"s_t \sim p_\theta(s_t) is the state's marginal at time t under \tau \sim \pi (a p without a subscript: "
         rf"under the file's policy \pi_\theta): for X a function of {written}, \mathbb{{E}}[X] = "
         rf"\mathbb{{E}}_{{\tau \sim \pi}}[X]")
    return _finish(nodes.Expect(body, nodes.TrajDist(Str(pol))), nxt, g, ctx, i + 1)
