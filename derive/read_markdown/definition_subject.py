r"""A passive definition that names what the defined quantity belongs to (issue 10, R8).

"策略 \(\pi_\theta(a,s)\) 的性能通常定义为...： $$J(\pi_\theta) = \mathbb{E}_{\tau\sim\pi_\theta}[\ldots]$$" (the
performance *of the policy* pi_theta is defined as ...; pipimamaoyuan DRL_init_learning, "PPO算法"), "the value of
a state $s$ is defined as: $$V(s) = \ldots$$": the sentence names the argument of the display's left side as the
owner of the quantity it defines ("$X$ 的 ..." / "... of $X$"), so it introduces ``F(X)`` itself: the display is the
definition, not a step (tests/real_world/README.md: a formula the prose introduces with "define" is not a step),
even when derive knows ``F``.  A passive "is defined as" that names nothing ("价值函数可定义为", "The reward function is
defined as:") keeps its reading as a claim (read_markdown/prose_definitions.py).
"""
from __future__ import annotations

import re

# inline math: $X$, $$X$$ (kramdown), \(X\)
_INLINE = re.compile(r"(?<!\\)\$\$?([^$\n]{1,120}?)(?<!\\)\$\$?|\\\(([^\n]{1,120}?)\\\)")
_CALL = re.compile(r"^\s*[^()]{1,60}?\s*(?:\\left\s*)?\((.{1,120})(?:\\right\s*)?\)\s*$", re.S)
_OWNER_ZH = re.compile(r"\s*的")  # "$X$ 的 <quantity>"
_OWNER_EN = re.compile(r"\bof\s+(?:the\s+|a\s+|an\s+)?(?:[A-Za-z-]+\s+){0,2}$", re.I)  # "the value of (a state) $X$"


def _norm(tex: str) -> str:
    return re.sub(r"\s+|\\[,;!: ]|\\left|\\right", "", tex)


def _arguments(lhs_tex: str) -> list:
    m = _CALL.match(lhs_tex.replace("&", ""))
    if not m:
        return []
    inner, depth, out, cur = m.group(1), 0, [], ""
    for ch in inner:
        if ch in "({[":
            depth += 1
        elif ch in ")}]":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return [_norm(a) for a in out if _norm(a)]


def names_owner(sentence: str, lhs_tex: str) -> bool:
    """Whether ``sentence`` names an argument of the left side ``F(X)`` as the owner of the quantity it defines:
    ``$X$ 的 ...`` or ``... of $X$`` (X written alone or with its own arguments, ``\\pi_\\theta(a,s)``)."""
    args = _arguments(lhs_tex)
    if not args:
        return False
    for m in _INLINE.finditer(sentence):
        text = _norm(m.group(1) or m.group(2) or "")
        if not any(text == a or (text.startswith(a) and text[len(a):len(a) + 1] == "(") for a in args):
            continue
        if _OWNER_ZH.match(sentence, m.end()) or _OWNER_EN.search(sentence[:m.start()]):
            return True
    return False


__all__ = ["names_owner"]
