"""Pure-algebra steps with free real numbers: exact evaluation at rational points that satisfy the
assumptions.

A step whose sides hold free real scalars (``r``, ``A``, ``c`` written bare, see
``derive.lang.symbols.ScalarVar``) and otherwise only numbers, the parameters (``\\epsilon``,
``\\gamma``, ``\\lambda``, ``\\beta``, ``c_1``, ``c_2``), ``+ - \\times /``, integer powers,
``\\min``, ``\\max``, ``|x|``, ``\\operatorname{clip}`` and indicators (``\\begin{cases}``) is judged
here, not on MDPs, e.g. the PPO-clip case analysis (Schulman et al. 2017, eq. 7)::

    \\min(rA, \\operatorname{clip}(r, 1-\\epsilon, 1+\\epsilon)A) = \\min(r, 1+\\epsilon) A   (for A >= 0)

Assumptions come from the front matter (``assume: r > 0, 0 < \\epsilon < 1, A \\geq 0``) and from
the prose right before the display ("for $A \\geq 0$", "if $A < 0$", "when $r > 1 + \\epsilon$").
The parameters keep their own ranges (0 < epsilon < 1; gamma, lambda in [0, 1]; beta, c_1, c_2 >= 0).

Points: a seeded draw of ``POINTS`` points; each scalar takes a value from a pool of signed
rationals (0 included) or, half of the time, a *boundary point*: a value where two arguments of a
``\\min``/``\\max``/``\\operatorname{clip}``, the two sides of an indicator or of an assumption
meet (``r = 1 \\pm \\epsilon``, ``A = 0``), possibly nudged by 1/97.  Points that violate an
assumption are dropped.  Verdicts: **fails** with the point (a certain counterexample, exact
rationals); **holds** when at least ``MIN_POINTS`` points satisfy the assumptions and none fails;
**unknown** when no point (or too few) satisfies them ("no point satisfies the assumptions").
"""
from __future__ import annotations

import random
from fractions import Fraction

from sympy import Abs, Add, Integer, Max, Min, Mul, Pow, Rational, Symbol, latex
from sympy.core.relational import Relational

from ..lang import nodes
from ..lang import symbols as sy
from ..lang.symbols import ScalarVar
from .assumptions import read_assumptions, split_assumptions  # noqa: F401  (split_assumptions: re-exported)
from .scalars_numeric import DIGITS, agree, numeric_candidate, nvalue, fmt as nfmt  # exp, log

POINTS = 600
MIN_POINTS = 20
NUDGE = Fraction(1, 97)
POOL = [Fraction(n, d) for n, d in ((-3, 1), (-2, 1), (-3, 2), (-1, 1), (-2, 3), (-1, 2), (-1, 5), (0, 1), (1, 5),
                                    (1, 2), (2, 3), (1, 1), (3, 2), (2, 1), (5, 2), (3, 1))]
PARAM_POOLS = {
    sy.eps: [Fraction(n, d) for n, d in ((1, 10), (1, 5), (1, 4), (1, 3), (1, 2), (2, 3), (9, 10))],
    sy.gamma: [Fraction(n, d) for n, d in ((0, 1), (1, 4), (1, 2), (3, 4), (9, 10), (1, 1))],
    sy.lam: [Fraction(n, d) for n, d in ((0, 1), (1, 4), (1, 2), (3, 4), (9, 10), (1, 1))],
    sy.beta: [Fraction(n, d) for n, d in ((0, 1), (1, 10), (1, 2), (1, 1), (2, 1))],
    sy.c1: [Fraction(n, d) for n, d in ((0, 1), (1, 10), (1, 2), (1, 1), (2, 1))],
    sy.c2: [Fraction(n, d) for n, d in ((0, 1), (1, 10), (1, 2), (1, 1), (2, 1))],
}
NAMES = {sy.eps: "epsilon", sy.gamma: "gamma", sy.lam: "lambda", sy.beta: "beta", sy.c1: "c_1", sy.c2: "c_2"}
_OPS = {"<": lambda x, y: x < y, ">": lambda x, y: x > y, "<=": lambda x, y: x <= y, ">=": lambda x, y: x >= y,
        "=": lambda x, y: x == y, "!=": lambda x, y: x != y}


class NotScalar(Exception):
    """The expression is not pure algebra over rationals (the message says what is in it)."""


def uses_scalars(*exprs) -> bool:
    return any(isinstance(s, ScalarVar) for e in exprs if e is not None for s in e.free_symbols)


# ------------------------------------------------------------------ evaluation


def value(e, point: dict):
    """The exact value (Fraction) of e at a point, None where it is undefined (x/0)."""
    if isinstance(e, Rational):
        return Fraction(int(e.p), int(e.q))
    if isinstance(e, Symbol):
        if e in point:
            return point[e]
        raise NotScalar(f"{e} is not a free real number or a parameter")
    if isinstance(e, Add):
        out = Fraction(0)
        for a in e.args:
            v = value(a, point)
            if v is None:
                return None
            out += v
        return out
    if isinstance(e, Mul):
        out = Fraction(1)
        for a in e.args:
            v = value(a, point)
            if v is None:
                return None
            out *= v
        return out
    if isinstance(e, Pow):
        if not isinstance(e.exp, Integer) or abs(int(e.exp)) > 64:
            raise NotScalar("a power that is not a small integer power")
        b = value(e.base, point)
        if b is None or (b == 0 and e.exp < 0):
            return None
        return b ** int(e.exp)
    if isinstance(e, (Min, Max)):
        vals = [value(a, point) for a in e.args]
        if any(v is None for v in vals):
            return None
        return min(vals) if isinstance(e, Min) else max(vals)
    if isinstance(e, Abs):
        v = value(e.args[0], point)
        return None if v is None else abs(v)
    if isinstance(e, nodes.Clip):
        x, lo, hi = (value(a, point) for a in e.args)
        if None in (x, lo, hi):
            return None
        return min(max(x, lo), hi)
    if isinstance(e, nodes.Indicator):
        cond = e.args[0]
        x, y = (value(a, point) for a in cond.args)
        if x is None or y is None:
            return None
        return Fraction(int(_OPS[cond.rel_op if cond.rel_op != "==" else "="](x, y)))
    raise NotScalar(f"{type(e).__name__} is not pure algebra")


# ------------------------------------------------------------------ points


def _critical_pairs(exprs: list, assumptions: list) -> list:
    """Pairs (f, g) whose meeting points are boundary points: min/max/clip arguments, indicator and
    assumption sides."""
    pairs = [(a, b) for a, _, b in assumptions]
    for e in exprs:
        stack = [e]
        while stack:
            x = stack.pop()
            if isinstance(x, (Min, Max)):
                args = list(x.args)
                pairs.extend((args[i], args[j]) for i in range(len(args)) for j in range(i + 1, len(args)))
            elif isinstance(x, nodes.Clip):
                pairs.extend(((x.args[0], x.args[1]), (x.args[0], x.args[2])))
            elif isinstance(x, nodes.Indicator):
                pairs.append(tuple(x.args[0].args))
            elif isinstance(x, Abs):
                pairs.append((x.args[0], Integer(0)))
            stack.extend(x.args)
    return pairs[:200]


def _roots(pairs: list, scalars: list) -> dict:
    """scalar -> [expressions where a pair meets, solved for that scalar when linear in it]."""
    from sympy import Poly, PolynomialError

    out = {x: [] for x in scalars}
    for f, g in pairs:
        diff = f - g
        for x in scalars:
            if x not in diff.free_symbols:
                continue
            try:
                p = Poly(diff, x)
            except PolynomialError:
                continue
            if p.degree() == 1:
                c1, c0 = p.all_coeffs()
                out[x].append(-c0 / c1)
            for factor in Mul.make_args(diff.factor() if len(diff.free_symbols) < 5 else diff):
                if factor == x:
                    out[x].append(Integer(0))
    return out


def judge(lhs, rhs, relation: str, assumptions: list, seed: int = 0):
    """(verdict "holds" | "fails" | "unknown", detail, counterexample or None) of ``lhs relation rhs``."""
    scalars = sorted((s for s in (lhs.free_symbols | rhs.free_symbols) if isinstance(s, ScalarVar)), key=str)
    params = sorted((s for s in (lhs.free_symbols | rhs.free_symbols) if s in PARAM_POOLS), key=str)
    for a, _, b in assumptions:
        scalars += sorted((s for s in (a.free_symbols | b.free_symbols) if isinstance(s, ScalarVar)
                           and s not in scalars), key=str)
        params += sorted((s for s in (a.free_symbols | b.free_symbols) if s in PARAM_POOLS and s not in params),
                         key=str)
    roots = _roots(_critical_pairs([lhs, rhs], assumptions), scalars)
    rng = random.Random(f"scalars:{seed}")
    satisfied, drawn = 0, 0
    compare = {"=": lambda x, y: x == y, ">=": lambda x, y: x >= y, "<=": lambda x, y: x <= y,
               ">": lambda x, y: x > y, "<": lambda x, y: x < y}[relation]
    numeric = numeric_candidate(lhs, rhs)  # exp, log: 60-digit values (scalars_numeric.py)
    val, show = (nvalue, nfmt) if numeric else (value, _fmt)
    if numeric:
        compare = lambda x, y: agree(x, y, relation)  # noqa: E731
    try:
        for _ in range(POINTS):
            drawn += 1
            point = {p: rng.choice(PARAM_POOLS[p]) for p in params}
            for x in rng.sample(scalars, len(scalars)):
                point[x] = _draw(x, roots[x], point, rng)
            if not all(_holds(a, op, b, point) for a, op, b in assumptions):
                continue
            lv, rv = val(lhs, point), val(rhs, point)
            if lv is None or rv is None:
                continue
            satisfied += 1
            if not compare(lv, rv):
                at = {str(NAMES.get(k, k)): _fmt(v) for k, v in sorted(point.items(), key=lambda kv: str(kv[0]))}
                where = ", ".join(f"{k} = {v}" for k, v in at.items())
                ce = {"point": at, "lhs": show(lv), "rhs": show(rv), "exact": not numeric}
                return "fails", (f"at {where}: lhs = {show(lv)}, rhs = {show(rv)}"
                                 + (f" ({DIGITS}-digit values)" if numeric else "")), ce
    except NotScalar as err:
        return "unknown", f"not attempted: {err}", None
    if satisfied == 0:
        return "unknown", f"no point satisfies the assumptions ({drawn} drawn)", None
    if satisfied < MIN_POINTS:
        return "unknown", f"only {satisfied} of {drawn} points satisfy the assumptions: too few to judge", None
    names = ", ".join(str(s) for s in scalars)
    if numeric:
        return "holds", (f"{DIGITS}-digit arithmetic (exp, log: not exact; sides within 1e-40 relative): {satisfied} "
                         f"rational points of the free real numbers {names} satisfying the assumptions ({drawn} drawn),"
                         " sign cases and boundary points included"), None
    return "holds", (f"exact: {satisfied} rational points of the free real numbers {names} satisfying the "
                     f"assumptions ({drawn} drawn), sign cases and boundary points included"), None


def _draw(x, roots: list, point: dict, rng) -> Fraction:
    if roots and rng.random() < 0.5:
        r = rng.choice(roots)
        try:
            v = value(r, point)
        except NotScalar:
            v = None
        if v is not None:
            return v + rng.choice((0, 0, NUDGE, -NUDGE))
    return rng.choice(POOL)


def _holds(a, op, b, point) -> bool:
    x, y = value(a, point), value(b, point)
    return x is not None and y is not None and _OPS[op](x, y)


def _fmt(v: Fraction) -> str:
    return str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"


def pure_algebra(e) -> str | None:
    """None when e is pure algebra over scalars and parameters, else what is in it that is not."""
    stack = [e]
    while stack:
        x = stack.pop()
        if isinstance(x, Relational):
            stack.extend(x.args)
            continue
        if isinstance(x, Symbol) and not isinstance(x, ScalarVar) and x not in PARAM_POOLS:
            return f"the step mixes free real numbers with {x} (an MDP quantity or an index)"
        if isinstance(x, nodes.Node) and not isinstance(x, (nodes.Clip, nodes.Indicator)):
            return f"the step mixes free real numbers with MDP quantities ({type(x).__name__})"
        stack.extend(x.args)
    return None


__all__ = ["uses_scalars", "judge", "read_assumptions", "pure_algebra", "value", "NotScalar"]


def _policy_ratios(*exprs) -> dict:
    """{pi_1(a|s) / pi_2(a|s): a fresh positive free real} for each policy ratio in exprs (two policies, same a, s).

    A ratio of two policies at one (s, a) takes every positive value as the policies range over the
    interior of the simplex (two actions or more), so a step that is pure algebra in the ratio, A and
    epsilon (the PPO-clip case analysis with "let r = pi_theta / pi_old", Schulman et al. 2017, eq. 7)
    holds for all policies exactly when it holds for every positive real in the ratio's place, and a
    failing positive rational is attained by some pair of policies."""
    found: dict = {}  # numerator policy term -> r * denominator policy term (so that the ratio is r)
    names = {str(s) for e in exprs for s in e.free_symbols if isinstance(s, ScalarVar)}
    for e in exprs:
        for x in _preorder(e):
            if not isinstance(x, Mul):
                continue
            num = [a for a in x.args if isinstance(a, nodes.Pi)]
            den = [a.base for a in x.args if isinstance(a, Pow) and a.exp == -1 and isinstance(a.base, nodes.Pi)]
            if len(num) == 1 and len(den) == 1 and num[0].args[1:] == den[0].args[1:] and num[0] != den[0] \
                    and num[0] not in found:
                name = "r" if "r" not in names else f"r_{len(found) + 1}"
                names.add(name)
                found[num[0]] = ScalarVar(name, positive=True) * den[0]
    return found


def _scalar_of(term):
    return next(a for a in term.args if isinstance(a, ScalarVar))


def _preorder(e):
    stack = [e]
    while stack:
        x = stack.pop()
        yield x
        stack.extend(x.args)


def judge_step(rec: dict, step, seed: int = 0):
    """The verdict of a derivation step with free real numbers (``rec`` from checker.judge.base_record), or
    None when the step mixes them with MDP quantities and states no assumption: the exact method then
    evaluates each free real number as one seeded rational of each random MDP (engine/rules_algebra.py)."""
    from ..read_latex import LatexError

    lhs, rhs = step.lhs, step.rhs
    reason = pure_algebra(lhs) or pure_algebra(rhs)
    ratios = _policy_ratios(lhs, rhs) if reason else {}
    if ratios and pure_algebra(lhs.xreplace(ratios)) is None and pure_algebra(rhs.xreplace(ratios)) is None:
        lhs, rhs, reason = lhs.xreplace(ratios), rhs.xreplace(ratios), None  # see _policy_ratios
    else:
        ratios = {}
    if reason and any(getattr(s, "name", None) == "r" and isinstance(s, ScalarVar)
                      for e in (step.lhs, step.rhs) for s in e.free_symbols):
        # "\sum_{s'} p(s'|s,a)[r + \gamma V(s')]": a bare r next to the MDP is the author's reward, not "for all r"
        rec.update(verdict="unknown", reason="not attempted: a bare r next to MDP quantities is ambiguous: the reward "
                   "(write R(s,a,s'), R(s,a) or r_t) or a free constant (write c)")
        return rec
    if reason and not getattr(step, "assumptions", None):
        return None  # next to MDP quantities: one seeded rational per random MDP (the exact method)
    if reason:
        rec["reason"] = (f"not attempted: {reason}; assumptions on free real numbers (r, A, c) are used only "
                         "in pure algebra")
        return rec
    try:
        assumptions = read_assumptions(list(getattr(step, "assumptions", ()) or ()),
                                       {k: v for k, v in (getattr(step, "options", None) or {}).items()
                                        if k not in ("notes",)})
    except LatexError as err:
        rec["reason"] = f"could not read an assumption: {err.line}:{err.col}: {err.message}"
        return rec
    relation = step.relation
    assumptions = [(a.xreplace(ratios), op, b.xreplace(ratios)) for a, op, b in assumptions]
    assumptions += [(_scalar_of(v), ">", Integer(0)) for v in ratios.values()]
    verdict, detail, ce = judge(lhs, rhs, relation, assumptions, seed)
    if ratios:
        detail += "; " + "; ".join(f"the policy ratio {latex(k)} / {latex(v / k_r)} is judged as a free "
                                   f"positive real {k_r} (it takes every positive value)"
                                   for k, v in ratios.items() for k_r in [_scalar_of(v)])
    if assumptions and verdict != "unknown" or (verdict == "unknown" and "no point" in detail):
        said = "; ".join(t for t, _, _ in step.assumptions)
        detail += f" (assuming {said})" if said else ""
    rec.update(verdict=verdict, reason=detail)
    if verdict == "fails":
        rec["counterexample"] = ce
    return rec
