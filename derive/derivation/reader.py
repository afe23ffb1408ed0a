"""Read a Markdown derivation: front matter, display-math chains, steps.

Format (docs/notation.md, "Markdown derivations"):

* optional YAML front matter between a first line ``---`` and the next ``---``
  (or ``...``) line; keys ``setting`` (finite | discounted), ``expect``
  (holds | fails), ``step`` (the step number the expectation is about),
  ``delta`` (true | V), ``title``; anything else is an error;
* display math ``$$ ... $$`` and ``\\[ ... \\]`` (one or several lines), also a
  bare ``\\begin{align*} ... \\end{align*}``; inside, ``aligned``, ``align``,
  ``align*``, ``split``, ``gathered``, ``equation`` environments: ``&`` and
  ``\\\\`` are layout only, so the rows form one chain ``e0 = e1 = e2 ...``;
* every ``=`` at the top level of a chain is a step ``e_{i} = e_{i+1}``,
  numbered from 1 across the file; a block starting with ``=`` continues the
  chain of the previous block; a row of an aligned environment that starts
  with an expression (not ``=``, ``+``, ``-``) and has its own ``=`` starts a
  new chain;
* inline ``$...$`` math, code spans and fenced code blocks are never steps;
  a block without a top-level relation is ignored (a definition or a display);
* ``\\geq``/``\\leq`` steps are read with ``Step.relation`` ">=" / "<="; ``<``, ``\\neq``,
  ``\\approx``, ... make a step that is reported as unsupported; ``:=``, ``\\equiv``,
  ``\\coloneqq`` introduce definitions, which are not steps.

The justification of a step is, in this order: the note of
``\\overset{note}{=}``, a ``\\tag{...}`` or trailing ``\\text{...}`` on the row of its
``=``, prose after the closing ``$$`` on the same line (for every step of that
block), or the Markdown paragraph immediately before the block (for its first
step).  A step whose side cannot be parsed gets ``error`` (a LatexError with the
line and column) and ``lhs``/``rhs`` None; the other steps are still read.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..latex import LatexError, parse_math
from ..latex.errors import position
from ..latex.relations import split_relations
from .blocks import ENVIRONMENTS, blank, escaped, find_blocks, mask_code
from .errors import InputError
from .front_matter import read_front_matter

MAX_FILE = 200_000  # characters
MAX_STEPS = 200
CHECKED_RELATIONS = ("=", ">=", "<=")


@dataclass
class Step:
    number: int
    lhs_tex: str
    rhs_tex: str
    lhs: object
    rhs: object
    line: int  # of the relation (=) of this step
    col: int
    justification: str = ""
    error: LatexError | None = None
    relation: str = "="  # "=", ">=" or "<=" (lhs <= rhs); another relation's spelling when error is set


@dataclass
class Derivation:
    front: dict
    steps: list = field(default_factory=list)
    path: str = "<input>"

    @property
    def title(self) -> str:
        return self.front.get("title") or ""

    @property
    def setting(self) -> str:
        return self.front["setting"]


# --------------------------------------------------------- inside a block

_LAYOUT = re.compile(
    r"\\(?:begin|end)\{(?:" + "|".join(re.escape(e) for e in ENVIRONMENTS) + r")\}(?:\{\d{1,2}\})?"
    r"|\\(?:nonumber|notag)(?![A-Za-z])|\\label\s*\{[^{}\n]{0,200}\}")
_ROWBREAK = re.compile(r"\\\\(?:[ \t]*\[[^\]\n]{0,20}\])?")
_TAG = re.compile(r"\\tag\*?[ \t]*\{")
COMMENT_MACROS = {"text", "textrm", "mbox", "textnormal", "textit"}
SPACING_MACROS = {"quad", "qquad", ",", ";", ":", "!", " "}


class _Braces:
    """Matching braces and brace depth of a text, computed once (linear time)."""

    def __init__(self, text: str):
        self.close_of, self.open_of = {}, {}
        self.depth = [0] * (len(text) + 1)
        stack = []
        d = 0
        i, n = 0, len(text)
        while i < n:
            self.depth[i] = d
            c = text[i]
            if c == "\\" and i + 1 < n:
                self.depth[i + 1] = d
                i += 2
                continue
            if c == "{":
                stack.append(i)
                d += 1
            elif c == "}":
                if stack:
                    o = stack.pop()
                    self.close_of[o], self.open_of[i] = i, o
                d = max(0, d - 1)
            i += 1
        self.depth[n] = d


def _skip_spacing_back(chars: list, lo: int, end: int) -> int:
    """Move ``end`` left over whitespace, '&', '~' and spacing macros (\\quad, \\,, ...)."""
    while end > lo:
        c = chars[end - 1]
        if c.isspace() or c in "&~":
            end -= 1
            continue
        j = end
        while j > lo and chars[j - 1].isalpha():
            j -= 1
        if j < end and j > lo and chars[j - 1] == "\\" and "".join(chars[j:end]) in SPACING_MACROS:
            end = j - 1
            continue
        if end - 1 > lo and chars[end - 2] == "\\" and c in SPACING_MACROS:
            end -= 2
            continue
        return end
    return end


def _trailing_comment(chars: list, braces: _Braces, lo: int, end: int):
    """(macro start, content) of a \\text{...} that ends the row at ``end``, or None."""
    if end <= lo or chars[end - 1] != "}":
        return None
    open_i = braces.open_of.get(end - 1)
    if open_i is None or open_i < lo:
        return None
    j = open_i
    while j > lo and chars[j - 1] in " \t":
        j -= 1
    k = j
    while k > lo and chars[k - 1].isalpha():
        k -= 1
    if k == j or k <= lo or chars[k - 1] != "\\" or "".join(chars[k:j]) not in COMMENT_MACROS:
        return None
    start = k - 1
    if braces.depth[start] != 0:
        return None
    b = start
    while b > lo and chars[b - 1].isspace():
        b -= 1
    if b > lo and chars[b - 1] in "_^":
        return None  # \\pi_\\text{old}: part of the math
    return start, "".join(chars[open_i + 1:end - 1])


def _clean_note(s: str) -> str:
    if not re.search(r"\w", s):  # a horizontal rule or bare punctuation is not a justification
        return ""
    s = re.sub(r"\\(?:text|textrm|mathrm|mbox|textit|emph)\s*\{([^{}]*)\}", r"\1", s)
    s = re.sub(r"\\(?:quad|qquad|[,;:!])", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    if len(s) >= 2 and s[0] == "(" and s[-1] == ")":
        s = s[1:-1].strip()
    return s


@dataclass
class _Row:
    start: int
    end: int
    note: str = ""


def _prepare(content: str):
    """Blank layout in a block's content (offsets kept): (cleaned text, rows with their notes, braces)."""
    chars = list(content)
    for m in re.finditer(r"(?<!\\)%[^\n]*", content):  # TeX comments
        blank(chars, m.start(), m.end())
    text = "".join(chars)
    for m in _LAYOUT.finditer(text):
        blank(chars, m.start(), m.end())
    text = "".join(chars)
    rows = _Rows()
    pos = 0
    for m in _ROWBREAK.finditer(text):
        rows.append(_Row(pos, m.start()))
        blank(chars, m.start(), m.end())
        pos = m.end()
    rows.append(_Row(pos, len(text)))
    rows.starts = [r.start for r in rows]
    text = "".join(chars)
    braces = _Braces(text)
    for row in rows:
        notes = []
        for m in _NOTE_COLUMN.finditer(text, row.start, row.end):  # "&= x && note": the note column
            if braces.depth[m.start()] == 0:
                notes.append(text[m.end():row.end])
                blank(chars, m.start(), row.end)
                row_end = m.start()
                break
        else:
            row_end = row.end
        for m in _TAG.finditer(text, row.start, row_end):  # \\tag{...} anywhere in the row
            close = braces.close_of.get(m.end() - 1)
            if close is not None and close < row_end:
                notes.append(text[m.end():close])
                blank(chars, m.start(), close + 1)
        end = _skip_spacing_back(chars, row.start, row_end)
        removed = None
        while True:  # trailing \\text{...} comments, after the math of the row
            found = _trailing_comment(chars, braces, row.start, end)
            if found is None:
                break
            notes.insert(0, found[1])
            blank(chars, found[0], end)
            removed = found[0]
            end = _skip_spacing_back(chars, row.start, found[0])
        if removed is not None:
            blank(chars, end, removed)  # the \\quad before a comment
        row.note = "; ".join(n for n in (_clean_note(x) for x in notes) if n)
    for i, c in enumerate(chars):  # alignment markers
        if c == "&" and not escaped(text, i):
            chars[i] = " "
    return "".join(chars), rows


_NOTE_COLUMN = re.compile(r"(?<!\\)&[ \t]*&")  # everything after "&&" on a row is its justification
_TAIL_PUNCT = re.compile(r"(?<!\\)[.,;](?:\\[,;!:]|\s)*$")


def _strip_punct(text: str, start: int, end: int) -> int:
    """The end of a segment without a trailing sentence period or comma ("= 1." reads "= 1")."""
    while end > start and text[end - 1].isspace():
        end -= 1
    m = _TAIL_PUNCT.search(text, start, end)
    return m.start() if m else end


# --------------------------------------------------------------- the reader


@dataclass
class _Seg:
    tex: str
    start: int  # file offset of the first non-space character
    value: object = None
    error: LatexError | None = None
    parsed: bool = False


def _segment(text: str, content: str, base: int, start: int, end: int) -> _Seg:
    raw = content[start:end]
    lead = len(raw) - len(raw.lstrip())
    return _Seg(raw.strip(), base + start + lead)


def _normalise(tex: str) -> str:
    return re.sub(r"\s+", " ", tex).strip()


def read_derivation(text: str, path: str = "<input>") -> Derivation:
    """Read a Markdown derivation (see the module docstring); raises InputError for file-level problems."""
    if not isinstance(text, str):
        raise InputError("the derivation must be text", 1, 1)
    if len(text) > MAX_FILE:
        raise InputError(f"the file is too large ({len(text)} characters; at most {MAX_FILE})", 1, 1)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):  # a byte-order mark is not a column
        text = text[1:]
    front, body_start = read_front_matter(text, path)
    masked = mask_code(text, body_start)
    options = {"delta": front["delta"]}
    steps: list = []
    previous: _Seg | None = None  # last expression of the previous chain (a block starting with = continues it)
    prev_end = body_start
    for block in find_blocks(masked):
        content, rows = _prepare(masked[block.cstart:block.cend])
        base = block.cstart
        room = MAX_STEPS - len(steps)
        rels = split_relations(content, limit=4 * MAX_STEPS)
        if len(rels) > 4 * MAX_STEPS:
            line, col = position(text, base + rels[-1].start)
            raise InputError(f"too many relations in one display (at most {4 * MAX_STEPS})", line, col)
        counted = [r for r in rels if r.kind != "definition"]
        if len(counted) > room:
            line, col = position(text, base + counted[room].start)
            raise InputError(f"too many steps (at most {MAX_STEPS})", line, col)
        after = _prose_after(masked, block.end)
        before = _paragraph_before(masked, prev_end, block.start)
        nl = masked.find("\n", block.end)
        prev_end = len(masked) if nl < 0 else nl
        if not rels:
            previous = None
            continue
        lhs_of, rhs_of = _sides(text, content, base, rows, rels)
        first_in_block = True
        for k, rel in enumerate(rels):
            lhs, rhs = lhs_of[k], rhs_of[k]
            if k == 0 and not lhs.tex:
                if previous is None:
                    line, col = position(text, base + rel.start)
                    lhs = _Seg("", base + rel.start, None,
                               LatexError("this '=' has no left-hand side (and no earlier expression to continue)",
                                          line, col), True)
                else:
                    lhs = previous
            line, col = position(text, base + rel.start)
            if rel.kind == "definition":
                first_in_block = False
                continue
            note = _clean_note(rel.note) or _row_note(rows, rel.start)
            if not note:
                note = _clean_note(after or (before if first_in_block else ""))
            first_in_block = False
            if len(steps) >= MAX_STEPS:
                raise InputError(f"too many steps (at most {MAX_STEPS})", line, col)
            step = Step(len(steps) + 1, _normalise(lhs.tex), _normalise(rhs.tex), None, None, line, col,
                        note, None, rel.kind if rel.kind in CHECKED_RELATIONS else rel.spelling)
            if rel.kind not in CHECKED_RELATIONS:
                step.error = LatexError(f"the relation {rel.spelling} ({rel.kind}) is not supported: derive checks "
                                        "=, \\geq and \\leq", line, col)
            else:
                for seg in (lhs, rhs):
                    _parse(seg, text, options, line, col)
                err = lhs.error or rhs.error
                if err is not None:
                    step.error = err
                else:
                    step.lhs, step.rhs = lhs.value, rhs.value
            steps.append(step)
        previous = rhs_of[-1]
    if "step" in front and front["step"] > len(steps):
        raise InputError(f"front matter step: {front['step']}, but the file has {len(steps)} step(s)", 1, 1)
    return Derivation(front, steps, path)


def load_derivation(path) -> Derivation:
    """Read a Markdown derivation from a file (UTF-8), refusing files over the size limit before reading them."""
    from pathlib import Path

    p = Path(path)
    try:
        with p.open("r", encoding="utf-8", errors="strict") as fh:
            text = fh.read(MAX_FILE + 1)
    except UnicodeDecodeError as err:
        raise InputError(f"{p} is not UTF-8 text (byte {err.start})", 1, 1) from None
    if len(text) > MAX_FILE:
        raise InputError(f"the file is too large (more than {MAX_FILE} characters)", 1, 1)
    return read_derivation(text, str(p))


def _parse(seg: _Seg, text: str, options: dict, rel_line: int, rel_col: int):
    if seg.parsed:
        return
    seg.parsed = True
    if not seg.tex:
        seg.error = LatexError("an empty side of '='", rel_line, rel_col)
        return
    line, col = position(text, seg.start)
    try:
        seg.value = parse_math(seg.tex, line=line, col=col, options=options)
    except LatexError as err:
        seg.error = err


class _Rows(list):
    """Rows of a block, with their start offsets for bisection."""

    starts: list = []


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
    rhs_of[-1] = _segment(text, content, base, last, _strip_punct(content, last, len(content)))
    return lhs_of, rhs_of


def _break_row(content: str, rows: list, rels: list, k: int):
    """The start of the row of relation k when that row begins a new chain, else None."""
    rel = rels[k]
    row = _row_of(rows, rel.start)
    if row is None or row.start <= rels[k - 1].end:
        return None  # same row as the previous relation
    head = content[row.start:rel.start].strip()
    if not head or head[0] in "+-" or head.startswith(("\\cdot", "\\times")):
        return None
    if _paren_depth(content, rels[k - 1].end, row.start) != 0:
        return None  # the previous expression is still open: this row continues it
    return row.start


def _paren_depth(text: str, start: int, end: int) -> int:
    depth = 0
    i = start
    while i < end:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        i += 1
    return depth


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
        if lines:
            return _clean_prose(" ".join(lines))
        if para.strip():
            return ""
    return ""


def _clean_prose(s: str) -> str:
    s = re.sub(r"\s+", " ", s).strip()
    s = s.strip(" :")
    return s[:500]


__all__ = ["read_derivation", "load_derivation", "Derivation", "Step", "InputError"]
