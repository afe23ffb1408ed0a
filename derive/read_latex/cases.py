"""Piecewise definitions: ``\\begin{cases} ... \\end{cases}``.

Each row is ``value & condition``; the condition is comparisons (``<``, ``>``, ``\\leq``, ``\\geq``,
``\\le``, ``\\ge``, ``=``, ``\\neq``, chains such as ``1-\\epsilon \\leq r \\leq 1+\\epsilon``) joined by
``\\text{ and }`` or commas, after an optional ``\\text{if}``, ``\\text{for}``, ``\\text{when}``;
``\\text{otherwise}``, ``\\text{else}`` or ``\\text{o.w.}`` is the last row.  The first row whose
condition holds gives the value: the tokens produced are those of

    ( (v_1) [c_1] + (v_2) (1 - [c_1]) [c_2] + ... + (v_n) (1 - [c_1]) ... (1 - [c_{n-1}]) )

with ``[c]`` the indicator ``\\mathbb{1}[...]`` (a product of indicators for a chain or an "and").
A point no row covers (no ``otherwise``) gets 0; the step's "read as" shows the sum.
Token offsets point into the original text, so errors keep their line and column.
"""
from __future__ import annotations

import re

from .errors import fail
from .relations import split_relations
from .scan import bracket_depth

_BEGIN = re.compile(r"\\begin\s*\{\s*cases\s*\}")
_END = re.compile(r"\\end\s*\{\s*cases\s*\}")
_WORD = r"\\(?:text|textrm|mathrm|mbox|textnormal|textit)\s*\{\s*(%s)\s*[.,]?\s*\}"
_OTHERWISE = re.compile(r"^\s*,?\s*(?:\\[,;:!]|\\q?quad)*\s*" + _WORD % r"otherwise|else|o\.w\.|elsewhere" + r"\s*[.,]?\s*$")
_LEAD = re.compile(r"^\s*,?\s*(?:\\[,;:!]|\\q?quad\b)*\s*(?:" + _WORD % r"if|for|when|whenever|where" + r"|\\text\s*\{\s*\})?")
_AND = re.compile(_WORD % r"and|if|," + r"|\\(?:wedge|land)(?![A-Za-z])|,")
CMP = {">=": ">=", "<=": "<=", "=": "="}
MAX_ROWS = 20


def _close(text: str, i: int, end_rx, begin_rx) -> tuple:
    """(start, end) of the matching \\end{cases} after offset i."""
    depth = 1
    j = i
    while True:
        b = begin_rx.search(text, j)
        e = end_rx.search(text, j)
        if e is None:
            return None
        if b is not None and b.start() < e.start():
            depth += 1
            j = b.end()
            continue
        depth -= 1
        if depth == 0:
            return e.start(), e.end()
        j = e.end()


def _split_top(text: str, start: int, end: int, sep) -> list:
    """[(start, end)] of the parts of text[start:end] split at separators outside groups and nested cases."""
    parts, depth, k, i = [], 0, start, start
    while i < end:
        if _BEGIN.match(text, i):
            depth += 1
            i = _BEGIN.match(text, i).end()
            continue
        if _END.match(text, i):
            depth -= 1
            i = _END.match(text, i).end()
            continue
        c = text[i]
        if c == "\\" and i + 1 < end and text[i + 1] == "\\" and sep == "\\\\" and depth == 0:
            parts.append((k, i))
            i += 2
            m = re.match(r"\s*\[[^\]\n]{0,20}\]", text[i:end])
            if m:
                i += m.end()
            k = i
            continue
        if c == "\\":
            i += 2
            continue
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth -= 1
        elif c == "&" and sep == "&" and depth == 0:
            return [(k, i), (i + 1, end)]
        i += 1
    parts.append((k, end))
    return parts


def cases_tokens(text: str, i: int, tokenize):
    """([(type, value, start, end)], offset after \\end{cases}) for a cases environment at text[i], or None."""
    m = _BEGIN.match(text, i)
    if not m:
        return None
    close = _close(text, m.end(), _END, _BEGIN)
    if close is None:
        fail("\\begin{cases} is never closed by \\end{cases}", i)
    rows = [r for r in _split_top(text, m.end(), close[0], "\\\\") if text[r[0]:r[1]].strip()]
    if not rows:
        fail("an empty \\begin{cases} ... \\end{cases}", i)
    if len(rows) > MAX_ROWS:
        fail(f"too many rows in \\begin{{cases}} (at most {MAX_ROWS})", i)
    out = [("LPAR", "(", i, m.end())]
    earlier = []
    for k, (rs, re_) in enumerate(rows):
        cells = _split_top(text, rs, re_, "&")
        if len(cells) != 2:
            fail("each row of \\begin{cases} is 'value & condition'", rs)
        (vs, ve), (cs, ce) = cells
        cond_text = text[cs:ce]
        otherwise = bool(_OTHERWISE.match(cond_text))
        if otherwise and k != len(rows) - 1:
            fail("\\text{otherwise} must be the last row of \\begin{cases}", cs)
        if k:
            out.append(("PLUS", "+", rs, rs))
        out.append(("LPAR", "(", vs, vs))
        out.extend(_shift(tokenize(text[vs:ve]), vs))
        out.append(("RPAR", ")", ve, ve))
        for ind in earlier:
            out.extend([("LPAR", "(", cs, cs), ("NUMBER", "1", cs, cs), ("MINUS", "-", cs, cs)])
            out.extend(ind)
            out.append(("RPAR", ")", cs, cs))
        if not otherwise:
            ind = _condition(text, cs, ce, tokenize)
            out.extend(ind)
            earlier.append(ind)
    out.append(("RPAR", ")", close[0], close[1]))
    return out, close[1]


def _condition(text: str, cs: int, ce: int, tokenize) -> list:
    """The indicator tokens of one condition: a product of \\mathbb{1}[x op y]."""
    lead = _LEAD.match(text, cs, ce)
    start = lead.end() if lead else cs
    end = ce
    while end > start and text[end - 1] in " \t\n.,":
        end -= 1
    if start >= end:
        fail("a row of \\begin{cases} needs a condition (or \\text{otherwise})", cs)
    pieces, k = [], start
    for m in _AND.finditer(text, start, end):
        if bracket_depth(text, start, m.start()) == 0:
            pieces.append((k, m.start()))
            k = m.end()
    pieces.append((k, end))
    out = []
    for ps, pe in pieces:
        piece = text[ps:pe]
        if not piece.strip():
            continue
        rels = split_relations(piece, limit=6)
        if not rels:
            fail(f"cannot read the condition {piece.strip()[:40]!r}: write comparisons such as r > 1 + \\epsilon "
                 "or \\text{otherwise}", ps)
        bounds = [0] + [x for r in rels for x in (r.start, r.end)] + [len(piece)]
        for n, rel in enumerate(rels):
            op = _op(rel, ps)
            ls, le = bounds[2 * n], bounds[2 * n + 1]
            rs_, re_ = bounds[2 * n + 2], bounds[2 * n + 3]
            out.append(("IND", "1", ps + ls, ps + ls))
            out.append(("LBRACK", "[", ps + ls, ps + ls))
            out.extend(_shift(tokenize(piece[ls:le]), ps + ls))
            out.append(("CMP", op, ps + rel.start, ps + rel.end))
            out.extend(_shift(tokenize(piece[rs_:re_]), ps + rs_))
            out.append(("RBRACK", "]", ps + re_, ps + re_))
    return out


def _op(rel, pos: int) -> str:
    if rel.kind in CMP:
        return CMP[rel.kind]
    if rel.kind == "strict inequality":
        return "<" if rel.spelling in ("<", "\\lt") else ">"
    if rel.kind == "inequality":
        return "!="
    fail(f"{rel.spelling} is not a comparison a condition can use (<, >, \\leq, \\geq, =, \\neq)", pos + rel.start)


def _shift(tokens: list, offset: int) -> list:
    return [(t.type, t.value, t.start_pos + offset, (t.end_pos or t.start_pos) + offset) for t in tokens]


__all__ = ["cases_tokens"]
