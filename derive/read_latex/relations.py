"""Top-level relations of a display-math text (used by the Markdown reader).

``split_relations(text)`` finds the ``=`` (and the unsupported ``\\le``, ``:=``,
``\\approx``, ...) outside every brace, bracket and parenthesis, so that
``\\sum_{t=0}`` or ``\\right|_{\\theta=\\theta_{old}}`` are never split.
Braces are TeX's groups: a ``}`` closes its ``{`` and every parenthesis left open inside it
(a typo such as ``\\frac{a}{\\pi(a|s}`` does not swallow the rest of the display; see
``scan.Nesting``).
``\\overset{note}{=}`` and ``\\stackrel{note}{=}`` are an ``=`` with a note.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from .scan import Nesting, brace_group

KINDS = {
    "ge": ">=", "geq": ">=", "geqslant": ">=", "le": "<=", "leq": "<=", "leqslant": "<=",
    "gt": "strict inequality", "lt": "strict inequality", "ne": "inequality", "neq": "inequality",
    "approx": "approximation", "simeq": "approximation", "cong": "approximation", "propto": "proportionality",
    "equiv": "definition", "coloneqq": "definition", "triangleq": "definition", "doteq": "definition",
    "eqqcolon": "definition",
}
_MACRO = re.compile(r"\\([A-Za-z]+|.)", re.S)
_DEF_NOTE = re.compile(r"(?:\\(?:text|mathrm|textrm|rm|mbox)\s*\{\s*def\.?\s*\}|def|\\triangle|\\Delta|:|\\mathrm\s*\{\s*d\s*\}|"
                       r"\\scriptscriptstyle\s*\\text\s*\{\s*def\s*\})")
UNICODE_RELATIONS = {"≤": "<=", "≥": ">=", "≠": "inequality", "≈": "approximation"}


@dataclass
class Relation:
    kind: str  # "=", ">=", "<=", "strict inequality", "inequality", "approximation", "proportionality", "definition"
    start: int
    end: int
    spelling: str
    note: str = ""  # text of \overset{note}{=}


def _brace_arg(text: str, i: int):
    """(content, end) of a {...} argument starting at or after i (skipping spaces), or None."""
    g = brace_group(text, i)
    return None if g is None else (text[g[0] + 1:g[1] - 1], g[1])


def _wrapped_relation(text: str, i: int):
    """The relation of a brace group that holds nothing but one relation (``{\\overset{(i)}{=}}``), or None."""
    arg = _brace_arg(text, i)
    if arg is None or len(arg[0]) > 200:
        return None
    inner = split_relations(arg[0], limit=1)
    if len(inner) != 1 or arg[0][:inner[0].start].strip() or arg[0][inner[0].end:].strip():
        return None
    r = inner[0]
    return Relation(r.kind, i, arg[1], r.spelling, r.note)


def split_relations(text: str, limit: int | None = None) -> list:
    """The relations at the top level of ``text``, in order (scanning stops after ``limit + 1``)."""
    out = []
    nest = Nesting()
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            m = _MACRO.match(text, i)
            name = m.group(1) if m else ""
            end = m.end() if m else i + 1
            if name in ("{", "lbrace", "begin"):  # \\{ ... \\} and \\begin{cases} ... \\end{cases} are groups too
                nest.open("{")
            elif name in ("end", "}", "rbrace"):
                nest.close("}")
            elif name in ("lbrack", "rbrack"):  # \lbrack ... \rbrack: a bracket ([ ... ])
                (nest.open if name == "lbrack" else nest.close)("[" if name == "lbrack" else "]")
            elif nest.depth == 0 and name in KINDS:
                out.append(Relation(KINDS[name], i, end, "\\" + name))
            elif nest.depth == 0 and name in ("overset", "stackrel"):
                first = _brace_arg(text, end)
                second = _brace_arg(text, first[1]) if first else None
                if second and second[0].strip() == "=":
                    note = first[0].strip()
                    if _DEF_NOTE.fullmatch(note):  # \overset{\text{def}}{=}, \stackrel{\triangle}{=}: a definition
                        out.append(Relation("definition", i, second[1], "\\" + name + "{" + note + "}{=}", note))
                    else:
                        out.append(Relation("=", i, second[1], "=", note))
                    i = second[1]
                    continue
                rel = re.fullmatch(r"\s*\\([A-Za-z]+)\s*", second[0]) if second else None
                if rel and rel.group(1) in KINDS:  # \stackrel{(i)}{\approx}: that relation, with a note
                    kind = KINDS[rel.group(1)]
                    out.append(Relation(kind, i, second[1], "\\" + rel.group(1),
                                        "" if kind == "definition" else first[0].strip()))
                    i = second[1]
                    continue
            i = end
            continue
        if c == "{" and nest.depth == 0:
            wrapped = _wrapped_relation(text, i)
            if wrapped is not None:  # {=}, {\overset{(i)}{=}} (kramdown posts): the relation inside
                out.append(wrapped)
                i = wrapped.end
                continue
        if c in "{([":
            nest.open(c)
        elif c in "})]":
            nest.close(c)
        elif nest.depth == 0:
            if c == "=":
                out.append(Relation("=", i, i + 1, "="))
            elif c == ":" and text[i + 1:i + 12].lstrip(" \t").startswith("="):
                j = text.index("=", i + 1)  # ":=", and ":&=" (OmniSafe's aligned :=, the & blanked)
                out.append(Relation("definition", i, j + 1, ":="))
                i = j + 1
                continue
            elif c in "<>":
                if i + 1 < n and text[i + 1] == "=":
                    out.append(Relation(c + "=", i, i + 2, c + "="))
                    i += 2
                    continue
                out.append(Relation("strict inequality", i, i + 1, c))
            elif c in UNICODE_RELATIONS:  # ≤ ≥ ≠ ≈ written as characters
                out.append(Relation(UNICODE_RELATIONS[c], i, i + 1, c))
        i += 1
        if limit is not None and len(out) > limit:
            break
    return out
