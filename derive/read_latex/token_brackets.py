"""The brackets of the token stream (:mod:`derive.read_latex.tokens`): the delimiter after ``\\left``,
``\\right``, ``\\big`` (``\\left(``, ``\\right\\}``, ``\\big|``), the evaluation bar ``\\Big. X \\Big|_{...}``,
and the indicator bracket ``\\mathbb{1}[x > y]`` (inside which a comparison is a CMP token).
"""
from __future__ import annotations

import re

from .command_tables import _DELIM_CHARS, _DELIM_MACROS
from .errors import fail

# brackets spelt as macros: \lbrack ... \rbrack is [ ... ]; \lbrace ... \rbrace and a bare \{ ... \} (without
# \left/\right) are the braces \left\{ ... \right\} (the indicator's \mathbb{1}\{...\} is read before this)
BRACKET_MACROS = {"lbrack": ("LBRACK", "["), "rbrack": ("RBRACK", "]"), "lbrace": ("LEFT", "{"), "{": ("LEFT", "{"),
                  "rbrace": ("RIGHT", "}"), "}": ("RIGHT", "}")}
_OPENERS = {"LPAR", "LBRACK", "LBRACE", "LEFT"}
_CLOSERS = {"RPAR", "RBRACK", "RBRACE", "RIGHT"}
_MACRO = re.compile(r"\\([A-Za-z]+|.)", re.S)
_SPACE = re.compile(r"\s+")
_IND_OPENERS = {("LBRACK", "["), ("LPAR", "("), ("LBRACE", "\\{"), ("LEFT", "["), ("LEFT", "("), ("LEFT", "{")}

_IND_CLOSERS = {"[": ("RBRACK", "]"), "(": ("RPAR", ")"), "\\{": ("RBRACE", "\\}")}


class _IndicatorState:
    """The indicator bracket \\mathbb{1}[x > y]: after the IND token an opening bracket must follow;
    directly inside that bracket (not deeper) a comparison is a CMP token; the bracket closes with
    its partner (] ) \\} or \\right of the same kind)."""

    def __init__(self):
        self.pending = None  # offset of an IND token waiting for its bracket
        self.stack = []  # [(depth inside the bracket, opening kind, opening value)]
        self.depth = 0  # nesting depth after the last token

    def comparing(self, depth: int | None = None) -> bool:
        depth = self.depth if depth is None else depth
        return bool(self.stack) and self.stack[-1][0] == depth

    def check(self, kind, value, depth, start):
        if self.pending is not None and (kind, value) not in _IND_OPENERS:
            fail("an indicator must be followed by its condition in brackets: \\mathbb{1}[x > 0], "
                 "\\mathbb{1}\\left[ ... \\right], \\mathbb{1}\\{ ... \\} or \\mathbb{I}( ... )", start)
        if kind in _CLOSERS and self.stack and self.stack[-1][0] == depth:
            _, okind, ovalue = self.stack[-1]
            if okind == "LEFT":
                want = {"[": "]", "(": ")", "{": "}"}[ovalue]
                if kind != "RIGHT" or value != want:
                    fail(f"the indicator bracket \\left{ovalue} must close with \\right{want}", start)
            else:
                wkind, wvalue = _IND_CLOSERS[ovalue]
                if kind != wkind or value != wvalue:
                    fail(f"the indicator bracket {ovalue} must close with {wvalue}", start)

    def after(self, kind, value, depth):
        self.depth = depth
        if kind == "IND":
            self.pending = None  # set by the caller with the offset
        elif self.pending is not None:
            self.pending = None
            self.stack.append((depth, kind, value))
        elif kind in _CLOSERS and self.stack and self.stack[-1][0] == depth + 1:
            self.stack.pop()


def _delimiter(text: str, i: int, macro: str, start: int):
    """The delimiter after \\left, \\right or \\big: (canonical, end offset)."""
    m = _SPACE.match(text, i)
    if m:
        i = m.end()
    if i < len(text) and text[i] in _DELIM_CHARS:
        return _DELIM_CHARS[text[i]], i + 1
    if i < len(text) and text[i] == "\\":
        mm = _MACRO.match(text, i)
        if mm and mm.group(1) in _DELIM_MACROS:
            return _DELIM_MACROS[mm.group(1)], mm.end()
    fail(f"\\{macro} must be followed by a delimiter such as ( [ | or .", start)


def _evaluation_bar(text: str, j: int, delim: str, name: str, out: list, i: int):
    """\\Big. X \\Big|_{...}: the sized opening '.' is a LEFT, and a sized '|' followed by a script closes it
    (a RIGHT) when the innermost open group is that '.' (or a \\left.)."""
    if delim == ".":
        return "LEFT"
    if delim != "|" or not re.compile(r"\s*[_^]").match(text, j):
        return None
    depth = 0
    for tok in reversed(out):
        if tok.type in _CLOSERS:
            depth += 1
        elif tok.type in _OPENERS:
            if depth == 0:
                if tok.type == "LEFT" and tok.value == ".":
                    return "RIGHT"
                break
            depth -= 1
    return "OPEN"  # no opening written: read_latex/open_bars.py places it (X\big|_{...} evaluates X)
