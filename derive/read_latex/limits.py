"""Limits as authors write them, read where the reading is exact and unique.

* ``\\lim_{k\\to\\infty} \\sum_{l=0}^{k} X`` (partial sums; also ``\\lim_{n\\rightarrow\\infty}``,
  ``\\infin``, an upper limit ``k - 1`` or ``k + 1``): the series ``\\sum_{l=0}^{\\infty} X`` (a series
  is by definition the limit of its partial sums; derive evaluates it exactly, engine/infinite.py).
  The limit variable may appear nowhere else.
* ``\\lim_{n\\to\\infty} (1 + \\gamma + \\dots + \\gamma^n)`` (the limit variable only in the last terms after
  an ellipsis): the series ``1 + \\gamma + \\dots`` to infinity; the written last term must fit the series'
  general term (checked by reading the finite series with n = 6).
* ``\\lim_{N\\to\\infty}\\frac{1}{N}\\sum_{i=1}^{N} X^{(i)}`` (also ``X_i``): the expectation
  ``\\mathbb{E}[X]`` by the strong law of large numbers (almost surely), the distribution inferred
  from X as for a bare ``\\mathbb{E}`` (read_latex/sample_means.py).

The limit must be the whole formula (one side of a relation): ``rewrite(text)`` returns the text to
parse and the note for ``read as``, or None (then the tokenizer refuses ``\\lim`` naming these two
spellings).  Any other limit (``\\lim_{t\\to\\infty} P(S_t = s)``, ``\\gamma^{n+1}`` under the limit) is
not read.
"""
from __future__ import annotations

import re

from .sample_means import expectation_tex, note, sample_mean
from .scan import CLOSERS, brace_group, top_level_index, walk

_LIM = re.compile(r"\s*\\lim(?:\s*\\limits)?\s*_\s*")
_TO = re.compile(r"\s*([A-Za-z])\s*\\(?:to|rightarrow|longrightarrow)\s*\+?\s*\\(?:infty|infin)\s*")
_SUM_UPPER = re.compile(r"(\\sum(?:\s*\\limits)?\s*(?:_\s*(?:\{[^{}]*\}|\w)\s*)?\^\s*)(\{\s*([A-Za-z])\s*(?:[-+]\s*1\s*)?\}|([A-Za-z]))")
_SUM_UPPER_FIRST = re.compile(r"(\\sum(?:\s*\\limits)?\s*\^\s*)(\{\s*([A-Za-z])\s*(?:[-+]\s*1\s*)?\}|([A-Za-z]))(?=\s*_)")

SUPPORTED = ("\\lim_{k \\to \\infty} \\sum_{l=0}^{k} X (the series \\sum_{l=0}^{\\infty} X) and "
             "\\lim_{N \\to \\infty} \\frac{1}{N}\\sum_{i=1}^{N} X^{(i)} (the expectation \\mathbb{E}[X])")


def _limit_head(text: str):
    """(variable, offset after the subscript) of a leading ``\\lim_{k \\to \\infty}``, or None."""
    m = _LIM.match(text)
    if not m:
        return None
    g = brace_group(text, m.end())
    if g is None:
        return None
    to = _TO.fullmatch(text, g[0] + 1, g[1] - 1)
    return None if to is None else (to.group(1), g[1])


def _partial_sums(rest: str, var: str):
    """``rest`` with every sum's upper limit ``var`` (``var - 1``, ``var + 1``) set to infinity, or None."""
    count = 0

    def repl(m):
        nonlocal count
        if (m.group(3) or m.group(4)) != var:
            return m.group(0)
        count += 1
        return m.group(1) + "{\\infty}"

    out = _SUM_UPPER_FIRST.sub(repl, _SUM_UPPER.sub(repl, rest))
    if count == 0 or re.search(r"(?<![A-Za-z\\])" + re.escape(var) + r"(?![A-Za-z])", out):
        return None  # no partial sum, or the variable is used elsewhere: the limit is not only of the sums
    return out


_TAIL = re.compile(r"\+\s*\\(?:cdots|dots|ldots|dotsb)\s*(\+)")


def _term_end(text: str, i: int) -> int:
    """The end of the term starting at i: the closing bracket of its group or the end; -1 at a top-level + or -."""
    for j, c, depth in walk(text, i, len(text)):
        if depth == 0 and c in CLOSERS:
            return j
        if depth == 0 and c in "+-" and j > i:
            return -1
    return len(text)


def _ellipsis_tails(rest: str, var: str):
    """(infinite series text, finite check text) when ``var`` occurs only in last terms after an ellipsis
    (``1 + \\gamma + \\dots + \\gamma^n``), else None.  The check text sets var to 6: the series reader
    must accept the written last term as a term of the series (so a last term off the pattern is refused)."""
    out, check, pos, found = [], [], 0, 0
    for m in _TAIL.finditer(rest):
        if m.start() < pos:
            continue
        start = m.end(1)
        end = _term_end(rest, start)
        term = rest[start:end]
        if end < 0 or not re.search(r"(?<![A-Za-z\\])" + re.escape(var) + r"(?![A-Za-z])", term):
            continue
        out.append(rest[pos:m.start(1)].rstrip())
        check.append(rest[pos:end].replace(term, re.sub(r"(?<![A-Za-z\\])" + re.escape(var) + r"(?![A-Za-z])",
                                                          "{6}", term)))
        pos, found = end, found + 1
    if not found:
        return None
    series, finite = "".join(out) + rest[pos:], "".join(check) + rest[pos:]
    if re.search(r"(?<![A-Za-z\\])" + re.escape(var) + r"(?![A-Za-z])", series):
        return None
    return series, finite


def rewrite(text: str):
    """(text to parse, note) when ``text`` is a limit derive reads, else None."""
    head = _limit_head(text)
    if head is None:
        return None
    var, end = head
    rest = text[end:].strip()
    if not rest:
        return None
    sm = sample_mean(rest)
    if sm is not None and sm.count == var:
        return expectation_tex(sm), note(sm, limit=True)
    first = 1 if rest[0] in "+-" else 0  # a leading sign is not a term boundary
    if top_level_index(rest, first, len(rest), "+") >= 0 or top_level_index(rest, first, len(rest), "-") >= 0:
        return None  # the scope of the limit would be a guess
    series = _partial_sums(rest, var)
    if series is not None:
        return series, (f"\\lim_{{{var} \\to \\infty}} of partial sums is the series: the upper limit {var} "
                        "read as \\infty")
    tails = _ellipsis_tails(rest, var)
    if tails is None:
        return None
    return tails[0], (f"\\lim_{{{var} \\to \\infty}} of a finite series written with an ellipsis and a last term "
                      f"in {var} is the series without its last term, to infinity"), tails[1]


__all__ = ["rewrite", "SUPPORTED"]
