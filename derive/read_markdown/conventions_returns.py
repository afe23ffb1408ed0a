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


# a sum over samples, \sum_{i=1}^{B}, \sum_{j=1}^{|\mathcal{D}|}: a sample index i, j and an upper limit that counts
# samples (not \sum_{n=1}^{N}, which may be an n-step sum up to a horizon N)
_SAMPLE_INDEX = re.compile(r"\\(?:sum|prod)\s*_\s*\{?\s*[ij]\s*=")
_SAMPLE_UPPER = re.compile(r"\s*(?:\{\s*)?(?:[BNMGK](?![A-Za-z_])|\|[^|$]{1,30}\|)")
_LENGTH_UPPER = re.compile(r"\s*(?:\{\s*)?T\s*_\s*(?:\{\s*)?[ij](?![A-Za-z])")  # \sum_{t=0}^{T_i}: over a sampled episode
# T_i, T_{j}: the length of the i-th sampled episode (an estimate's rollout), not the model's horizon
_SAMPLED_LENGTH = re.compile(r"\s*_\s*(?:\{\s*)?[ij](?![A-Za-z])")
# a weighted sum to infinity: \sum_{k=0}^{\infty} \gamma^k r_{t+k}, \sum_{l=0}^\infty (\gamma\lambda)^l, \sum_{n=1}^{\infty} \lambda^{n-1}
_WEIGHTED_INFINITE = re.compile(r"\\sum(?![A-Za-z])\s*(?:_\s*(?:\{[^{}]*\}|\\?\w+)\s*)?\^\s*\{?\s*\\infty\s*\}?"
                                r"[^$=]{0,40}?\\(?:gamma|lambda)(?![A-Za-z])\s*\)?\s*\^")
_DISPLAY = re.compile(r"\$\$.*?\$\$|\\begin\{(equation|align|gather|multline)\*?\}.*?\\end\{\1\*?\}", re.S)
MIN_SERIES = 3  # weighted sums to infinity that overrule a finite horizon written in one display only


def _is_sample(text: str, m) -> bool:
    r"""A finite-horizon clue that is a count of samples: \sum_{i=1}^{B}, or T_i (a sampled episode's length)."""
    if m.group(0).startswith("\\"):
        return bool((_SAMPLE_INDEX.match(m.group(0)) and _SAMPLE_UPPER.match(text, m.end()))
                    or _LENGTH_UPPER.match(text, m.end()))
    return bool(_SAMPLED_LENGTH.match(text, m.end()))


def infinite_horizon(text: str, finite_rx) -> str:
    r"""Why the finite-horizon clues ``finite_rx`` finds in ``text`` do not set the file's horizon, or "".

    A file whose returns are series to infinity weighted by gamma or lambda (``G_t = \sum_{k=0}^\infty \gamma^k
    r_{t+k}``, RLHF book ch. 6; GAE's ``(1-\lambda) \sum_{n=1}^\infty \lambda^{n-1} \delta_t^{(n)}``, Schulman et
    al. 2016, eq. 16) means the infinite horizon when its only finite limits are (a) counts of samples in an estimate
    (``\frac{1}{B} \sum_{i=1}^{B}``, a sampled episode's length ``T_i``), or (b) written in one display only, next to
    at least MIN_SERIES such series: a truncation, whose steps are then "not attempted" (T in an infinite horizon).
    """
    weighted = len(_WEIGHTED_INFINITE.findall(text))
    if not weighted:
        return ""
    clues = [m for m in finite_rx.finditer(text) if not _is_sample(text, m)]
    if not clues:
        return "its only finite limits count samples (\\sum_{i=1}^{B}, T_i)"
    spans = [d.span() for d in _DISPLAY.finditer(text)]
    holding = {next((k for k, (a, b) in enumerate(spans) if a <= m.start() < b), None) for m in clues}
    if weighted >= MIN_SERIES and len(holding) == 1 and None not in holding:
        line = text.count("\n", 0, clues[0].start()) + 1
        return (f"{weighted} sums to infinity weighted by gamma or lambda; the one display with a finite T, line "
                f"{line}, is a truncation: its steps are not attempted")
    return ""


__all__ = ["rewards_from_one", "infinite_horizon"]
