"""The prose around a display: the paragraph before it, the line after it, and what they say.

A step's justification may be the prose after the closing ``$$`` on the same line (``_prose_after``)
or the Markdown paragraph just before the block (``_paragraph_before``; headings and reStructuredText
directives such as ``.. math::`` are not prose).  A one-equation display introduced by "let", "where",
"define", "with", 记, 令, 其中 or 用 ... 表示 is a definition, not a step (``_introduces``).  Used by
reader.py.
"""
from __future__ import annotations

import re

from ..read_latex.errors import position
from .definitions import prose_before_says_define
from .layout import _RST_DIRECTIVE


def _front_line(text: str, key: str) -> tuple:
    m = re.search(r"^[ \t]*" + re.escape(key) + r"[ \t]*:", text, re.M)
    return position(text, m.end()) if m else (1, 1)


_WITH = re.compile(r"\bwith[\s,:]*$", re.I)
_USE_AS = re.compile(r"用[\s,:，：]*$")  # 用 $$ X = ... $$ 表示 ...: "write X = ... for ..." (Chinese)
_AS_WHAT = re.compile(r"\s*(?:来)?表示")


def _introduces(before: str, after: str) -> bool:
    """Whether the prose around a one-equation display introduces a definition, not a step: "let", "where",
    "define", "Let $X$ be ...:", "with", 记, 令, 其中, 用 ... 表示 (definitions.PROSE_WORDS)."""
    return prose_before_says_define(before) or bool(_WITH.search(before[-40:])) \
        or (bool(_USE_AS.search(before[-20:])) and bool(_AS_WHAT.match(after.lstrip())))


def _paragraph_start(masked: str, start_limit: int, start: int) -> int:
    """The offset where the paragraph just before ``start`` begins (not before ``start_limit``)."""
    k = masked.rfind("\n\n", start_limit, max(start_limit, start - 1))
    return start_limit if k < 0 else k


def _prose_after(masked: str, end: int) -> str:
    nl = masked.find("\n", end)
    line = masked[end:nl if nl >= 0 else len(masked)]
    if "$" in line or "\\[" in line:
        return ""
    return _clean_prose(line)


def _paragraph_before(masked: str, start_limit: int, start: int) -> str:
    region = masked[start_limit:start]
    # prose on the same line before the opening delimiter counts as the end of the paragraph
    paragraphs = re.split(r"\n[ \t]*\n", region)
    for para in reversed(paragraphs):
        lines = [ln for ln in para.split("\n") if ln.strip() and not ln.lstrip().startswith("#")]
        prose = [ln for ln in lines if not _RST_DIRECTIVE.match(ln)]  # ".. math::", ":label: e1"
        if prose:
            return _clean_prose(" ".join(prose))
        if para.strip() and len(prose) == len(lines):
            return ""
    return ""


def _clean_prose(s: str) -> str:
    s = re.sub(r"\s+", " ", s).strip()
    s = s.strip(" :")
    return s[:500]
