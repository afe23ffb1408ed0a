"""``derive annotate --format html``: one standalone page, KaTeX bundled (no CDN, works offline).

The annotated Markdown (annotate_markdown.py) is turned into HTML by markdown-it-py (CommonMark with
tables; raw HTML kept, so derive's ``<details>`` fold-outs work).  The mathematics never goes through
the Markdown parser: every display the reader found (read_markdown.blocks.find_blocks) and every
inline ``$...$`` / ``\\(...\\)`` is first replaced by an inert token, and the token becomes
``<span class="derive-math">TeX</span>``, which the page's script renders with KaTeX
(``throwOnError: false``: an error is shown in red with class ``katex-error``, and the count is left in
``<body data-katex-errors="N">``).  ``\\newcommand`` in one display holds for the later ones
(``globalGroup``), and the front matter's ``macros:`` are given to KaTeX.

KaTeX 0.19.1 (MIT) is vendored in derive/writeup/katex/ (README.md there): script and stylesheet
inlined, fonts as ``data:`` URIs.
"""
from __future__ import annotations

import base64
import dataclasses
import html
import json
import re
from importlib import resources

from .annotate import Annotation, blocks_of
from .annotate_markdown import render as render_markdown
from ..read_markdown import InputError
from ..read_markdown.blocks import mask_code
from ..read_markdown.display import new_table, read_display

KATEX_VERSION = "0.19.1"
_TOKEN = "DERIVEMATHTOKEN{}X"
_TOKEN_RE = re.compile(r"DERIVEMATHTOKEN(\d+)X")
_INLINE = re.compile(r"(?<![\\$])\$(?!\$)(?=\S)((?:[^$\n\\]|\\.|\n(?![ \t]*\n))+?)(?<![\s\\])\$(?![$\d])"
                     r"|\\\\\((?!\s*\n\s*\n)(.+?)\\\\\)"  # \\( ... \\) (MDX, Markdown-escaped)
                     r"|(?<!\\)\\\((.+?)\\\)"
                     r"|\$\$([^$\n]+?)\$\$", re.S)  # $$x$$ inside a line, not a display: kramdown's inline math
# x_\boldsymbol{\theta}: MathJax takes the command with its argument as the subscript, KaTeX and LaTeX want braces
_SCRIPT_ARG = re.compile(r"([_^])\s*(\\(?:boldsymbol|bm|mathbf|mathrm|mathcal|mathbb|mathsf|mathit|tilde|hat|bar|vec|"
                         r"widetilde|widehat|overline|dot|ddot|operatorname|text|textrm)\s*\{[^{}]*\})")
_FONT = re.compile(r"src:url\(fonts/([A-Za-z0-9_-]+)\.woff2\) format\(\"woff2\"\)[^;}]*")

SCRIPT = r"""
(function () {
  var macros = %s;
  document.querySelectorAll(".derive-math").forEach(function (el) {
    var tex = el.textContent;
    try {
      katex.render(tex, el, {displayMode: el.getAttribute("data-display") === "1", throwOnError: false,
                             macros: macros, globalGroup: true, strict: "ignore", trust: false});
    } catch (e) {
      el.className += " katex-error";
      el.setAttribute("title", String(e));
    }
  });
  document.body.setAttribute("data-katex-errors", String(document.querySelectorAll(".katex-error").length));
  document.body.setAttribute("data-katex-rendered", String(document.querySelectorAll(".katex").length));
})();
"""

STYLE = """
body { max-width: 52rem; margin: 2rem auto; padding: 0 1rem; font: 16px/1.6 system-ui, "Noto Sans CJK SC",
       "Noto Sans", sans-serif; color: #1f2328; }
.derive-math[data-display="1"] { display: block; overflow-x: auto; overflow-y: hidden; margin: .6em 0; }
details { border-left: 3px solid #8c959f; padding: .1em .8em; margin: .4em 0 1em; background: #f6f8fa; }
details > summary { cursor: pointer; font-size: .92em; }
pre, code { font-family: ui-monospace, "Noto Sans Mono", monospace; font-size: .88em; }
pre { background: #f6f8fa; padding: .6em; overflow-x: auto; }
table { border-collapse: collapse; } td, th { border: 1px solid #d0d7de; padding: .2em .5em; }
pre.front-matter { color: #57606a; }
"""


def _asset(name: str) -> str:
    return resources.files("derive.writeup").joinpath("katex", name).read_text(encoding="utf-8")


def katex_css() -> str:
    """KaTeX's stylesheet with each font as a woff2 ``data:`` URI (the .woff/.ttf fallbacks dropped)."""
    fonts = resources.files("derive.writeup").joinpath("katex", "fonts")

    def inline(m: re.Match) -> str:
        data = base64.b64encode(fonts.joinpath(m.group(1) + ".woff2").read_bytes()).decode("ascii")
        return f'src:url(data:font/woff2;base64,{data}) format("woff2")'

    return _FONT.sub(inline, _asset("katex.min.css"))


def readable(table, text: str, masked: str, cstart: int, cend: int, display: bool) -> str:
    """The math as the author's renderer receives it, as derive reads it (read_markdown/display.py): Markdown
    escapes undone (``\\_``, ``\\*``; every backslash doubled in an export), ``x_\\cmd{a}`` braced as ``x_{\\cmd{a}}``
    (MathJax's reading, which KaTeX and LaTeX reject), the post's macros expanded (the
    front matter's, ``--macros``, and ``\\newcommand`` in earlier math: ``table`` is shared, in file order);
    rows written with ``&`` and ``\\\\`` but no environment put in ``aligned`` (as Sphinx and MathJax do).
    The author's text when derive cannot read it."""
    tex = masked[cstart:cend]
    try:
        tex = read_display(table, text, masked, cstart, cend).text
    except (InputError, ValueError, IndexError):
        pass
    tex = _SCRIPT_ARG.sub(r"\1{\2}", tex)
    if display and _bare_rows(tex):
        tex = "\\begin{aligned}\n" + tex.strip() + "\n\\end{aligned}"
    return tex


def _bare_rows(tex: str) -> bool:
    """Whether ``&`` or ``\\\\`` stands outside every environment (rows with no environment around them)."""
    flat, previous = tex, None
    while flat != previous:  # innermost environments first
        previous = flat
        flat = re.sub(r"\\begin\{([^{}]*)\}(?:(?!\\begin\{).)*?\\end\{\1\}", " ", flat, flags=re.S)
    return "\\begin{" not in flat and ("\\\\" in flat or re.search(r"(?<!\\)&", flat) is not None)


def _table(ann: Annotation):
    try:
        return new_table(ann.front or {}, ann.macros)
    except InputError:
        return new_table({}, None)


def _spans(ann: Annotation, masked: str) -> list:
    """[(start, end, tex, display)]: the displays and the inline math outside them, in file order."""
    text = ann.text
    blocks, _ = blocks_of(masked)
    found = [(b.start, b.end, b.cstart, b.cend, not b.inline) for b in blocks]
    chars = list(masked)
    for b in blocks:
        chars[b.start:b.end] = " " * (b.end - b.start)
    rest = "".join(chars)
    for m in _INLINE.finditer(rest):
        group = next(g for g in (1, 2, 3, 4) if m.group(g) is not None)
        found.append((m.start(), m.end(), m.start(group), m.end(group), False))
    table = _table(ann)
    return [(start, end, readable(table, text, masked, cs, ce, display), display)
            for start, end, cs, ce, display in sorted(found)]


def tokenize(ann: Annotation) -> tuple:
    """(text with every math span replaced by a token, the annotation with its line numbers moved, [(tex,
    display)])."""
    text, body = ann.text, _body(ann)
    masked = mask_code(text, body)
    pieces, maths, pos = [], [], 0
    moved, displays = {}, {d.start: d for d in ann.displays}
    for start, end, tex, display in _spans(ann, masked):
        if start < pos:
            continue
        pieces.append(text[pos:start])
        line = sum(p.count("\n") for p in pieces) + 1
        if start in displays:
            moved[start] = dataclasses.replace(displays[start], line=line, end_line=line)
        pieces.append(_TOKEN.format(len(maths)))
        maths.append((tex, display))
        pos = end
    pieces.append(text[pos:])
    new = dataclasses.replace(ann, text="".join(pieces),
                              displays=[moved.get(d.start, d) for d in ann.displays])
    return new.text, new, maths


def _body(ann: Annotation) -> int:
    """The offset after the front matter (its last line is ``ann.front_end_line``)."""
    if not ann.front_end_line:
        return 0
    pos = 0
    for _ in range(ann.front_end_line):
        nl = ann.text.find("\n", pos)
        if nl < 0:
            return len(ann.text)
        pos = nl + 1
    return pos


def _markdown_to_html(text: str) -> str:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    return md.render(text)


def render(raw: str, ann: Annotation, seed: int = 0, macros: dict | None = None) -> str:
    """The standalone page of the annotated post."""
    text, moved, maths = tokenize(ann)
    body_at = _body(moved)
    front, body = text[:body_at], render_markdown(text[body_at:], dataclasses.replace(
        moved, text=text[body_at:], front_end_line=0,
        displays=[dataclasses.replace(d, line=d.line - moved.front_end_line,
                                      end_line=d.end_line - moved.front_end_line) for d in moved.displays]), seed)
    page = _markdown_to_html(body)

    def math(m: re.Match) -> str:
        tex, display = maths[int(m.group(1))]
        return f'<span class="derive-math" data-display="{1 if display else 0}">{html.escape(tex)}</span>'

    page = _TOKEN_RE.sub(math, page)
    head = f'<pre class="front-matter">{html.escape(front)}</pre>\n' if front.strip() else ""
    title = html.escape(ann.title or ann.path)
    script = SCRIPT % json.dumps(macros or {}).replace("</", "<\\/")
    return ("<!DOCTYPE html>\n"
            f'<html lang="{"zh-CN" if ann.lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="generator" content="derive annotate (KaTeX {KATEX_VERSION})">\n'
            f"<title>{title}</title>\n<style>\n{katex_css()}\n{STYLE}</style>\n</head>\n<body>\n<main>\n"
            f"{head}{page}</main>\n<script>\n{_asset('katex.min.js')}\n</script>\n<script>{script}</script>\n"
            "</body>\n</html>\n")
