"""Finding display math in Markdown: code is masked, then the displays.

Displays: ``$$ ... $$``, ``\\[ ... \\]``, a bare ``\\begin{align} ... \\end{align}`` (any of
``ENVIRONMENTS``), reStructuredText ``.. math::`` directives (the indented body; each
paragraph of it is one display, as in Sphinx), Markdown-escaped ``\\\\[ ... \\\\]``,
MediaWiki ``<math display="block"> ... </math>``, and inline math ``$ ... $``, ``\\( ... \\)``,
``\\\\( ... \\\\)`` (MDX) or ``<math> ... </math>`` (MediaWiki) that asserts a relation
(``inline_is_step``: a top-level ``=``, ``\\geq`` or ``\\leq``, and neither a setting
(``$\\gamma = 0.99$``, ``$t = 0$``, ``$s_t = s$``, ``$t = T-1$``: one symbol set to a number or a symbol), an
index range (``$t = 0, 1, \\dots, T-1$``), a bound on a lone symbol (``$t \\leq T$``, ``$0 \\le \\lambda \\le 1$``) nor
a condition or definition introduced by the words just before it: "for $t = 0$", "if",
"when", "with", "given", "assume", "set", "let", "where", "define", "denote", ..., and in Chinese 其中, 令, 设,
记, 定义, 若, 当, 对于, 给定, 假设, ...) and

* stands alone on its line (an author's display written with single delimiters), or
* belongs to a file without any display: the whole derivation is written inline
  (the Hugging Face course's MDX pages, notes exported from Notion).

In a file with displays, inline math inside a sentence is prose ("so $r(\\theta_{old}) = 1$",
"the notation $\\hat{R}_t = ...$"), never a step; inline math without a relation never is.
In a kramdown (Jekyll) file, recognised by ``$$ ... $$`` used for a symbol inside a sentence
("labelled as $$\\beta(a \\vert s)$$"), ``$$ ... $$`` after prose on its line is inline math
("When k = 0: $$\\rho(s, 0) = 1$$.") except after a defining word ("Let $$\\phi(s) = ...$$": a
definition); elsewhere ``$$ ... $$`` is always a display.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..read_latex.errors import position
from .errors import InputError

ENVIRONMENTS = ("aligned", "align", "align*", "split", "gathered", "gather", "gather*", "equation", "equation*",
                "alignedat", "multline", "multline*", "eqnarray", "eqnarray*", "alignat", "alignat*", "flalign",
                "flalign*", "displaymath", "math", "array")

# ------------------------------------------------------------------ masking


def blank(chars: list, start: int, end: int):
    for i in range(start, min(end, len(chars))):
        if chars[i] != "\n":
            chars[i] = " "


_CODE_SPAN = re.compile(r"(?<!`)(`{1,10})(?!`)((?:(?!\n[ \t]*\n)[^`]|`(?!\1))+?)(?<!`)\1(?!`)")


_FENCE = re.compile(r"^[ \t]*(```+|~~~+).*?(^[ \t]*\1[ \t]*$|\Z)", re.M | re.S)


def _underline(text: str, start: int) -> bool:
    """Whether the fence-like line at ``start`` only underlines the text line just above it (a heading)."""
    end = text.find("\n", start)
    line = text[start:end if end >= 0 else len(text)].strip()
    if start == 0 or not line or set(line) - {"~", "`"} or len(set(line)) != 1:
        return False
    above = text[text.rfind("\n", 0, start - 1) + 1:start - 1].strip()
    return bool(above) and len(line) >= len(above) and not set(above) <= {"~", "`"}


_QUOTE = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+", re.M)  # "> ", ">> ", "> > ": Markdown blockquote markers
# block-level HTML tags around a display (kramdown's "<center>$$ ... $$</center>"); MediaWiki's <math> is kept
_HTML_TAG = re.compile(r"</?(?:center|div|p|span|section|article|aside|figure|figcaption|details|summary|font|br|hr)"
                       r"(?:\s[^<>\n]{0,200})?\s*/?>", re.I)


def unquote(text: str) -> str:
    """``text`` with blockquote markers and block-level HTML tags blanked (same length: positions kept).

    A display quoted as ``> $$`` ... ``> $$`` is the display itself, and ``<center>$$ ... $$</center>`` is
    rendered by MathJax as a display: the markers and tags are layout, not mathematics (issue 10 R5)."""
    if ">" not in text:
        return text
    chars = list(text)
    for rx in (_QUOTE, _HTML_TAG):
        for m in rx.finditer(text):
            blank(chars, m.start(), m.end())
    return "".join(chars)


_RST_ROLE = re.compile(r":math:`([^`\n]{1,400})`")


def rst_math_roles(text: str) -> str:
    """reStructuredText's inline math role ``:math:`X``` spelled ``:math:$X$`` (offsets kept), so that
    "Let :math:`\\phi(s) = ...`" defines phi as "Let $\\phi(s) = ...$" does (the held-out boyin96 proof) instead of
    being masked as a code span.  The role's name stays: an inline role is never a display of its own, even alone
    on its line (rst renders it inline)."""
    if ":math:`" not in text:
        return text
    return _RST_ROLE.sub(lambda m: ":math:$" + m.group(1) + "$" if "$" not in m.group(1) else m.group(0), text)


def mask_code(text: str, start: int, rst_roles: bool = False) -> str:
    """The text with front matter, fenced code, code spans and HTML comments blanked (offsets kept), and
    blockquote markers and block-level HTML tags blanked (``unquote``); with ``rst_roles``, ``:math:`X``` is
    read as ``$X$`` (``rst_math_roles``)."""
    text = text[:start] + unquote(text[start:])
    if rst_roles:
        text = text[:start] + rst_math_roles(text[start:])
    chars = list(text)
    blank(chars, 0, start)
    pos = 0
    while True:
        m = _FENCE.search(text, pos)
        if m is None:
            break
        if _underline(text, m.start()):  # "PPO-Clip\n~~~~~~~~": a reStructuredText heading, not a fence
            pos = text.find("\n", m.start()) + 1 or len(text)
            continue
        blank(chars, m.start(), m.end())
        pos = max(m.end(), m.start() + 1)
    masked = "".join(chars)
    for m in re.finditer(r"<!--.*?(-->|\Z)", masked, re.S):
        blank(chars, m.start(), m.end())
    masked = "".join(chars)
    for m in _CODE_SPAN.finditer(masked):
        blank(chars, m.start(), m.end())
    return "".join(chars)


# ------------------------------------------------------------------ blocks


@dataclass
class _Block:
    start: int  # offset of the opening delimiter
    cstart: int  # content start
    cend: int  # content end
    end: int  # offset after the closing delimiter
    inline: bool = False  # $...$ or \\(...\\) (a display only in a file without displays, or alone on its line)
    midline: bool = False  # $$...$$ after prose on its line (inline math in kramdown files)


def escaped(text: str, i: int) -> bool:
    n = 0
    while i - 1 - n >= 0 and text[i - 1 - n] == "\\":
        n += 1
    return n % 2 == 1


# "\begin{align\*}": a star escaped for Markdown (Hugo) names the same environment
_BEGIN = re.compile(r"\\begin\{(" + "|".join(re.escape(e).replace(r"\*", r"\\?\*") for e in ENVIRONMENTS) + r")\}")


def _find_closer(masked: str, closer: str, j: int) -> int:
    """The next unescaped ``closer`` at or after j, or -1."""
    while True:
        j = masked.find(closer, j)
        if j < 0 or not escaped(masked, j):
            return j
        j += 1


_RST = re.compile(r"^([ \t]*)\.\.[ \t]+math::[ \t]*([^\n]*)\n?", re.M)
_RST_OPTION = re.compile(r"[ \t]*:[A-Za-z-]+:[^\n]*")


def rst_blocks(masked: str) -> list:
    """The paragraphs of reStructuredText ``.. math::`` bodies (indented deeper than the directive)."""
    out = []
    for m in _RST.finditer(masked):
        indent = len(m.group(1).expandtabs())
        if m.group(2).strip():  # .. math:: x = y  (the formula on the directive's line)
            out.append(_Block(m.start(), m.start(2), m.end(2), m.end(2)))
        pos, para, options = m.end(), None, True
        while pos < len(masked):
            nl = masked.find("\n", pos)
            end = len(masked) if nl < 0 else nl
            line = masked[pos:end].expandtabs()
            if line.strip() and len(line) - len(line.lstrip()) <= indent:
                break  # the body ends at a line indented no deeper than the directive
            if not line.strip():
                if para is not None:
                    out.append(_Block(para, para, pos, pos))
                para, options = None, False
            elif options and _RST_OPTION.fullmatch(line):
                pass  # :label: eq1, :nowrap: (options of the directive)
            elif para is None:
                para, options = pos, False
            pos = end + 1
        if para is not None:
            end = min(pos, len(masked))
            out.append(_Block(para, para, end, end))
    return out


_LONE = r"(?:\\[A-Za-z]+|[A-Za-z])'*(?:\s*[_^]\s*(?:\{[^{}]{0,30}\}|\\?[A-Za-z0-9]+))*"
_NUMBER = r"-?\s*(?:\d+(?:\.\d+)?|\\[dt]?frac\s*\{\s*\d+\s*\}\s*\{\s*\d+\s*\}|\\infty)"
_SETTING = re.compile(rf"\s*{_LONE}\s*=\s*(?:{_NUMBER}|{_LONE}(?:\s*[-+]\s*\d{{1,3}})?)\s*[.,;]?\s*")  # t = T-1 (R12)
# a bound on a lone symbol, "$t \leq T$", "$0 \le \gamma \le 1$", "$k \geq 1$": a range, notation (R12)
_BOUND_SIDE = rf"(?:{_NUMBER}|{_LONE}(?:\s*[-+]\s*\d{{1,3}})?)"
_BOUND = re.compile(rf"\s*{_BOUND_SIDE}(?:\s*(?:\\(?:le|leq|ge|geq|leqslant|geqslant)(?![A-Za-z])|[<>])\s*{_BOUND_SIDE}){{1,2}}"
                    r"\s*[.,;]?\s*")
_CONDITION = re.compile(
    r"(?:\b(?:for(?:\s+all|\s+every|\s+each|\s+any)?|when(?:ever)?|if|iff|with|given|assum(?:e|ing)|suppose|set|"
    r"setting|such\s+that|at|e\.g\.|i\.e\.|unless|until|except|let|where|define[sd]?|defining|denote[sd]?|"
    r"we\s+write|defined\s+(?:as|by))|\be\.g\.|\bi\.e\.)[\s,:]*$"
    # the same cues in Chinese: 其中 (where), 令/设/记 (let), 定义 (define), 若/如果/当 (if, when), 对于/对任意 (for),
    # 给定 (given), 假设 (assume), 取 (take): "其中 $G_{t+1} = \sum_k ...$ 为下一时刻的回报" is a definition (R12)
    r"|(?:其中|令|设|记|定义|若|如果|假如|当|对于|对任意|对所有|对每个|给定|假设|假定|取)[\s,:，：]*$", re.I)
# an index range or enumeration, "$t = 0, 1, \dots, T-1$", "$i = 1, \ldots, G$": notation, never a claim (R12)
_RANGE = re.compile(rf"\s*{_LONE}\s*=\s*[^=<>]{{0,40}}?,\s*(?:\\[lc]?dots|\.\.\.|…)\s*,?[^=<>]{{0,40}}")


_DEFINING = re.compile(r"\b(?:let|where|define[sd]?|defining|denote[sd]?|we\s+write|defined\s+(?:as|by))[\s,:]*$"
                       r"|(?:其中|令|设|记|定义)[\s,:，：]*$", re.I)
_MATH_TAG = re.compile(r"<math(\s[^<>\n]{0,80})?>")


def inline_is_step(masked: str, start: int, cstart: int, cend: int, end: int) -> bool:
    """Is the inline math masked[cstart:cend] (masked[start:end] with its delimiters) a claim to check?"""
    from ..read_latex.relations import split_relations

    content = masked[cstart:cend]
    if not any(r.kind in ("=", ">=", "<=") for r in split_relations(content, limit=50)):
        return False
    if _alone(masked, start, end):
        return True  # a display written with single delimiters
    if _SETTING.fullmatch(content) or _RANGE.fullmatch(content) or _BOUND.fullmatch(content):
        return False
    head = masked[max(0, start - 80):start]
    head = head[head.rfind("\n\n") + 1:] if "\n\n" in head else head
    return not _CONDITION.search(head)


def _alone(masked: str, start: int, end: int) -> bool:
    """Does masked[start:end] stand alone on its line(s) (spaces and a final . or , around it)?"""
    head = _line_before(masked, start)
    nl = masked.find("\n", end, end + 200)
    tail = masked[end:end + 200 if nl < 0 else nl]
    if nl < 0 and end + 200 < len(masked):
        return False  # more than a punctuation mark follows on the line
    return not head.strip() and tail.strip() in ("", ".", ",", ";")


def _line_before(masked: str, i: int, most: int = 200) -> str:
    """The text before offset i on its line (at most ``most`` characters: linear time on long lines)."""
    return masked[max(masked.rfind("\n", max(0, i - most), i) + 1, i - most, 0):i]


def find_blocks(masked: str) -> list:
    """Display-math blocks in order (see the module docstring)."""
    rst = rst_blocks(masked)
    rest = masked
    if rst:
        chars = list(masked)
        for b in rst:
            blank(chars, b.start, b.end)
        rest = "".join(chars)
    found = _find_blocks(rest)
    displays = rst + [b for b in found if not b.inline]
    if displays:  # inline math in a sentence is prose; alone on its line it is a display
        found = [b for b in found if not b.inline or _alone(rest, b.start, b.end)]
    return sorted(rst + found, key=lambda b: b.start)


def _find_blocks(masked: str) -> list:
    """Display-math blocks (kramdown's inline ``$$`` decided, see the module docstring)."""
    from ..read_latex.relations import split_relations

    out = _scan(masked)
    mid = [b for b in out if b.midline]
    if not any(not split_relations(masked[b.cstart:b.cend], limit=1) for b in mid):
        return out  # no "$$\\pi_\\theta$$" inside a sentence: $$ is always a display
    return [b if not b.midline else _Block(b.start, b.cstart, b.cend, b.end, True) for b in out
            if not b.midline or inline_is_step(masked, b.start, b.cstart, b.cend, b.end)]


class _Closers:
    """The next unescaped occurrence of a closing delimiter, by bisection (linear time overall)."""

    def __init__(self, masked: str):
        self.masked, self.at = masked, {}

    def next(self, closer: str, start: int) -> int:
        if closer not in self.at:
            found = [m.start() for m in re.finditer(re.escape(closer), self.masked)]
            if closer[0] == "\\" and len(closer) == 2:
                found = [j for j in found if not escaped(self.masked, j)]
            self.at[closer] = found
        found = self.at[closer]
        k = bisect.bisect_left(found, start)
        return found[k] if k < len(found) else -1


def _scan(masked: str) -> list:
    """Display-math blocks, scanning left to right (an escaped character is skipped with its backslash)."""
    out = []
    closers = _Closers(masked)
    i, n = 0, len(masked)
    while i < n:
        c = masked[i]
        if c == "\\":
            if masked.startswith("\\[", i):
                j = _find_closer(masked, "\\]", i + 2)
                if j < 0:
                    line, col = position(masked, i)
                    raise InputError("this \\[ display is never closed by \\]", line, col)
                out.append(_Block(i, i + 2, j, j + 2))
                i = j + 2
                continue
            m = _BEGIN.match(masked, i)
            if m:
                close = "\\end{%s}" % m.group(1)
                j = masked.find(close, m.end())
                if j < 0:
                    line, col = position(masked, i)
                    raise InputError(f"\\begin{{{m.group(1)}}} is never closed by {close}", line, col)
                out.append(_Block(i, i, j + len(close), j + len(close)))
                i = j + len(close)
                continue
            if masked.startswith("\\\\[", i):  # \\\\[ ... \\\\]: a display escaped for Markdown
                j = closers.next("\\\\]", i + 3)
                if j >= 0:
                    out.append(_Block(i, i + 3, j, j + 3))
                    i = j + 3
                    continue
            for opener, closer in (("\\(", "\\)"), ("\\\\(", "\\\\)")):  # inline math (MDX: \\\\( ... \\\\))
                if masked.startswith(opener, i):
                    k = len(opener)
                    j = closers.next(closer, i + k)
                    if j >= 0 and "\n\n" not in masked[i:j]:
                        if inline_is_step(masked, i, i + k, j, j + k):
                            out.append(_Block(i, i + k, j, j + k, True))
                        i = j + k
                        break
            else:
                i += 2  # an escaped character (\\$, \\\\, ...)
            continue
        if c == "<":  # MediaWiki <math> ... </math> (display="block": a display)
            m = _MATH_TAG.match(masked, i)
            j = closers.next("</math>", m.end()) if m else -1
            if j >= 0:
                block = "block" in (m.group(1) or "")
                if block or inline_is_step(masked, i, m.end(), j, j + 7):
                    out.append(_Block(i, m.end(), j, j + 7, not block))
                i = j + 7
                continue
        if c == "$":
            if masked.startswith("$$", i):
                j = _find_closer(masked, "$$", i + 2)
                if j < 0:
                    line, col = position(masked, i)
                    raise InputError("this $$ display is never closed", line, col)
                head = _line_before(masked, i)
                midline = bool(head.strip()) and not _DEFINING.search(head)  # "let $$X = ...$$": a definition
                out.append(_Block(i, i + 2, j, j + 2, False, midline))
                i = j + 2
                continue
            # inline math: skip to its closing $ (not a step); a blank line ends a stray $
            j = i + 1
            while j < n and masked[j] != "$":
                if masked[j] == "\\":
                    j += 2
                    continue
                if masked[j] == "\n" and masked.startswith("\n", j + 1):
                    break
                j += 1
            if j < n and masked[j] == "$" and inline_is_step(masked, i, i + 1, j, j + 1):
                out.append(_Block(i, i + 1, j, j + 1, True))
            i = j + 1
            continue
        i += 1
    return out
