"""Finding display math in Markdown: code is masked, then $$ ... $$, \\[ ... \\] and \\begin{...} blocks."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..latex.errors import position
from .errors import InputError

ENVIRONMENTS = ("aligned", "align", "align*", "split", "gathered", "gather", "gather*", "equation", "equation*",
                "alignedat", "multline", "multline*")

# ------------------------------------------------------------------ masking


def blank(chars: list, start: int, end: int):
    for i in range(start, min(end, len(chars))):
        if chars[i] != "\n":
            chars[i] = " "


_CODE_SPAN = re.compile(r"(?<!`)(`{1,10})(?!`)((?:(?!\n[ \t]*\n)[^`]|`(?!\1))+?)(?<!`)\1(?!`)")


def mask_code(text: str, start: int) -> str:
    """The text with front matter, fenced code, code spans and HTML comments blanked (offsets kept)."""
    chars = list(text)
    blank(chars, 0, start)
    for m in re.finditer(r"^[ \t]*(```+|~~~+).*?(^[ \t]*\1[ \t]*$|\Z)", text, re.M | re.S):
        blank(chars, m.start(), m.end())
    masked = "".join(chars)
    for m in re.finditer(r"<!--.*?(-->|\Z)", masked, re.S):
        blank(chars, m.start(), m.end())
    masked = "".join(chars)
    for m in _CODE_SPAN.finditer(masked):
        blank(chars, m.start(), m.end())
    return "".join(chars)


# ------------------------------------------------------------------ blocks


@dataclass
class _Block:
    start: int  # offset of the opening delimiter
    cstart: int  # content start
    cend: int  # content end
    end: int  # offset after the closing delimiter


def escaped(text: str, i: int) -> bool:
    n = 0
    while i - 1 - n >= 0 and text[i - 1 - n] == "\\":
        n += 1
    return n % 2 == 1


_BEGIN = re.compile(r"\\begin\{(" + "|".join(re.escape(e) for e in ENVIRONMENTS) + r")\}")


def _find_closer(masked: str, closer: str, j: int) -> int:
    """The next unescaped ``closer`` at or after j, or -1."""
    while True:
        j = masked.find(closer, j)
        if j < 0 or not escaped(masked, j):
            return j
        j += 1


def find_blocks(masked: str) -> list:
    """Display-math blocks, scanning left to right (an escaped character is skipped with its backslash)."""
    out = []
    i, n = 0, len(masked)
    while i < n:
        c = masked[i]
        if c == "\\":
            if masked.startswith("\\[", i):
                j = _find_closer(masked, "\\]", i + 2)
                if j < 0:
                    line, col = position(masked, i)
                    raise InputError("this \\[ display is never closed by \\]", line, col)
                out.append(_Block(i, i + 2, j, j + 2))
                i = j + 2
                continue
            m = _BEGIN.match(masked, i)
            if m:
                close = "\\end{%s}" % m.group(1)
                j = masked.find(close, m.end())
                if j < 0:
                    line, col = position(masked, i)
                    raise InputError(f"\\begin{{{m.group(1)}}} is never closed by {close}", line, col)
                out.append(_Block(i, i, j + len(close), j + len(close)))
                i = j + len(close)
                continue
            i += 2  # an escaped character (\\$, \\\\, ...)
            continue
        if c == "$":
            if masked.startswith("$$", i):
                j = _find_closer(masked, "$$", i + 2)
                if j < 0:
                    line, col = position(masked, i)
                    raise InputError("this $$ display is never closed", line, col)
                out.append(_Block(i, i + 2, j, j + 2))
                i = j + 2
                continue
            # inline math: skip to its closing $ (not a step); a blank line ends a stray $
            j = i + 1
            while j < n and masked[j] != "$":
                if masked[j] == "\\":
                    j += 2
                    continue
                if masked[j] == "\n" and masked.startswith("\n", j + 1):
                    break
                j += 1
            i = j + 1
            continue
        i += 1
    return out
