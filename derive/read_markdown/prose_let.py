r"""A symbol the prose introduces by name, then the display that gives its formula (issue 10, R12).

Textbooks, lecture notes and blogs introduce a symbol in words first and give its formula in the display
that follows, in the same paragraph:

* imperatively, anywhere in the paragraph: "Let $R(\tau)$ be the total reward of a trajectory. Then
  $$R(\tau) = \sum_t r(s_t, a_t)$$", "Let $G_t$ denote the return.", "Denote by $\rho_t$ the probability ratio,",
  "We denote the return by $G_t$.", 设 $X$ 为 ...，则, 令 $X$ 表示 ..., 记 $X$ 为 ..., 将 ... 记为 $X$, 称 ... 为 $X$;
* descriptively, in the sentence that runs into the display (no full stop between): "We use $X$ to denote ...:",
  "We write $X$ for ...:", "$X$ denotes / stands for / represents ...:", 用 $X$ (来)表示 ...：, $X$ 表示 ...：
  (after a full stop, "状态价值...用 $V_\pi(s)$ 表示，如式 (11) 所示。" describes a quantity whose formula the
  display states as a claim: joyrl-book ch. 2, counted as a step by the corpus).

The corpus rule (tests/real_world/README.md, "The expected block"): a formula the prose introduces with
"let", "define", "denote" (用 ... 表示) is a definition, not a step.  The display is that definition when

* its left side is written exactly as the symbol the sentence names (``$R(\tau)$`` and ``R(\tau) = ...``),
* the symbol is new: not written anywhere in the file before the paragraph (a symbol already in use is being
  rewritten, and "Let $V$ be ... Then $$V = ...$$" of a known V is a claim about it),
* the naming sentence gives no formula itself ("Let $x = 5$" is a setting, not a name), and
* the sentence that runs into the display does not announce a result ("we show that", "satisfies", 满足, 证明).

A chain ``X = A = B`` so introduced: ``X = A`` is the definition and ``A = B`` a step (the prose defines
actively: prose_definitions.tails_are_steps).  The symbol is bound as for ``:=`` when derive can bind it; a
symbol with a fixed meaning (``\rho``, ``x``) is shown as a definition that is not bound, never judged.
"""
from __future__ import annotations

import re

_M = r"(?:\$\$?|\\\()\s*([^$\n]{1,80}?)\s*(?:\$\$?|\\\))"  # $X$, kramdown $$X$$, \(X\)
# the imperative naming phrases ("let", "denote by", 设, 令, 记): they introduce the symbol wherever they stand in
# the paragraph; each names the symbol X (its one group)
_IMPERATIVE = re.compile(
    r"\blet\s+" + _M + r"\s*,?\s+(?:be|denote|represent|stand\s+for|refer\s+to)\b"
    r"|\bdenote\s+(?:by\s+)?" + _M + r"\s*(?:,\s*)?(?:the|a|an|our)\b"
    r"|\bdenote\s+(?:the\s+|a\s+|an\s+|our\s+)[^$.;:!?]{1,60}?\s+by\s+" + _M  # "We denote the return by $G_t$."
    + r"|(?:设|令|记)\s*" + _M + r"\s*(?:为|是|表示|代表)"
    + r"|(?:记|称)(?:[^$，。；,;]|\$[^$\n]{1,20}\$){0,30}?(?:为|作)\s*" + _M, re.I)  # "将折扣回报记为 $G_t$", "称 ... 为 $X$"
# the descriptive ones ("$X$ denotes ...", "we use $X$ to denote", 用 $X$ 表示): only in the sentence that runs
# into the display ("...，我们用 $G_t$ 表示：$$G_t = ...$$"); after a full stop they describe a quantity whose formula
# the display then states as a claim ("状态价值函数...用 $V_\pi(s)$ 表示，如式 (11) 所示。", joyrl-book ch. 2)
_DESCRIPTIVE = re.compile(
    r"\b(?:we|I)\s+(?:will\s+|shall\s+)?(?:use|write)\s+" + _M + r"\s+(?:for|to\s+(?:denote|represent|mean))\b"
    r"|(?<![=<>])\s" + _M + r"\s+(?:denotes|represents|stands\s+for|is\s+shorthand\s+for)\b"
    r"|用\s*" + _M + r"\s*(?:来)?(?:表示|代表|记)"
    r"|" + _M + r"\s*(?:表示|代表)(?!为)", re.I)
# the sentence running into the display announces a result, not the formula of the named symbol
_RESULT = re.compile(r"\b(?:show|prove|proves|satisf\w*|recursi\w*|rewrit\w*|can\s+be\s+written|verify|check)\b"
                     r"|证明|满足|递推|可写|改写|推导", re.I)


def _norm(tex: str) -> str:
    return re.sub(r"\s+|\\[,;!: ]", "", tex)


def named_before(para: str, last_sentence: str, lhs_tex: str, new: bool) -> str | None:
    """The naming phrase of the paragraph ``para`` (the prose right before a display) that introduces the display's
    left side ``lhs_tex`` as a new symbol ("Let $R(\\tau)$ be"), or None.  ``new``: the left side is not written in
    the file before the paragraph; ``last_sentence``: the sentence that runs into the display."""
    lhs = _norm(lhs_tex.replace("&", ""))
    if not new or not lhs or _RESULT.search(last_sentence):
        return None
    runs_into = not re.search(r"[.!?。！？;；]\s*$", para.rstrip())  # "...:" or a sentence running into the display
    found = list(_IMPERATIVE.finditer(para)) + (list(_DESCRIPTIVE.finditer(last_sentence)) if runs_into else [])
    for m in found:
        if _norm(next((g for g in m.groups() if g), "")) == lhs:
            return re.sub(r"\s+", " ", m.group(0)).strip()
    return None


__all__ = ["named_before"]
