"""Judging one step of a derivation: exact verdict, shrunk counterexample, mistake name.

``judge_exact(step, setting)`` runs in a worker (see ``files.check_file``) and
returns a plain, picklable dict:

    {"step", "line", "col", "relation", "verdict", "lhs", "rhs", "read_as",
     "reason", "counterexample", "mistake", "mistake_id"}

Verdicts are "holds", "fails" and "unknown".  A step that could not be read is
"unknown" with the parse error (``LINE:COL: message``) as reason; it is never
evaluated.  Otherwise both sides are evaluated in exact arithmetic on the
random instances (``check_exact``); ``a <= b`` is checked as ``b >= a``.  The
exact method's status picks the handler in ``ON_EXACT``.  SymPy confirmation
(``confirm_symbolic``) is run separately by the caller, in its own worker with
a small budget: "fails" from SymPy is certain and makes the step fail, a
timeout or "not attempted" is only reported.
"""
from __future__ import annotations

import sympy

from ..engine.fields import ABS_TOL, REL_TOL
from ..check_statements.exact import cached_instances, check_exact
from ..check_statements.objectives import judge_optima, settle_optima, uses_optima
from ..check_statements.result import FAILS, HOLDS, NOT_ATTEMPTED
from ..check_statements.scalars import judge_step as judge_scalar_step, uses_scalars
from ..check_statements.symbolic import check_symbolic, size_label
from .approx import RELATION_JUDGES  # \approx and \propto steps
from .elided import judge_elided  # noqa: F401  X = \cdots: the verdict elided (registers its judge)
from .free_steps import downgrade  # K, \phi(s) read as arbitrary: "fails" is not certain
from .example_steps import downgrade_named, example_record  # s_a, p_1: a worked example's (R8)
from .first_use import judge_definition  # noqa: F401  X = e, X new: the verdict definition (registers it)
from .mistakes import name_mistake
from .shrink import shrink
from ..lang.relations import RELATION_TEX



def read_as(step) -> str | None:
    """How the checker read the step: both sides printed back by SymPy's LaTeX printer."""
    if step.error is not None or step.lhs is None or step.rhs is None:
        return None
    text = f"{sympy.latex(step.lhs)} {RELATION_TEX.get(step.relation, step.relation)} {sympy.latex(step.rhs)}"
    notes = getattr(step, "notes", None)  # readings the parser states (a series' general term, \sum_t, ...)
    return text + (" [" + "; ".join(notes) + "]" if notes else "")


def oriented(step):
    """(lhs, rhs, relation) with '<=' turned into '>=' (and '<' into '>') by swapping the sides."""
    if step.relation in ("<=", "<"):
        return step.rhs, step.lhs, ">=" if step.relation == "<=" else ">"
    return step.lhs, step.rhs, step.relation


def base_record(step) -> dict:
    return {"step": step.number, "line": step.line, "col": step.col, "relation": step.relation,
            "verdict": "unknown", "lhs": step.lhs_tex, "rhs": step.rhs_tex, "read_as": read_as(step),
            "reason": "", "counterexample": None, "mistake": None, "mistake_id": None,
            "justification": getattr(step, "justification", "") or ""}


def _find_instance(ce_mdp: dict, setting: str, seed: int):
    for inst in cached_instances(setting, seed, True):
        if inst.label == ce_mdp["label"] and inst.seed == ce_mdp["seed"]:
            return inst
    return None


def _on_holds(rec, step, result, setting, seed):
    rec.update(verdict="holds", reason=f"exact: {result.detail}")


def _on_fails(rec, step, result, setting, seed):
    lhs, rhs, relation = oriented(step)
    ce = dict(result.data["counterexample"])
    first = ce["mdp"]["label"]
    inst = _find_instance(ce["mdp"], setting, seed)
    applied = []
    if inst is not None:
        small, res, applied = shrink(lhs, rhs, inst, relation)
        if res is not None:
            ce = dict(res["counterexample"])
    if step.relation in ("<=", "<"):  # report the values of the sides as written
        ce["lhs"], ce["rhs"] = ce["rhs"], ce["lhs"]
    ce["first_found_on"] = first
    ce["simplified"] = applied
    where = ", ".join(f"{k} = {v}" for k, v in ce["where"].items())
    rec["counterexample"] = ce
    reason = (f"on {ce['mdp']['label']}" + (f" at {where}" if where else "")
              + f": lhs = {ce['lhs']}, rhs = {ce['rhs']}")
    if not ce.get("exact", True):
        reason += (" (float64 values: they differ by more than the tolerance "
                   f"{ABS_TOL:g} + {REL_TOL:g} max(|lhs|, |rhs|); not an exact-arithmetic certainty)")
    mistake = name_mistake(step.lhs, step.rhs, setting, step.relation, seed)
    if mistake is not None:
        rec.update(mistake=mistake.mistake, mistake_id=mistake.id)
    rec.update(verdict="fails", reason=reason)


def _on_not_attempted(rec, step, result, setting, seed):
    rec.update(verdict="unknown", reason=f"not attempted: {result.detail}")


ON_EXACT = {HOLDS: _on_holds, FAILS: _on_fails, NOT_ATTEMPTED: _on_not_attempted}


def judge_exact(step, setting: str = "finite", seed: int = 0, explain: bool = True) -> dict:
    """The exact verdict on one step (with shrunk counterexample and mistake name on failure).

    ``explain=False`` gives the same verdict without shrinking the counterexample or naming the
    mistake (the first counterexample found is kept): for bulk runs such as tests/test_redteam.py.
    A step with free quantities never "fails" for certain (check_derivations/free_steps.py).
    """
    example = example_record(step, base_record)  # a worked example's numbers: not attempted (example_steps.py)
    if example is not None:
        return example
    return downgrade(downgrade_named(_judge_exact(step, setting, seed, explain), step), step)


def _judge_exact(step, setting: str, seed: int, explain: bool) -> dict:
    rec = base_record(step)
    if step.error is not None:
        err = step.error
        rec["reason"] = f"could not read the step: {err.line}:{err.col}: {err.message}"
        return rec
    if step.relation in RELATION_JUDGES:  # check_derivations/approx.py: "approximation" is a verdict of its own
        return RELATION_JUDGES[step.relation](rec, step, setting, seed)
    if uses_optima(step.lhs, step.rhs):  # \max_\theta F = \max_\theta G (check_statements/objectives.py)
        settled = settle_optima(step)
        if not uses_optima(settled.lhs, settled.rhs):  # pi^* written out, nothing else special: judged as usual
            return judge_exact(settled, setting, seed)
        return judge_optima(rec, settled, setting, seed)
    if uses_scalars(step.lhs, step.rhs) and judge_scalar_step(rec, step, seed) is not None:
        return rec  # free real numbers r, A, c in pure algebra (check_statements/scalars.py)
    lhs, rhs, relation = oriented(step)
    result = check_exact(lhs, rhs, setting, relation, seed=seed)
    if result.status == FAILS and not explain:
        rec.update(verdict="fails", counterexample=result.data["counterexample"], reason=f"exact: {result.detail}")
        return rec
    ON_EXACT.get(result.status, _on_not_attempted)(rec, step, result, setting, seed)
    return rec


def confirm_symbolic(rec: dict, step, setting: str, budget: float) -> dict:
    """Add SymPy's confirmation of a step exact evaluation found to hold (equalities only)."""
    if rec["verdict"] != "holds" or step.relation != "=" or uses_scalars(step.lhs, step.rhs):
        return rec
    res = check_symbolic(step.lhs, step.rhs, setting, "=", budget=budget)
    if res.status == HOLDS:
        note = f"confirmed symbolically at {size_label(setting)}"
    elif res.status == FAILS:
        rec.update(verdict="fails", counterexample=None)
        note = f"symbolic: {res.detail} (exact evaluation found no counterexample on the random MDPs)"
        rec["reason"] = f"{rec['reason']}; {note}" if rec["reason"] else note
        return downgrade(rec, step)  # free quantities: not a certain failure (free_steps.py)
    else:
        note = f"symbolic: {res.status} ({res.detail})"
    rec["reason"] = f"{rec['reason']}; {note}" if rec["reason"] else note
    return rec
