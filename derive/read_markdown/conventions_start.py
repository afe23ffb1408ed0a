r"""A fixed start state, in the file's own words (front matter ``start: fixed``, inferred).

Sutton & Barto's episodic objective ``J(\theta) = v_{\pi_\theta}(s_0)`` (2018, eq. 13.4) assumes that "every
episode starts in some particular (non-random) state s_0" (sec. 13.2); lecture notes, blogs and Chinese
textbooks say the same in other words, and derive reads ``J(\theta)`` in an episodic file only with that
assumption (read_latex/notation_episodic.py).  The spellings taken as saying it (English and Chinese):

* "every episode starts in some particular (non-random) state s_0" (S&B), "each episode starts from a fixed state";
* "a fixed start state s_0", "a fixed (non-random) initial state", "a deterministic starting state";
* "the start state s_0 is fixed", "the initial state is always fixed", "s_0 is a fixed start state";
* 固定的初始状态, 初始状态 $s_0$ 是固定的, 从某个固定状态 $s_0$ 出发, 起始状态固定.

Never: "a random (start) state s_0", "the start state is not fixed", "not a fixed start state", nor a start
state drawn from a distribution (then J is E_{s_0}[V(s_0)], which derive does not call J in this setting).
"""
from __future__ import annotations

import re

_KIND = r"(?:fixed|particular|deterministic|non-random|single|specific)"
_S0 = r"(?:\s*\$?\s*[sS]\s*_\s*\{?\s*0\s*\}?\s*\$?)"
_SAYS = [
    # Sutton & Barto 2018, sec. 13.2
    re.compile(r"\b(?:every|each|all)\s+episodes?\s+(?:always\s+)?starts?\s+(?:in|at|from)\s+(?:some\s+|a\s+|one\s+|the\s+same\s+)?"
               r"(?:given|" + _KIND[3:] + r"\b[^.$]{0,40}?\bstate" + _S0 + r"?", re.I),
    # "a fixed start state s_0", "a fixed (non-random) initial state"
    re.compile(r"\b" + _KIND + r"\s+(?:\(\s*non-random\s*\)\s+)?(?:start|starting|initial)\s+state\b", re.I),
    # "the start state s_0 is fixed", "s_0 is a fixed start state" (the second is the pattern above)
    re.compile(r"\b(?:start|starting|initial)\s+state" + _S0 + r"?\s*(?:is|be)\s+(?:always\s+)?" + _KIND + r"\b", re.I),
    # "starts from a fixed state s_0", "starting in a single state"
    re.compile(r"\bstart(?:s|ing)?\s+(?:in|at|from)\s+(?:(?:a|one|some)\s+" + _KIND + r"|the\s+same)\s+state\b", re.I),
    # Chinese: 固定的初始状态, 初始状态 s_0 是固定的, 从某个固定状态 s_0 出发, 起始状态固定
    re.compile(r"(?:从|在)(?:某个|一个|某一|同一个)?固定的?状态|(?:固定|确定|特定)的?(?:初始|起始|开始)状态"),
    re.compile(r"(?:初始|起始|开始)状态" + _S0 + r"?\s*(?:是|为|总是)?\s*(?:固定|确定)"),
]
_NEGATED = re.compile(r"(?:\bnot|\bno|\bnon(?!-random)-?|不是|并非|非)\s*(?:a\s+|an\s+|the\s+)?$", re.I)


def fixed_start(masked: str) -> str | None:
    """The words of the file that say every episode starts in one fixed state s_0, or None."""
    for rx in _SAYS:
        for m in rx.finditer(masked):
            if _NEGATED.search(masked[max(0, m.start() - 12):m.start()]):
                continue  # "not a fixed start state", 不是固定的初始状态
            if "random" in m.group(0).lower().replace("non-random", ""):
                continue
            return re.sub(r"\s+", " ", m.group(0)).strip()
    return None


__all__ = ["fixed_start"]
