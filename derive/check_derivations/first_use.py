r"""The verdict of a step that defines its left side by first use (read_markdown/first_use.py): ``definition``.

``\hat{g} = \frac{1}{m}\sum_i ...`` with ``\hat{g}`` not defined before is the author naming a quantity, not a
claim: it is neither "holds" nor "fails" (as a ``:=`` definition, it does not count against the file's
verdict: check_derivations/files.py).  Registered in ``approx.RELATION_JUDGES`` under the step relation
"defines", so that nothing evaluates it.
"""
from __future__ import annotations

from ..lang.relations import RELATION_TEX
from ..read_markdown.first_use import DEFINES, VERDICT
from .approx import RELATION_JUDGES

REASON = ("a definition: the left side is not defined before, so this step defines it (bound for the rest of the "
          "file, as with :=); it is not a claim and is not judged")


def judge_definition(rec: dict, step, setting: str, seed: int) -> dict:
    """``X = e`` with X new: the verdict "definition", never holds or fails."""
    rec.update(verdict=VERDICT, reason=REASON)
    return rec


RELATION_JUDGES[DEFINES] = judge_definition
RELATION_TEX.setdefault(DEFINES, "=")  # read as: X = e [note]

__all__ = ["judge_definition", "REASON"]
