"""Sample means written as authors write them: ``\\frac{1}{N}\\sum_{i=1}^{N} X^{(i)}``.

A Monte Carlo estimate averages N independent draws of a quantity X, the i-th draw marked by a
label on its random variables: ``\\tau^{(i)}``, ``s_t^{(i)}``, ``a^{i}_t``, ``s_{i,t}``, ``x_i``,
``T_i``.  Its expectation is ``\\mathbb{E}[X]`` (the mean of i.i.d. draws is unbiased), and by the
strong law of large numbers ``\\lim_{N\\to\\infty}\\frac{1}{N}\\sum_{i=1}^{N} X^{(i)} = \\mathbb{E}[X]``
almost surely.  ``sample_mean(tex)`` recognises the whole-side pattern on the raw text and returns
the body with every sample label removed, so that the reader can parse ``\\mathbb{E}[X]`` (its
distribution inferred from X as for a bare ``\\mathbb{E}``, read_latex/expectations.py) and say so.

Spinning Up writes the mean over a set of sampled trajectories, ``\\frac{1}{|\\mathcal{D}|}\\sum_{\\tau \\in
\\mathcal{D}} X`` (also ``\\mathcal{D}_k``, ``\\left| \\right|``): the same reading, tau being the draw.

Only the unique reading is taken: the factor ``1/N`` and the sum's upper limit must be the same
letter, the sum must start at 1 (or run 0..N-1), the average must be the whole side (no ``+`` or
``-`` after the body at the top level), at least one label must name the sample index, and after the
labels are removed the index letter must not occur any more.  Anything else is left to the
ordinary reader (which refuses it with its own reason).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .scan import brace_group, top_level_index

COUNT_LETTERS = "NMmnBK"
INDEX_LETTERS = "ijnkm"  # m: \\frac{1}{M}\\sum_{m=1}^{M} (helpingstar/Math-RL eq. 3.24)
_FRAC = re.compile(r"\s*\\[dt]?frac\s*(?:\{\s*1\s*\}|1)\s*(?:\{\s*([A-Za-z])\s*\}|([A-Za-z]))\s*")
_SUM = re.compile(r"\\sum(?:\s*\\limits)?\s*")
_SPACE = re.compile(r"(?:\s|\\[,;:! ]|\\quad|\\qquad)*")


@dataclass
class SampleMean:
    count: str  # the letter N
    index: str  # the letter i
    body: str  # X with the sample labels removed
    written: str  # the average as written (normalised spaces), for the note


def _script(text: str, i: int, mark: str):
    """(content, end) of a ``_{...}`` / ``^{...}`` / ``_x`` script starting at i, or None."""
    m = re.compile(r"\s*" + re.escape(mark) + r"\s*").match(text, i)
    if not m:
        return None
    j = m.end()
    g = brace_group(text, j)
    if g is not None:
        return text[g[0] + 1:g[1] - 1].strip(), g[1]
    if j < len(text) and text[j].isalnum():
        return text[j], j + 1
    return None


def _bounds(text: str, i: int):
    """(lower, upper, end) of the sum's scripts in either order; missing ones are None."""
    lower = upper = None
    for _ in range(2):
        sub = _script(text, i, "_")
        if sub is not None and lower is None:
            lower, i = sub[0], sub[1]
            continue
        sup = _script(text, i, "^")
        if sup is not None and upper is None:
            upper, i = sup[0], sup[1]
            continue
        break
    return lower, upper, i


def _index_and_range(lower: str | None, upper: str | None, count: str):
    """The index letter when the sum runs over the N draws (i = 1..N, i = 0..N-1, or just _i), else None."""
    if lower is None:
        return None
    m = re.fullmatch(r"([A-Za-z])\s*(?:=\s*([01]))?", lower)
    if not m or m.group(1) not in INDEX_LETTERS or m.group(1) == count:
        return None
    start = m.group(2)
    up = None if upper is None else re.sub(r"\s+", "", upper)
    if start is None and up is None:
        return m.group(1)  # \sum_i: over the draws
    if start == "1" and up == count:
        return m.group(1)
    if start == "0" and up == count + "-1":
        return m.group(1)
    return None


def _strip_labels(body: str, i: str):
    """(body without the sample labels of index i, number of labels removed)."""
    L = re.escape(i)
    rules = (
        (re.compile(r"\^\s*\{\s*\(\s*" + L + r"\s*\)\s*\}"), ""),  # x^{(i)}
        (re.compile(r"\^\s*\(\s*" + L + r"\s*\)"), ""),  # x^(i)
        # a^{i}_t, s_t^{i}, \tau^i: a bare superscript i on a random variable (never a power of a sample)
        (re.compile(r"((?:\\tau|(?<![A-Za-z\\])[sarxyRGT])\s*(?:_\s*(?:\{[^{}]*\}|\w)\s*)?)\^\s*(?:\{\s*" + L
                    + r"\s*\}|" + L + r"(?![A-Za-z]))"), r"\1"),
        (re.compile(r"_\s*\{\s*" + L + r"\s*,\s*([^{}]+?)\s*\}"), r"_{\1}"),  # s_{i,t}
        (re.compile(r"_\s*\{\s*([^{}]+?)\s*,\s*" + L + r"\s*\}"), r"_{\1}"),  # s_{t,i}
        (re.compile(r"((?:\\tau|(?<![A-Za-z\\])[xyXRTG]))\s*_\s*(?:\{\s*" + L + r"\s*\}|" + L
                    + r"(?![A-Za-z]))"), r"\1"),  # \tau_i, x_i, T_i
    )
    n = 0
    for pat, rep in rules:
        body, k = pat.subn(rep, body)
        n += k
    return body, n


_SET = r"(?:\\mathcal\s*\{\s*D\s*\}|\\mathcal\s*D|D)(?:\s*_\s*(?:\{\s*k\s*\}|k))?"
_SET_MEAN = re.compile(r"\s*\\[dt]?frac\s*\{\s*1\s*\}\s*\{\s*(?:\\left\s*)?(?:\||\\vert|\\lvert)\s*(" + _SET + r")\s*"
                       r"(?:\\right\s*)?(?:\||\\vert|\\rvert)\s*\}\s*\\sum(?:\s*\\limits)?\s*_\s*\{\s*\\tau\s*\\in\s*(" + _SET
                       + r")\s*\}")
_TRAJECTORY = re.compile(r"\\tau|(?<![A-Za-z\\])[sarSAR]\s*_|G\s*_")


def _set_mean(tex: str) -> SampleMean | None:
    """Spinning Up's ``\\frac{1}{|\\mathcal{D}|}\\sum_{\\tau\\in\\mathcal{D}} X``: the mean over a set of sampled
    trajectories (the body uses the trajectory tau as written: no labels)."""
    m = _SET_MEAN.match(tex)
    if not m or re.sub(r"\s+", "", m.group(1)) != re.sub(r"\s+", "", m.group(2)):
        return None
    body = tex[m.end():].strip()
    if not body or top_level_index(body, 0, len(body), "+") >= 0 or _top_minus(body) or not _TRAJECTORY.search(body):
        return None
    return SampleMean("|" + m.group(1).strip() + "|", "\\tau", body, re.sub(r"\s+", " ", tex).strip())


def sample_mean(tex: str) -> SampleMean | None:
    """The sample mean that is the whole of ``tex``, or None (see the module docstring)."""
    if _SET_MEAN.match(tex):
        return _set_mean(tex)
    m = _FRAC.match(tex)
    if not m:
        return None
    count = m.group(1) or m.group(2)
    if count not in COUNT_LETTERS:
        return None
    s = _SUM.match(tex, m.end())
    if not s:
        return None
    lower, upper, j = _bounds(tex, s.end())
    index = _index_and_range(lower, upper, count)
    if index is None:
        return None
    body = tex[j:].strip()
    if not body or top_level_index(body, 0, len(body), "+") >= 0 or _top_minus(body):
        return None  # the average is not the whole side: the reading would not be unique
    stripped, n = _strip_labels(body, index)
    if n == 0 or re.search(r"(?<![A-Za-z\\])" + re.escape(index) + r"(?![A-Za-z])", stripped):
        return None  # no draw is labelled, or the index is used for something else
    if re.search(r"(?<![A-Za-z\\])" + re.escape(count) + r"(?![A-Za-z])", stripped):
        return None  # N inside the body: not an average of identically distributed draws
    return SampleMean(count, index, stripped, re.sub(r"\s+", " ", tex).strip())


def _top_minus(body: str) -> bool:
    return top_level_index(body, 1 if body[0] == "-" else 0, len(body), "-") >= 0


def expectation_tex(sm: SampleMean) -> str:
    """The text derive parses for the sample mean's expectation: ``\\mathbb{E}\\left[X\\right]``."""
    return r"\mathbb{E}\left[" + sm.body + r"\right]"


def note(sm: SampleMean, limit: bool = False) -> str:
    """How the average was read, for ``read as``."""
    if limit:
        return (f"\\lim_{{{sm.count} \\to \\infty}} {sm.written} is the limit of the sample mean of "
                f"{sm.count} independent draws of X = {sm.body.strip()}: by the strong law of large numbers "
                f"it is \\mathbb{{E}}[X] (almost surely)")
    label = ("\\tau runs over the set of sampled trajectories" if sm.index == "\\tau"
             else f"the label {sm.index} names the draw")
    return (f"{sm.written} is the sample mean of {sm.count} independent draws of X = {sm.body.strip()} "
            f"({label}): a Monte Carlo estimate, whose expectation \\mathbb{{E}}[X] derive checks (unbiasedness)")


__all__ = ["SampleMean", "sample_mean", "expectation_tex", "note"]
