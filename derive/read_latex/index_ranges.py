r"""Index ranges of trajectory variables in expectations (issue 10): ``s_{0:t}``, ``a_{t:T-1}``, ``\tau_{:t}``.

=================================================================  ==========================================
written                                                            read as
=================================================================  ==========================================
``\mathbb{E}_{s_{0:t}, a_{0:t-1}}[X]`` (a range from time 0)       over the trajectory's beginning: for X a
                                                                   function of the listed variables this is
                                                                   ``\mathbb{E}_{\tau \sim \pi_\theta}[X]``
``\mathbb{E}_{\tau_{:t} \sim \pi_\theta}[X]``                          the same, tau_{:t} = (s_0, a_0, ..., s_t, a_t)
                                                                   (Spinning Up, extra_pg_proof2.rst)
``\mathbb{E}_{s_{t+1:T}, a_{t:T-1}}[X]`` (inside an expectation     over the rest of the trajectory given its
over the beginning; Takeshi 2017)                                  beginning s_{0:t}, a_{0:t-1}: by the Markov
                                                                   property ``\mathbb{E}_{\tau}[X \mid s_t]``
                                                                   for X of the times >= t
``\mathbb{E}_{\tau_{t:} \sim \pi_\theta}[X \mid \tau_{:t}]``           ``\mathbb{E}_{\tau \sim \pi_\theta}[X \mid s_t,
                                                                   a_t]`` for X of the times >= t (Markov)
=================================================================  ==========================================

Every reading is checked against the body and stated in the step's notes; what cannot be read
exactly is refused with the reason (a body that uses a variable the subscript does not draw, the
return of the whole trajectory under a partial range, a range of neither kind above).  A subscript
without ``\sim`` draws with pi_theta, as a bare ``\mathbb{E}[X]`` does (implicit_draws.infer_draws), and
is refused when the body uses another policy.  Times: a range ``s_{u:v}`` holds s_u, ..., s_v; an open
end is the trajectory's start or end; ``\tau_{u:}`` is the remainder after (s_u, a_u).
"""
from __future__ import annotations

from dataclasses import dataclass

from sympy import Integer, Sum
from sympy.core.symbol import Str

from ..lang import nodes
from .errors import fail
from .interpret import Ctx
from .roles import index
from .spellings import is_tau, policy_name
from .notation_traj import trajectory_policy
from .reading import note
from .syntax import base_atom, Expr, Group, raw, Rel, Scripted, single, Syn, Term
from .expectation_parts import _policies, _sub_items

_PLAIN_LETTERS = {"s": "s", "S": "s", "a": "a", "A": "a", "r": "r"}


@dataclass
class _Item:
    letter: str  # "s", "a" or "tau"
    lo: object  # first time (sympy), None: the trajectory's start
    hi: object  # last time (sympy), None: the trajectory's end
    syn: Syn


def _range_of(x: Syn):
    """(letter, Rel range) of s_{u:v}, a_{u:v}, \\tau_{u:v}, or None."""
    x = single(x)
    if not isinstance(x, Scripted) or x.sub is None or x.sup is not None:
        return None
    r = single(x.sub)
    if not isinstance(r, Rel) or r.kind != "range":
        return None
    if is_tau(x.base):
        return "tau", r
    a = base_atom(x)
    if a is None or a.kind != "sym" or a.name not in _PLAIN_LETTERS:
        return None
    return _PLAIN_LETTERS[a.name], r


def _time(x, ctx: Ctx):
    return None if x is None else index(x, ctx, "the time index of s_t")


def _items(syns: list, ctx: Ctx):
    """(items, policy syntax or None) when the subscript lists variables with at least one range, else None."""
    if not any(_range_of(x.lhs if isinstance(x, Rel) and x.kind == "~" else x) for x in syns):
        return None
    pol = None
    items = []
    for k, x in enumerate(syns):
        if isinstance(x, Rel) and x.kind == "~":
            if k != len(syns) - 1:
                fail(r"a subscript with index ranges draws them with one policy, written last: "
                     r"\mathbb{E}_{s_{0:t}, a_{0:t} \sim \pi_\theta}", x.pos)
            pol, x = x.rhs, x.lhs
        found = _range_of(x)
        if found is not None:
            letter, r = found
            lo, hi = _time(r.lhs, ctx), _time(r.rhs, ctx)
            if letter == "tau":
                if lo is None and hi is None:
                    fail(r"\tau_{:} is the whole trajectory: write \tau", r.pos)
                if lo is not None and hi is not None and lo != 0:
                    fail(r"\tau_{u:v} is not read: write \tau_{:t} (s_0, a_0, ..., s_t, a_t) or \tau_{t:} (the rest)",
                         r.pos)
                if hi is not None:
                    items += [_Item("s", Integer(0), hi, x), _Item("a", Integer(0), hi, x)]
                else:
                    items += [_Item("s", lo + 1, None, x), _Item("a", lo + 1, None, x)]
                continue
            lo = Integer(0) if lo is None else lo
            if letter == "r":  # r_{u:v}: r_w = R(s_w, a_w, s_{w+1}) for w = u..v
                if ctx.options.get("reward-index") == "t+1":
                    fail(r"a range of rewards r_{u:v} is read with derive's reward index (r_t follows a_t); write "
                         r"the states and actions, s_{u-1:v}, a_{u-1:v-1}", r.pos)
                items += [_Item("s", lo, None if hi is None else hi + 1, x), _Item("a", lo, hi, x)]
                continue
            items.append(_Item(letter, lo, hi, x))
            continue
        a = base_atom(single(x))
        sx = single(x)
        if isinstance(sx, Scripted) and a is not None and a.kind == "sym" and a.name in _PLAIN_LETTERS \
                and a.name != "r" and sx.sub is not None and sx.sup is None:
            u = _time(sx.sub, ctx)
            items.append(_Item(_PLAIN_LETTERS[a.name], u, u, x))
            continue
        fail(r"a subscript with index ranges lists trajectory variables only (s_{0:t}, a_{0:t-1}, \tau_{:t}, s_t)",
             getattr(x, "pos", 0))
    return items, pol


def range_draws(syns: list, ctx: Ctx):
    """The draws of an expectation whose subscript lists index ranges: [tau ~ pi], or None (no range)."""
    found = _items(syns, ctx)
    if found is None:
        return None
    _, pol = found
    if pol is None:
        return [nodes.TrajDist(Str("theta"))]
    name = trajectory_policy(pol)
    return [nodes.TrajDist(Str(name if name is not None else policy_name(pol, r"s_{0:t} \sim ...")))]


def range_given(x: Syn, ctx: Ctx):
    """``[X \\mid \\tau_{:t}]``: the Given nodes of s_t, a_t (the Markov reduction is checked by ranged_expectation)."""
    found = _range_of(x)
    if found is None:
        return None
    letter, r = found
    if letter != "tau" or r.lhs is not None and raw(single(r.lhs)).strip() != "0" or r.rhs is None:
        fail(r"a conditioning on a range is read for the trajectory's beginning \tau_{:t} only; condition on "
             r"variables (| s_t, a_t)", r.pos)
    u = _time(r.rhs, ctx)
    return [nodes.Given(nodes.St(u)), nodes.Given(nodes.At(u))]


# ------------------------------------------------------------ the body


def _nonneg(e) -> bool:
    return bool(e.is_nonnegative) or (e.is_number and e >= 0)


def _leq(a, b) -> bool:
    """a <= b for times (sympy): exactly when decidable; a time index t is >= 0, and a time the body uses is
    within the trajectory, so it is at most an end written with the horizon T."""
    from ..lang import symbols as sy

    if a is None or b is None:
        return True
    d = b - a
    if d.is_number:
        return bool(d >= 0)
    if d.is_nonnegative:
        return True
    c = d.as_coeff_Add()[0]
    rest = d - c
    if c >= 0 and rest.is_Symbol and rest != sy.T:
        return True  # t + c with c >= 0: a time
    return bool(b.has(sy.T) and not a.has(sy.T) and b.coeff(sy.T) == 1)


_TIMED = {nodes.Rt: 0, nodes.Ret: 0, nodes.Delta: 0, nodes.GAE: 0, nodes.LamRet: 0, nodes.KAdv: 1}


def _uses(body):
    """[(kind, time, bound)]: the trajectory variables the body uses freely; kind 's', 'a', 'r' (r_u: s_u, a_u and
    s_{u+1}) or 'from' (a node of the times from ``time`` on: G_u, delta_u, ...); 'all' for R(tau); bound: {sum
    index: (lo, hi)}."""
    out = []

    def walk(e, bound):
        if isinstance(e, nodes.Expect):
            for d in e.args[1:]:
                if isinstance(d, nodes.Given):
                    walk(d.args[0], bound)
                elif not isinstance(d, nodes.TrajDist):
                    for x in d.args[1:]:
                        walk(x, bound)
            return
        if isinstance(e, Sum):
            inner = dict(bound)
            for lim in e.limits:
                if len(lim) == 3:
                    inner[lim[0]] = (lim[1], lim[2])
            walk(e.function, inner)
            return
        if isinstance(e, nodes.St):
            out.append(("s", e.args[0], bound))
            return
        if isinstance(e, nodes.At):
            out.append(("a", e.args[0], bound))
            return
        if isinstance(e, nodes.Rt):  # r_u = R(s_u, a_u, s_{u+1})
            out.append(("r", e.args[0], bound))
        elif type(e) in _TIMED:
            out.append(("from", e.args[_TIMED[type(e)]], bound))
        elif isinstance(e, nodes.TrajReturn):
            out.append(("all", None, bound))
        for x in e.args:
            walk(x, bound)

    walk(body, {})
    return out


def _extremes(u, bound):
    """The smallest and largest value of the time u over the sums binding its indices (linear in each)."""
    lo = hi = u
    for k, (a, b) in bound.items():
        if lo.has(k):
            c = lo.diff(k)
            lo = lo.subs(k, a if _nonneg(c) else b)
            hi = hi.subs(k, b if _nonneg(c) else a)
    return lo, hi


def _earliest(times: list, pos: int):
    """The earliest of the first times (they must differ by known integers), None for no times."""
    if not times:
        return None
    diffs = [t - times[0] for t in times]
    if not all(d.is_Integer for d in diffs):
        fail(r"the ranges' first times cannot be compared (write them from one time index: s_{t+1:T}, a_{t:T-1})", pos)
    return times[diffs.index(min(diffs))]


def needs(kind, lo_u, hi_u):
    """The variables [(letter, first, last time)] a use of the body needs drawn; None: not a function of finitely many."""
    if kind in ("s", "a"):
        return [(kind, lo_u, hi_u)]
    if kind == "r":
        return [("s", lo_u, hi_u + 1), ("a", lo_u, hi_u)]
    return None


def _inside(kind, lo_u, hi_u, items) -> bool:
    return any(it.letter == kind and _leq(it.lo, lo_u) and _leq(hi_u, it.hi) for it in items)


def ranged_expectation(sub: Syn, g, draws: list, given: list, body, ctx: Ctx):
    """(draws, given) of an expectation with index ranges, checked against its body; unchanged without ranges.

    The beginning of the trajectory (a range from time 0): the body must be a function of the listed
    variables.  A later part: conditioned on what comes before it (the bar, or the implicit beginning);
    the body must use only times from the conditioning on (the Markov property then reduces the
    beginning to its last state, or state and action)."""
    syns = _sub_items(sub) if sub is not None else []
    found = _items(syns, ctx) if sub is not None else None
    bar = [x for x in (g.parts[1] if g is not None and g.sep == "|" else []) if _range_of(x)]
    if found is None and not bar:
        return draws, given
    items, pol = found if found is not None else ([], True)
    pos = sub.pos if sub is not None else g.pos
    listed = ", ".join(dict.fromkeys(raw(single(it.syn)).strip() for it in items)) if items else ""
    written_bar = g is not None and g.sep == "|"  # [X | s_t, a_t]: the conditioning as written
    if pol is None and _policies(body) - {"theta"}:
        fail(r"an expectation over index ranges without \sim draws with \pi_\theta, but the body uses another "
             r"policy: write the policy, \mathbb{E}_{s_{0:t}, a_{0:t-1} \sim \pi}", pos)
    uses = _uses(body)
    start = [it for it in items if it.letter == "s"]
    prefix = bool(items) and any(it.lo == 0 for it in items) and not bar
    if prefix:
        for kind, u, bound in uses:
            if kind == "all":
                fail(rf"\mathbb{{E}}_{{{listed}}}: the body uses the whole trajectory (R(\tau)), but the subscript "
                     r"draws only its beginning: write \mathbb{E}_{\tau \sim \pi_\theta}", pos)
            lo_u, hi_u = _extremes(u, bound)
            need = needs(kind, lo_u, hi_u)
            if need is None or not all(_inside(k, a, b, items) for k, a, b in need):
                fail(rf"\mathbb{{E}}_{{{listed}}}: the body uses a variable of time {u} that the subscript does not "
                     r"draw; draw it too, or write \mathbb{E}_{\tau \sim \pi_\theta}", pos)
        note(rf"\mathbb{{E}}_{{{listed}}}: over the beginning of the trajectory (those variables drawn from their "
             r"joint marginal); the body is a function of them, so this is \mathbb{E}_{\tau \sim \pi_\theta}")
        return draws, given
    if bar:  # [X | \tau_{:t}]: given the beginning up to (s_t, a_t)
        r = single(bar[0]).sub
        t0 = _time(single(r).rhs, ctx)
        cond_time, why = t0, rf"given \tau_{{:{t0}}} = (s_0, a_0, \ldots, s_{{{t0}}}, a_{{{t0}}})"
        implicit = []
    else:
        ms = _earliest([it.lo for it in start], pos)
        ma = _earliest([it.lo for it in items if it.letter == "a"], pos)
        if ms is not None and ma is not None and (ms - ma) == 1:
            implicit, cond_time = [nodes.Given(nodes.St(ma))], ma
            why = rf"given the beginning s_{{0:{ma}}}, a_{{0:{ma - 1}}}, i.e. (Markov) given s_{{{ma}}}"
        elif ms is not None and (ma is None or ms == ma):
            implicit, cond_time = [nodes.Given(nodes.St(ms - 1)), nodes.Given(nodes.At(ms - 1))], ms - 1
            why = rf"given the beginning up to (s_{{{ms - 1}}}, a_{{{ms - 1}}}), i.e. (Markov) given them"
        else:
            fail(rf"\mathbb{{E}}_{{{listed}}}: a range that neither starts the trajectory (s_{{0:t}}) nor continues "
                 r"it from a state or an action (s_{t+1:T}, a_{t:T-1}) is not read", pos)
    if written_bar and not bar:
        implicit, why = [], "given what the bar names"
    for kind, u, bound in uses:
        if kind == "all":
            fail(r"the body uses the whole trajectory (R(\tau)), not only its part from the conditioning on: "
                 r"the Markov reduction does not apply; condition on variables (| s_t, a_t)", pos)
        lo_u, _ = _extremes(u, bound)
        if not _leq(cond_time, lo_u):
            fail(rf"the body uses a variable of time {lo_u}, before the conditioning at time {cond_time}: the "
                 r"Markov reduction does not apply; condition on variables (| s_t, a_t)", pos)
    note(rf"\mathbb{{E}}_{{{listed or 'tau'}}}[\cdot]: over the rest of the trajectory {why} (the Markov property; the "
         rf"body uses only times from {cond_time} on): \mathbb{{E}}_{{\tau \sim \pi}}[\cdot \mid \ldots]")
    return draws, list(given) + implicit


def dot_bar_condition(g):
    """Spinning Up's conditioning bar ``\\left[ \\left. X \\right| \\tau_{:t} \\right]`` (extra_pg_proof2.rst): a sized
    bar that closes ``\\left.`` with no subscript (so not an evaluation bar) as the first thing in an
    expectation's brackets is the bar of ``[X \\mid \\tau_{:t}]``.  The group rebuilt with that bar, or g."""
    if g.sep is not None or not g.parts or not g.parts[0]:
        return g
    first = g.parts[0][0]
    term = first.terms[0][1] if isinstance(first, Expr) and len(first.terms) == 1 and first.terms[0][0] == 1 else first
    if not isinstance(term, Term) or len(term.items) < 2:
        return g
    bar = term.items[0]
    if not (isinstance(bar, Group) and bar.kind == "left" and bar.left == "." and bar.right == "|"
            and bar.sep is None and len(bar.parts) == 1 and len(bar.parts[0]) == 1):
        return g
    rest = term.items[1:]
    cond = rest[0] if len(rest) == 1 else Term(rest[0].pos, rest)
    note(r"\left. X \right| Y inside the expectation's brackets: the conditioning bar [X \mid Y]")
    return Group(g.pos, g.kind, g.left, g.right, [list(bar.parts[0]), [cond] + list(g.parts[0][1:])], "|",
                 rest[0].pos, g.params)


def range_probability(h, ctx: Ctx):
    """``P(s_{0:T}, a_{0:T-1})``, ``P(s_{0:T}, a_{0:T-1} \\mid \\theta)``: the joint probability of all the trajectory's
    variables, i.e. ``P(\\tau \\mid \\theta)`` (derive's trajectory: s_0..s_T, a_0..a_{T-1}); None without a range.
    Ranges that do not cover exactly the whole trajectory are refused (a marginal is read only in an integral
    or an expectation)."""
    from ..lang import symbols as sy

    g = h.call
    if g is None or h.sub is not None or h.sup is not None or not any(_range_of(x) for x in g.parts[0]):
        return None
    items, _ = _items(list(g.parts[0]), ctx)
    spans = sorted((it.letter, str(it.lo), str(it.hi)) for it in items)
    if spans != [("a", "0", str(sy.T - 1)), ("s", "0", str(sy.T))]:
        fail(r"P(...) of index ranges is read for the whole trajectory only, P(s_{0:T}, a_{0:T-1}) = P(\tau \mid \theta) "
             r"(derive's trajectory s_0..s_T, a_0..a_{T-1}); for a part of it write the expectation "
             r"\mathbb{E}_{s_{0:t}, a_{0:t-1}}[X]", g.pos)
    pol = "theta"
    if g.sep is not None:
        if g.sep != "|" or len(g.parts) != 2 or len(g.parts[1]) != 1:
            fail(r"P(s_{0:T}, a_{0:T-1} \mid \theta): the trajectory's probability is given the policy alone", g.pos)
        x = g.parts[1][0]
        pol = "theta" if raw(single(x)).replace(" ", "") == r"\theta" else policy_name(x, r"P(s_{0:T}, a_{0:T-1} \mid \pi)")
    h.take_call()
    note(r"P(s_{0:T}, a_{0:T-1}): the joint probability of all the trajectory's variables, P(\tau \mid \theta)")
    return nodes.TrajProb(Str(pol))


__all__ = ["range_draws", "range_given", "ranged_expectation", "dot_bar_condition",
           "range_probability"]
