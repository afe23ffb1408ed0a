"""Presentation that carries no mathematics, blanked before reading (offsets kept).

``strip_presentation(text)`` returns a text of the same length in which these
commands are replaced by spaces, so that what they decorate is read as written
and every later error keeps its line and column:

=======================================  ====================================
``\\cancel{X}``, ``\\bcancel``, ``\\xcancel``   X (the strike-out is a comment)
``\\boxed{X}``, ``\\fbox{X}``                   X
``\\underbrace{X}_{\\text{...}}``              X (the label under the brace is dropped)
``\\overbrace{X}^{...}``                       X
``\\color{red}``, ``\\textcolor{red}{X}``       nothing; X
``\\color{red}{X}`` (MathJax), ``{\\color{red} X}``  X (the braces too when X holds a relation)
``\\bbox[yellow]{X}``, ``\\colorbox{c}{$X$}``    X (``\\fcolorbox{c}{d}{$X$}`` too)
``\\lbrace{ X \\rbrace}``                      ``\\lbrace X \\rbrace`` (the group around the pair)
``\\tag{..}``, ``\\tag*{..}``, ``\\label{..}``  nothing (the Markdown reader keeps a tag as
``\\nonumber``, ``\\notag``                     the step's justification)
``\\small``, ``\\large``, ``\\footnotesize``..  nothing (size switches)
``\\phantom{X}``, ``\\vphantom``, ``\\hspace``  nothing (spacing)
``\\substack{X}``, ``\\begin{subarray}{c} X``      X (a one-row subscript stack)
``\\boldsymbol{X}``, ``\\mathbf{x}``, ``\\bm``   X (bold type; read_latex/bold.py, with a note)
``\\mathrm{x}`` (one letter, not E, d, e)      x (upright type; read_latex/upright.py, with a note)
=======================================  ====================================

``X`` keeps its braces (``2\\boxed{a+b}`` is ``2{a+b}``), unless it holds a
top-level ``=`` (``\\boxed{x = y}`` is the equation ``x = y``).
"""
from __future__ import annotations

import re
from .bold import bold_note, strip_bold
from .upright import strip_upright, upright_note
from .scan import brace_group, top_level_index

KEEP_ARG = {"cancel", "bcancel", "xcancel", "boxed", "fbox", "underbrace", "overbrace", "substack", "bbox"}
DROP_FIRST = {"textcolor", "colorbox", "fcolorbox"}  # the colour is dropped, the second argument kept
DROP_ARG = {"color", "tag", "label", "phantom", "vphantom", "hphantom", "hspace", "vspace", "mspace"}
DROP = {"nonumber", "notag", "small", "large", "Large", "LARGE", "huge", "Huge", "footnotesize", "scriptsize",
        "tiny", "normalsize", "scriptstyle", "scriptscriptstyle", "displaystyle", "textstyle", "mathstrut", "strut",
        "hfill", "allowbreak"}
SCRIPT_AFTER = {"underbrace": "_", "overbrace": "^"}  # the label that follows the brace
NAMES = KEEP_ARG | DROP_FIRST | DROP_ARG | DROP

_CS = re.compile(r"\\(" + "|".join(sorted(NAMES, key=len, reverse=True)) + r")(?![A-Za-z])(\*?)")
_ONE_TOKEN = re.compile(r"\s*[\\A-Za-z0-9]")
_SUBARRAY = re.compile(r"\\begin\s*\{subarray\}\s*\{[lcr]\}|\\end\s*\{subarray\}")


def _script_end(text: str, i: int, mark: str):
    """Offset after a ``_{...}`` / ``_x`` (mark) at or after i, or None."""
    n = len(text)
    while i < n and text[i].isspace():
        i += 1
    if i >= n or text[i] != mark:
        return None
    g = brace_group(text, i + 1)
    if g is not None:
        return g[1]
    j = i + 1
    while j < n and text[j].isspace():
        j += 1
    if j < n and text[j] == "\\":
        m = re.compile(r"\\([A-Za-z]+|.)").match(text, j)
        return m.end() if m else None
    return j + 1 if j < n else None


def _has_relation(text: str, start: int, end: int) -> bool:
    return top_level_index(text, start, end, "=") >= 0


def _blank(chars: list, spans: list):
    for a, b in spans:
        for k in range(a, b):
            if chars[k] != "\n":
                chars[k] = " "


def _rows_as_list(text: str, chars: list, start: int, end: int):
    """The row breaks ``\\\\`` at the top level of text[start:end] become ", " (same length): the rows of a subscript
    stack (``\\substack{s \\sim d^\\pi \\\\ a \\sim \\pi}``) are the items of one list (issue 10 R3)."""
    depth, k = 0, start
    while k < end - 1:
        c = text[k]
        if c == "\\" and text[k + 1] == "\\" and depth == 0:
            chars[k], chars[k + 1] = ",", " "
            k += 2
            continue
        if c == "\\":
            k += 2
            continue
        depth += 1 if c == "{" else -1 if c == "}" else 0
        k += 1


SWITCHES = {"color", "small", "large", "Large", "LARGE", "huge", "Huge", "footnotesize", "scriptsize", "tiny",
            "normalsize", "scriptstyle", "scriptscriptstyle", "displaystyle", "textstyle"}
TEXT_BOXES = {"colorbox", "fcolorbox", "fbox"}  # their argument is text: the formula inside is $...$
_OPTIONS = re.compile(r"\s*\[[^\[\]{}\n]{0,80}\]")


def _scoping_group(text: str, i: int) -> list:
    """The braces of the group that a switch at ``i`` opens (``{\\color{red} X = Y}``), when they wrap a relation
    and are no argument (nothing but spaces between ``{`` and the switch; no ``_``, ``^`` or command before ``{``)."""
    k = i - 1
    while k >= 0 and text[k].isspace():
        k -= 1
    if k < 0 or text[k] != "{" or (k > 0 and text[k - 1] == "\\"):
        return []
    j = k - 1
    while j >= 0 and text[j].isspace():
        j -= 1
    if j >= 0 and (text[j] in "_^}]" or text[j].isalpha()):
        return []  # a subscript, a command's argument (\frac{..}{\small x}): not a scoping group
    g = brace_group(text, k)
    if g is None or not _has_relation(text, i, g[1] - 1):
        return []
    return [(k, k + 1), (g[1] - 1, g[1])]


_BRACE_MACRO_GROUP = re.compile(r"\\(?:lbrace(?![A-Za-z])|\{)\s*\{")


def _brace_macro_groups(text: str, chars: list) -> None:
    """``\\lbrace{ X \\rbrace}`` (the group closes after the closing brace): the inner braces are blanked (a TeX
    group around the bracket pair is layout)."""
    for m in _BRACE_MACRO_GROUP.finditer(text):
        g = brace_group(text, m.end() - 1)
        if g is not None and re.search(r"\\(?:rbrace|\})\s*$", text[m.end():g[1] - 1]):
            chars[m.end() - 1] = chars[g[1] - 1] = " "


_CAL_CALL = re.compile(r"(\\mathcal\s*\{\s*[A-Z])(\s*\([^(){}]{1,20}\))(\s*)\}")


def strip_presentation(text: str) -> str:
    """``text`` with the presentation commands above blanked (same length)."""
    if "\\" not in text:
        return text
    text = strip_upright(text)  # \mathrm{x}_t: the letter x (read_latex/upright.py)
    text = strip_bold(text)  # \mathbf{w}, \boldsymbol{\theta}, \bm{x}: the symbol (read_latex/bold.py)
    # Sutton & Barto's action set written \mathcal{A(s)} is \mathcal{A}(s): the brace moves (same length)
    text = _CAL_CALL.sub(lambda m: m.group(1) + "}" + m.group(2) + m.group(3), text)
    chars = None
    if "\\lbrace" in text or "\\{" in text:
        chars = list(text)
        _brace_macro_groups(text, chars)
    for m in _SUBARRAY.finditer(text):  # \\underset{\\begin{subarray}{c} x \\sim p \\end{subarray}}: layout only
        chars = chars or list(text)
        for k in range(m.start(), m.end()):
            chars[k] = " "
    for m in _CS.finditer(text):
        name = m.group(1)
        if chars is None:
            chars = list(text)
        if chars[m.start()] == " ":  # already blanked (inside a dropped argument)
            continue
        spans = [(m.start(), m.end())]
        if name == "bbox":  # MathJax's \bbox[yellow,5px]{X}: the options are presentation
            opt = _OPTIONS.match(text, m.end())
            if opt:
                spans.append((m.end(), opt.end()))
        if name in DROP_ARG or name in DROP_FIRST:
            g = brace_group(text, m.end())
            if g is None:
                continue  # left to the reader, which names it
            if name == "fcolorbox":  # \fcolorbox{frame}{background}{X}: two colours
                g = brace_group(text, g[1]) or g
            spans.append((m.end(), g[1]))
            if name == "color":  # MathJax's \color{red}{X = Y} colours X = Y: read the relation inside
                nxt = brace_group(text, g[1])
                if nxt is not None and _has_relation(text, nxt[0] + 1, nxt[1] - 1):
                    spans += [(nxt[0], nxt[0] + 1), (nxt[1] - 1, nxt[1])]
        if name in SWITCHES:  # "{\color{red} X = Y}", "{\small X = Y}": the group only scopes the switch
            spans += _scoping_group(text, m.start())
        if name in KEEP_ARG or name in DROP_FIRST:
            g = brace_group(text, spans[-1][1])
            if g is None:
                if name in KEEP_ARG and name not in SCRIPT_AFTER and _ONE_TOKEN.match(text, m.end()):
                    _blank(chars, spans)  # \\boldsymbol\\theta, \\cancel x: a one-token argument, read as itself
                continue
            if name == "substack":  # \substack{s \sim d^\pi \\ a \sim \pi}: its rows are a list of draws
                _rows_as_list(text, chars, g[0] + 1, g[1] - 1)
                if text[:m.start()].rstrip().endswith("{"):  # _{\substack{...}}: the list is the subscript's own
                    spans += [(g[0], g[0] + 1), (g[1] - 1, g[1])]
            if _has_relation(text, g[0] + 1, g[1] - 1):
                spans += [(g[0], g[0] + 1), (g[1] - 1, g[1])]
            if name in TEXT_BOXES:  # \colorbox{yellow}{$X = Y$}: a text-mode box around inline math
                spans += [(k, k + 1) for k in range(g[0] + 1, g[1] - 1) if text[k] == "$" and text[k - 1] != "\\"]
            if name in SCRIPT_AFTER:
                end = _script_end(text, g[1], SCRIPT_AFTER[name])
                if end is not None:
                    spans.append((g[1], end))
        _blank(chars, spans)
    return text if chars is None else "".join(chars)


def type_notes(display: str, k: int, read: str) -> list:
    r"""The bold and upright notes ("read as") of the side written at ``display[k:]`` (the author's text before
    ``strip_presentation``), provided it is the text ``read`` was stripped from (else none: never a note about
    other text)."""
    written = display[k:k + len(read)] if 0 <= k <= len(display) else ""
    if "\\" not in written or strip_presentation(written).strip() != read.strip():
        return []
    return [n for n in (bold_note(written), upright_note(written)) if n]
