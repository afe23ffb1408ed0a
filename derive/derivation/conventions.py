"""Index conventions of a derivation: stated in the front matter, or inferred from what the file writes.

derive's own conventions (docs/conventions.md): a trajectory of horizon T has the times
t = 0..T-1 and the reward of step t is ``r_t = R(s_t, a_t, s_{t+1})``.  The main sources
write two other conventions, chosen in the front matter:

* ``horizon: last-index`` (Spinning Up, the Hugging Face Deep RL course: ``t = 0..T``, the
  last index is T): the author's ``T`` (and ``H``) is derive's ``T - 1``, so that derive's
  horizon is the author's T + 1.  ``horizon: steps`` is derive's default.
* ``reward-index: t+1`` (Sutton & Barto 2018, sec. 3.1: the reward ``R_{t+1}`` follows the
  action ``A_t``): the author's ``r_{t+1}`` is derive's ``r_t``.

Conventions a file shows without saying them (``infer``):

* a finite-horizon derivation that never writes gamma is undiscounted: gamma = 1 on every
  instance (Spinning Up's ``R(\\tau) = \\sum_t r_t``);
* a file that writes a bare ``V(\\cdot)`` and never ``V^\\pi`` means its own V in ``\\delta_t``
  and ``\\hat{A}_t`` (front matter ``delta: V``).

Every convention in force is listed on the file's ``conventions:`` line (and in ``--json``).
"""
from __future__ import annotations

import re

from ..lang import symbols as sy

STATED = {
    ("horizon", "last-index"): "horizon: last-index (t = 0..T: the written T is the last index, derive's T - 1)",
    ("reward-index", "t+1"): "reward-index: t+1 (r_{t+1} follows a_t: the written r_{t+1} is derive's r_t)",
}

_GAMMA = re.compile(r"\\(?:var)?gamma(?![A-Za-z])|γ")
_BARE_V = re.compile(r"(?<![A-Za-z\\])V\s*(?:\\left\s*)?\(")
_TRUE_V = re.compile(r"(?<![A-Za-z\\])V\s*(?:_\s*(?:\{[^{}]*\}|\w))?\s*\^")
_USES_V = re.compile(r"\\delta(?![A-Za-z])|\\(?:wide)?hat\s*\{?\s*A|G\s*_\s*(?:\{[^{}]*\}|\w)\s*\^\s*\{?\s*\\lambda")
_FRONT_DELTA = re.compile(r"^[ \t]*delta[ \t]*:", re.M)
# what depends on gamma: R(\tau), G_t, V, Q, A, J, d^\pi, \delta_t, \hat{A}_t, \eta
_DISCOUNTED = re.compile(r"(?<![A-Za-z\\])(?:R\s*(?:\\left\s*)?\(\s*\\tau|G\s*_|[VQAJ]\s*[\^_(]|d\s*\^)"
                         r"|\\delta(?![A-Za-z])|\\(?:wide)?hat\s*\{?\s*A|\\eta(?![A-Za-z])")


def horizon(options: dict):
    """The value of the written horizon letter (T or H) under the file's horizon convention."""
    if options.get("horizon") == "last-index":
        return sy.T - 1
    return sy.T


def reward_time(u, options: dict):
    """derive's time of the written reward r_u under the file's reward-index convention."""
    if options.get("reward-index") == "t+1":
        return u - 1
    return u


def infer(front: dict, masked: str, front_text: str) -> list:
    """Conventions the file shows without stating them: [(key, value, description)].

    ``masked``: the body with code blanked; ``front_text``: the raw front matter (to know whether
    ``delta`` was given explicitly).
    """
    out = []
    if front.get("setting", "finite") == "finite" and front.get("gamma") is None \
            and front.get("family", "random") == "random" and not _GAMMA.search(masked) \
            and _DISCOUNTED.search(masked):
        out.append(("gamma", "1", "inferred: undiscounted (no gamma written): gamma = 1 on every instance"))
    if not _FRONT_DELTA.search(front_text) and _USES_V.search(masked) and _BARE_V.search(masked) \
            and not _TRUE_V.search(masked):
        out.append(("delta", "V", "inferred: \\delta_t and \\hat{A}_t use the file's own V "
                                  "(it writes V(\\cdot) and never V^\\pi), as with delta: V"))
    return out


def apply(front: dict, masked: str, front_text: str) -> list:
    """Add the inferred conventions to ``front``; return every convention in force (descriptions)."""
    said = [desc for (key, value), desc in STATED.items() if front.get(key) == value]
    inferred = infer(front, masked, front_text)
    for key, value, _ in inferred:
        front[key] = value
    return said + [desc for _, _, desc in inferred]


__all__ = ["horizon", "reward_time", "infer", "apply", "STATED"]
