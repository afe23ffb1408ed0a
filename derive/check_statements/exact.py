"""Method 1, exact: evaluate both sides in rational arithmetic on seeded random MDPs.

Finite-horizon expectations on a tabular MDP are polynomials (rational
functions once V is solved for) in the instance's numbers, so by the
Schwartz-Zippel lemma a false identity is caught by random points with high
probability, and one mismatch is a certain counterexample: it is reported with
the MDP, the point and both values.  The instances are ordered small to large,
so the first counterexample found is on the smallest instance that shows it.
"""
from __future__ import annotations

from functools import lru_cache

from ..engine.evaluate import Unsupported, evaluate
from ..engine.fields import EXACT
from ..engine.tables import tables_for
from ..engine.tensor import Undefined
from ..mdp import instances
from .compare import TOLERANCE_TEXT, fmt, mismatches, slack, undefined_counts
from ..lang.symbols import PointVar
from .quantifiers import axis_label, base_envs, free_variables
from .result import FAILS, HOLDS, NOT_ATTEMPTED, MethodResult
from .side_values import side_value


@lru_cache(maxsize=16)
def cached_instances(setting: str, seed: int, full_support: bool):
    return tuple(instances(setting, seed, full_support=full_support))


def evaluate_sides(lhs, rhs, env):
    return evaluate(lhs, env), evaluate(rhs, env)


def check_on_instance(lhs, rhs, inst, relation: str = "=", ranges=()) -> dict:
    """Check ``lhs relation rhs`` on one instance, stopping at the first counterexample.

    Returns a dict: ``status`` ("holds", "fails", "undefined" when no
    instantiation has both sides defined, "unsupported"), ``detail`` (the
    reason for unsupported), ``counterexample`` (on fails, as in check_exact),
    ``checked`` (instantiations compared), ``undefined`` (labels of skipped
    ones), ``partial`` (instantiations with some undefined entries), ``kinks``
    (entries skipped because a side is not differentiable there: the gradient of
    min, max, clip, |x| or an indicator at a tie), ``inexact`` (float comparison
    used) and ``min_slack`` (inequalities).
    """
    with inst.recording():  # a counterexample lists only the free objects this statement uses
        return _check_on_instance(lhs, rhs, inst, relation, ranges)


def _check_on_instance(lhs, rhs, inst, relation, ranges) -> dict:
    tables = tables_for(inst, EXACT)
    if inst.horizon is None:  # a pointwise identity of infinite series: E[(lhs - rhs)^2] = 0 (engine/infinite.py)
        from ..engine.infinite import as_second_moment

        moment = as_second_moment(lhs, rhs, relation)
        lhs, rhs = moment or (lhs, rhs)
    else:
        moment = None
    out = {"status": "undefined", "detail": "", "checked": 0, "undefined": [], "partial": 0, "kinks": 0,
           "inexact": False, "min_slack": None}
    for env, ints in base_envs(tables, (lhs, rhs), ranges):
        try:
            L, R = side_value(lhs, env), side_value(rhs, env)  # each once per chain (side_values.py)
        except Undefined as exc:
            out["undefined"].append(f"{inst.label}: {exc}")
            continue
        except Unsupported as exc:
            out.update(status="unsupported", detail=str(exc))
            return out
        n_undef, n_kink, size = undefined_counts(L, R)
        out["kinks"] += n_kink
        if size and n_undef == size:
            why = ("not differentiable (a tie of min, max, clip, |x| or an indicator under a gradient)"
                   if n_kink == size else "undefined (x / 0, log of a number <= 0, a root of a negative number, "
                   "NaN or inf)")
            out["undefined"].append(f"{inst.label}: a side is {why} at every entry")
            continue
        out["partial"] += n_undef > n_kink  # entries without a value (kinks are counted apart)
        axes, exact, bad, x, y = mismatches(L, R, relation)
        out["checked"] += 1
        out["inexact"] = out["inexact"] or not exact
        if relation != "=":
            s = slack(L, R)
            out["min_slack"] = s if out["min_slack"] is None else min(out["min_slack"], s)
        if bad:
            points = {v.name for v in free_variables(lhs, rhs)[0] if isinstance(v, PointVar)}
            ce = counterexample(inst, axes, bad[0], x, y, ints, tables.n_actions, points)
            ce["exact"] = exact
            if moment is not None:  # say what was compared: the mean square difference of the two series
                ce["lhs"], ce["rhs"] = f"E[(lhs - rhs)^2] = {ce['lhs']}", f"{ce['rhs']} (lhs = rhs pointwise)"
            out.update(status="fails", counterexample=ce)
            return out
    if out["checked"]:
        out["status"] = "holds"
    return out


def degenerate(inst) -> bool:
    """One action, gamma = 0, or all policies equal (pi' = pi): where a bound's two sides coincide."""
    tables = list(inst.policies.values())
    return inst.n_actions == 1 or inst.gamma == 0 or all(p == tables[0] for p in tables)


def check_exact(lhs, rhs, setting: str = "finite", relation: str = "=", seed: int = 0,
                ranges=(), full_support: bool = True) -> MethodResult:
    insts = cached_instances(setting, seed, full_support)
    checked, used, undefined, inexact, partial, kinks = 0, 0, [], False, 0, 0
    min_slack = deg_slack = None  # smallest slack on non-degenerate / degenerate instances (inequalities)
    for inst in insts:
        res = check_on_instance(lhs, rhs, inst, relation, ranges)
        if res["status"] == "unsupported":
            return MethodResult(NOT_ATTEMPTED, res["detail"])
        undefined.extend(res["undefined"])
        partial += res["partial"]
        kinks += res["kinks"]
        checked += res["checked"]
        inexact = inexact or res["inexact"]
        if res["min_slack"] is not None and degenerate(inst):
            deg_slack = res["min_slack"] if deg_slack is None else min(deg_slack, res["min_slack"])
        elif res["min_slack"] is not None:
            min_slack = res["min_slack"] if min_slack is None else min(min_slack, res["min_slack"])
        if res["status"] == "fails":
            ce = res["counterexample"]
            where = ", ".join(f"{k} = {v}" for k, v in ce["where"].items())
            how = "" if ce["exact"] else f" (float64 values, differ beyond {TOLERANCE_TEXT.split(' within ')[1]})"
            detail = (f"counterexample on {inst.label}" + (f" at {where}" if where else "")
                      + f": lhs = {ce['lhs']}, rhs = {ce['rhs']}{how}")
            return MethodResult(FAILS, detail, {"counterexample": ce})
        used += res["checked"] > 0
    if checked == 0:
        reason = undefined[0] if undefined else "no instantiation of the free integers fits this setting"
        return MethodResult(NOT_ATTEMPTED, f"no instance where both sides are defined ({reason})")
    arith = "exact rationals" if not inexact else f"{TOLERANCE_TEXT} where a log, exp or root is involved"
    detail = f"{used} random MDPs, {checked} instantiations, {arith}"
    if undefined:
        detail += f"; undefined on {len(undefined)} instantiations"
    if partial:
        detail += f"; {partial} instantiations have entries where a side is undefined (skipped)"
    if kinks:
        detail += f"; {kinks} point{'s' if kinks > 1 else ''} skipped: not differentiable"
    from ..engine.optimal import tie_note  # pi_*, pi_greedy, argmax: say how ties were handled

    ties = tie_note((lhs, rhs), insts)
    if ties:
        detail += f"; {ties}"
    data = {"instances": used, "instantiations": checked, "kinks": kinks}
    if min_slack is not None:
        detail += f"; smallest slack lhs - rhs = {min_slack:.6g} on non-degenerate instances (2+ actions, gamma > 0, distinct policies)"
        if deg_slack is not None:
            detail += f", {deg_slack:.6g} on degenerate ones"
        data["slack"] = min_slack
    elif deg_slack is not None:
        detail += f"; smallest slack lhs - rhs = {deg_slack:.6g}, on degenerate instances only (1 action, gamma = 0 or equal policies)"
        data["slack"] = deg_slack
    return MethodResult(HOLDS, detail, data)


def counterexample(inst, axes, index, x, y, ints, n_actions, points=frozenset()) -> dict:
    """Where the two sides differ: a point x of the sample space X is given by its value, not its index."""
    where = {}
    for axis, i in zip(axes, index):
        if axis == "grad":
            where["component"] = f"theta[{i // n_actions}, {i % n_actions}]"
        elif axis == "grad2":  # the column of a matrix over theta x theta (derive/engine/second_order.py)
            where["column"] = f"theta[{i // n_actions}, {i % n_actions}]"
        elif axis in points:
            where[axis] = str(inst.points[i])
        else:
            where[axis_label(axis, n_actions)] = i
    for name, value in ints.items():
        where[name] = value
    return {
        "mdp": inst.describe(),
        "where": where,
        "lhs": fmt(x[index]),
        "rhs": fmt(y[index]),
    }
