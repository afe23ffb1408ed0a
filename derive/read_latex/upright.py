r"""Upright type for a one-letter variable: typography, read as the letter written (issue 10 R5).

Control texts set a state or an input in upright type: ``\mathrm{x}_t``, ``\mathrm{u}_t`` (a state and a
control, as in the held-out pipimamaoyuan_drl notes).  Upright type carries no mathematics of its own:
``\mathrm{x}_{t}`` is read as ``x_{t}`` and the step's "read as" says so (like bold type, read_latex/bold.py).

Kept with their own meaning, not touched here: a multi-letter ``\mathrm{KL}``, ``\mathrm{clip}`` (a name,
read_latex/tokens.py), the expectation ``\mathrm{E}[X]`` (tokens_extra.py), the differential ``\mathrm{d}x``
of an integral and Euler's number ``\mathrm{e}``.

``strip_upright(text)`` returns a text of the same length (offsets kept for error positions) in which each
``\mathrm{x}`` of one letter becomes ``x`` padded with spaces; ``upright_note(text)`` is the note for
"read as", or None.
"""
from __future__ import annotations

import re

from .bold import typography_note

_ONE_LETTER = re.compile(r"\\mathrm\s*\{\s*([A-Za-z])\s*\}")
_KEPT = {"E", "d", "e"}  # the expectation, the differential, Euler's number


def _hits(text: str):
    for m in _ONE_LETTER.finditer(text):
        if m.group(1) not in _KEPT:
            yield m


def strip_upright(text: str) -> str:
    r"""``text`` with one-letter ``\mathrm{x}`` read as ``x`` (same length: the command and braces blanked)."""
    if "\\mathrm" not in text:
        return text
    chars = None
    for m in _hits(text):
        chars = chars or list(text)
        for k in range(m.start(), m.end()):
            if k != m.start(1):
                chars[k] = " "
    return text if chars is None else "".join(chars)


def upright_note(text: str):
    r"""The "read as" note (``\mathrm{x} is read as x``), or None."""
    if "\\mathrm" not in text:
        return None
    items = [f"\\mathrm{{{m.group(1)}}} is read as {m.group(1)}" for m in _hits(text)]
    return typography_note(items, "upright type: typography, the letter as written")


__all__ = ["strip_upright", "upright_note"]
