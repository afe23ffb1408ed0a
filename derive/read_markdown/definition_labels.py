r"""A paragraph labelled as a definition, and the display it introduces (issue 10, R12).

Lecture notes, textbooks and Obsidian/Jupyter notes label a definition in front of its paragraph:

* "**Definition 1 (Advantage).** The advantage function is $$A^\pi(s,a) = Q^\pi(s,a) - V^\pi(s)$$",
  "*Definition.* ...", "Definition 3.2: ...", "Def. ...";
* an Obsidian callout "> [!definition] Advantage" (also ``[!def]``, ``[!defn]``) over the display;
* a heading that starts with the word: "## Definition of the return", "### 2.1 Definitions" (the heading case is
  read by prose_definitions._definition_heading; this module widens its pattern: ``DEF_HEADING``).

The corpus rule (tests/real_world/README.md, "The expected block"): a formula the prose introduces as a definition
is not a step.  The display right after such a paragraph (no other display between) is the definition, unless the
sentence that runs into it announces a consequence ("Then we have", "hence", 因此, 可得: a result stated after the
definition) or the paragraph already gives a formula with a relation (the definition was given inline, and the
display is what follows from it).
"""
from __future__ import annotations

import re

_LABEL = re.compile(
    r"^[ \t>]*(?:(?:\*\*|__|\*|_)\s*)?(?:Definition|Defn?\.)(?![A-Za-z])\s*(?:\d+(?:\.\d+)*)?\s*"
    r"(?:\([^()\n]{0,60}\))?\s*[.:]?\s*(?:\*\*|__|\*|_)?"
    r"|^[ \t>]*\[!(?:definition|defn?)\][+-]?", re.I)
# a consequence announced in the sentence that runs into the display: a result, not the definition
_CONSEQUENCE = re.compile(r"\b(?:then|hence|thus|therefore|so|we\s+have|we\s+get|it\s+follows|show|prove|satisf\w*|"
                          r"implies|consequently)\b|因此|所以|于是|可得|得到|则有|证明|满足", re.I)
_INLINE_RELATION = re.compile(r"(?<!\\)\$[^$\n]*?(?:=|\\(?:le|ge|leq|geq)(?![A-Za-z]))[^$\n]*?(?<!\\)\$")
# "## Definition of the return", "### 2.1 Definitions", "#### 状态集定义": a heading that names a definition
# (not a heading that uses one: "## Using the definition", "### 根据定义")
DEF_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+(?![^\n]*(?:\b(?:[Uu]s(?:e|es|ing)|[Bb]y|[Ff]rom|[Rr]ecall\w*|[Aa]ppl\w*|[Vv]ia)\b"
                         r"|根据|利用|回顾|由于|由此))(?:[^\n]{0,40}?(?:定义|[Dd]efinitions?)[ \t]*#*[ \t]*$"
                         r"|(?:\d+(?:\.\d+)*\.?[ \t]+)?(?:[Dd]efinitions?|DEFINITIONS?)(?![A-Za-z])[^\n]{0,60}$)", re.M)


def labelled_definition(para: str, last_sentence: str) -> str | None:
    """The label ("Definition 1 (Advantage).", "[!definition]") that opens the paragraph ``para`` right before a
    display, when that display is the definition it labels; else None."""
    m = _LABEL.match(para)
    if m is None or not m.group(0).strip(" \t>*_"):
        return None
    if _CONSEQUENCE.search(last_sentence) or _INLINE_RELATION.search(para):
        return None
    return re.sub(r"[\s*_>]+", " ", m.group(0)).strip()


__all__ = ["DEF_HEADING", "labelled_definition"]
