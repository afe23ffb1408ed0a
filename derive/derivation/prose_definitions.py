r"""Definitions the prose gives around a display, in the places authors put them (docs/notation.md).

* **After the display**: "$$ J(\theta) = \mathbb{E}[R(\tau)] $$ where $R(\tau) = \sum_{t} \gamma^t r_t$ is
  the return".  The definition is the display's own: it is bound *before* that display is read (and
  for the rest of the file), so the display is judged with the author's meaning, never derive's.
  Only the paragraph right after the display counts, and only when it starts with "where" (其中).
* **"given as"**: "$R(\tau)$ is the discounted return along $\tau$, given as $$ R(\tau) = ... $$":
  a one-equation display whose left side is the symbol the sentence describes is a definition
  (also "given by"; the left side must be written as in the sentence, so that "the gradient is
  given by $$\nabla J = ...$$" stays a step).
"""
from __future__ import annotations

import re

from .definitions import inline_definitions

_WHERE = re.compile(r"[\s.,;:]*(?:where|其中)(?![A-Za-z])", re.I)
_GIVEN = re.compile(r"\$([^$\n]{1,80})\$\s+(?:is|are|denotes?)\b[^$.;!?]{0,160}(?:\$[^$\n]{1,40}\$[^$.;!?]{0,80})*"
                    r"\bgiven\s+(?:as|by)[\s,:]*$", re.I)


def where_after(masked: str, end: int, limit: int) -> list:
    """Prose definitions "where $X = ...$" in the paragraph right after a display ending at ``end`` (before
    ``limit``, the next display): [(offset of the content, content)], as ``inline_definitions``."""
    m = _WHERE.match(masked, end, limit)
    if m is None:
        return []
    para = masked.find("\n\n", m.end(), limit)
    return inline_definitions(masked, m.start(), limit if para < 0 else para)


def _norm(tex: str) -> str:
    return re.sub(r"\s+|\\[,;!: ]", "", tex)


def given_as(before: str, lhs: str) -> bool:
    """Whether the prose just before a one-equation display says "$X$ is ..., given as" and X is its left side."""
    m = _GIVEN.search(before[-400:])
    return bool(m) and bool(_norm(lhs)) and _norm(m.group(1)) == _norm(lhs)
