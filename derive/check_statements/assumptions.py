"""Assumptions on free real scalars: reading them from front matter, prose and step notes.

A step judged by :mod:`derive.check_statements.scalars` (pure algebra with free reals ``r``, ``A``, ``c``) holds
under assumptions written as comparisons: front matter ``assume: r > 0, 0 < \\epsilon < 1, A \\geq 0``,
prose right before the display ("for $A \\geq 0$", "if $r > 1 + \\epsilon$"), or the step's own note
(``\\quad \\text{for } A \\geq 0``).  A chain ``0 < \\epsilon < 1`` is read as two comparisons.
Each side is read by the LaTeX reader (never sympify); at most ``MAX_ASSUMPTIONS`` comparisons.
"""
from __future__ import annotations

import re

MAX_ASSUMPTIONS = 20

def split_assumptions(text: str) -> list:
    """The comma / "and" separated pieces of an assumption text (top-level commas only)."""
    text = re.sub(r"\\(?:text|mathrm)\s*\{\s*and\s*\}|\\(?:wedge|land)(?![A-Za-z])|\band\b|;", ",", text)
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0 and (i == 0 or text[i - 1] != "\\"):
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return [p.strip() for p in out if p.strip()]


def read_assumptions(pieces: list, options: dict) -> list:
    """[(lhs, op, rhs)] from assumption texts such as ``0 < \\epsilon < 1`` (raises LatexError)."""
    from ..read_latex import LatexError, parse_math
    from ..read_latex.relations import split_relations

    out = []
    for tex, line, col in pieces:
        for piece in split_assumptions(tex):
            rels = split_relations(piece, limit=8)
            if not rels:
                raise LatexError(f"an assumption is a comparison such as A \\geq 0, not {piece[:40]}", line, col)
            sides, ops = [], []
            start = 0
            for rel in rels:
                op = _op_of(rel)
                if op is None:
                    raise LatexError(f"{rel.spelling} is not a comparison (use <, >, \\leq, \\geq, =, \\neq)",
                                     line, col)
                sides.append(piece[start:rel.start])
                ops.append(op)
                start = rel.end
            sides.append(piece[start:])
            vals = [parse_math(s.strip(), line=line, col=col, options=options) for s in sides]
            out.extend((vals[k], ops[k], vals[k + 1]) for k in range(len(ops)))
            if len(out) > MAX_ASSUMPTIONS:
                raise LatexError(f"too many assumptions (at most {MAX_ASSUMPTIONS})", line, col)
    return out


def _op_of(rel):
    if rel.kind in (">=", "<=", "="):
        return rel.kind
    if rel.kind == "strict inequality":
        return "<" if rel.spelling in ("<", "\\lt") else ">"
    if rel.kind == "inequality":
        return "!="
    return None


_PROSE_CONDITION = re.compile(  # "for $A \geq 0$", "if $r > 2$ and $r < 1$" (and: after a condition)
    r"(?:\b(?:for|if|when|whenever|assume|assuming|suppose|given|with|where)|(?<=\$)\s*,?\s*and)\s+(?:that\s+)?"
    r"(?:\$(?!\$)([^$\n]{1,300})\$|\\\((.{1,300}?)\\\))", re.I)
_COMPARISON = re.compile(r"<|>|\\(?:geq?|leq?|gt|lt|geqslant|leqslant)(?![A-Za-z])|≤|≥")


def prose_assumptions(masked: str, start: int, end: int) -> list:
    """Conditions written in prose before a display ("for $A \\geq 0$", "if $r > 1 + \\epsilon$"):
    [(tex, offset)] of the inline math that holds a comparison."""
    out = []
    for m in _PROSE_CONDITION.finditer(masked, start, end):
        tex = m.group(1) if m.group(1) is not None else m.group(2)
        if _COMPARISON.search(tex):
            out.append((tex.strip(), m.start(1) if m.group(1) is not None else m.start(2)))
    return out


_NOTE_CONDITION = re.compile(r"^(?:for|if|when|whenever|assuming|given)\s+(?:that\s+)?(.{1,300})$", re.I | re.S)


def note_assumptions(note: str, line: int, col: int) -> list:
    """A step's justification that is a condition ("\\quad \\text{for } A \\geq 0" on its row): [(tex, line, col)]."""
    m = _NOTE_CONDITION.match((note or "").strip())
    if not m or not _COMPARISON.search(m.group(1)):
        return []
    return [(m.group(1).strip().strip("$").rstrip(".,;"), line, col)]


__all__ = ["split_assumptions", "read_assumptions", "prose_assumptions", "note_assumptions", "MAX_ASSUMPTIONS"]
