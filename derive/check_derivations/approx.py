"""Judging the steps an author writes with ``\\approx`` or ``\\propto`` (registered in judge.RELATION_JUDGES).

Verdicts (never a "holds" that was not checked, never a FAILS for a claimed approximation):

* ``A \\approx B``: both sides are evaluated exactly on the random MDPs, as for ``=``.
  - equal on every instance: **holds**, "holds exactly (the \\approx is an equality)";
  - a side is a sample mean ``\\frac{1}{N}\\sum_{i=1}^{N} X^{(i)}`` (read_latex/sample_means.py): it is read as
    its expectation ``\\mathbb{E}[X]``; equal to the other side: **approximation**, "an unbiased sample
    mean" (the mean of N i.i.d. draws has expectation E[X], so it estimates the other side without bias);
    different: **approximation**, "biased" with the gap;
  - otherwise: **approximation**, "approximation (not an identity)" with the gap on the smallest MDP
    (the instances run small to large, so the first difference is on the smallest one).
* ``A \\propto B`` ("equal up to a factor that does not depend on the variable the statement is about"):
  - a side with a gradient: proportional as vectors of theta, ``A = c B`` with one c > 0 for all the
    components (Sutton & Barto 2018, eq. 13.5, where c is the average episode length);
  - otherwise the variable is the outcome of the distribution on the left (``a`` in ``\\pi(a|s)``,
    ``x`` in ``p(x)``), or the statement's only free variable; none or several: **unknown** naming them.
  The ratio is checked exactly on every instance: constant (> 0) in that variable: **holds**, with
  the factor on the smallest MDP; not constant: **fails**, with the two ratios that differ.
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..engine.evaluate import Unsupported
from ..engine.fields import EXACT
from ..engine.tables import tables_for
from ..engine.tensor import Undefined
from ..lang import nodes as N
from ..lang.symbols import ActionVar, PointVar, StateVar
from ..check_statements.compare import EXACT_V, FLOAT_V, aligned_pair, fmt, kinds
from ..check_statements.exact import cached_instances, check_exact, evaluate_sides
from ..check_statements.quantifiers import axis_label, base_envs
from ..check_statements.result import FAILS, HOLDS
from ..check_statements.scalars import uses_scalars

REL_TOL, ABS_TOL = 1e-9, 1e-12


def _gap(result) -> str:
    ce = result.data["counterexample"]
    where = ", ".join(f"{k} = {v}" for k, v in ce["where"].items())
    return f"on {ce['mdp']['label']}" + (f" at {where}" if where else "") + f": lhs = {ce['lhs']}, rhs = {ce['rhs']}"


def judge_approx(rec: dict, step, setting: str, seed: int) -> dict:
    """``lhs \\approx rhs``: see the module docstring."""
    if uses_scalars(step.lhs, step.rhs):
        rec["reason"] = "not attempted: an approximation between free real numbers is not judged"
        return rec
    mean = {"lhs": "left", "rhs": "right"}.get(getattr(step, "approx", {}).get("sample_mean"))
    result = check_exact(step.lhs, step.rhs, setting, "=", seed=seed)
    if result.status == HOLDS and not mean:
        rec.update(verdict="holds", reason=f"holds exactly (the \\approx is an equality): exact: {result.detail}")
    elif result.status == HOLDS:
        rec.update(verdict="approximation",
                   reason=f"approximation: an unbiased sample mean: the expectation of the {mean} side equals "
                          f"the other side exactly (exact: {result.detail}); the sample mean itself is random")
    elif result.status == FAILS:
        rec["counterexample"] = dict(result.data["counterexample"])
        what = (f"the expectation of the {mean} side (a sample mean) differs from the other side, so it is a "
                "biased estimate of it" if mean else "the two sides differ")
        rec.update(verdict="approximation", reason=f"approximation (not an identity): {what}, {_gap(result)}")
    else:
        rec["reason"] = f"not attempted: {result.detail}"
    return rec


# ------------------------------------------------------------------------------------------- \propto


def _outcome_vars(e) -> set:
    """Free variables that are the outcome of a distribution factor of e (pi(a|s) -> a, p(x) -> x)."""
    out = set()
    factors = e.args if e.is_Mul else (e,)
    for f in factors:
        base = f.base if f.is_Pow else f
        if isinstance(base, N.Pi) and isinstance(base.args[1], ActionVar):
            out.add(base.args[1])
        elif isinstance(base, N.FreeProb) and isinstance(base.args[1], PointVar):
            out.add(base.args[1])
    return out


def proportional_axis(lhs, rhs):
    """(axis, description) of the variable ``\\propto`` is about, or (None, reason)."""
    if lhs.has(N.Grad) or rhs.has(N.Grad):
        return "grad", "the gradient's components: lhs = c rhs with one factor c > 0 for every component of theta"
    outcome = _outcome_vars(lhs)
    free = {v for v in lhs.free_symbols | rhs.free_symbols if isinstance(v, (StateVar, ActionVar, PointVar))}
    if len(outcome) == 1:
        v = next(iter(outcome))
        return v.name, f"{v.name} (the outcome of the distribution on the left): lhs / rhs does not depend on {v.name}"
    if len(free) == 1:
        v = next(iter(free))
        return v.name, f"{v.name} (the only free variable): lhs / rhs does not depend on {v.name}"
    names = ", ".join(sorted(v.name for v in free)) or "none"
    return None, ("\\propto: derive cannot tell which variable the proportionality is about (free variables: "
                  f"{names}; it reads the outcome of a distribution on the left, \\pi(a|s) or p(x), or a gradient): "
                  "write it as an equality with the factor, e.g. \\pi(a|s) = \\frac{f(s, a)}{\\sum_b f(s, b)}")


def _num(v, k):
    return Fraction(int(v.numerator), int(v.denominator)) if k == EXACT_V and hasattr(v, "numerator") else (
        Fraction(int(v)) if k == EXACT_V else float(v))


def _close(p, q) -> bool:
    if isinstance(p, Fraction) and isinstance(q, Fraction):
        return p == q
    p, q = float(p), float(q)
    return abs(p - q) <= ABS_TOL + REL_TOL * max(abs(p), abs(q))


def _fiber(xs, ys, names):
    """(ok, factor, detail) for one fiber: xs = c ys with one c > 0 (or both zero); names[j] says where j is."""
    pairs = list(zip(xs, ys, names))
    ref = next(((x, y, w) for x, y, w in pairs if not _close(y, 0)), None)
    if ref is None:
        bad = next(((x, w) for x, _, w in pairs if not _close(x, 0)), None)
        return (True, None, "") if bad is None else (False, None, f"rhs is 0 but lhs = {fmt(bad[0])} at {bad[1]}")
    c = ref[0] / ref[1]
    if not c > 0 and not _close(c, 0):
        return False, c, f"the factor lhs / rhs = {fmt(c)} at {ref[2]} is not positive"
    for x, y, w in pairs:
        if not _close(x, c * y):
            return False, c, (f"lhs / rhs = {fmt(c)} at {ref[2]}, but at {w} lhs = {fmt(x)}, rhs = {fmt(y)} "
                              f"(ratio {fmt(x / y) if not _close(y, 0) else 'undefined'})")
    if _close(c, 0):
        return False, c, "lhs is 0 where rhs is not (a factor of 0)"
    return True, c, ""


def _where(axis: str, j: int, n_actions: int) -> str:
    if axis == "grad":
        return f"component theta[{j // n_actions}, {j % n_actions}]"
    return f"{axis_label(axis, n_actions)} = {j}"


def judge_propto(rec: dict, step, setting: str, seed: int) -> dict:
    """``lhs \\propto rhs``: see the module docstring."""
    lhs, rhs = step.lhs, step.rhs
    axis, about = proportional_axis(lhs, rhs)
    if axis is None:
        rec["reason"] = about
        return rec
    first_factor, checked = None, 0
    for inst in cached_instances(setting, seed, True):
        tables = tables_for(inst, EXACT)
        for env, ints in base_envs(tables, (lhs, rhs)):
            try:
                L, R = evaluate_sides(lhs, rhs, env)
            except Undefined:
                continue
            except Unsupported as exc:
                rec["reason"] = f"not attempted: {exc}"
                return rec
            axes, x, y = aligned_pair(L, R)
            if axis not in axes:  # neither side varies with the variable: proportional trivially there
                x, y, axes = x[..., None], y[..., None], tuple(axes) + (axis,)
            k = list(axes).index(axis)
            x, y = np.moveaxis(np.asarray(x), k, -1), np.moveaxis(np.asarray(y), k, -1)
            kx, ky = kinds(x), kinds(y)
            for ix in np.ndindex(x.shape[:-1]):
                keep = [j for j in range(x.shape[-1]) if kx[ix + (j,)] <= FLOAT_V and ky[ix + (j,)] <= FLOAT_V]
                if not keep:
                    continue
                xs = [_num(x[ix + (j,)], kx[ix + (j,)]) for j in keep]
                ys = [_num(y[ix + (j,)], ky[ix + (j,)]) for j in keep]
                ok, c, detail = _fiber(xs, ys, [_where(axis, j, tables.n_actions) for j in keep])
                checked += 1
                if not ok:
                    others = [a for a in axes if a != axis]
                    where = ", ".join([f"{axis_label(a, tables.n_actions)} = {i}" for a, i in zip(others, ix)]
                                      + [f"{n} = {v}" for n, v in ints.items()])
                    rec.update(verdict="fails", counterexample={"mdp": inst.describe(), "where": {}, "lhs": "",
                                                                "rhs": ""},
                               reason=f"not proportional in {about.split(' (')[0].split(':')[0]}: on {inst.label}"
                                      + (f" at {where}" if where else "") + f": {detail}")
                    return rec
                if first_factor is None and c is not None:
                    first_factor = (c, inst.label)
    if not checked:
        rec["reason"] = "not attempted: no instance where both sides are defined"
        return rec
    factor = f"; the factor on {first_factor[1]}: c = {fmt(first_factor[0])}" if first_factor else ""
    rec.update(verdict="holds", reason=f"proportional in {about}; checked exactly on {checked} fibres of the random "
                                       f"MDPs{factor} (the factor may depend on everything else)")
    return rec


def judge_paired_means(rec: dict, step, setting: str, seed: int) -> dict:
    """Two sample means over the same draws, ``= ``: their terms X, Y compared on every trajectory.

    Equal draw by draw: **holds** (the means are equal for every sample).  Different terms but equal
    expectations: **unknown** (equal in expectation only).  Different expectations too: **fails**."""
    pointwise = check_exact(step.lhs, step.rhs, setting, "=", seed=seed)
    if pointwise.status == HOLDS:
        rec.update(verdict="holds", reason=f"equal draw by draw, so the sample means are equal for every sample: "
                                           f"exact: {pointwise.detail}")
        return rec
    if pointwise.status != FAILS:
        rec["reason"] = f"not attempted: {pointwise.detail}"
        return rec
    el, er = step.approx["expect"]
    mean = check_exact(el, er, setting, "=", seed=seed)
    gap = _gap(pointwise)
    if mean.status == HOLDS:
        rec["reason"] = (f"the terms of the two sample means differ ({gap}) but their expectations are equal "
                         f"(exact: {mean.detail}): equal in expectation, not for every sample")
    elif mean.status == FAILS:
        rec.update(verdict="fails", counterexample=dict(pointwise.data["counterexample"]),
                   reason=f"the terms of the two sample means differ ({gap}), and so do their expectations "
                          f"({_gap(mean)})")
    else:
        rec["reason"] = f"the terms differ ({gap}); their expectations: not attempted ({mean.detail})"
    return rec


RELATION_JUDGES = {"approx": judge_approx, "propto": judge_propto, "means=": judge_paired_means}

__all__ = ["RELATION_JUDGES", "judge_approx", "judge_propto", "proportional_axis"]
