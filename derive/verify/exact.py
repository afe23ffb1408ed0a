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
from ..engine.fields import EXACT, REL_TOL
from ..engine.tables import tables_for
from ..engine.tensor import Undefined
from ..mdp import instances
from .compare import fmt, mismatches, slack, undefined_mask
from .quantifiers import axis_label, base_envs
from .result import FAILS, HOLDS, NOT_ATTEMPTED, MethodResult

MIN_INSTANCES = 20


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
    ones), ``partial`` (instantiations with some undefined entries), ``inexact``
    (float comparison used) and ``min_slack`` (inequalities).
    """
    tables = tables_for(inst, EXACT)
    out = {"status": "undefined", "detail": "", "checked": 0, "undefined": [], "partial": 0,
           "inexact": False, "min_slack": None}
    for env, ints in base_envs(tables, (lhs, rhs), ranges):
        try:
            L, R = evaluate_sides(lhs, rhs, env)
        except Undefined as exc:
            out["undefined"].append(f"{inst.label}: {exc}")
            continue
        except Unsupported as exc:
            out.update(status="unsupported", detail=str(exc))
            return out
        undef = undefined_mask(L, R)
        if undef.size and undef.all():
            out["undefined"].append(f"{inst.label}: both sides undefined everywhere")
            continue
        out["partial"] += bool(undef.any())
        axes, exact, bad, x, y = mismatches(L, R, relation)
        out["checked"] += 1
        out["inexact"] = out["inexact"] or not exact
        if relation != "=":
            s = slack(L, R)
            out["min_slack"] = s if out["min_slack"] is None else min(out["min_slack"], s)
        if bad:
            ce = counterexample(inst, axes, bad[0], x, y, ints, tables.n_actions)
            ce["exact"] = exact
            out.update(status="fails", counterexample=ce)
            return out
    if out["checked"]:
        out["status"] = "holds"
    return out


def check_exact(lhs, rhs, setting: str = "finite", relation: str = "=", seed: int = 0,
                ranges=(), full_support: bool = True, stop_at_first: bool = True) -> MethodResult:
    insts = cached_instances(setting, seed, full_support)
    checked, used, undefined, inexact, partial = 0, 0, [], False, 0
    min_slack = None
    for inst in insts:
        res = check_on_instance(lhs, rhs, inst, relation, ranges)
        if res["status"] == "unsupported":
            return MethodResult(NOT_ATTEMPTED, res["detail"])
        undefined.extend(res["undefined"])
        partial += res["partial"]
        checked += res["checked"]
        inexact = inexact or res["inexact"]
        if res["min_slack"] is not None:
            min_slack = res["min_slack"] if min_slack is None else min(min_slack, res["min_slack"])
        if res["status"] == "fails":
            ce = res["counterexample"]
            where = ", ".join(f"{k} = {v}" for k, v in ce["where"].items())
            how = "" if ce["exact"] else f" (beyond relative tolerance {REL_TOL:g})"
            detail = (f"counterexample on {inst.label}" + (f" at {where}" if where else "")
                      + f": lhs = {ce['lhs']}, rhs = {ce['rhs']}{how}")
            return MethodResult(FAILS, detail, {"counterexample": ce})
        used += res["checked"] > 0
    if checked == 0:
        reason = undefined[0] if undefined else "no instantiation of the free integers fits this setting"
        return MethodResult(NOT_ATTEMPTED, f"no instance where both sides are defined ({reason})")
    arith = "exact rationals" if not inexact else f"float64 within relative tolerance {REL_TOL:g} (log/exp)"
    detail = f"{used} random MDPs, {checked} instantiations, {arith}"
    if undefined:
        detail += f"; undefined on {len(undefined)} instantiations"
    if partial:
        detail += f"; {partial} instantiations have entries where a side is undefined (skipped)"
    data = {"instances": used, "instantiations": checked}
    if min_slack is not None:
        detail += f"; smallest slack lhs - rhs = {min_slack:.6g}"
        data["slack"] = min_slack
    return MethodResult(HOLDS, detail, data)


def counterexample(inst, axes, index, x, y, ints, n_actions) -> dict:
    where = {}
    for axis, i in zip(axes, index):
        if axis == "grad":
            where["component"] = f"theta[{i // n_actions}, {i % n_actions}]"
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
