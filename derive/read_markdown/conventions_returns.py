"""The reward index a file's return shows: rewards numbered from 1 (Silver, Szepesvari, many lecture notes).

``V^\\pi(s) = \\mathbb{E}_\\pi[\\sum_{t=0}^{\\infty} \\gamma^t r_{t+1} \\mid s_0 = s]`` and
``G_t = \\sum_{k=0}^{\\infty} \\gamma^k r_{t+k+1}`` discount the first reward by ``\\gamma^0`` and call it
``r_1`` (``r_{t+1}``): the reward that follows the action ``a_t``, Sutton & Barto's ``R_{t+1}`` (2018,
sec. 3.1), derive's ``r_t``.  Inferred (``reward-index: t+1``, stated on the ``conventions:`` line) only
when every lower-case reward the file writes has a subscript ending in ``+1`` and one of them follows a
power of ``\\gamma``; a file that also writes ``r_t`` keeps derive's convention (a ``hint:`` names the other).
"""
from __future__ import annotations

import re

_LOWER = re.compile(r"(?<![A-Za-z\\{])r\s*_\s*(\{[^{}]*\}|\w)")
_FROM_ONE = re.compile(r"\{\s*[a-z]'?\s*(?:\+\s*[a-z]'?\s*)?\+\s*1\s*\}")
_DISCOUNTED = re.compile(r"\\gamma\s*\^\s*(?:\{[^{}]*\}|\w)\s*r\s*_\s*\{[^{}]*\+\s*1\s*\}")


def rewards_from_one(masked: str):
    """("reward-index", "t+1", description) when the file's rewards are numbered from 1, else None."""
    subs = [m.group(1) for m in _LOWER.finditer(masked)]
    if not subs or not all(_FROM_ONE.fullmatch(s.replace(" ", "")) or _FROM_ONE.fullmatch(s) for s in subs):
        return None
    m = _DISCOUNTED.search(masked)
    if m is None:
        return None
    line = masked.count("\n", 0, m.start()) + 1
    return ("reward-index", "t+1", f"inferred: reward-index: t+1 (every reward the file writes is r_{{...+1}} and its "
                                   f"return discounts r_{{t+1}} by \\gamma^0, line {line}: the reward that follows "
                                   "a_t, derive's r_t; Sutton & Barto 2018, sec. 3.1)")


__all__ = ["rewards_from_one"]
