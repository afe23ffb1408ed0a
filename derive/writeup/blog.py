"""The blog written back: its own text and order, plus every missing equation, checked.

``parse_blog(text)`` turns the original text into headings and paragraphs
(一、/二、 -> level 1, 2.1 -> level 2, 2.1.1 -> level 3, the "(1)/(2)" parts of
2.8.3 -> level 4).  ``INSERTS`` says what derive adds after which line of the
author's text (an anchor is a whole line, matched exactly); ``build_blog``
assembles the document, asking a ``Verifier`` for every badge.

What can be inserted (``INSERTS`` items):

* ``("eq", id)``: a catalog statement, shown as its catalog LaTeX (``statement_tex``:
  the statement checked, never a separate copy);
* ``("chain", path)``: the step chains of a proofs/ file, each step judged;
* ``("mistake", id)``: a catalog mistake with its exact counterexample;
* ``("stated", tex, id_or_None)``: a statement with no catalog entry of its own
  (badge "stated, not yet verified"), with a related entry's badge if given;
* ``("text", zh)``, ``("note", zh)``, ``("figure", file, caption)``, ``("code", src)``.
"""
from __future__ import annotations

import re

from ..catalog import catalog
from .badges import Verifier, badge_entry, badge_stated, counterexample_lines, step_rows
from .doc import NOTE_LABEL, Chain, Code, Document, Figure, Heading, Link, Math, Note, Para, Verbatim
from .blog_added import PPO_SECTIONS
from .blog_content import INSERTS
from .blog_display import statement_tex
from .proof_links import PROOFS
from .source import BLOG_TEXT


_LEVEL1 = re.compile(r"^[一二三四五六七八九十]+、")
_LEVEL3 = re.compile(r"^\d+\.\d+\.\d+\s*\S")
_LEVEL2 = re.compile(r"^\d+\.\d+\s*[^\d.\s]")
LEVEL4 = ("(1)方差与偏差", "(2)GAE")


def parse_blog(text: str = BLOG_TEXT) -> list:
    """[(kind, text)] with kind 'title', 'h1', 'h2', 'h3', 'h4', 'p'; empty lines are dropped."""
    out = []
    for i, line in enumerate(text.splitlines()):
        line = line.strip()
        if not line:
            continue
        if i == 0:
            out.append(("title", line))
        elif _LEVEL1.match(line):
            out.append(("h1", line))
        elif _LEVEL3.match(line):
            out.append(("h3", line))
        elif _LEVEL2.match(line):
            out.append(("h2", line))
        elif line in LEVEL4:
            out.append(("h4", line))
        else:
            out.append(("p", line))
    return out


def _entry_block(kind_id, verifier):
    entry = catalog().get(kind_id)
    return Math(statement_tex(entry), badge_entry(verifier.entry(kind_id)), entry.conditions)


def _policies_of(entry) -> tuple:
    """The policies a statement uses besides pi_theta, for its counterexample ('old', 'prime')."""
    tex = entry.latex
    return ("theta",) + (("old",) if "old" in tex else ()) + (("prime",) if "\\pi'" in tex else ())


def mistake_blocks(mistake_id, verifier) -> list:
    cat = catalog()
    if mistake_id not in cat.entries:
        return []
    m = cat.get(mistake_id)
    rec = verifier.entry(mistake_id)
    name = m.mistake.split(":")[0]
    blocks = [Para(f"常见错误「{name}」（{m.title}）：把下式当成恒等式是错的。", added=True),
              Math(statement_tex(m), badge_entry(rec))]
    ce = rec.get("counterexample")
    lines = counterexample_lines(ce, _policies_of(m), m.latex)
    if lines:
        if ce.get("exact", True):
            blocks.append(Para("derive 找到的精确反例（有理数运算，不是浮点误差）：", added=True))
        else:
            blocks.append(Para("derive 找到的反例（式中有对数或平方根，按 float64 计算；两边之差远超相对容差 1e-9，不是舍入误差）：",
                               added=True))
        blocks.append(Verbatim(tuple(lines)))
    return blocks


DEFINITION = "definition (nothing to verify)"


def _proof_blocks(name, verifier, proof_base: str) -> list:
    """A link to a proofs/ file (when it exists at generation time) and its judged steps."""
    path = PROOFS / name
    if not path.exists():
        return []
    blocks = [Link("推导：", f"proofs/{name}", f"{proof_base.rstrip('/')}/{name}")]
    try:
        blocks.extend(chain_blocks(name, verifier))
    except Exception as exc:  # a file being edited may not parse: the link is still right
        blocks.append(Para(f"（这个文件在生成时无法读取，未逐步检查：{type(exc).__name__}）", added=True))
    return blocks


def chain_blocks(name, verifier) -> list:
    path = PROOFS / name
    if not path.exists():
        return []
    d, recs = verifier.steps(str(path))
    rows = step_rows(d, recs)
    title = d.front.get("title", name)
    front = ", ".join(f"{k}: {v}" for k, v in d.front.items()  # the keys of the file's setting (derive/setting.py)
                      if k in ("setting", "gamma", "family", "start", "reward") or (k == "delta" and v != "true"))
    return [Para(f"逐步推导（proofs/{name}，{title}；{front}）。每一步都在生成时精确检查（徽章给出检查了多少个 MDP）：", added=True),
            Chain(f"proofs/{name}", rows)]


def render_items(items, verifier, proof_base: str = "../../proofs") -> list:
    out = []
    for item in items:
        kind = item[0]
        if kind == "text":
            out.append(Para(item[1], added=True))
        elif kind == "note":
            out.append(Note(item[1]))
        elif kind == "eq":
            if item[1] in catalog().entries:
                out.append(_entry_block(item[1], verifier))
        elif kind == "stated":
            _, tex, related = item
            badge = badge_stated()
            if related and related in catalog().entries:
                badge += " · related check: " + badge_entry(verifier.entry(related))
            elif related:
                badge = badge_stated(f"no catalog entry {related} yet")
            out.append(Math(tex, badge))
        elif kind == "def":
            _, tex, related = item
            ids = [r for r in related if r in catalog().entries]
            badge = "≡ " + DEFINITION
            if ids:
                badge += "; what it implies is checked below: " + ", ".join(f"[{r}]" for r in ids)
            out.append(Math(tex, badge))
        elif kind == "proof":
            out.extend(_proof_blocks(item[1], verifier, proof_base))
        elif kind == "mistake":
            out.extend(mistake_blocks(item[1], verifier))
        elif kind == "chain":
            out.extend(chain_blocks(item[1], verifier))
        elif kind == "figure":
            out.append(Figure(item[1], item[2]))
        elif kind == "code":
            out.append(Code(item[1]))
    return out


def _mark(blocks) -> list:
    """Label the first derive paragraph of an insertion (or add a label line)."""
    if not blocks:
        return blocks
    if isinstance(blocks[0], Para) and blocks[0].added:
        return [Para(blocks[0].text, added=True, label=True)] + blocks[1:]
    if isinstance(blocks[0], Note):
        return blocks
    return [Para("", added=True, label=True)] + blocks


HEADING = {"title": 1, "h1": 1, "h2": 2, "h3": 3, "h4": 4}


def build_blog(verifier: Verifier | None = None, text: str = BLOG_TEXT, figures: bool = True,
               proof_base: str = "../../proofs") -> Document:
    """``proof_base``: how links to proofs/ files are written (relative to where the document is read;
    the default suits examples/blog/ in this repository)."""
    verifier = verifier or Verifier()
    parsed = parse_blog(text)
    doc = Document(parsed[0][1])
    used = set()
    for kind, line in parsed:
        if kind == "p":
            doc.add(Para(line))
        else:
            doc.add(Heading(HEADING[kind], line))
        if kind == "title":
            doc.add(Para(f"{'【derive 补充】'}本文是原博客的原文（顺序、文字都没有改动），加上 derive 补全的公式。"
                         "每个补上的公式都来自 derive 的目录或 proofs/ 里的推导，并在生成时重新检查："
                         "✓ 表示在 22 个随机 MDP（2.13 节是 token MDP）上精确成立（有理数运算；含对数、平方根的式子用 float64，"
                         "相对容差 1e-9）并通过 Monte Carlo 检验（不等式和不含期望的式子只做精确检查），"
                         "✗ refuted 表示这是一个常见错误、derive 给出了精确反例，≡ 表示定义，⚠ 表示只是陈述、尚未验证。"
                         f"「{NOTE_LABEL}」是 derive 对原文不准确之处的注释。原文止于 TRPO，2.9–2.13 节为 derive 补写："
                         "2.9 是 PPO，2.10–2.13 是 PPO 之后大模型强化学习里常用的 KL 估计、GRPO、GPG 和 token 级 MDP，"
                         "每节末尾链接到 proofs/ 里的推导。",
                         added=True))
        if line in INSERTS and line not in used:
            used.add(line)
            doc.add(*_mark(render_items(INSERTS[line], verifier, proof_base)))
    for kind, title, items in PPO_SECTIONS:
        doc.add(Heading(HEADING[kind], title, added=True))
        doc.add(*_mark(render_items(items, verifier, proof_base)))
    if not figures:
        doc.blocks = [b for b in doc.blocks if not isinstance(b, Figure)]
    return doc


def missing_anchors(text: str = BLOG_TEXT) -> list:
    lines = {line for _, line in parse_blog(text)}
    return [a for a in INSERTS if a not in lines]
