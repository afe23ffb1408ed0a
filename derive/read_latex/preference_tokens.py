r"""Where a ``>`` or ``\succ`` is a preference between two items, ``P(i > j)``, ``p^*(y_1 \succ y_2 \mid x)`` (a leaf
module: the tokenizer asks it; read_latex/notation_preference.py reads the preference, R10)."""
from __future__ import annotations

import re

from .errors import fail

ITEM = r"(?:[A-Za-z](?:\s*_\s*(?:\{\s*\w{1,3}\s*\}|\w))?)"
# the items a '>' is read between: i, j, k, A, B (players, items) or a response y_w, o_1, a_2 (never X > Y, x > 0:
# random variables and numbers compare as events, not read here)
GT_ITEM = r"(?:[ijkAB](?![A-Za-z_])|[yoa]\s*_\s*(?:\{\s*\w{1,3}\s*\}|\w))"
OPEN = re.compile(r"(?:\\Pr|\\mathbb\s*\{\s*P\s*\}|(?<![A-Za-z\\])[Pp])\s*(?:\^\s*(?:\*|\{\s*\*\s*\}))?\s*"
                   r"(?:_\s*(?:\\[A-Za-z]+|\{[^{}]{0,20}\}|\w)\s*)?(?:\\left\s*)?\(\s*" + GT_ITEM + r"\s*$")
CLOSE = re.compile(r"\s*" + GT_ITEM + r"\s*(?:\\right\s*\)|\)|\||\\mid(?![A-Za-z])|\\vert(?![A-Za-z])|;)")


def preference_gt(text: str, i: int) -> bool:
    """Whether the ``>`` at ``text[i]`` stands between two items inside ``P(``, ``p(``, ``\\Pr(``: a preference."""
    if text[i + 1:i + 2] == "=":
        return False
    return bool(OPEN.search(text[max(0, i - 60):i]) and CLOSE.match(text, i + 1))


def comparison(text: str, i: int, comparing: bool, in_indicator: bool, emit) -> int:
    """The tokens of the ``<`` or ``>`` at ``text[i]`` (read_latex/tokens.py): a preference ``\\succ`` in ``P(i > j)``,
    a comparison ``CMP`` directly inside an indicator ``\\mathbb{1}[x > y]``, else refused; the next index."""
    ch = text[i]
    if ch == ">" and preference_gt(text, i):
        emit("SYM", "succ:", i, i + 1)
        return i + 1
    if comparing:
        j = i + 2 if text[i + 1:i + 2] == "=" else i + 1
        emit("CMP", text[i:j], i, j)
        return j
    if in_indicator:
        fail(f"the comparison {ch!r} must stand directly inside the indicator bracket, not in a "
             "group within it", i)
    fail(f"the relation {ch!r} is not supported here: derive checks equalities (=) only "
         "(a comparison belongs inside an indicator \\mathbb{1}[x > y])", i)


__all__ = ["ITEM", "GT_ITEM", "OPEN", "comparison", "preference_gt"]
