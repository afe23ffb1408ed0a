r"""The reward index a file's recursions show (issue 10, R3): which reward goes with the step from s_t to s_{t+1}.

derive's reward of step t is ``r_t = R(s_t, a_t, s_{t+1})``; Sutton & Barto (2018, sec. 3.1) call the same reward
``R_{t+1}``: it follows the action ``A_t`` (front matter ``reward-index: t+1``).  A file that writes a one-step
recursion shows which one it means, whatever letters it uses (``r`` or ``R``, ``s_t`` or ``S_t``):

* the return's recursion, ``G_t = r_{t+1} + \gamma G_{t+1}`` (Sutton & Barto 2018, eq. 3.9) or
  ``G_t = r_t + \gamma G_{t+1}`` (derive's);
* a bootstrapped target or Bellman backup, ``r_{t+1} + \gamma v_\pi(S_{t+1})``, ``R_{t+1} + \gamma Q(s_{t+1}, a_{t+1})``
  (Sutton & Barto eq. 3.14, 6.2) or ``r_t + \gamma V(s_{t+1})`` (the TD error of the GAE paper, eq. 9);
* the same split by linearity, ``\mathbb{E}[R_{t+1} | S_t = s] + \gamma \mathbb{E}[G_{t+1} | S_t = s]``;
* two consecutive terms of the return, ``r_{t+1} + \gamma r_{t+2}`` (S&B eq. 3.8) or ``r_t + \gamma r_{t+1}``;
* a discounted sum ``\sum_k \gamma^k r_{t+k+1}`` (S&B eq. 3.8) or ``\sum_k \gamma^k r_{t+k}``.

In each, the reward that goes with ``\gamma^0`` next to the state ``s_{t+1}`` (or the return ``G_{t+1}``) is the reward of the
step from s_t to s_{t+1}.  When every such recursion of the file says ``r_{t+1}``, the file's convention is
``reward-index: t+1``, stated on its ``conventions:`` line with the line of the evidence; when some say ``r_t`` and
others ``r_{t+1}``, nothing is inferred and the conflict is stated (derive's default stays, and a failing step gets
the hint ``reward-index: t+1``).  Files that write only ``r_t`` keep derive's default silently (it is the default).
"""
from __future__ import annotations

import re

# a reward: r_t, R_t, r_{t+1}, R_{t+1} (Markdown's "\_" is read as "_" before this runs)
_REWARD = (r"(?<![A-Za-z\\{])[rR]\s*_\s*(?P<sub>\{\s*(?P<x>[tk])\s*(?:\+\s*1\s*)?\}|(?P<y>[tk])(?![A-Za-z0-9']))")
_PLUS_GAMMA = (r"\s*\+\s*(?:\\[,;!]\s*)?(?:\\gamma(?![A-Za-z])|γ)\s*(?:\\[,;!]\s*|\\cdot\s*)?"
               r"(?:\\max\s*_\s*(?:\{[^{}]*\}|\\?\w+'?)\s*)?")  # + \gamma \max_{a'} Q(s_{t+1}, a') too
_NEXT_TIME = r"(?:\{\s*(?:(?(x)(?P=x)|(?P=y)))\s*\+\s*1\s*\})"  # the reward's own time letter
# what the reward is followed by: G_{t+1}, a value at s_{t+1} (V, v, Q, q with any super- or subscript), r_{t+2}/r_{t+1}
_VALUE_NEXT = (r"(?:\\(?:hat|tilde|bar)\s*\{?\s*)?[VvQq]\s*\}?\s*(?:[_^]\s*(?:\{(?:[^{}]|\{[^{}]*\})*\}|\\?\w+)\s*){0,2}(?:\\left\s*|\\big\s*|\\Big\s*)?[(\[]\s*"
               r"[sS]\s*_\s*" + _NEXT_TIME)
_RECURSION = re.compile(_REWARD + _PLUS_GAMMA + r"(?:G\s*_\s*" + _NEXT_TIME + r"|" + _VALUE_NEXT + r")")
# split by linearity: E[R_{t+1} | S_t = s] + \gamma E[G_{t+1} | S_t = s] (the MRP's Bellman equation, Silver lecture 2)
_EXPECT = r"(?:\\mathbb\s*\{?\s*E\s*\}?|E)\s*(?:_\s*(?:\{[^{}]*\}|\\?\w+))?\s*(?:\\left|\\big|\\Big)?\s*[\[(]\s*"
_SPLIT = re.compile(_REWARD + r"\s*(?:\\middle|\\big|\\Big)?\s*(?:\\mid|\||\\vert)[^\]\n]{0,40}\]\s*" + _PLUS_GAMMA
                    + _EXPECT + r"(?:G\s*_\s*" + _NEXT_TIME + r"|" + _VALUE_NEXT + r")")
_CONSECUTIVE = re.compile(_REWARD + _PLUS_GAMMA + r"[rR]\s*_\s*(?P<next>\{\s*t\s*\+\s*[12]\s*\})")
# \gamma^k r_{t+k+1} / \gamma^{k} R_{t+k}: the discounted sum of the return (k, l, i, j, n as the index)
_DISCOUNTED_SUM = re.compile(r"(?:\\gamma(?![A-Za-z])|γ)\s*\^\s*(?:\{\s*(?P<i>[klijn])\s*\}|(?P<j>[klijn]))\s*(?:\\[,;]\s*)?"
                             r"[rR]\s*_\s*\{\s*t\s*\+\s*(?P<k>[klijn])\s*(?P<one>\+\s*1\s*)?\}")


# what a written series of rewards is the return of: "G_t = r_{t+1} + ..." before it, or "| s_t = s" after it
_RETURN_BEFORE = re.compile(r"G\s*_\s*(\{[^{}]*\}|\w)\s*(?:&\s*)?(?:=|\\doteq|:=)\s*(?:&\s*)?"
                            r"(?:(?:\\mathbb\s*\{?\s*E\s*\}?|E)\s*(?:_\s*(?:\{[^{}]*\}|\\?\w+))?\s*(?:\\left|\\big|\\Big)?\s*[\[(]\s*)?"
                            r"(?:\\sum\s*_\s*\{[^{}]*\}\s*(?:\^\s*(?:\{[^{}]*\}|\\?\w+))?\s*)?$")
_GIVEN_AFTER = re.compile(r"^[^\n]{0,160}?(?:\\mid|\||\\vert)\s*[sS]\s*_\s*(\{\s*t\s*\}|t(?![A-Za-z0-9+]))\s*=")


def _anchored_at_t(masked: str, start: int, end: int) -> bool:
    """The series at masked[start:end] is the return from time t: "G_t = ..." right before it, or an expectation
    given s_t right after it.  (G_{t+1} = r_{t+1} + \\gamma r_{t+2} + ... is derive's convention, not S&B's.)"""
    m = _RETURN_BEFORE.search(masked[max(0, start - 80):start])
    if m is not None:
        return m.group(1).strip("{} ") == "t"
    return _GIVEN_AFTER.match(masked[end:end + 200]) is not None


def _index(sub: str) -> str:
    """'t' or 't+1' for a written subscript."""
    return "t+1" if "+" in sub else "t"


def evidence(masked: str) -> list:
    """[(index, line, text)]: each recursion of the file and the reward index it shows, in file order."""
    out = []
    for m in _RECURSION.finditer(masked):
        out.append((m.start(), _index(m.group("sub")), m.group(0)))
    for m in _SPLIT.finditer(masked):
        out.append((m.start(), _index(m.group("sub")), m.group(0)))
    for m in _CONSECUTIVE.finditer(masked):
        first, nxt = _index(m.group("sub")), m.group("next").replace(" ", "")
        if (first, nxt) in (("t", "{t+1}"), ("t+1", "{t+2}")) and _anchored_at_t(masked, m.start(), m.end()):
            out.append((m.start(), first, m.group(0)))
    for m in _DISCOUNTED_SUM.finditer(masked):
        if (m.group("i") or m.group("j")) == m.group("k") and _anchored_at_t(masked, m.start(), m.end()):
            out.append((m.start(), "t+1" if m.group("one") else "t", m.group(0)))
    out.sort()
    return [(which, masked.count("\n", 0, start) + 1, re.sub(r"\s+", " ", text).strip())
            for start, which, text in out]


_CAPITAL_R = re.compile(r"(?<![A-Za-z\\{])R\s*_\s*(?:\{\s*t|t(?![A-Za-z0-9]))")


def settle(inferred: list, masked: str) -> list:
    """The inferred conventions with the reward index the file's recursions show (see the module's docstring).

    ``inferred``: [(key, value, description)] from the other rules (conventions.py), whose ``reward-index``
    entries rest on weaker evidence (capital letters, a reward written somewhere): a recursion decides over them.
    All recursions r_{t+1}: ``reward-index: t+1``.  All r_t: derive's default, stated as ``reward-index: t`` when
    the file writes a capital R_t or R_{t+1} (whose reading depends on it) or another rule inferred t+1.  Both:
    no reward index is inferred, and a note on the ``conventions:`` line names the two lines.
    """
    found = evidence(masked)
    kinds = {which for which, _, _ in found}
    if not kinds:
        return inferred
    rest = [o for o in inferred if o[0] != "reward-index"]
    other = next((o for o in inferred if o[0] == "reward-index"), None)
    first = {which: (line, text) for which, line, text in reversed(found)}
    if kinds == {"t", "t+1"}:
        (l0, t0), (l1, t1) = first["t"], first["t+1"]
        return rest + [("note", "reward-index", f"not inferred: reward-index (the file's recursions conflict: line {l0}: "
                                                f"{t0} pairs r_t with the step from s_t to s_{{t+1}}, line {l1}: {t1} "
                                                "pairs r_{t+1} with it): add front matter reward-index: t or t+1")]
    (which,) = kinds
    line, text = first[which]
    more = f" and {len(found) - 1} more" if len(found) > 1 else ""
    if which == "t+1":
        if other is not None and other[1] == "t+1":
            return inferred
        return rest + [("reward-index", "t+1", f"inferred: reward-index: t+1 (line {line}: {text}{more}: the reward "
                                               "r_{t+1} goes with the step from s_t to s_{t+1}, it follows a_t as in "
                                               "Sutton & Barto 2018, sec. 3.1; derive reads the written r_{t+1} as its r_t)")]
    if other is not None and other[1] == "t":
        return inferred
    if other is None and not _CAPITAL_R.search(masked):
        return inferred  # r_t + \gamma V(s_{t+1}): derive's own convention, nothing to say
    why = "; another rule's evidence for t+1 is overruled: the recursion fixes the index" if other is not None else ""
    return rest + [("reward-index", "t", f"inferred: reward-index: t (line {line}: {text}{more}: the reward r_t goes "
                                         f"with the step from s_t to s_{{t+1}}, derive's own convention{why})")]


__all__ = ["evidence", "settle"]
