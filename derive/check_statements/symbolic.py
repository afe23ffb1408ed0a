"""Method 2, symbolic: lhs - rhs = 0 with every parameter a symbol, at a small size.

Size: 2 states, 2 actions, T = 2 (or the discounted setting), a sample space X
of 2 points.  Every number is a SymPy symbol: rho_0 = (r, 1 - r), P(.|s,a) =
(p_sa, 1 - p_sa), R(s,a,s') free, gamma free, each policy pi(.|s) = (u_s, 1 - u_s),
lambda, epsilon, free functions and free distributions too.  Both sides are
evaluated by the same evaluator in the field of rational functions (FLINT's
multivariate polynomials, engine/flint_field.py, kept in lowest terms), so the
difference is canonical; where a log is needed, in SymPy expressions, whose
difference is first tested with each log a free symbol, then with ``cancel``.  Zero proves the identity at that
size for all parameter values; a nonzero rational function proves it false
(it cannot vanish on the open set of valid parameters).  Min, max and clip
are not compared symbolically ("not attempted"), and a check over its time
budget is "timed out", never a verdict.
"""
from __future__ import annotations

import numpy as np
import sympy
from sympy import Symbol

from ..engine.evaluate import Unsupported, evaluate, preorder
from ..engine.fields import SYMBOLIC, NoLogHere
from ..engine.flint_field import FlintFractionField, RationalFunction
from ..engine.tables import Tables
from ..engine.tensor import Undefined, has_novalue
from ..lang.symbols import PARAMETERS, gamma
from ..mdp import random_instance, with_fixed_start
from ..setting import Setting
from .quantifiers import base_envs
from .result import FAILS, HOLDS, NOT_ATTEMPTED, TIMED_OUT, MethodResult
from .sandbox import Timeout, WorkerFailed, run_limited

SIZE = {"states": 2, "actions": 2, "horizon": 2, "points": 2}
TIME_BUDGET = 12.0


def _obj(values):
    arr = np.empty(np.shape(values), dtype=object)
    for idx in np.ndindex(arr.shape):
        arr[idx] = values[idx] if arr.shape else values
    return arr


def _free_objects(exprs):
    """Names and argument shapes of the free functions and distributions the statement uses."""
    from ..lang import nodes
    from ..lang.symbols import ActionVar, StateVar

    fns, dists = set(), set()
    for e in (x for expr in exprs for x in preorder(expr)):
        if isinstance(e, nodes.FreeFn):
            shape = tuple(SIZE["states"] if isinstance(a, (StateVar, nodes.St)) else
                          SIZE["actions"] if isinstance(a, (ActionVar, nodes.At)) else SIZE["points"]
                          for a in e.args[1:])
            fns.add((e.args[0].name, shape))
        elif isinstance(e, nodes.FreeProb):
            dists.add(e.args[0].name)
        elif isinstance(e, nodes.KL):
            dists.update(a.name for a in e.args)
        elif isinstance(e, nodes.FreeDraw):
            dists.add(e.args[1].name)
        elif isinstance(e, nodes.VRef) and e.args[0].name.startswith("free:"):
            fns.add((e.args[0].name[5:], (SIZE["states"],)))
    return sorted(fns), sorted(dists)


def _used_names(exprs) -> set:
    """Policies, parameters and 'point' that a statement refers to (the rest stay constant)."""
    from ..lang import nodes
    from ..lang.symbols import PointVar

    out = set()
    stack = list(exprs)
    while stack:
        e = stack.pop()
        name = getattr(e, "name", None)
        if isinstance(e, sympy.core.symbol.Str):
            out.add(name)
        elif isinstance(e, PointVar):
            out.add("point")
        elif isinstance(e, Symbol):
            for pname, sym in PARAMETERS.items():
                if e == sym:
                    out.add(pname)
        elif isinstance(e, (nodes.GAE, nodes.LamRet)):
            out.add("lambda")
        if isinstance(e, (nodes.GAE, nodes.LamRet, nodes.Ret, nodes.TrajReturn, nodes.Delta, nodes.KAdv)):
            stack.append(e.definition())
        stack.extend(e.args)
    if "lambda" in out:
        out.add("lambda")
    return out


def symbolic_tables(setting: str, exprs=(), fraction_field: bool = True) -> Tables:
    """Tables whose every number is a symbol: rational functions in FLINT (engine/flint_field.py), or,
    with ``fraction_field=False`` (a log is needed), plain SymPy expressions."""
    ns, na, npts = SIZE["states"], SIZE["actions"], SIZE["points"]
    given = Setting.of(setting)
    base, fixed_gamma = given.horizon, given.discount
    horizon = SIZE["horizon"] if base == "finite" else None
    inst = random_instance(0, ns, na, horizon, n_points=npts)
    r = Symbol("r")
    rho0 = _obj(np.array([r, 1 - r], dtype=object))
    if given.start == "fixed":  # front matter start: fixed (S&B 13.2): rho0 = delta_{s_0}, a free s_0 is state 0
        inst = with_fixed_start(inst)
        rho0 = _obj(np.array([sympy.Integer(1), sympy.Integer(0)], dtype=object))
    state_only = given.reward == "state"  # reward: state (TRPO's r(s)): R(s, a, s') = r(s)
    P = np.empty((ns, na, ns), dtype=object)
    R = np.empty((ns, na, ns), dtype=object)
    for s in range(ns):
        for a in range(na):
            p = Symbol(f"p_{s}{a}")
            P[s, a, 0], P[s, a, 1] = p, 1 - p
            for s2 in range(ns):
                R[s, a, s2] = (Symbol(f"r_{s}") if state_only else Symbol(f"r_{s}{a}") if given.reward == "state-action"
                               else Symbol(f"R_{s}{a}{s2}"))  # reward: state-action: R(s, a, s') = r(s, a)
    pis = {}
    for name in inst.policies:
        arr = np.empty((ns, na), dtype=object)
        for s in range(ns):
            u = Symbol(f"u_{name}{s}")
            arr[s, 0], arr[s, 1] = u, 1 - u
        pis["pi:" + name] = arr
    points = np.empty((npts,), dtype=object)
    for i in range(npts):
        points[i] = Symbol(f"x_{i}")

    def free_function(name, shape):
        arr = np.empty(shape, dtype=object)
        for idx in np.ndindex(shape):
            arr[idx] = Symbol(f"{name}_{''.join(map(str, idx))}")
        return arr

    def free_dist(name):
        q = Symbol(f"{name}_0")
        return _obj(np.array([q, 1 - q], dtype=object))

    used = _used_names(exprs)
    for name in list(pis):
        if name[3:] not in used:  # an unused policy: a constant, so it adds no generators
            pis[name] = _obj(np.array([[sympy.Rational(1, 3), sympy.Rational(2, 3)]] * ns, dtype=object))
    if "point" not in used:
        points = _obj(np.array([sympy.Integer(0), sympy.Integer(1)], dtype=object))
    fn_names, dist_names = _free_objects(exprs)
    free_fns = {(name, shape): free_function(name, shape) for name, shape in fn_names}
    free_dists = {name: free_dist(name) for name in dist_names}
    g = gamma if fixed_gamma is None else sympy.Rational(fixed_gamma.numerator, fixed_gamma.denominator)
    symbols = {"rho0": rho0, "P": P, "R": R, "gamma": g, "points": points, **pis}
    for name, sym in PARAMETERS.items():
        symbols["param:" + name] = sym if name in used else sympy.Rational(1, 7)
    field_obj = SYMBOLIC
    if fraction_field:
        gens = set()
        for value in list(symbols.values()) + list(free_fns.values()) + list(free_dists.values()):
            for v in np.asarray(value, dtype=object).flat:
                gens |= v.free_symbols
        field_obj = FlintFractionField(sorted(gens, key=str))
        conv = np.vectorize(field_obj.from_sympy, otypes=[object])
        symbols = {k: (conv(v) if isinstance(v, np.ndarray) else field_obj.from_sympy(v)) for k, v in symbols.items()}
        free_fns = {k: conv(v) for k, v in free_fns.items()}
        free_dists = {k: conv(v) for k, v in free_dists.items()}

    def lookup_fn(name, shape):
        if (name, shape) not in free_fns:
            raise Unsupported(f"free function {name} with shape {shape} was not declared")
        return free_fns[(name, shape)]

    def lookup_dist(name):
        if name not in free_dists:
            raise Unsupported(f"free distribution {name} was not declared")
        return free_dists[name]

    symbols["free_function"] = lookup_fn
    symbols["free_dist"] = lookup_dist
    return Tables(inst, field_obj, symbols)


def _difference_is_zero(expr) -> bool | None:
    """True: zero; False: a nonzero rational function; None: undecided (logs or roots left).

    Only a nonzero *rational function* is a proof of inequality; a difference with a root
    (sqrt(p q) - sqrt(p) sqrt(q) with p, q not known to be positive) is undecided, never False."""
    if isinstance(expr, RationalFunction):  # canonical (gcd(num, den) = 1), so == 0 decides
        return expr == 0
    e = sympy.expand_log(expr, force=True)
    if _zero_with_logs_as_symbols(e):
        return True
    e = sympy.cancel(sympy.together(e))
    if e == 0:
        return True
    if e.has(sympy.log, sympy.exp) or not e.is_rational_function():
        e2 = sympy.simplify(e)
        if e2 == 0:
            return True
        return None
    return False


def _zero_with_logs_as_symbols(e) -> bool:
    """True when ``e`` is 0 as a rational function of its symbols and its logs, each log(u) an independent
    symbol L_u (FLINT's field, engine/flint_field.py).  Zero there is zero for every value of the L_u, so in
    particular for L_u = log(u): a proof.  False only means "not shown this way" (SymPy's cancel and
    simplify then decide, as before): log(u) and log(v) need not be independent."""
    logs = sorted(e.atoms(sympy.log), key=sympy.default_sort_key)
    stand_ins = {lg: sympy.Dummy(f"L{i}") for i, lg in enumerate(logs)}
    e = e.xreplace(stand_ins) if stand_ins else e
    if e.has(sympy.log, sympy.exp):
        return False
    try:
        field_obj = FlintFractionField(sorted(e.free_symbols, key=sympy.default_sort_key))
        return field_obj.from_sympy(e) == 0
    except (TypeError, KeyError, ZeroDivisionError):  # a root, a float, a function SymPy left unevaluated
        return False


def _as_basic(v):
    if isinstance(v, sympy.Basic):
        return v
    if isinstance(v, int):
        return sympy.Integer(v)
    if isinstance(v, RationalFunction):
        return v
    raise TypeError(f"unexpected value {v!r} in symbolic evaluation")


def _run(lhs, rhs, setting, relation, ranges):
    if relation != "=":
        return (NOT_ATTEMPTED, "inequalities are checked exactly, not symbolically", {})
    if "family=" in setting:
        return (NOT_ATTEMPTED, "the symbolic method runs on generic 2-state MDPs; this statement is about a "
                               "structured family (checked exactly on that family)", {})
    if setting.startswith("discounted"):  # pointwise identities of infinite series: E[(lhs - rhs)^2] = 0
        from ..engine.infinite import as_second_moment

        lhs, rhs = as_second_moment(lhs, rhs, relation) or (lhs, rhs)
    try:
        return _run_in(symbolic_tables(setting, (lhs, rhs), fraction_field=True), lhs, rhs, setting, ranges)
    except NoLogHere:
        return _run_in(symbolic_tables(setting, (lhs, rhs), fraction_field=False), lhs, rhs, setting, ranges)


def _run_in(tables, lhs, rhs, setting, ranges):
    count = 0
    for env, ints in base_envs(tables, (lhs, rhs), ranges):
        try:
            L, R = evaluate(lhs, env), evaluate(rhs, env)
        except Undefined as exc:
            return (NOT_ATTEMPTED, f"symbolic evaluation undefined ({exc}): min, max and clip are piecewise", {})
        except Unsupported as exc:
            return (NOT_ATTEMPTED, str(exc), {})
        from .compare import aligned_pair

        axes, x, y = aligned_pair(L, R)
        if has_novalue(x) or has_novalue(y):
            raise NoLogHere("a logarithm's value is needed")
        for idx in np.ndindex(x.shape):
            verdict = _difference_is_zero(_as_basic(x[idx]) - _as_basic(y[idx]))
            count += 1
            if verdict is False:
                where = ", ".join(f"{a}={i}" for a, i in zip(axes, idx))
                w = f" at {where}" if where else ""
                ii = f" with {ints}" if ints else ""
                return (FAILS, f"lhs - rhs is a nonzero rational function{w}{ii} (2 states, 2 actions)", {})
            if verdict is None:
                return (NOT_ATTEMPTED, "the difference keeps logarithms or roots SymPy could not cancel", {})
    if count == 0:
        return (NOT_ATTEMPTED, "nothing to compare at this size", {})
    size = size_label(setting)
    return (HOLDS, f"lhs - rhs = 0 with symbolic parameters ({size}, {count} components)", {})


def size_label(setting: str) -> str:
    """The size the symbolic method works at, in words."""
    return "2 states, 2 actions, " + ("T = 2" if Setting.of(setting).horizon == "finite" else "discounted")


def check_symbolic(lhs, rhs, setting="finite", relation="=", ranges=(), budget: float = TIME_BUDGET,
                   isolate: bool = True) -> MethodResult:
    if Setting.of(setting).horizon == "episodic":  # derive/episodic.py: checked exactly only
        return MethodResult(NOT_ATTEMPTED, "the episodic setting (gamma = 1, episodes end) is checked exactly only")
    try:
        if isolate:
            status, detail, data = run_limited(_run, (lhs, rhs, setting, relation, ranges), seconds=budget)
        else:
            status, detail, data = _run(lhs, rhs, setting, relation, ranges)
    except Timeout:
        return MethodResult(TIMED_OUT, f"SymPy did not finish within {budget:g} s")
    except WorkerFailed as exc:
        return MethodResult(NOT_ATTEMPTED, f"the symbolic worker failed: {str(exc).splitlines()[0]}")
    return MethodResult(status, detail, data)
