r"""Verdicts of steps with free quantities (read_latex/free_quantities.py): a failure is not certain.

A symbol the file uses without defining it (``K``, ``\phi(s)``) is read as an arbitrary real number or an
arbitrary function, and the step is judged for every value.  "holds" then holds for every value, so also for
the quantity the author had in mind.  A counterexample only shows that the step is false for *some* value:
the author may mean a particular quantity that the file names without defining (Sutton & Barto's
``\phi(s) = \sum_a \nabla\pi(a|s) q_\pi(s, a)``, defined in a sentence derive does not read).  So "fails"
becomes **unknown**, with the counterexample in the reason and what would decide it (a definition).
"""
from __future__ import annotations

import re

from ..read_latex.free_quantities import NOTE_MARK

_NAME = re.compile(r"^(.*?) " + re.escape(NOTE_MARK))


def free_names(step) -> list:
    """The symbols read as free quantities in the step (from its "read as" notes)."""
    out = []
    for n in getattr(step, "notes", None) or ():
        m = _NAME.match(n)
        if m and m.group(1) not in out:
            out.append(m.group(1))
    return out


def downgrade(rec: dict, step) -> dict:
    """``rec`` with "fails" turned into "unknown" when the step holds free quantities."""
    names = free_names(step)
    if rec.get("verdict") != "fails" or not names:
        return rec
    said = ", ".join(names)
    one = len(names) == 1
    rec.update(verdict="unknown", mistake=None, mistake_id=None,
               reason=f"{said} {'is' if one else 'are'} not defined in this file and {'was' if one else 'were'} read "
                      f"as arbitrary; the step fails for some value{'' if one else 's'} ({rec.get('reason') or 'no detail'})"
                      f", so it is false if {said} {'is' if one else 'are'} arbitrary; if {said} "
                      f"{'stands' if one else 'stand'} for a particular quantity, define it ({names[0]} := ...) and "
                      "derive judges the step with that meaning")
    return rec


__all__ = ["downgrade", "free_names"]
