"""The document model shared by the renderers (markdown.py, latex.py, notebook.py).

A document is a list of blocks.  Text blocks hold plain text with inline math
between single dollars; ``added`` marks what derive wrote (the author's own
text is never changed, only escaped for the target format).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..lang.relations import RELATION_TEX

ADDED_LABEL = "【derive 补充】"
NOTE_LABEL = "注（derive）"


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    added: bool = False


@dataclass(frozen=True)
class Para:
    text: str
    added: bool = False
    label: bool = False  # start of a derive addition: prefix the ADDED_LABEL


@dataclass(frozen=True)
class Math:
    tex: str
    badge: str = ""
    conditions: str = ""


@dataclass(frozen=True)
class Row:
    lhs: str
    rhs: str
    number: int
    justification: str
    badge: str
    relation: str = "="


@dataclass(frozen=True)
class Chain:
    source: str  # the proofs/ file
    rows: tuple = ()
    summary: str = ""  # the one line shown when the steps are folded (Markdown <details>)


@dataclass(frozen=True)
class Note:
    text: str


@dataclass(frozen=True)
class Verbatim:
    lines: tuple = ()
    summary: str = ""  # when given, Markdown folds the lines under this line (<details>)


@dataclass(frozen=True)
class Figure:
    file: str
    caption: str


@dataclass(frozen=True)
class Link:
    label: str  # text before the link, e.g. "推导："
    text: str  # the link text, e.g. "proofs/2.11-grpo.md"
    target: str  # a relative path or URL


@dataclass(frozen=True)
class Code:
    source: str  # notebook only


@dataclass
class Document:
    title: str
    blocks: list = field(default_factory=list)
    lang: str = "en"  # the language of derive's own text in it (writeup/i18n.py); the blog is "zh"

    def add(self, *blocks):
        self.blocks.extend(blocks)
        return self


def caption(b: Math, lang: str = "zh") -> str:
    """The plain text under a display: its verdict badge, then the entry's conditions (every writer uses this).

    ``b.conditions`` is already in the document's language (blog.py translates it)."""
    label = "条件：" if lang == "zh" else "Conditions: "
    return " · ".join(x for x in (b.badge, f"{label}{b.conditions}" if b.conditions else "") if x)


def chains_of(rows) -> list:
    """Split rows into chains: a new chain starts when a step's lhs is not the previous rhs."""
    out, current = [], []
    for row in rows:
        if current and _norm(row.lhs) != _norm(current[-1].rhs):
            out.append(current)
            current = []
        current.append(row)
    if current:
        out.append(current)
    return out


def _norm(tex: str) -> str:
    return "".join(tex.split())


def aligned(rows) -> str:
    """One chain as an aligned environment body: lhs &= rhs_1 && (1) \\ &= rhs_2 && (2) ..."""
    lines = []
    for i, r in enumerate(rows):
        rel = RELATION_TEX.get(r.relation, r.relation)
        if i == 0 and len(r.lhs) > 90:  # a long left side gets its own line
            lines.append(f"&{r.lhs.strip()}")
            head = ""
        else:
            head = r.lhs.strip() + " " if i == 0 else ""
        lines.append(f"{head}&{rel} {r.rhs.strip()} && \\text{{({r.number})}}")
    return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"
