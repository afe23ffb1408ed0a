"""Macro definitions from outside the document: front matter ``macros:`` and ``--macros FILE``.

Accepted forms (every one is parsed as data; nothing is executed):

* a map, as in KaTeX's ``macros`` option and MathJax's ``tex.macros``:
  ``{"\\\\RR": "\\\\mathbb{R}", "underE": ["\\\\underset{#1}{\\\\mathbb{E}}\\\\left[#2\\\\right]", 2],
  "V": ["V^{#1}", 1, "\\\\pi"]}`` (a body, or [body, number of arguments, default of the first]);
  in YAML front matter, or a ``.json`` file (the map itself, or an object with a ``macros`` map
  at most three levels down, e.g. a MathJax configuration ``{"tex": {"macros": {...}}}``);
* a ``.js`` file (a MathJax or KaTeX configuration): the object literals after ``macros:``
  (MathJax 3, KaTeX) or ``Macros:`` (MathJax 2) are read with a JSON-like parser for JavaScript literals (quoted or bare keys,
  '...' and "..." strings, numbers, arrays, nested objects, comments, trailing commas);
  anything else there (a function, a variable) is an error;
* a ``.tex`` / ``.sty`` file of ``\\\\newcommand`` / ``\\\\def`` / ``\\\\DeclareMathOperator`` lines.

The result maps a name (no backslash) to ``(nargs, default or None, body, where)``.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from .errors import LatexError, position
from .macros import MacroError, Macros, lex

MAX_MACROS = 1000
MAX_BODY_CHARS = 5000
MAX_FILE = 200_000
_NAME = re.compile(r"\\?([A-Za-z]+)")


class MacroFileError(LatexError):
    """A macro source that cannot be read (line and column in that source)."""


def macro_map(data, where: str, line: int = 1) -> dict:
    """Validate a name -> body | [body, nargs] | [body, nargs, default] map."""
    if not isinstance(data, dict):
        raise MacroFileError(f"{where}: macros must be a map of name: body", line, 1)
    if len(data) > MAX_MACROS:
        raise MacroFileError(f"{where}: too many macros (at most {MAX_MACROS})", line, 1)
    out = {}
    for key, value in data.items():
        m = _NAME.fullmatch(str(key))
        if not m:
            raise MacroFileError(f"{where}: {str(key)[:40]!r} is not a macro name (letters, e.g. \\RR or RR)", line, 1)
        default = None
        if isinstance(value, (list, tuple)):
            if not 1 <= len(value) <= 3:
                raise MacroFileError(f"{where}: \\{m.group(1)}: write [body, number of arguments] "
                                     "or [body, number of arguments, default]", line, 1)
            body, nargs = value[0], (value[1] if len(value) > 1 else 0)
            default = value[2] if len(value) > 2 else None
        else:
            body, nargs = value, 0
        if isinstance(nargs, bool) or not isinstance(nargs, int) or not 0 <= nargs <= 9:
            raise MacroFileError(f"{where}: \\{m.group(1)}: the number of arguments must be 0 to 9, not {nargs!r}",
                                 line, 1)
        for part in (body, default):
            if part is not None and (not isinstance(part, str) or len(part) > MAX_BODY_CHARS):
                raise MacroFileError(f"{where}: \\{m.group(1)}: a body must be text of at most {MAX_BODY_CHARS} "
                                     "characters", line, 1)
        if default is not None and nargs == 0:
            raise MacroFileError(f"{where}: \\{m.group(1)}: a default needs at least one argument", line, 1)
        out[m.group(1)] = (nargs, default, body, where)
    return out


def read_macro_file(path) -> dict:
    """The macros of a --macros FILE (.json, .js, .tex, .sty); MacroFileError names FILE:LINE:COL."""
    p = Path(path)
    try:
        with p.open("r", encoding="utf-8") as fh:
            text = fh.read(MAX_FILE + 1)
    except (OSError, UnicodeDecodeError) as err:
        raise MacroFileError(f"cannot read the macro file {p}: {err}", 1, 1) from None
    if len(text) > MAX_FILE:
        raise MacroFileError(f"the macro file {p} is too large (at most {MAX_FILE} characters)", 1, 1)
    suffix = p.suffix.lower()
    if suffix in (".tex", ".sty", ".md"):
        return _tex_macros(text, str(p))
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise MacroFileError(f"{p} is not valid JSON: {err.msg}", err.lineno, err.colno) from None
        found = _find_macros(data, 0)
        return macro_map(data if found is None else found, str(p))
    if suffix in (".js", ".mjs", ".cjs"):
        found = list(re.finditer(r"""(?:\b[Mm]acros|["'][Mm]acros["'])\s*:\s*\{""", text))
        if not found:
            raise MacroFileError(f"{p}: no 'macros: {{...}}' object found", 1, 1)
        out = {}
        for m in found[:10]:  # MathJax 2 writes TeX: {Macros: {...}}, MathJax 3 tex: {macros: {...}}
            try:
                data = _Literal(text, m.end() - 1).value()
            except MacroFileError as err:
                line, col = position(text, err.col)
                raise MacroFileError(f"{p}: {err.message}", line, col) from None
            out.update(macro_map(data, str(p), position(text, m.start())[0]))
        return out
    raise MacroFileError(f"{p}: a macro file must be .json, .js, .tex or .sty", 1, 1)


def _find_macros(data, depth):
    if not isinstance(data, dict) or depth > 3:
        return None
    if isinstance(data.get("macros"), dict):
        return data["macros"]
    for value in data.values():
        found = _find_macros(value, depth + 1)
        if found is not None:
            return found
    return None


def _tex_macros(text: str, where: str) -> dict:
    table = Macros()
    try:
        table.scan(lex(text), lambda off: f"in {where}:{position(text, off)[0]}")
    except MacroError as err:
        line, col = position(text, err.offset)
        raise MacroFileError(f"{where}: {err.message}", line, col) from None
    return {m.name: (m.nargs, None if m.default is None else _detok(m.default), _detok(m.body), m.where)
            for m in table.table.values()}


def _detok(tokens: list) -> str:
    out, word = [], False
    for t in tokens:
        if word and t.raw[:1].isascii() and t.raw[:1].isalpha():
            out.append(" ")
        out.append(t.raw)
        word = t.kind == "cs" and t.raw[1:].isalpha()
    return "".join(out)


class _Literal:
    """A JavaScript object literal holding only strings, numbers, arrays and objects (no code)."""

    ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}

    def __init__(self, text: str, i: int):
        self.text, self.i, self.depth = text, i, 0

    def fail(self, message):
        raise MacroFileError(message, 1, self.i)  # col carries the offset; read_macro_file converts it

    def skip(self):
        t = self.text
        while self.i < len(t):
            if t[self.i].isspace():
                self.i += 1
            elif t.startswith("//", self.i):
                j = t.find("\n", self.i)
                self.i = len(t) if j < 0 else j
            elif t.startswith("/*", self.i):
                j = t.find("*/", self.i + 2)
                self.i = len(t) if j < 0 else j + 2
            else:
                return

    def value(self):
        self.skip()
        if self.i >= len(self.text):
            self.fail("the macros object ends too early")
        c = self.text[self.i]
        if c in "{[":
            self.depth += 1
            if self.depth > 10:
                self.fail("the macros object is nested too deeply")
            result = self.obj() if c == "{" else self.arr()
            self.depth -= 1
            return result
        if c in "'\"`":
            return self.string()
        m = re.compile(r"-?\d{1,4}(?![\w.])").match(self.text, self.i)
        if m:
            self.i = m.end()
            return int(m.group())
        self.fail("only strings, numbers, arrays and objects are read in the macros object (no code)")

    def string(self) -> str:
        q = self.text[self.i]
        if q == "`":
            self.fail("template strings are not read; use '...' or \"...\"")
        out, i, t = [], self.i + 1, self.text
        while i < len(t) and t[i] != q:
            if t[i] == "\n":
                break
            if t[i] == "\\" and i + 1 < len(t):
                c = t[i + 1]
                out.append(self.ESCAPES.get(c, c))
                i += 2
                continue
            out.append(t[i])
            i += 1
            if len(out) > MAX_BODY_CHARS:
                self.fail("a string is too long")
        if i >= len(t) or t[i] != q:
            self.fail("a string is never closed")
        self.i = i + 1
        return "".join(out)

    def obj(self) -> dict:
        self.i += 1
        out = {}
        while True:
            self.skip()
            if self.text.startswith("}", self.i):
                self.i += 1
                return out
            if self.i < len(self.text) and self.text[self.i] in "'\"":
                key = self.string()
            else:
                m = re.compile(r"[A-Za-z_$][\w$]*").match(self.text, self.i)
                if not m:
                    self.fail("expected a key (a name or a quoted string)")
                key, self.i = m.group(), m.end()
            self.skip()
            if not self.text.startswith(":", self.i):
                self.fail("expected ':' after a key")
            self.i += 1
            out[key] = self.value()
            if len(out) > MAX_MACROS:
                self.fail(f"too many macros (at most {MAX_MACROS})")
            self.skip()
            if self.text.startswith(",", self.i):
                self.i += 1
            elif not self.text.startswith("}", self.i):
                self.fail("expected ',' or '}'")

    def arr(self) -> list:
        self.i += 1
        out = []
        while True:
            self.skip()
            if self.text.startswith("]", self.i):
                self.i += 1
                return out
            out.append(self.value())
            if len(out) > 10:
                self.fail("an array is too long")
            self.skip()
            if self.text.startswith(",", self.i):
                self.i += 1
            elif not self.text.startswith("]", self.i):
                self.fail("expected ',' or ']'")
