"""The sides of a chain's relations: segments of a display, each with its file offset, read once.

A display ``e0 = e1 \\leq e2`` is cut at its top-level relations (read_latex/relations.py); neighbouring
relations share the segment between them (``_sides``), except where a row of an aligned environment
starts a new chain (``_break_row``: a row that starts with an expression, not with a relation, ``+``,
``-`` or ``\\cdot``, at bracket depth 0).  Each segment (``_Seg``) keeps its file offset, so an error
is reported at the FILE:LINE:COL the author wrote, also inside the expansion of a macro (``_moved``);
``_parse`` reads it with the LaTeX reader (read_latex/parser.py) once.  Used by reader.py.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..read_latex import LatexError, parse_math
from ..read_latex.errors import position
from ..read_latex.scan import open_depth
from .layout import _Rows, _strip_punct


@dataclass
class _Seg:
    tex: str
    start: int  # file offset of the first non-space character
    value: object = None
    error: LatexError | None = None
    parsed: bool = False
    notes: list = field(default_factory=list)
    lo: int = 0  # offset in the display's text
    disp: object = None  # the Display (display.py) when macros or escapes changed the text


def _segment(text: str, content: str, base, start: int, end: int) -> _Seg:
    raw = content[start:end]
    lead = len(raw) - len(raw.lstrip())
    seg = _Seg(raw.strip(), base + (start + lead))
    if getattr(base, "changed", False):
        seg.lo, seg.disp = start + lead, base
        seg.error = base.error_in(start, end, text)
        seg.parsed = seg.error is not None
        note = base.macro_note(start, end, text)
        seg.notes.extend(([note] if note else []) + base.notes)
    elif getattr(base, "notes", None):
        seg.notes.extend(base.notes)
    return seg


def _normalise(tex: str) -> str:
    return re.sub(r"\s+", " ", tex).strip()


def _parse(seg: _Seg, text: str, options: dict, rel_line: int, rel_col: int):
    if seg.parsed:
        return
    seg.parsed = True
    if not seg.tex:
        seg.error = LatexError("an empty side of '='", rel_line, rel_col)
        return
    line, col = position(text, seg.start)
    try:
        seg.value = parse_math(seg.tex, line=line, col=col, options={**options, "notes": seg.notes})
    except LatexError as err:
        seg.error = err if seg.disp is None else _moved(err, seg, text, line, col)


def _moved(err: LatexError, seg: _Seg, text: str, line: int, col: int) -> LatexError:
    """The error of a segment whose text was changed (macros, escapes), at the place the author wrote."""
    lines = seg.tex.split("\n")
    k = err.line - line
    if not 0 <= k < len(lines):
        return err
    off = sum(len(x) + 1 for x in lines[:k]) + (err.col - col if k == 0 else err.col - 1)
    off = max(0, min(off, len(seg.tex)))
    where = position(text, seg.disp + (seg.lo + off))
    message = err.message
    m = seg.disp.via[seg.lo + off] if seg.lo + off < len(seg.disp.via) else None
    if m is not None:
        message += f" (in the expansion of \\{m.name}, defined {m.where})"
    return LatexError(message, *where)


def _row_of(rows: _Rows, offset: int):
    k = bisect.bisect_right(rows.starts, offset) - 1
    if k >= 0 and rows[k].start <= offset <= rows[k].end:
        return rows[k]
    return None


def _row_note(rows: list, offset: int) -> str:
    row = _row_of(rows, offset)
    return row.note if row is not None else ""


def _sides(text: str, content: str, base: int, rows: list, rels: list):
    """The left and right side (_Seg) of every relation; neighbours share the segment between them.

    A relation on a new row whose row starts with an expression (not with the relation, '+', '-',
    '\\cdot') at depth 0 starts a new chain: the text before it on its row is its left side only.
    """
    lhs_of, rhs_of = [None] * len(rels), [None] * len(rels)
    for k, rel in enumerate(rels):
        start = rels[k - 1].end if k else 0
        if k == 0:
            lhs_of[k] = _segment(text, content, base, 0, rel.start)
            continue
        brk = _break_row(content, rows, rels, k)
        if brk is None:
            seg = _segment(text, content, base, start, rel.start)
            rhs_of[k - 1] = lhs_of[k] = seg
        else:
            rhs_of[k - 1] = _segment(text, content, base, start, _strip_punct(content, start, brk))
            lhs_of[k] = _segment(text, content, base, brk, rel.start)
    last = rels[-1].end
    stop = min([b for b in getattr(rows, "breaks", ()) if b >= last] + [len(content)])
    rhs_of[-1] = _segment(text, content, base, last, _strip_punct(content, last, stop))
    return lhs_of, rhs_of


def _break_row(content: str, rows: list, rels: list, k: int):
    """The start of the row of relation k when that row begins a new chain, else None."""
    rel = rels[k]
    for b in getattr(rows, "breaks", ()):
        if rels[k - 1].end <= b < rel.start:
            return b
    row = _row_of(rows, rel.start)
    if row is None or row.start <= rels[k - 1].end:
        return None  # same row as the previous relation
    head = content[row.start:rel.start].strip()
    if not head or head[0] in "+-" or head.startswith(("\\cdot", "\\times")):
        return None
    if open_depth(content, rels[k - 1].end, row.start) > 0:
        return None  # the previous expression is still open: this row continues it
    return row.start
