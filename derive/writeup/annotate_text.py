"""What ``derive annotate`` writes, in English and Chinese: badges, fold-out lines, the summary.

One table per language (``TEXT``), the same keys in each (tests/test_annotate.py checks it), so
the inserted text of a document is in one language.  Messages of the reader and the checker that
are quoted (a parse error, a counterexample) stay as derive produced them, marked as quotes.
Everything returned is plain Markdown-safe text: the caller escapes nothing further except the
author-derived parts, which go through ``html_escape`` or a code span (``code``).
"""
from __future__ import annotations

import re

TEXT = {
    "en": {
        "holds_all": "✅ derive: {n} step{s} hold{s_verb}",
        "fails": "❌ derive: step {steps} fails",
        "fails_many": "❌ derive: steps {steps} fail",
        "mixed": "⚠️ derive: {parts}",
        "part": {"holds": "{n} hold{s_verb}", "fails": "{n} fail{s_verb}", "unknown": "{n} unknown",
                 "approximation": "{n} approximation{s}", "elided": "{n} elided",
                 "definition": "{n} definition{s}"},
        "unchecked": "⏸️ derive: {n} step{s} read, not checked (--no-checks)",
        "definition": "ℹ️ derive: a definition (not a step to check)",
        "definition_error": "⛔ derive: definition not read: {reason}",
        "not_read": "⛔ derive: not read: {reason}",
        "post_not_read": "⛔ derive: not read: the post could not be read ({reason})",
        "nothing": "➖ derive: nothing to check (no =, ≤ or ≥ at the top level)",
        "step": "**Step {n}** (line {line}): {verdict}",
        "verdict": {"holds": "holds", "fails": "FAILS", "unknown": "unknown", "approximation": "an approximation",
                    "elided": "steps left out (elided)", "definition": "a definition (not judged)"},
        "because": "because (the author): {text}",
        "read_as": "read as:",
        "why": "why: {text}",
        "checked": "checked: {text}",
        "counterexample": "counterexample: {text}",
        "mistake": "the mistake: {text}",
        "hint": "hint: {text}",
        "def_read": "definition (line {line}) read as:",
        "def_error": "definition (line {line}) not read: {text}",
        "summary": "derive annotate: {displays} display{ds}, {steps} step{ss}: {holds} hold, {fails} fail, "
                   "{unknown} unknown ({steps_unread} not read){other}; {unread} display{us} not read",
        "unread_step": "step {n} (line {line}) not read: {reason}",
        "summary_other": ", {n} approximations or elided",
        "lang_detected": "derive's notes are in English, the language detected from the post's prose "
                         "(choose with --lang en|zh).",
        "lang_chosen": "derive's notes are in English (--lang en).",
        "conventions": "conventions derive inferred from the post: {text}",
        "unread_item": "display {n} (line {line}) not read: {reason}",
        "post_error": "the post could not be read: {reason}; every display is marked not read.",
        "how": "Each display is followed by derive's badge; open it for the step verdicts, counterexamples and "
               "hints. The author's text is unchanged; derive's notes sit between `derive:annotate` comments.",
        "seed": "checked exactly on random small MDPs (seed {seed}) as `derive check` does.",
        "language_name": "English",
    },
    "zh": {
        "holds_all": "✅ derive：{n} 步成立",
        "fails": "❌ derive：第 {steps} 步不成立",
        "fails_many": "❌ derive：第 {steps} 步不成立",
        "mixed": "⚠️ derive：{parts}",
        "part": {"holds": "{n} 步成立", "fails": "{n} 步不成立", "unknown": "{n} 步未判定",
                 "approximation": "{n} 步为近似", "elided": "{n} 步有省略",
                 "definition": "{n} 步为定义"},
        "unchecked": "⏸️ derive：读懂 {n} 步，未检查（--no-checks）",
        "definition": "ℹ️ derive：定义（不是需要检查的推导步骤）",
        "definition_error": "⛔ derive：定义未读懂：{reason}",
        "not_read": "⛔ derive：未读懂：{reason}",
        "post_not_read": "⛔ derive：未读懂：整篇文章无法读取（{reason}）",
        "nothing": "➖ derive：没有可检查的内容（顶层没有 =、≤ 或 ≥）",
        "step": "**第 {n} 步**（第 {line} 行）：{verdict}",
        "verdict": {"holds": "成立", "fails": "不成立", "unknown": "未判定", "approximation": "近似（不是恒等式）",
                    "elided": "省略了中间步骤", "definition": "定义（不判定）"},
        "because": "作者给出的理由：{text}",
        "read_as": "读作：",
        "why": "原因：{text}",
        "checked": "检查：{text}",
        "counterexample": "反例：{text}",
        "mistake": "错误类型：{text}",
        "hint": "提示：{text}",
        "def_read": "定义（第 {line} 行）读作：",
        "def_error": "定义（第 {line} 行）未读懂：{text}",
        "summary": "derive 批注：共 {displays} 个公式块，{steps} 步：{holds} 步成立，{fails} 步不成立，"
                   "{unknown} 步未判定（其中 {steps_unread} 步未读懂）{other}；{unread} 个公式块未读懂",
        "unread_step": "第 {n} 步（第 {line} 行）未读懂：{reason}",
        "summary_other": "，{n} 步为近似或有省略",
        "lang_detected": "derive 的批注使用中文：这是从文章正文检测到的语言（可用 --lang en|zh 选择）。",
        "lang_chosen": "derive 的批注使用中文（--lang zh）。",
        "conventions": "derive 从文章推断的约定：{text}",
        "unread_item": "第 {n} 个公式块（第 {line} 行）未读懂：{reason}",
        "post_error": "整篇文章无法读取：{reason}；所有公式块都标为未读懂。",
        "how": "每个公式块后面是 derive 的标记；展开可看到每一步的判定、反例和提示。作者的原文没有改动；"
               "derive 的批注位于 `derive:annotate` 注释之间。",
        "seed": "与 `derive check` 相同：在随机小型 MDP 上精确检查（随机种子 {seed}）。",
        "language_name": "中文",
    },
}
LANGUAGES = tuple(TEXT)
MAX_QUOTE = 300  # characters of a quoted message in a badge


def t(lang: str, key: str, **kw) -> str:
    return TEXT[lang][key].format(**kw)


def html_only(text: str) -> str:
    """Text inside raw HTML (a badge in ``<summary>``, where Markdown is not processed): no tag, no entity."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(text.replace("$", "&#36;").split())  # no math rendered from a quoted message


def html_escape(text: str) -> str:
    """Author- or checker-derived text inside the inserted Markdown: no tag, no entity, no emphasis, no math."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for ch in "\\`*_[]$|":
        text = text.replace(ch, "\\" + ch)
    return " ".join(text.split())


def code(text: str) -> str:
    """A Markdown code span holding ``text`` literally (one line; the fence longer than any backtick run)."""
    text = " ".join(str(text).split())
    run = max((len(r) for r in re.findall(r"`+", text)), default=0)
    fence = "`" * (run + 1)
    return f"{fence} {text} {fence}"


def short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_QUOTE else text[:MAX_QUOTE - 1] + "…"


def plural(n: int, lang: str) -> dict:
    if lang != "en":
        return {}
    return {"s": "" if n == 1 else "s", "s_verb": "s" if n == 1 else ""}
