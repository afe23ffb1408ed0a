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
* ``("text", zh)``, ``("note", zh)``, ``("figure", file, caption)``, ``("code", src)``;
* ``("psi-text",)``: what the psi_t variance figure shows, written from its own numbers (psi_study.py).
"""
from __future__ import annotations

import re

from ..catalog import catalog
from .badges import Verifier, badge_entry, badge_stated, counterexample_lines, step_rows
from .doc import NOTE_LABEL, Chain, Code, Document, Figure, Heading, Link, Math, Note, Para, Verbatim
from .blog_added import PPO_SECTIONS
from .blog_content import INSERTS
from .blog_display import statement_tex
from .i18n import tr
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


class Shown:
    """What the document has shown so far (an entry is displayed once; later it is referred back to)."""

    def __init__(self, lang: str = "zh"):
        self.lang = lang
        self.where: dict = {}  # entry id -> the heading under which it was first shown
        self.heading = ""

    def first(self, entry_id: str) -> bool:
        if entry_id in self.where:
            return False
        self.where[entry_id] = self.heading
        return True

    def back_reference(self, entry_id: str) -> Para:
        section = self.where[entry_id].split()[0] if self.where[entry_id] else ""
        if self.lang == "zh":
            where = f"前面 {section} 节" if section else "前面"
            return Para(f"（此处的式子即{where}已给出并检查过的 [{entry_id}]，不再重复。）", added=True)
        where = f"section {section}" if section else "above"
        return Para(f"(This is [{entry_id}], shown and checked in {where}; not repeated.)", added=True)


def _entry_block(kind_id, verifier, lang: str = "zh"):
    entry = catalog().get(kind_id)
    return Math(statement_tex(entry), badge_entry(verifier.entry(kind_id), lang), tr(entry.conditions, lang))


def _policies_of(entry) -> tuple:
    """The policies a statement uses besides pi_theta, for its counterexample ('old', 'prime')."""
    tex = entry.latex
    return ("theta",) + (("old",) if "old" in tex else ()) + (("prime",) if "\\pi'" in tex else ())


def mistake_blocks(mistake_id, verifier, lang: str = "zh") -> list:
    cat = catalog()
    if mistake_id not in cat.entries:
        return []
    m = cat.get(mistake_id)
    rec = verifier.entry(mistake_id)
    name, _, why = (x.strip() for x in m.mistake.partition(":"))
    title = tr(m.title, lang)
    if len(name.split()) > 6:  # not a name but the start of the explanation: the title names the mistake
        why, name = (f"{tr(name, lang)}{'；' if lang == 'zh' else '; '}{tr(why, lang)}" if why else tr(name, lang)), ""
    else:
        name, why = tr(name, lang), tr(why, lang)
    if lang == "zh":
        head = "常见错误" + (f"「{name}」" if name else "") + f"（{title}）：把下式当成恒等式是错的。"
    else:
        head = "Common mistake" + (f' "{name}"' if name else "") + f" ({title}): the statement below is not an identity."
    if why:
        head += ("" if lang == "zh" else " ") + tr("Why it is wrong: {text}.", lang).format(text=why.rstrip("."))
    blocks = [Para(head, added=True), Math(statement_tex(m), badge_entry(rec, lang))]
    ce = rec.get("counterexample")
    lines = counterexample_lines(ce, _policies_of(m), m.latex, lang)
    if lines:
        if ce.get("exact", True):
            summary = tr("The exact counterexample derive found (rational arithmetic, not a rounding error)", lang)
        else:
            summary = tr("The counterexample derive found (the statement has a logarithm or square root: float64; "
                         "the two sides differ by far more than the relative tolerance 1e-9, not a rounding error)",
                         lang)
        blocks.append(Verbatim(tuple(lines), summary))
    return blocks


DEFINITION = "definition (nothing to verify)"


def _proof_blocks(name, verifier, proof_base: str, lang: str = "zh", folded: bool = True) -> list:
    """A link to a proofs/ file (when it exists at generation time) and its judged steps (folded unless
    ``folded`` is False: a derivation that is the point of its section is shown open)."""
    path = PROOFS / name
    if not path.exists():
        return []
    blocks = [Link(tr("Derivation: ", lang), f"proofs/{name}", f"{proof_base.rstrip('/')}/{name}")]
    try:
        blocks.extend(chain_blocks(name, verifier, lang, folded))
    except Exception as exc:  # a file being edited may not parse: the link is still right
        blocks.append(Para(tr("(This file could not be read when the document was generated; its steps were not "
                              "checked: {error})", lang).format(error=type(exc).__name__), added=True))
    return blocks


def setting_keys(front: dict) -> str:
    """The keys of a proof file's setting as its front matter writes them (derive/setting.py): identifiers."""
    return ", ".join(f"{k}: {v}" for k, v in front.items()
                     if k in ("setting", "gamma", "family", "start", "reward") or (k == "delta" and v != "true"))


def chain_summary(name: str, title: str, records, family: str, lang: str = "zh", front: str = "") -> str:
    """The one line over a folded derivation: file, title, the file's setting and how many steps hold."""
    n = len(records)
    held = sum(1 for r in records if r["verdict"] == "holds")
    failed = sum(1 for r in records if r["verdict"] == "fails")
    if held == n:
        return tr(f"Step by step: proofs/{{name}} ({{title}}; {{front}}): {{n}} steps, each checked exactly on {family} MDPs ✓",
                  lang).format(name=name, title=title, front=front, n=n)
    return tr("Step by step: proofs/{name} ({title}; {front}): {n} steps, {held} hold, {failed} fail, {unknown} not judged",
              lang).format(name=name, title=title, front=front, n=n, held=held, failed=failed, unknown=n - held - failed)


def chain_blocks(name, verifier, lang: str = "zh", folded: bool = True) -> list:
    path = PROOFS / name
    if not path.exists():
        return []
    d, recs = verifier.steps(str(path))
    family = d.front.get("family", "random")
    rows = step_rows(d, recs, lang)
    title = tr(d.front.get("title", name), lang)
    summary = chain_summary(name, title, recs, family, lang, setting_keys(d.front))
    if not folded:
        return [Para(summary.rstrip(" ✓") + ("：" if lang == "zh" else ":"), added=True), Chain(f"proofs/{name}", rows)]
    return [Chain(f"proofs/{name}", rows, summary)]


def render_items(items, verifier, proof_base: str = "../../proofs", shown: Shown | None = None,
                 lang: str = "zh") -> list:
    shown = shown or Shown(lang)
    out = []
    for item in items:
        kind = item[0]
        if kind == "text":
            out.append(Para(item[1], added=True))
        elif kind == "note":
            out.append(Note(item[1]))
        elif kind in ("eq", "mistake"):
            if item[1] not in catalog().entries:
                continue
            if not shown.first(item[1]):
                out.append(shown.back_reference(item[1]))
            elif kind == "eq":
                out.append(_entry_block(item[1], verifier, lang))
            else:
                out.extend(mistake_blocks(item[1], verifier, lang))
        elif kind == "stated":
            _, tex, related = item
            badge = badge_stated(lang=lang)
            if related and related in catalog().entries:
                badge += tr(" · related check: ", lang) + badge_entry(verifier.entry(related), lang)
            elif related:
                badge = badge_stated(tr("no catalog entry {id} yet", lang).format(id=related), lang)
            out.append(Math(tex, badge))
        elif kind == "def":
            _, tex, related = item
            ids = [r for r in related if r in catalog().entries]
            badge = "≡ " + tr(DEFINITION, lang)
            if ids:
                badge += tr("; what it implies is checked in this document: ", lang) + ", ".join(f"[{r}]" for r in ids)
            out.append(Math(tex, badge))
        elif kind == "proof":
            out.extend(_proof_blocks(item[1], verifier, proof_base, lang, folded=len(item) < 3 or item[2] != "open"))
        elif kind == "chain":
            if shown.first("file:" + item[1]):
                out.extend(chain_blocks(item[1], verifier, lang))
        elif kind == "figure":
            out.append(Figure(item[1], item[2]))
        elif kind == "psi-text":  # what the psi_t figure shows, from the same numbers (same seed and N)
            from .psi_study import psi_study, psi_text

            out.append(Note(psi_text(psi_study(verifier.seed, verifier.samples), lang)))
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
    lang = "zh"  # the blog is Chinese: derive's own text in it is Chinese too (i18n.py)
    parsed = parse_blog(text)
    doc = Document(parsed[0][1], lang=lang)
    shown = Shown(lang)
    used = set()
    for kind, line in parsed:
        if kind == "p":
            doc.add(Para(line))
        else:
            doc.add(Heading(HEADING[kind], line))
            shown.heading = line
        if kind == "title":
            doc.add(Para(f"{'【derive 补充】'}本文是原博客的原文（顺序、文字都没有改动），加上 derive 补全的公式。"
                         "每个补上的公式都来自 derive 的目录或 proofs/ 里的推导，并在生成时重新检查："
                         "✓ 表示在 22 个随机 MDP（2.13 节是 token MDP）上精确成立（有理数运算；含对数、平方根的式子用 float64，"
                         "相对容差 1e-9）并通过 Monte Carlo 检验（不等式和不含期望的式子只做精确检查），"
                         "✗ 已被反例否定 表示这是一个常见错误、derive 给出了反例，≡ 表示定义，⚠ 表示只是陈述、尚未验证。"
                         "每个式子下面只有一行徽章；逐步推导（每一步的理由和检查结果）和反例折叠在以“逐步推导”"
                         "“derive 找到的”开头的小标题下，点击展开。同一个式子只显示一次，后文用到时注明它在哪一节。"
                         f"「{NOTE_LABEL}」是 derive 对原文不准确之处的注释。原文止于 TRPO，2.9–2.13 节为 derive 补写："
                         "2.9 是 PPO，2.10–2.13 是 PPO 之后大模型强化学习里常用的 KL 估计、GRPO、GPG 和 token 级 MDP，"
                         "每节末尾链接到 proofs/ 里的推导。",
                         added=True))
        if line in INSERTS and line not in used:
            used.add(line)
            doc.add(*_mark(render_items(INSERTS[line], verifier, proof_base, shown, lang)))
    for kind, title, items in PPO_SECTIONS:
        doc.add(Heading(HEADING[kind], title, added=True))
        shown.heading = title
        doc.add(*_mark(render_items(items, verifier, proof_base, shown, lang)))
    if not figures:
        doc.blocks = [b for b in doc.blocks if not isinstance(b, Figure)]
    return doc


def missing_anchors(text: str = BLOG_TEXT) -> list:
    lines = {line for _, line in parse_blog(text)}
    return [a for a in INSERTS if a not in lines]
