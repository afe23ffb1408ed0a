"""A language model's notation, recognised when the file does not state ``family: token`` (issue 10, R2).

DPO (Rafailov et al. 2023), RLHF notes and GRPO write a language model as a policy over responses,
``\\pi_\\theta(y \\mid x)``, or over the tokens of an output, ``\\pi_\\theta(o_{i,t} \\mid q, o_{i,<t})``; such a
file is about derive's token MDP (docs/conventions.md), whether or not its front matter says so.
A file that writes one of these and never an MDP's trajectory (``s_t``, ``a_t``, ``\\tau``, ``S_t``,
``A_t``) is read with ``family: token``, stated on its ``conventions:`` line as inferred.
"""
from __future__ import annotations

import re

_POLICY = r"\\pi\s*(?:_\s*(?:\{[^{}]{0,40}\}|\\?\w+)|\^\s*(?:\{[^{}]{0,10}\}|\*))*\s*(?:\\left\s*)?\("
_GIVEN = r"\s*(?:\||\\mid|\\vert)\s*"
_RESPONSE = re.compile(_POLICY + r"\s*y\s*(?:_\s*(?:\{\s*[wl12]\s*\}|[wl12]))?" + _GIVEN + r"x\s*(?:\\right\s*)?\)")
_TOKEN = re.compile(_POLICY + r"\s*o\s*_\s*\{\s*\w\s*,\s*\w\s*\}" + _GIVEN + r"q\s*,")
_MDP = re.compile(r"(?<![A-Za-z\\])[saSA]\s*_\s*(?:\{\s*t|t(?![A-Za-z]))|\\tau(?![A-Za-z])|τ")


def infer_token_family(front: dict, masked: str):
    """("family", "token", description) when the file writes a language model's notation only, else None."""
    if "family" in front or _MDP.search(masked):
        return None
    m = _RESPONSE.search(masked) or _TOKEN.search(masked)
    if m is None:
        return None
    line = masked.count("\n", 0, m.start()) + 1
    return ("family", "token", f"inferred: family: token (the file writes {m.group(0).strip()[:40]} at line {line}, "
                               "a language model's response to a prompt, and no MDP trajectory s_t, a_t, \\tau)")


__all__ = ["infer_token_family"]
