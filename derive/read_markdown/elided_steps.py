r"""A row whose side is only an ellipsis: ``&= \cdots`` (``\dots``, ``\ldots``) stands for steps left out.

Authors shorten a long chain with a row that is only dots ("Repeatedly unrolling ...", Lilian Weng's proof of
the policy gradient theorem; the JoyRL book; DPO notes): ``X = \cdots`` and then ``\cdots = Y``.  Such a row
is not a claim: derive cannot say that the two ends are equal (the steps in between are not written), and it
must not say "holds".  The step is read (``read as: X = \cdots`` with a note) and given the verdict
``elided`` ("steps left out: not a claim, not judged"), which is neither holds nor fails; a file with an elided
step is never "holds" as a whole (check_derivations/files.py: file_verdict).  The other side must read;
otherwise the step is unknown with that side's reason.  The ellipsis side is the symbol ``\cdots``, which only
the elided judge (check_derivations/elided.py) ever sees.
"""
from __future__ import annotations

import dataclasses

import sympy

ELLIPSIS_ONLY = "a side that is only an ellipsis"  # the start of read_latex/series.py's reason for X = \cdots
NOTE = (r"a side that is only an ellipsis (\cdots) stands for steps left out: the row is not a claim, and is not "
        r"judged (verdict: elided)")
ELIDED = "elided"  # Step.relation and the verdict (check_derivations/elided.py)


def _only_ellipsis(seg) -> bool:
    err = getattr(seg, "error", None)
    return err is not None and getattr(err, "message", str(err)).startswith(ELLIPSIS_ONLY)


def elide(step, lhs, rhs):
    """(lhs, rhs) for the step: when one side is only an ellipsis and the other is read, new segments (the shared
    ones unchanged, so the next step of the chain sees the ellipsis too) and ``step.relation = "elided"``."""
    if step.relation != "=" or _only_ellipsis(lhs) == _only_ellipsis(rhs):
        return lhs, rhs
    dots, other = (lhs, rhs) if _only_ellipsis(lhs) else (rhs, lhs)
    if other.error is not None or other.value is None:
        return lhs, rhs
    shown = dataclasses.replace(dots, value=sympy.Symbol(r"\cdots"), error=None, notes=list(dots.notes) + [NOTE])
    step.relation = ELIDED
    return (shown, rhs) if dots is lhs else (lhs, shown)


__all__ = ["elide", "ELIDED", "NOTE"]
