"""Verdicts of steps about one worked example (read_latex/notation_example.py, issue 10, R8).

* A step that uses the example's numbers (``p_1``, ``r_2``, ``G_a``) is read and **not attempted**: it holds
  only for the figure's values, which the file does not give (lang/example_numbers.py).
* A step about named states (``s_a``, ``s_b``) is judged with each named state an arbitrary state of the MDP.
  "holds" then holds for every choice of states, so for the example's too.  A counterexample only shows the step
  false for *some* states (derive's instances also make two named states equal, and know nothing of the figure's
  transitions): "fails" becomes **unknown**, with the counterexample in the reason.
"""
from __future__ import annotations

from ..lang.example_numbers import named_states, not_attempted


def example_record(step, base_record) -> dict | None:
    """The record of a step that uses an example's numbers ("not attempted"), or None."""
    if step.error is not None or step.lhs is None or step.rhs is None:
        return None
    why = not_attempted(step.lhs, step.rhs)
    if why is None:
        return None
    rec = base_record(step)
    rec.update(verdict="unknown", reason=f"not attempted: {why}")
    return rec


def downgrade_named(rec: dict, step) -> dict:
    """``rec`` with "fails" turned into "unknown" when the step is about an example's named states."""
    if rec.get("verdict") != "fails" or step.lhs is None or step.rhs is None:
        return rec
    names = named_states(step.lhs, step.rhs)
    if not names:
        return rec
    said = ", ".join(str(s) for s in names)
    rec.update(verdict="unknown", mistake=None, mistake_id=None,
               reason=f"the step is about the example's named states {said}: read as arbitrary states, it fails for "
                      f"some of them ({rec.get('reason') or 'no detail'}); whether it holds for the example's own "
                      "states depends on its figure (its transitions), which the file does not give")
    return rec


__all__ = ["example_record", "downgrade_named"]
