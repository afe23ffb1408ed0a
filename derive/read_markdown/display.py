"""The text of one display as derive reads it: Markdown escapes undone, user macros expanded.

``Display`` holds the text and, for every character, its offset in the file, so that
every later error still names the line and column the author wrote (a character
produced by a macro is placed at the macro's use).  ``display + k`` is the file offset
of character k, so the reader's offset arithmetic works unchanged.

Markdown escapes inside math (docs/notation.md):

* ``\\_`` and ``\\*`` are ``_`` and ``*`` (Markdown escapes of emphasis characters), ``\\'`` is ``'`` (Hugo
  posts write ``s\\'`` for s'; ``\\'`` has no meaning in TeX's math mode);
* a display in which every backslash is doubled (``\\\\frac``, ``\\\\pi``: Jekyll/kramdown and
  Zhihu exports) is read with the backslashes halved, and says so in the notes of its steps.
  It is recognised when no run of backslashes has odd length and some ``\\\\name`` names a
  command derive reads or a macro of the file.

Chain breaks: ``\\therefore``, ``\\because``, ``\\implies``, ``\\Rightarrow``, ``\\Longrightarrow``,
``\\iff``, ``\\text{and}`` at the top level of a display separate two chains (they are not
equations); the reader gets their offsets in ``breaks``.
"""
from __future__ import annotations

import re

from ..read_latex.errors import LatexError, position
from ..read_latex.macros import DEFINERS, MacroError, Macros, lex
from ..read_latex.commands import CHAIN_BREAKS, known_commands
from .errors import InputError

_DEFINER = re.compile(r"\\(?:" + "|".join(sorted(DEFINERS)) + r")(?![A-Za-z])")
_BREAK = re.compile(r"\\(" + "|".join(sorted(CHAIN_BREAKS, key=len, reverse=True)) + r")(?![A-Za-z])"
                    r"|\\(?:text|textrm|mbox|textnormal)\s*\{\s*,?\s*(?:and|or)\s*,?\s*\}")
_RUN = re.compile(r"\\+")
_NAME = re.compile(r"[A-Za-z]+")


class Display:
    """A display's text with the file offset of every character (``self + k``)."""

    def __init__(self, text: str, origin: list, via=None, errors=(), notes=()):
        self.text = text
        self.origin = origin  # len(text) + 1 offsets
        self.via = via or []  # per character: the Macro that produced it, or None
        self.errors = list(errors)  # (text offset, file offset, message): macro uses that failed
        self.notes = list(notes)
        self.changed = bool(via) or any(o != origin[0] + k for k, o in enumerate(origin))

    def __add__(self, k: int) -> int:
        return self.origin[max(0, min(int(k), len(self.origin) - 1))]

    __radd__ = __add__

    def error_in(self, start: int, end: int, text: str) -> LatexError | None:
        """The first macro error at a text offset in [start, end], as a LatexError."""
        for at, off, message in self.errors:
            if start <= at < end or at == end == len(self.text):
                line, col = position(text, off)
                return LatexError(message, line, col)
        return None

    def macro_note(self, start: int, end: int, text: str) -> str:
        """'macros expanded: \\a (line 3), ...' for the characters in [start, end)."""
        seen = {}
        for m in self.via[start:end]:
            if m is not None and m.name not in seen:
                seen[m.name] = m.where
        if not seen:
            return ""
        return "macros expanded: " + ", ".join(f"\\{n} ({w})" for n, w in seen.items())


def new_table(front: dict, extra=None) -> Macros:
    """The document's macro table: --macros FILE definitions, then front matter ``macros:``."""
    table = Macros(known=frozenset(known_commands()))
    for source in (extra, front.get("macros")):
        for name, (nargs, default, body, where) in (source or {}).items():
            try:
                table.define("def", name, nargs, None if default is None else lex(default), lex(body), where, 0)
            except MacroError as err:
                raise InputError(f"macro \\{name} ({where}): {err.message}", 1, 1) from None
    return table


def _where(text: str):
    return lambda off: "on line %d" % position(text, off)[0]


def scan_prose(table: Macros, text: str, masked: str, start: int, end: int):
    """Record the definitions written in prose or inline math between ``start`` and ``end``."""
    m = _DEFINER.search(masked, start, end)
    if not m:
        return
    region = masked[m.start():end]
    try:
        table.scan(lex(region, range(m.start(), end + 1)), _where(text))
    except MacroError as err:
        line, col = position(text, err.offset)
        raise InputError(err.message, line, col) from None


def read_display(table: Macros, text: str, masked: str, cstart: int, cend: int) -> Display:
    """The display ``masked[cstart:cend]`` with escapes undone and macros expanded."""
    raw = masked[cstart:cend]
    origin = list(range(cstart, cend + 1))
    notes = []
    if "\\" not in raw:
        return Display(raw, origin)
    if _doubled(raw, table):
        raw, origin = _halve(raw, origin)
        notes.append("every backslash of this display is doubled (a Markdown export): read \\\\ as \\")
    raw, origin = _markdown_escapes(raw, origin)
    if not table and not _DEFINER.search(raw):
        return Display(raw, origin, notes=notes)
    try:
        exp = table.expand(raw, origin, _where(text))
    except MacroError as err:
        line, col = position(text, err.offset)
        raise InputError(err.message, line, col) from None
    return Display(exp.text, exp.origin, exp.via if exp.changed else None, exp.errors, notes)


def _doubled(raw: str, table: Macros) -> bool:
    runs = list(_RUN.finditer(raw))
    if not runs or any(len(r.group()) % 2 for r in runs):
        return False
    known = known_commands()
    for r in runs:
        if len(r.group()) == 2:
            name = _NAME.match(raw, r.end())
            if name and (name.group() in known or name.group() in table.table or name.group() in DEFINERS):
                return True
    return False


def _halve(raw: str, origin: list):
    out, org, last = [], [], 0
    for r in _RUN.finditer(raw):
        out.append(raw[last:r.start()])
        org.extend(origin[last:r.start()])
        k = len(r.group()) // 2
        out.append("\\" * k)
        org.extend(origin[r.start():r.start() + 2 * k:2])
        last = r.end()
    out.append(raw[last:])
    org.extend(origin[last:])
    return "".join(out), org


def _markdown_escapes(raw: str, origin: list):
    if "\\_" not in raw and "\\*" not in raw and "\\'" not in raw:
        return raw, origin
    out, org = [], []
    i, n = 0, len(raw)
    while i < n:
        if raw[i] == "\\" and i + 1 < n:
            if raw[i + 1] in "_*'":
                out.append(raw[i + 1])
                org.append(origin[i + 1])
            else:
                out.append(raw[i:i + 2])
                org.extend(origin[i:i + 2])
            i += 2
            continue
        out.append(raw[i])
        org.append(origin[i])
        i += 1
    org.append(origin[n])
    return "".join(out), org


def chain_breaks(content: str, depth_at) -> tuple:
    """(content with the top-level chain breaks blanked, their offsets)."""
    if "\\" not in content:
        return content, []
    chars, breaks = None, []
    for m in _BREAK.finditer(content):
        if depth_at(m.start()) != 0:
            continue
        if chars is None:
            chars = list(content)
        for k in range(m.start(), m.end()):
            if chars[k] != "\n":
                chars[k] = " "
        breaks.append(m.start())
    return ("".join(chars) if chars is not None else content), breaks
