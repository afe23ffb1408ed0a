"""LaTeX renderer: a xelatex + xeCJK document (amsmath, amssymb, graphicx) that fits the page.

What makes it typeset cleanly (issue 15 item 4; tests/test_blog_pdf.py compiles it and counts):

* long displays are cut into ``aligned`` rows (tex_breaks.py), and every display goes through
  ``\\derivefit``, which shrinks, measured by TeX itself, a row still wider than the line: no
  display runs off the page;
* a step chain's long right side is cut the same way, its number on the last row;
* characters the Latin Modern text fonts lack (≡, ∈, ≠, ...) are typeset as math (``_UNICODE_MATH``);
* long words in text (identifiers, URLs) may break: ``\\emergencystretch`` and ``\\sloppy``;
* the title is printed once: a first heading equal to the title is left to ``\\maketitle``.
"""
from __future__ import annotations

import re

from .doc import (ADDED_LABEL, NOTE_LABEL, Chain, Code, Figure, Heading, Link, Math, Note, Para, Verbatim,
                  caption, chains_of)
from ..lang.relations import RELATION_TEX
from .tex_breaks import LINE, continued, estimate, fit, rows_of

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage{amsmath,amssymb}
\usepackage{graphicx}
\usepackage{xeCJK}
\usepackage[margin=2.2cm]{geometry}
\usepackage[hidelinks]{hyperref}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.6em}
\allowdisplaybreaks
\setlength{\emergencystretch}{3em}
\sloppy
% a box wider than the line is shrunk to the line (measured by TeX): the last resort after tex_breaks.py
\newcommand{\derivefit}[1]{\sbox0{$\displaystyle #1$}\ifdim\wd0>\linewidth
  \typeout{derivefit: \the\inputlineno: \the\wd0\space>\space\the\linewidth}%
  \resizebox{\linewidth}{!}{\usebox0}\else\usebox0\fi}
"""

_TEXT_ESCAPES = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
                 "%": r"\%", "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}
# Characters the text fonts may lack: typeset them as math.
_UNICODE_MATH = {"π": r"\pi", "θ": r"\theta", "ψ": r"\psi", "ρ": r"\rho", "τ": r"\tau", "γ": r"\gamma",
                 "μ": r"\mu", "λ": r"\lambda", "ε": r"\epsilon", "δ": r"\delta", "β": r"\beta", "✓": r"\checkmark",
                 "✗": r"\times", "⚠": r"!", "·": r"\cdot", "…": r"\dots", "≥": r"\geq", "≤": r"\leq",
                 "∗": r"*", "→": r"\to", "≡": r"\equiv", "∈": r"\in", "∉": r"\notin", "≠": r"\neq",
                 "≈": r"\approx", "∞": r"\infty", "∑": r"\sum", "∏": r"\prod", "∂": r"\partial", "∇": r"\nabla",
                 "×": r"\times", "−": r"-", "±": r"\pm", "∀": r"\forall", "∃": r"\exists", "⊆": r"\subseteq",
                 "⊂": r"\subset", "∪": r"\cup", "∩": r"\cap", "⇒": r"\Rightarrow", "⇔": r"\Leftrightarrow",
                 "←": r"\leftarrow", "↦": r"\mapsto", "∝": r"\propto", "√": r"\surd", "∘": r"\circ",
                 "σ": r"\sigma", "α": r"\alpha", "η": r"\eta", "φ": r"\phi", "ϕ": r"\phi", "ω": r"\omega",
                 "Σ": r"\Sigma", "Δ": r"\Delta", "Π": r"\Pi", "Ω": r"\Omega", "ξ": r"\xi", "κ": r"\kappa",
                 "ζ": r"\zeta", "ν": r"\nu", "χ": r"\chi", "Φ": r"\Phi", "Ψ": r"\Psi", "Γ": r"\Gamma",
                 "Λ": r"\Lambda", "Θ": r"\Theta", "ℝ": r"\mathbb{R}", "𝔼": r"\mathbb{E}", "⟨": r"\langle",
                 "⟩": r"\rangle", "≪": r"\ll", "≫": r"\gg", "‖": r"\|", "✔": r"\checkmark", "∼": r"\sim",
                 "⋯": r"\cdots", "≔": r"\coloneqq", "ε": r"\epsilon"}
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


def display(tex: str) -> str:
    """One display: cut to fit (tex_breaks.fit), and shrunk by TeX if a row is still too wide."""
    return "\\[\n\\derivefit{" + fit(tex) + "}\n\\]"


def chain_display(rows) -> str:
    """A step chain ``lhs = rhs_1 = rhs_2 ...`` as aligned rows numbered (1), (2), ...; a long right side is
    cut into rows, its number on the last; a long left side gets its own rows."""
    lines, lhs = [], rows[0].lhs.strip() if rows else ""
    left = estimate(lhs)  # the width of the left column: every right side starts after it
    if left > LINE * 0.4:
        parts = rows_of(lhs, LINE - 20)
        lines.extend([f"&{parts[0]}"] + [continued(p) for p in parts[1:]])
        lhs, left = "", 0.0
    for i, r in enumerate(rows):
        rel = RELATION_TEX.get(r.relation, r.relation)
        parts = rows_of(r.rhs.strip(), LINE - 70 - left)
        for k, part in enumerate(parts):
            number = f" && \\text{{({r.number})}}" if k == len(parts) - 1 else ""
            head = f"{lhs} " if i == 0 and k == 0 and lhs else ""
            lines.append((f"{head}&{rel} {part}" if k == 0 else continued(part)) + number)
    return "\\[\n\\derivefit{\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}}\n\\]"


def block_tex(b, lang: str = "zh") -> str | None:
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
        badge = caption(b, lang)
        return display(b.tex) + "\n" + (_badge(badge) if badge else "")
    if isinstance(b, Chain):
        parts = []
        for rows in chains_of(b.rows):
            parts.append(chain_display(rows))
            items = "\n".join(f"\\item[({r.number})] {escape(r.justification) or '---'} --- {_badge(r.badge)}"
                              for r in rows)
            parts.append("\\begin{description}\n" + items + "\n\\end{description}")
        head = [f"\\textit{{{escape(b.summary)}}}"] if b.summary else []  # Markdown folds under it (<details>)
        return "\n".join(head + parts)
    if isinstance(b, Verbatim):
        head = f"\\textit{{{escape(b.summary)}}}\n" if b.summary else ""
        return head + "\\begin{verbatim}\n" + "\n".join(b.lines) + "\n\\end{verbatim}"
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
    lang = getattr(doc, "lang", "zh")
    blocks = list(doc.blocks)
    if blocks and isinstance(blocks[0], Heading) and blocks[0].text.strip() == doc.title.strip():
        blocks = blocks[1:]  # the title is printed once, by \maketitle
    body = "\n\n".join(c for c in (block_tex(b, lang) for b in blocks) if c)
    return (PREAMBLE + "\\usepackage{caption}\n\\title{" + escape(doc.title) + "}\n\\date{}\n"
            "\\begin{document}\n\\maketitle\n\n" + body + "\n\n\\end{document}\n")
