r"""Definitions the prose gives around a display, in the places authors put them (docs/notation.md).

* **After the display**: "$$ J(\theta) = \mathbb{E}[R(\tau)] $$ where $R(\tau) = \sum_{t} \gamma^t r_t$ is
  the return".  The definition is the display's own: it is bound *before* that display is read (and
  for the rest of the file), so the display is judged with the author's meaning, never derive's.
  Only the paragraph right after the display counts, and only when it starts with "where" (其中).
* **"given as"**: "$R(\tau)$ is the discounted return along $\tau$, given as $$ R(\tau) = ... $$":
  a one-equation display whose left side is the symbol the sentence describes is a definition
  (also "given by"; the left side must be written as in the sentence, so that "the gradient is
  given by $$\nabla J = ...$$" stays a step).
* **Before the display, in the sentence that runs into it** (``introduced_as_definition``, below): "we define
  ... as follows:", "X is defined as:", 定义为：, 其中，$X$ 是 ...：; the display (a chain X = A = B included)
  is a definition, not a step (the corpus rule, tests/real_world/README.md), echoed with the reason.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .definitions import inline_definitions

_WHERE = re.compile(r"[\s.,;:]*(?:where|其中)(?![A-Za-z])", re.I)
_GIVEN = re.compile(r"\$([^$\n]{1,80})\$\s+(?:is|are|denotes?)\b[^$.;!?]{0,160}(?:\$[^$\n]{1,40}\$[^$.;!?]{0,80})*"
                    r"\bgiven\s+(?:as|by)[\s,:]*$", re.I)


def where_after(masked: str, end: int, limit: int) -> list:
    """Prose definitions "where $X = ...$" in the paragraph right after a display ending at ``end`` (before
    ``limit``, the next display): [(offset of the content, content)], as ``inline_definitions``."""
    m = _WHERE.match(masked, end, limit)
    if m is None:
        return []
    para = masked.find("\n\n", m.end(), limit)
    return inline_definitions(masked, m.start(), limit if para < 0 else para)


def _norm(tex: str) -> str:
    return re.sub(r"\s+|\\[,;!: ]", "", tex)


def given_as(before: str, lhs: str) -> bool:
    """Whether the prose just before a one-equation display says "$X$ is ..., given as" and X is its left side."""
    m = _GIVEN.search(before[-400:])
    return bool(m) and bool(_norm(lhs)) and _norm(m.group(1)) == _norm(lhs)


# ------------------------------------------------------------- a display the prose introduces as a definition
# The corpus rule (tests/real_world/README.md): a display the prose introduces as a definition is not a step.
# Textbooks, notes and blogs introduce one in the sentence right before it, in three general ways:
#   * the author defines, in the first person ("we define ... as follows:", "we must define the TD
#     residual.", 我们定义, 定义如下) or a model does ("the Bradley-Terry model defines the probability
#     that ...:"), and the display's left side is new in the file (or named in the sentence);
#   * a passive "X is defined as:", 定义为：, 称为, 记为, 记作, completed by the display (the sentence ends with
#     ':' or runs into it), when the sentence names the left side ($X$ 定义为：) or the display is a chain
#     X = A = B whose left side derive does not know (new notation, e.g. \tilde{A}_i);
#   * a sentence that names the left side: "where $X$ is the ...:", 其中，$X$ 是 ...：, "let $X$ denote ...:",
#     "$X$ is given by" (a result as often as a definition: only when X is new), completed by the display.
#   * the sentence says the display is the definition of what it names ("状态价值函数的定义，其公式为：",
#     "the definition of X is:"), "Let the objective be ...:", "令优势函数：", or the section's heading names a
#     definition ("#### 状态集定义") and the display is the section's first (R6, tests/test_reader_r6.py).
#   * 表示为：/记为：/记作： at the end of the sentence, or 定义 as a noun ("目标函数定义，其中 ...："), when the
#     display's left side is new in the file and derive does not read it; "来定义 $X$：", "定义为 $X$：" (the
#     sentence names the symbol it defines).  Emphasis around the sentence ("**定义...**：") is layout.
# A chain X = A = B so introduced: X = A is the definition; A = B is a step when the chain is laid out in rows or the
# prose defines actively (``tails_are_steps``), else the definition's restatement (shown, not judged).
# Never: "as defined above", 根据定义 (they use a definition), "can be written as", 可写为, 表示为 of a symbol
# already in use (a rewriting), a sentence that ends before the display ("$G_t$ is defined to be the ... reward."), a known
# symbol only described ("The reward function is defined as: $$J(\theta) = ...$$": derive reads J), nor
# a display whose right side uses its left side's symbol (an equation X satisfies, e.g. a Bellman equation).
_SENTENCE_END = re.compile(r"(?:[.!?](?=\s)|[。！？；;])")
_ACTIVE = re.compile(r"\b(?:we|i|one|let\s+us|let's)\s+(?:\w+\s+){0,3}?define\b|^(?:now|first|next|then)?[\s,]*define\b|^定义"
                     r"|^let\s+(?:the|our)\s+(?:[\w-]+\s+){0,3}?be\b"  # "Let the objective be the maximization of ...:"
                     r"|\bdefines\s+(?:the|a|an)\b|(?:我们|我|首先|这里|此处|因此)\S{0,4}?定义|定义如下|如下定义", re.I)
_PASSIVE = re.compile(r"\b(?:is|are|be)\s+(?:\w+\s+)?defined\s+(?:(?:exactly|just|the|same|similarly|here|again)\s+){0,3}"
                      r"(?:as|by|via|through)\b|\bdefined\s+(?:as|by)\s*$"
                      r"|定义为|定义成|称为|称作|记为|记作|定义\s*\$[^$]{1,80}\$\s*为", re.I)
_USES_DEFINITION = re.compile(r"defined\s+(?:above|before|earlier|previously|in\b)|as\s+defined"
                              r"|(?:根据|由|按|按照|利用|代入|带入|由于|用)[^，。,]{0,6}定义", re.I)
_NAMING_CUE = re.compile(r"\b(?:where|let|denotes?|denoted|is\s+given\s+by|given\s+(?:as|by)|stands?\s+for)\b"
                         r"|其中|表示|称为|记|令|设|定义", re.I)
_RST_DIRECTIVE = re.compile(r"\s*\.\.\s+[\w-]+::\s*$")
# "前面已经学习了状态价值函数的定义，其公式为：", "首先回顾Q函数的定义：", "the definition of the value function is:":
# the sentence says the display that completes it is the definition of the quantity it names
_DEFINITION_OF = re.compile(r"的定义[\s，,]*(?:其|它的|它)?(?:公式|表达式|数学表达式|形式)?(?:为|是|如下)?\s*$"
                            r"|\bthe\s+definition\s+of\b.{0,80}?\b(?:is|reads)\s*$"
                            # "We use the following definition of the advantage:", "Recall the following definition" (R12)
                            r"|\bthe\s+following\s+definitions?(?:\s+of\b[^.;!?]{0,80})?\s*$", re.I)
# "令优势函数：" (let the advantage be:): 令/设 and a short noun phrase, no formula, no "则" (then: a claim follows)
_LET_ZH = re.compile(r"^(?:令|设)[^$，,。；;则那得有=<>≤≥\\]{1,20}$")  # "令t=0：" substitutes: a step
# "#### 状态集定义", "#### 回报的定义", "### Definitions": a heading that names a definition, its section's first display
from .definition_labels import DEF_HEADING as _DEF_HEADING, labelled_definition  # noqa: E402 (also "## Definition of X")
_ANY_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+\S", re.M)
_HEAD = re.compile(r"(?:\\(?:tilde|hat|bar|mathcal|mathbb|mathrm|boldsymbol|mathbf|operatorname)\{)*(\\?[A-Za-z]+)")
_INLINE_MATH = re.compile(r"(?<!\\)\$\$?([^$\n]{1,120}?)(?<!\\)\$\$?")  # $X$ and kramdown's $$X$$
# Chinese cues that name what the display that completes the sentence is, when its left side is new in the file:
# "获取一种trajectory的概率，表示为：", "进而得到目标函数定义，其中...：" (定义 as a noun: "the definition of the
# objective"), "记为：" (a rewriting of a known symbol, "V(s) 可以表示为：", stays a step: the left side is not new; and
# "将参数定义为一个二分类问题，其目标是最小化...损失函数：" defines something else than the display)
_NEW_SYMBOL_CUE = re.compile(r"(?:表示为|记为|记作|写作)\s*$|定义(?=\s*[，,；;]|\s*$)")
# "来定义 $R(s_a)$：", "可以定义为 $R(s)$：", "define $X$ as:": the sentence names the symbol it defines
_DEFINES_NAMED = re.compile(r"定义(?:为|成)?\s*\$\$?([^$\n]{1,80}?)\$\$?|\bdefine\s+\$([^$\n]{1,80})\$", re.I)


def _definition_heading(region: str) -> str | None:
    """The heading right before a display (after the previous display) when it names a definition ("#### 状态集定义"):
    the display is the first of that section, and the prose between (if any) describes what it defines."""
    heads = list(_ANY_HEADING.finditer(region))
    if not heads:
        return None
    last = _DEF_HEADING.match(region, heads[-1].start())
    return last.group(0).strip() if last else None


def _last_sentence(para: str) -> str:
    """The sentence that ends right before the display (the text after the last sentence end)."""
    body = para.rstrip().rstrip(":：,，")
    ends = [m.end() for m in _SENTENCE_END.finditer(body)]
    return body[ends[-1]:] if ends else body


def _paragraph(masked: str, start_limit: int, start: int):
    """(the prose paragraph right before ``start``, its offset): display lines and headings left out."""
    region = masked[start_limit:start]
    for m in reversed(list(re.finditer(r"(?:^|\n[ \t]*\n)((?:(?!\n[ \t]*\n).)+)", region, re.S))):
        lines = [ln for ln in m.group(1).split("\n") if ln.strip() and not ln.lstrip().startswith(("#", "$$", "\\["))
                 and not _RST_DIRECTIVE.match(ln)]  # ".. math::" (and ".. important::") carry no prose
        if lines:
            return "\n".join(lines), start_limit + m.start(1)
    return "", start_limit


@lru_cache(maxsize=4)
def _normalised(masked: str):
    """(the file without spaces and thin spaces, as ``_norm``; the offset in it of each offset of ``masked``): one
    pass per file, so that "is the left side new?" costs no more than a search, whatever the number of displays."""
    norm = _norm(masked)
    at, k, i = [], 0, 0
    spaces = re.compile(r"\s+|\\[,;!: ]")
    while i < len(masked):
        m = spaces.match(masked, i)
        end = m.end() if m else i + 1
        at.extend([k] * (end - i))
        k += 0 if m else 1
        i = end
    at.append(k)
    return norm, at


def _known(lhs_tex: str) -> bool:
    r"""Whether derive reads the left side on its own (a quantity it knows: J(\theta), V_\pi(s), \delta_t)."""
    from ..read_latex import LatexError, parse_math

    try:
        parse_math(lhs_tex, line=1, col=1, options={})
    except (LatexError, RecursionError, ValueError):
        return False
    return True


def introduced_as_definition(masked: str, start_limit: int, start: int, lhs_tex: str, rhs_tex: str = "",
                             multirow: bool = False) -> str | None:
    """Why the prose right before a display (at ``start``) introduces it as a definition, or None.

    ``masked`` is the file with code masked; the paragraph read is the one ending at the display (after
    ``start_limit``, the end of the previous display).  ``lhs_tex``: the display's left side; ``rhs_tex``:
    the rest of the display after its first relation (``A = B`` of a chain ``X = A = B``); ``multirow``: the chain
    is laid out in rows (``X &= A \\\\ &= B``)."""
    from .definitions import definable

    para, para_at = _paragraph(masked, start_limit, start)
    sentence = re.sub(r"\s+", " ", _last_sentence(para)).strip().strip("*_ ")  # "**定义...回报**：": emphasis is layout
    lhs = _norm(lhs_tex.replace("&", ""))
    if not lhs or _USES_DEFINITION.search(sentence) or _on_both_sides(lhs, _first_item(rhs_tex)):
        return None  # (X on both sides: an equation X satisfies, not its definition)
    heading = _definition_heading(masked[start_limit:start])
    if heading:  # (a variable set to the example's values, "s = [s_a]", is shown as a definition that is not bound)
        return Why("the section's heading names a definition (" + heading + ")")
    norm_text, at = _normalised(masked)
    new = lhs not in norm_text[:at[para_at]]
    from .prose_let import named_before  # "Let $R(\tau)$ be the total reward. Then $$R(\tau) = ...$$" (R12)

    let = named_before(para, sentence, lhs_tex, new)
    if let is not None:
        return Why("the prose names its left side, a new symbol (" + let + ")", active=True)
    label = labelled_definition(para, sentence)  # "**Definition 1 (Advantage).** The advantage is $$A = ...$$" (R12)
    if label is not None:
        return Why("the paragraph is labelled as a definition (" + label + ")")
    # "where $$\hat{A}_t = \delta_t + \gamma\lambda\delta_{t+1} = \ldots$$": the prose runs into a chain with "where",
    # "let", "with", 其中, 令 (a one-equation display is reader._introduces's; "defined as" is the passive rule's, below);
    # X = A is the definition (R12)
    cue = _BARE_CUE.search(para[-40:])
    if cue and split_relations_once(rhs_tex):
        return "the prose introduces it (" + cue.group(1) + ")"
    if not sentence:
        return None
    completes = not re.search(r"[.!?。！？;；]\s*$", para.rstrip())  # "...:" or a sentence running into the display
    named = lhs in {_norm(x.group(1)) for x in _INLINE_MATH.finditer(sentence)}
    act = _ACTIVE.search(sentence)
    named_def = next((x for x in _DEFINES_NAMED.finditer(sentence) if _norm(x.group(1) or x.group(2) or "") == lhs), None)
    if named_def is not None and completes and definable(lhs_tex.replace("&", "").strip()):
        return Why("the prose defines it (" + named_def.group(0).strip() + ")", active=True)  # "来定义 $R(s_a)$："
    # "we must define the TD residual." leaves the definiens to the display; "we define X, denoted $q$, as the
    # expected return ... ." gives it in words first, and the display after the full stop restates it
    if act and (new or named) and (completes or not re.search(r"\b(?:as|to\s+be|by)\b|为|\$[^$]*(?:=|\\coloneqq)[^$]*\$",
                                                              sentence[act.end():])):  # "We define $u(x) = x^2$."
        return Why("the prose defines it (" + act.group(0).strip() + ")", active=True)
    cue = _NEW_SYMBOL_CUE.search(sentence)
    if completes and cue and new and not _DEFINITION_OF.search(sentence) and not _PASSIVE.search(sentence) \
            and not _known(lhs_tex.replace("&", "")):  # (shown, not bound when it cannot be)
        return "the prose introduces its left side, a new symbol (" + cue.group(0) + ")"
    if not completes or not definable(lhs_tex.replace("&", "").strip()):
        return None
    if _LET_ZH.match(sentence):
        return Why("the prose defines it (" + sentence + ")", active=True)
    if _DEFINITION_OF.search(sentence):
        return "the prose gives it as a definition (" + _DEFINITION_OF.search(sentence).group(0).strip() + ")"
    if _PASSIVE.search(sentence):
        # a chain laid out in rows ("defined as: G_t &= A \\ &= B"): its first row is the definition, the rows after
        # it are steps (tails_are_steps); one equation of a symbol derive knows ("价值函数可定义为 V = E[...]", "the loss
        # is defined as follows: L = ...") and a one-row chain ("The reward function is defined as: J = A = B") are
        # claims the corpus's authors count as steps
        from ..read_latex.relations import split_relations

        from .definition_subject import names_owner  # "策略 $\pi_\theta$ 的性能定义为：J(\pi_\theta) = ..." (R8)

        if named or names_owner(sentence, lhs_tex) or (split_relations(rhs_tex, limit=1)
                                                       and (multirow or not _known(lhs_tex.replace("&", "")))):
            return "the prose defines it (" + _PASSIVE.search(sentence).group(0).strip() + ")"
        return None
    if new and not named and re.search(r"\b(?:is|are)\s+given\s+(?:as|by)\s*$", sentence, re.I) \
            and not _known(lhs_tex.replace("&", "")):
        return "the prose introduces its left side, a new symbol (given by)"  # "the GAE estimator is given by:"
    if named and _NAMING_CUE.search(sentence):
        given = re.search(r"given\s+(?:as|by)", sentence, re.I) and not re.search(
            r"\b(?:where|let|denotes?|define)\b|其中|定义|记|令", sentence, re.I)
        if given and not new:
            return None  # "$\nabla J$ is given by": a result about a symbol already in use
        return "the prose names its left side as the symbol it introduces"
    return None


class Why(str):
    """Why a display is a definition; ``active``: the prose itself defines (let ... be, we define, 令, 来定义 $X$),
    so the further ``=`` of its chain are the author's steps from that definition (``tails_are_steps``)."""

    active = False

    def __new__(cls, text: str, active: bool = False):
        obj = super().__new__(cls, text)
        obj.active = active
        return obj


def tails_are_steps(why: str, multirow: bool) -> bool:
    """Whether the further relations of a chain ``X = A = B`` that the prose introduces as a definition are steps.

    The definition is ``X = A``; ``A = B`` is a relation the author asserts (tests/real_world/README.md: every '='
    between neighbouring expressions).  Authors lay out a derivation that starts from a definition row by row, or
    say it in the active voice ("Let the objective be ...: J = A = B", 来定义 $X$：); a passive one-line
    "X is defined as: X = A = B" gives A = B as two spellings of the definiens (the corpus's annotators count
    it as one definition).  This is ambiguous between authors: the report says which reading was taken."""
    return multirow or bool(getattr(why, "active", False))


def _follower(text: str, end: int) -> str:
    """What follows a symbol's name: "(" (a function's arguments), "_x" (a subscript, x its first letter), "^", "'"
    or "" (bare)."""
    while end < len(text) and text[end] in " \t\n":
        end += 1
    rest = text[end:end + 3]
    if rest.startswith("_"):
        m = re.match(r"_\s*\{?\s*\\?([A-Za-z0-9])", text[end:end + 8])
        return "_" + (m.group(1) if m else "")
    return rest[:1] if rest[:1] in ("(", "^", "'") else ""


def _on_both_sides(lhs: str, rhs: str) -> bool:
    """Whether the symbol of the left side occurs on the right side (an equation it satisfies, ``V = r + \\gamma V``,
    ``G_t = r_{t+1} + \\gamma G_{t+1}``).  The same letter written another way is another symbol: ``R(s)`` and the
    reward ``R_{t+1}``, the variable ``s`` and the state ``s_a``, ``G_t`` and the example's return ``G_a``,
    ``\\bar{R}(\\tau)`` and ``R(\\tau)``."""
    head = _HEAD.match(lhs)
    if not head:
        return False
    mine, deco = _follower(lhs, head.end(1)), lhs[:head.start(1)]
    for m in re.finditer(r"(?<![\\A-Za-z])" + re.escape(head.group(1)) + r"(?![A-Za-z])", rhs):
        if deco and rhs[max(0, m.start() - len(deco)):m.start()] != deco:
            continue  # \bar{R(\tau)} (the average) vs R(\tau)
        theirs = _follower(rhs, m.end())
        if mine[:1] != theirs[:1] and "^" not in (mine, theirs):
            continue  # R(s) vs R_{t+1}, s vs s_a: different symbols
        if mine[:1] == theirs[:1] == "_" and mine[1:].isalpha() and theirs[1:].isalpha() and mine != theirs:
            continue  # G_t vs G_a (a subscript of another letter); G_{t+1} shares t: the same sequence
        return True
    return False


def _first_item(rhs_tex: str) -> str:
    """The right side of a list of definitions "s = [s_a], \\quad s' = [s_b, s_c]" up to its first item's end."""
    from ..read_latex.relations import split_relations
    from ..read_latex.scan import walk

    rels = split_relations(rhs_tex, limit=1)
    if not rels:
        return rhs_tex
    comma = [i for i, c, d in walk(rhs_tex, 0, rels[0].start) if c == "," and d == 0]
    return rhs_tex[:comma[-1]] if comma else rhs_tex


def restated(lhs: str, rhs: str, line: int, col: int) -> dict:
    """The record of a further ``= B`` in a display the prose introduces as a definition (``X = A = B``):
    the author's restatement of the definition, shown and not judged (never bound, never a step)."""
    return {"line": line, "col": col, "lhs": lhs, "rhs": rhs, "read_as": None,
            "error": f"{line}:{col}: not judged: this '=' restates the definition the prose introduces "
                     "(a display introduced as a definition is not a step)"}


# (令, 设, 记 as words of their own: not 假设 "assume", 笔记 "notes", 命令)
_BARE_CUE = re.compile(r"(\bwhere|\bwith|\blet|其中|(?:(?<![\u3400-\u9fff])|(?<=我们)|(?<=这里)|(?<=此处)|(?<=再))(?:令|设|记))"
                       r"[\s,:，：]*$", re.I)


def split_relations_once(rhs_tex: str) -> bool:
    """Whether the rest of a display after its first relation holds another relation (a chain X = A = B)."""
    from ..read_latex.relations import split_relations

    return bool(split_relations(rhs_tex, limit=1))
