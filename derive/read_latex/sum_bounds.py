r"""Sums and products whose subscript is a range condition, ``\sum_{t \geq 0}``, ``\prod_{t \ge 0}``,
``\sum_{t' \geq t}`` (issue 10: read as written).

Authors write the trajectory's times as a condition on the index instead of limits (Levine's CS285 slides,
Spinning Up's ``\sum_{t'=t}^{T}`` written ``\sum_{t' \geq t}``): ``\sum_{t \geq k}`` is ``\sum_{t=k}`` with no upper
limit, which derive reads as running to the end of the trajectory (T - 1, or T under ``horizon: last-index``, or
to infinity in the discounted and episodic settings), said in ``read as`` (read_latex/operators.py).  Only a time
letter (t, t', t'') with a lower bound and no written upper limit; ``rewrite(text)`` returns ``(new text, note)``
or None, the new text of the same length (error positions kept).
"""
from __future__ import annotations

import re

NOTE = r"\sum_{t \geq k} (a range condition as the subscript) is read as \sum_{t=k} over the trajectory's times from k on"
_RANGE = re.compile(r"(\\(?:sum|prod)\s*_\s*\{\s*t'{0,2}\s*)(\\geqslant|\\geq|\\ge|>=)(?![A-Za-z])"
                    r"(\s*[0-9A-Za-z'+\- ]{1,12}\}\s*)(?!\^)")


def rewrite(text: str):
    """``text`` with every ``\\sum_{t \\geq k}`` written ``\\sum_{t=k}`` (padded to the same length), and the note."""
    if not _RANGE.search(text):
        return None

    def one(m):
        return m.group(1) + "=" + " " * (len(m.group(2)) - 1) + m.group(3)

    return _RANGE.sub(one, text), NOTE


__all__ = ["rewrite", "NOTE"]
