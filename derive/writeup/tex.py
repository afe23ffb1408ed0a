"""LaTeX renderer: a xelatex + xeCJK document (amsmath, amssymb, graphicx)."""
from __future__ import annotations

import re

from .doc import (ADDED_LABEL, NOTE_LABEL, Chain, Code, Figure, Heading, Link, Math, Note, Para, Verbatim, aligned,
                  caption, chains_of)

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage{amsmath,amssymb}
\usepackage{graphicx}
\usepackage{xeCJK}
\usepackage[margin=2.2cm]{geometry}
\usepackage[hidelinks]{hyperref}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.6em}
\allowdisplaybreaks
"""

_TEXT_ESCAPES = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
                 "%": r"\%", "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}
# Characters the text fonts may lack: typeset them as math.
_UNICODE_MATH = {"π": r"\pi", "θ": r"\theta", "ψ": r"\psi", "ρ": r"\rho", "τ": r"\tau", "γ": r"\gamma",
                 "μ": r"\mu", "λ": r"\lambda", "ε": r"\epsilon", "δ": r"\delta", "β": r"\beta", "✓": r"\checkmark",
                 "✗": r"\times", "⚠": r"!", "·": r"\cdot", "…": r"\dots", "≥": r"\geq", "≤": r"\leq",
                 "∗": r"*", "→": r"\to"}
SECTIONS = {1: "section*", 2: "subsection*", 3: "subsubsection*", 4: "paragraph*"}


def escape(text: str) -> str:
    out = []
    for ch in text:
        if ch in _TEXT_ESCAPES:
            out.append(_TEXT_ESCAPES[ch])
        elif ch in _UNICODE_MATH:
            out.append(f"\\ensuremath{{{_UNICODE_MATH[ch]}}}")
        else:
            out.append(ch)
    return "".join(out)


def prose(text: str) -> str:
    """Text with $...$ inline math: escape the text, keep the math."""
    parts = re.split(r"(\$[^$]+\$)", text)
    return "".join(p if p.startswith("$") and p.endswith("$") and len(p) > 1 else escape(p) for p in parts)


def _url_safe(text: str) -> str:
    """Author's text: URLs become \\url{...}, the rest is escaped."""
    parts = re.split(r"(https?://\S+)", text)
    return "".join(f"\\url{{{p}}}" if p.startswith("http") else prose(p) for p in parts)


def _badge(text: str) -> str:
    return "{\\footnotesize " + escape(text) + "}"


def block_tex(b) -> str | None:
    if isinstance(b, Heading):
        return f"\\{SECTIONS.get(b.level, 'paragraph*')}{{{prose(b.text)}}}"
    if isinstance(b, Para):
        body = prose(b.text) if b.added else _url_safe(b.text)
        if b.label:
            return f"\\textbf{{{ADDED_LABEL}}}" + (" " + body if body else "")
        return body
    if isinstance(b, Note):
        return f"\\begin{{quote}}\\textbf{{{NOTE_LABEL}}}：{prose(b.text)}\\end{{quote}}"
    if isinstance(b, Math):
        badge = caption(b)
        return f"\\[\n{b.tex.strip()}\n\\]\n" + (_badge(badge) if badge else "")
    if isinstance(b, Chain):
        parts = []
        for rows in chains_of(b.rows):
            parts.append("\\[\n" + aligned(rows) + "\n\\]")
            items = "\n".join(f"\\item[({r.number})] {escape(r.justification) or '---'} --- {_badge(r.badge)}"
                              for r in rows)
            parts.append("\\begin{description}\n" + items + "\n\\end{description}")
        return "\n".join(parts)
    if isinstance(b, Verbatim):
        return "\\begin{verbatim}\n" + "\n".join(b.lines) + "\n\\end{verbatim}"
    if isinstance(b, Figure):
        return ("\\begin{figure}[htbp]\n\\centering\n"
                f"\\includegraphics[width=0.9\\linewidth]{{{b.file}}}\n\\caption*{{{escape(b.caption)}}}\n\\end{{figure}}")
    if isinstance(b, Link):
        target = b.target.replace("\\", "/").replace("%", "\\%").replace("#", "\\#")
        return f"{escape(b.label)}\\href{{{target}}}{{\\texttt{{{escape(b.text)}}}}}"
    if isinstance(b, Code):
        return None
    raise TypeError(type(b))


def render(doc) -> str:
    body = "\n\n".join(c for c in (block_tex(b) for b in doc.blocks) if c)
    return (PREAMBLE + "\\usepackage{caption}\n\\title{" + escape(doc.title) + "}\n\\date{}\n"
            "\\begin{document}\n\\maketitle\n\n" + body + "\n\n\\end{document}\n")
