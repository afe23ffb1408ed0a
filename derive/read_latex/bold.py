r"""Bold type: typography for a vector, read as the symbol written (issue 10).

Authors set vectors in bold: ``\mathbf{w}`` (Sutton & Barto's weight vector), ``\boldsymbol{\theta}``,
``\bm{x}``, ``\pmb{x}``, ``\symbf{x}``.  Bold carries no mathematics of its own: ``\mathbf{w}_{t}`` is
read as ``w_{t}`` and the step's "read as" says so.  Two bold spellings keep their meaning and are not
touched here: the indicator ``\mathbf{1}\{...\}`` / ``\bm{1}[...]`` / ``\mathbf{I}`` (tokens.py) and the
expectation ``\mathbf{E}[X]`` (tokens_extra.py).

``strip_bold(text)`` returns a text of the same length (offsets kept for error positions) in which each
bold command is blanked, and the braces of a one-symbol argument with it (``\mathbf{w}_t`` -> ``w_t``);
``bold_note(text)`` is the note for "read as", or None.
"""
from __future__ import annotations

import re

from .scan import brace_group

BOLD = ("mathbf", "boldsymbol", "bm", "pmb", "symbf", "mathbfit")
_CS = re.compile(r"\\(" + "|".join(sorted(BOLD, key=len, reverse=True)) + r")(?![A-Za-z])")
_KEPT = re.compile(r"\s*(?:\{\s*[1IE]\s*\}|[1IE](?![A-Za-z0-9]))")  # \mathbf{1}, \mathbf{I}, \mathbf{E}: other readings
_ONE_SYMBOL = re.compile(r"\s*(?:\\[A-Za-z]+|[A-Za-z0-9])\s*$")
_ONE_TOKEN = re.compile(r"\s*(?:\\[A-Za-z]+|[A-Za-z0-9])")
_KEEPS_MEANING = {"mathbf", "bm"}  # the commands tokens.py / tokens_extra.py read as \mathbf{1}, \mathbf{E}


def _bold_hits(text: str):
    """(start of the command, end of the command, the brace group or None) of each bold command read as bold."""
    for m in _CS.finditer(text):
        if m.group(1) in _KEEPS_MEANING and _KEPT.match(text, m.end()):
            continue
        g = brace_group(text, m.end())
        if g is None and not _ONE_TOKEN.match(text, m.end()):
            continue  # \mathbf alone: left to the reader, which names it
        yield m.start(), m.end(), g


def strip_bold(text: str) -> str:
    r"""``text`` with bold commands blanked (same length): ``\mathbf{w}_{t}`` -> ``w_{t}`` (spaces kept)."""
    if "\\" not in text or not _CS.search(text):
        return text
    chars = list(text)
    for start, end, g in _bold_hits(text):
        spans = [(start, end)]
        if g is not None and _ONE_SYMBOL.match(text[g[0] + 1:g[1] - 1]):
            spans += [(g[0], g[0] + 1), (g[1] - 1, g[1])]  # \mathbf{w}: the symbol alone, its braces dropped
        for a, b in spans:
            for k in range(a, b):
                if chars[k] != "\n":
                    chars[k] = " "
    return "".join(chars)


def bold_note(text: str):
    r"""The "read as" note for the bold spellings of text (``\mathbf{w} is read as w``), or None."""
    if "\\" not in text:
        return None
    seen = []
    for start, end, g in _bold_hits(text):
        stop = g[1] if g is not None else _ONE_TOKEN.match(text, end).end()
        written = re.sub(r"\s+", "", text[start:stop])
        plain = text[g[0] + 1:g[1] - 1].strip() if g is not None else text[end:stop].strip()
        seen.append(f"{written} is read as {plain}")
    return typography_note(seen, "bold type: typography for a vector, the symbol as written")


def typography_note(items, why: str):
    """The first four distinct items, joined, with why they are read so; None without items."""
    shown = list(dict.fromkeys(items))[:4]
    return "; ".join(shown) + f" ({why})" if shown else None


__all__ = ["BOLD", "strip_bold", "bold_note", "typography_note"]
