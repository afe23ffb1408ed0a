r"""The verdict of a row that is only an ellipsis, ``X = \cdots`` (read_markdown/elided_steps.py): ``elided``.

The row stands for steps the author left out: it is not a claim, so it is neither "holds" nor "fails" (and a
file with such a row is never "holds" as a whole).  Registered in ``approx.RELATION_JUDGES`` under the step
relation "elided", so that nothing evaluates the ``\cdots`` side.
"""
from __future__ import annotations

from ..lang.relations import RELATION_TEX
from ..read_markdown.elided_steps import ELIDED
from .approx import RELATION_JUDGES

REASON = (r"elided: steps left out (a side that is only an ellipsis, \cdots): the row is not a claim; derive "
          r"judges the written steps around it, not this one")


def judge_elided(rec: dict, step, setting: str, seed: int) -> dict:
    r"""``X = \cdots``: the verdict "elided", never holds or fails."""
    rec.update(verdict=ELIDED, reason=REASON)
    return rec


RELATION_JUDGES[ELIDED] = judge_elided
RELATION_TEX.setdefault(ELIDED, "=")  # read as: X = \cdots [note]

__all__ = ["judge_elided", "REASON"]
