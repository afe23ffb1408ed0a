r"""A bare V, Q that the text calls the value function of the policy (issue 10, R3): front matter ``values: true``.

derive reads a bare ``V(s)``, ``Q(s, a)`` as an arbitrary function (a critic, a baseline) unless the file says it is
the value of its policy.  conventions.py infers that from a bare definition ``V(s) = E[G_t | s_t = s]``.  Lecture notes
and blogs also define the values once with the policy written (``V^\pi(s) = E_\pi[...]``, ``Q^\pi(s,a) = ...``,
``v_\pi(s)``) and then drop it, calling the bare letter by its name in the prose: "the optimal baseline is the
state-value function $V(s_t)$", "真实的Q函数", "状态价值函数 $V(s)$".  Inferred (and stated with both lines) when:

* the file defines a value with its policy written as an expectation: ``V^\pi(s) = \mathbb{E}...``, ``Q^{\pi}(s,a) :=
  E[...]``, ``v_\pi(s) \doteq \mathbb{E}_\pi[...]``;
* the prose names a bare ``V(...)`` or ``Q(...)`` written right after it "(state-/action-)value function", "Q
  function", 价值函数, 状态价值函数, 动作价值函数, Q函数, with no word of approximation in the same sentence
  ("approximate", "estimate", "critic", "learned", "fitted", 近似, 估计, 拟合, 网络);
* the file writes no critic: no ``\hat V``, no ``\delta^V``, no ``delta:`` in the front matter (conventions.py checks).

A critic with its own name (``V_\phi(s)``) does not prevent it: the bare V is then the true value the critic fits.
"""
from __future__ import annotations

import re

_PI = r"(?:\\pi|π)"
_TRUE_DEFINED = re.compile(
    r"(?<![A-Za-z\\])(?:[VQ]\s*\^\s*(?:\{\s*" + _PI + r"[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|" + _PI + r")|[vq]\s*_\s*(?:\{\s*" + _PI
    + r"[^{}]*\}|" + _PI + r"))\s*(?:\\left\s*)?\([^()]{1,40}\)\s*(?:\\right\s*)?(?:&\s*)?(?:=|:=|\\doteq|\\coloneqq)\s*(?:&\s*)?"
    r"(?:\\mathbb\s*\{?\s*E|E(?![A-Za-z])|𝔼)")
_NAME = (r"(?:(?:state|action)[- ]value\s+function|value\s+function|Q[- ]?function|(?:状态|动作)?价值函数|Q\s*函数)")
_NAMED_BARE = re.compile(_NAME + r"\s*(?:is\s+|:\s*|：\s*|,\s*|，\s*)?\${1,2}\s*([VQ])\s*(?:\\left\s*)?\(", re.I)
_APPROX = re.compile(r"approximat|estimat|critic|learn|fitted|network|近似|估计|拟合|网络|学习", re.I)
_SENTENCE_END = re.compile(r"[.!?。！？\n]")
# a critic written as such: \hat V, \delta^V (the TD error of an approximate V)
_CRITIC = re.compile(r"\\delta(?![A-Za-z])\s*(?:_\s*(?:\{[^{}]*\}|\w)\s*)?\^|\\(?:wide)?hat\s*\{?\s*[VQ](?![A-Za-z])")


def named_true_values(masked: str):
    """("values", "true", description) when the file defines V^pi (or Q^pi, v_pi) and its prose calls a bare V, Q
    the value function (see the module's docstring); None otherwise."""
    defined = _TRUE_DEFINED.search(masked)
    if defined is None or _CRITIC.search(masked):
        return None
    for m in _NAMED_BARE.finditer(masked):
        start = max((e.end() for e in _SENTENCE_END.finditer(masked, max(0, m.start() - 120), m.start())),
                    default=max(0, m.start() - 120))
        if _APPROX.search(masked[start:m.end()]):
            continue
        line = masked.count("\n", 0, m.start()) + 1
        dline = masked.count("\n", 0, defined.start()) + 1
        name = re.sub(r"\s+", " ", masked[m.start():m.end()].replace("$", "")).strip()
        return ("values", "true", f"inferred: bare {m.group(1)} means {m.group(1)}^pi (and so the other bare V, Q): the "
                                  f"text calls it the value function at line {line} (\"{name}...\") and defines the "
                                  f"policy's value at line {dline} (as with values: true)")
    return None


__all__ = ["named_true_values"]
