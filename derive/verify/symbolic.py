"""Method 2, symbolic: lhs - rhs = 0 with every parameter a symbol, at a small size.

Size: 2 states, 2 actions, T = 2 (or the discounted setting), a sample space X
of 2 points.  Every number is a SymPy symbol: rho_0 = (r, 1 - r), P(.|s,a) =
(p_sa, 1 - p_sa), R(s,a,s') free, gamma free, each policy pi(.|s) = (u_s, 1 - u_s),
lambda, epsilon, free functions and free distributions too.  Both sides are
evaluated by the same evaluator in the symbolic field and the difference is
put over a common denominator (``cancel``).  Zero proves the identity at that
size for all parameter values; a nonzero rational function proves it false
(it cannot vanish on the open set of valid parameters).  Min, max and clip
are not compared symbolically ("not attempted"), and a check over its time
budget is "timed out", never a verdict.
"""
from __future__ import annotations

import numpy as np
import sympy
from sympy import Symbol

from ..engine.evaluate import Unsupported, evaluate
from ..engine.fields import SYMBOLIC
from ..engine.tables import Tables
from ..engine.tensor import Undefined
from ..lang.symbols import PARAMETERS, gamma
from ..mdp import random_instance
from .quantifiers import base_envs
from .result import FAILS, HOLDS, NOT_ATTEMPTED, TIMED_OUT, MethodResult
from .sandbox import Timeout, WorkerFailed, run_limited

SIZE = {"states": 2, "actions": 2, "horizon": 2, "points": 2}
TIME_BUDGET = 20.0


def _obj(values):
    arr = np.empty(np.shape(values), dtype=object)
    for idx in np.ndindex(arr.shape):
        arr[idx] = values[idx] if arr.shape else values
    return arr


def symbolic_tables(setting: str) -> Tables:
    ns, na, npts = SIZE["states"], SIZE["actions"], SIZE["points"]
    horizon = SIZE["horizon"] if setting == "finite" else None
    inst = random_instance(0, ns, na, horizon, n_points=npts)
    r = Symbol("r")
    rho0 = _obj(np.array([r, 1 - r], dtype=object))
    P = np.empty((ns, na, ns), dtype=object)
    R = np.empty((ns, na, ns), dtype=object)
    for s in range(ns):
        for a in range(na):
            p = Symbol(f"p_{s}{a}")
            P[s, a, 0], P[s, a, 1] = p, 1 - p
            for s2 in range(ns):
                R[s, a, s2] = Symbol(f"R_{s}{a}{s2}")
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

    symbols = {"rho0": rho0, "P": P, "R": R, "gamma": gamma, "points": points,
               "free_function": free_function, "free_dist": free_dist, **pis}
    for name, sym in PARAMETERS.items():
        symbols["param:" + name] = sym
    return Tables(inst, SYMBOLIC, symbols)


def _difference_is_zero(expr) -> bool | None:
    """True: zero; False: a nonzero rational function; None: undecided (logs left)."""
    e = sympy.expand_log(expr, force=True)
    e = sympy.cancel(sympy.together(e))
    if e == 0:
        return True
    if e.has(sympy.log, sympy.exp):
        e2 = sympy.simplify(e)
        if e2 == 0:
            return True
        return None
    return False


def _as_basic(v):
    if isinstance(v, sympy.Basic):
        return v
    if isinstance(v, int):
        return sympy.Integer(v)
    raise TypeError(f"unexpected value {v!r} in symbolic evaluation")


def _run(lhs, rhs, setting, relation, ranges):
    if relation != "=":
        return (NOT_ATTEMPTED, "inequalities are checked exactly, not symbolically", {})
    tables = symbolic_tables(setting)
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
        for idx in np.ndindex(x.shape):
            verdict = _difference_is_zero(_as_basic(x[idx]) - _as_basic(y[idx]))
            count += 1
            if verdict is False:
                where = ", ".join(f"{a}={i}" for a, i in zip(axes, idx))
                w = f" at {where}" if where else ""
                ii = f" with {ints}" if ints else ""
                return (FAILS, f"lhs - rhs is a nonzero rational function{w}{ii} (2 states, 2 actions)", {})
            if verdict is None:
                return (NOT_ATTEMPTED, "the difference keeps logarithms SymPy could not cancel", {})
    if count == 0:
        return (NOT_ATTEMPTED, "nothing to compare at this size", {})
    size = "2 states, 2 actions, " + ("T = 2" if setting == "finite" else "discounted")
    return (HOLDS, f"lhs - rhs = 0 with symbolic parameters ({size}, {count} components)", {})


def check_symbolic(lhs, rhs, setting="finite", relation="=", ranges=(), budget: float = TIME_BUDGET,
                   isolate: bool = True) -> MethodResult:
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
