"""``derive annotate --format tex``: the annotated post as a xelatex document (tex.py's preamble).

The annotated Markdown (math replaced by tokens first, annotate_html.tokenize, so that no Markdown rule
touches it) is parsed by markdown-it-py and each token is written as LaTeX: headings as starred
sections, emphasis, code, links, lists, quotes, code blocks as ``verbatim``, tables as ``tabular``.
A display is written as ``\\[ ... \\]``, or as itself when it is a whole amsmath display environment
(``align``, ``equation``, ...; also inside ``$$ ... $$``, as MathJax allows).  derive's fold-outs become
small quotes headed by the badge.  Text is escaped with tex.py's ``escape``; the badges' emoji become
math symbols the fonts have.  Raw HTML of the author (``<center>``, ``<img>``) is left out.
"""
from __future__ import annotations

import re

from .annotate import Annotation
from .annotate_html import _body, tokenize, _TOKEN_RE
from .annotate_markdown import render as render_markdown
from .tex import _UNICODE_MATH, PREAMBLE, SECTIONS, escape

_ENV = re.compile(r"\s*\\begin\{(align|equation|gather|multline|eqnarray|flalign|alignat)(\*?)\}.*"
                  r"\\end\{\1\2\}\s*", re.S)
_EMOJI = {"✅": r"\ensuremath{\checkmark}", "❌": r"\ensuremath{\times}", "⚠": r"\ensuremath{!}",
          "ℹ": r"\ensuremath{i}", "⛔": r"\ensuremath{\oslash}", "➖": r"\ensuremath{-}",
          "⏸": r"\ensuremath{\parallel}", "\ufe0f": ""}
EXTRA = ("\\usepackage{xcolor}\n\\IfFileExists{cancel.sty}{\\usepackage{cancel}}{}\n"  # \\color, \\cancel
         "\\providecommand{\\infin}{\\infty}\\providecommand{\\lt}{<}\\providecommand{\\gt}{>}\n"  # MathJax's names
         "\\providecommand{\\argmax}{\\operatorname*{arg\\,max}}\n\\providecommand{\\argmin}{\\operatorname*{arg\\,min}}\n")
_CJK_RUN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
_SUMMARY = re.compile(r"<details[^>]*><summary>(.*?)</summary>", re.S)


def _text(s: str) -> str:
    return "".join(_EMOJI.get(ch, ch) for ch in escape(s.replace("\u200b", "")))


_INNER = {"align": "aligned", "flalign": "aligned", "eqnarray": "aligned", "multline": "gathered",
          "gather": "gathered", "alignat": "alignedat", "equation": ""}
_NESTED = re.compile(r"\\(begin|end)\{(align|flalign|eqnarray|multline|gather|alignat|equation)\*?\}")


def _inner(m: re.Match) -> str:
    """An amsmath display environment inside \\[ \\] (MathJax allows it, LaTeX does not): its inner form."""
    name = _INNER[m.group(2)]
    return f"\\{m.group(1)}{{{name}}}" if name else ""


def _math(tex: str, display: bool) -> str:
    tex = re.sub(r"\n[ \t]*(?=\n)", "", tex.strip())  # a blank line would end the paragraph inside the math
    tex = re.sub(r"(?<!\\)\\\\\\\\(?!\\)", r"\\\\", tex)  # \\\\ (a Markdown-escaped row break) is \\
    if not tex:
        return ""
    tex = "".join(f"\\ensuremath{{{_UNICODE_MATH[ch]}}}" if ch in _UNICODE_MATH else ch for ch in tex)  # θ: \\theta
    tex = _CJK_RUN.sub(lambda m: "\\text{" + m.group(0) + "}", tex)  # Chinese in math: the text font has it
    if not display:
        return f"${tex}$" if tex else ""
    if _ENV.fullmatch(tex):
        return f"\n{tex}\n"
    return f"\n\\[\n{_NESTED.sub(_inner, tex)}\n\\]\n"


class _Writer:
    def __init__(self, maths):
        self.maths = maths
        self.lists = []

    def text(self, s: str) -> str:
        out, pos = [], 0
        for m in _TOKEN_RE.finditer(s):
            out.append(_text(s[pos:m.start()]))
            out.append(_math(*self.maths[int(m.group(1))]))
            pos = m.end()
        out.append(_text(s[pos:]))
        return "".join(out)

    def inline(self, children) -> str:
        out = []
        for c in children or ():
            kind = c.type
            if kind == "text":
                out.append(self.text(c.content))
            elif kind == "softbreak":
                out.append("\n")
            elif kind == "hardbreak":
                out.append("\\\\\n")
            elif kind in ("strong_open", "em_open"):
                out.append("\\textbf{" if kind == "strong_open" else "\\emph{")
            elif kind in ("strong_close", "em_close"):
                out.append("}")
            elif kind == "code_inline":
                out.append("\\texttt{" + _text(c.content) + "}")
            elif kind == "link_open":
                href = str(c.attrGet("href") or "").replace("\\", "/").replace("%", "\\%").replace("#", "\\#")
                out.append("\\href{" + href.replace("{", "").replace("}", "") + "}{")
            elif kind == "link_close":
                out.append("}")
            elif kind == "image":
                out.append(self.text(c.content))
        return "".join(out)

    def html(self, content: str) -> str:
        if content.lstrip().startswith("<!--"):
            return ""
        m = _SUMMARY.search(content)
        out = ""
        if m:
            out = "\\begin{quote}\\small\n\\textbf{" + self.text(m.group(1)) + "}\n"
        return out + ("\\end{quote}\n" if "</details>" in content else "")

    def blocks(self, tokens) -> str:
        out, cells = [], []
        for tok in tokens:
            kind = tok.type
            if kind == "heading_open":
                out.append("\\" + SECTIONS.get(int(tok.tag[1]), "paragraph*") + "{")
            elif kind == "heading_close":
                out.append("}\n\n")
            elif kind == "inline":
                if self.lists and self.lists[-1] == "table":
                    cells.append(self.inline(tok.children))
                else:
                    out.append(self.inline(tok.children))
            elif kind == "paragraph_close":
                out.append("\n\n")
            elif kind in ("bullet_list_open", "ordered_list_open"):
                env = "itemize" if kind == "bullet_list_open" else "enumerate"
                self.lists.append(env)
                out.append(f"\\begin{{{env}}}\n")
            elif kind in ("bullet_list_close", "ordered_list_close"):
                out.append(f"\\end{{{self.lists.pop()}}}\n")
            elif kind == "list_item_open":
                out.append("\\item ")
            elif kind == "blockquote_open":
                out.append("\\begin{quote}\n")
            elif kind == "blockquote_close":
                out.append("\\end{quote}\n")
            elif kind in ("fence", "code_block"):
                code = _TOKEN_RE.sub(lambda m: self.maths[int(m.group(1))][0], tok.content)
                code = code.replace("\\end{verbatim}", "\\end {verbatim}")
                code = "".join(ch for ch in code if ch not in _EMOJI)  # no font has them in verbatim
                out.append("\\begin{verbatim}\n" + code + "\\end{verbatim}\n")
            elif kind == "html_block":
                out.append(self.html(tok.content))
            elif kind == "hr":
                out.append("\\noindent\\rule{\\linewidth}{0.4pt}\n\n")
            elif kind == "table_open":
                self.lists.append("table")
                cells = []
            elif kind == "tr_open":
                cells = []
            elif kind == "tr_close":
                out.append(" & ".join(cells) + " \\\\\n")
            elif kind == "thead_open":
                out.append("\\begin{tabular}{@{}l" + "l" * 11 + "@{}}\n")
            elif kind == "table_close":
                self.lists.pop()
                out.append("\\end{tabular}\n\n")
        return "".join(out)


def render(raw: str, ann: Annotation, seed: int = 0) -> str:
    from markdown_it import MarkdownIt

    from dataclasses import replace

    text, moved, maths = tokenize(ann)
    at = _body(moved)
    body = render_markdown(text[at:], replace(
        moved, text=text[at:], front_end_line=0,
        displays=[replace(d, line=d.line - moved.front_end_line, end_line=d.end_line - moved.front_end_line)
                  for d in moved.displays]), seed)
    tokens = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).parse(body)
    latex = _Writer(maths).blocks(tokens)
    title = _text(ann.title) if ann.title else ""
    return (PREAMBLE + EXTRA + (f"\\title{{{title}}}\n\\date{{}}\n" if title else "")
            + "\\begin{document}\n" + ("\\maketitle\n\n" if title else "") + latex + "\n\\end{document}\n")
