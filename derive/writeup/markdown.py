"""Markdown renderer (GitHub / VS Code): `$$` display math, `$` inline math.

The only raw HTML is ``<details>``/``<summary>`` (GitHub, VS Code and Jupyter fold it): a derivation's
step-by-step checks (``Chain``) and a counterexample (``Verbatim`` with a ``summary``) are folded under one
line, so the author's text and one badge per display are what a reader sees first (issue 15, item 2).
"""
from __future__ import annotations

import re

from .doc import (ADDED_LABEL, NOTE_LABEL, Chain, Code, Figure, Heading, Link, Math, Note, Para, Verbatim, aligned,
                  caption, chains_of)

_SPECIAL = re.compile(r"([\\`*_~\[\]|])")
_LINE_START = re.compile(r"^([#>+-])")


def escape_text(text: str) -> str:
    """Escape Markdown syntax in prose, leaving $...$ math untouched."""
    parts = re.split(r"(\$[^$]+\$)", text)
    out = "".join(p if p.startswith("$") and p.endswith("$") and len(p) > 1 else _SPECIAL.sub(r"\\\1", p)
                  for p in parts)
    return _LINE_START.sub(r"\\\1", out)


def _plain(text: str) -> str:  # a badge or caption: no math, escape everything
    return _SPECIAL.sub(r"\\\1", text)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def details(summary: str, body: str) -> str:
    """A folded block: the summary line, then the Markdown body (blank lines around it so it renders)."""
    return f"<details>\n<summary>{_html(summary)}</summary>\n\n{body}\n\n</details>"


def display(tex: str) -> str:
    body = "\n".join(line for line in tex.strip().splitlines() if line.strip())
    return f"$$\n{body}\n$$"


def block_md(b, lang: str = "zh") -> str | None:
    if isinstance(b, Heading):
        return "#" * b.level + " " + (b.text if b.added else escape_text(b.text))
    if isinstance(b, Para):
        body = escape_text(b.text)  # derive's text too: an identifier's "_" must not start italics
        if b.label:
            return f"**{ADDED_LABEL}**" + (" " + body if body else "")
        return body
    if isinstance(b, Note):
        return f"> **{NOTE_LABEL}**：{escape_text(b.text)}"
    if isinstance(b, Math):
        out = display(b.tex)
        badge = _plain(caption(b, lang))
        return out + (f"\n\n*{badge}*" if badge else "")
    if isinstance(b, Chain):
        parts = []
        for rows in chains_of(b.rows):
            parts.append(display(aligned(rows)))
            parts.append("\n".join(f"- ({r.number}) {_plain(r.justification) or '—'} — {_plain(r.badge)}"
                                   for r in rows))
        body = "\n\n".join(parts)
        return details(b.summary, body) if b.summary else body
    if isinstance(b, Verbatim):
        body = "```text\n" + "\n".join(b.lines) + "\n```"
        return details(b.summary, body) if b.summary else body
    if isinstance(b, Figure):
        return f"![{_plain(b.caption)}]({b.file})\n\n*{'图：' if lang == 'zh' else 'Figure: '}{_plain(b.caption)}*"
    if isinstance(b, Link):
        return f"{b.label}[{_plain(b.text)}]({b.target})"
    if isinstance(b, Code):
        return None
    raise TypeError(type(b))


def render(doc) -> str:
    lang = getattr(doc, "lang", "zh")
    chunks = [c for c in (block_md(b, lang) for b in doc.blocks) if c is not None and c != ""]
    return "\n\n".join(chunks) + "\n"
