r"""``A_t`` without a policy, in a file about one policy: that policy's advantage (issue 10).

Blogs and docs write the policy gradient as ``\mathbb{E}_{\tau \sim \pi_\theta}[\sum_t \nabla_\theta \log
\pi_\theta(a_t|s_t) A_t]`` "where A_t is the advantage at timestep t" (verl's docs, many lecture notes):
the advantage of the one policy the file is about, ``A^{\pi_\theta}(s_t, a_t)``.  derive reads it so when
the file writes its policy (``\pi``, ``\pi_\theta``) and no second learned policy (``\pi_{\theta_{old}}``, ``\pi'``, ``\tilde\pi``, ``\pi_{\theta_k}``,
``\pi_{ref}``, ``\pi^*``, ``\pi_1``, ...; a behaviour policy ``\mu`` or ``\beta`` that only draws the data
is allowed: the gradient is still that of ``\pi_\theta``), and says so in "read as".  With a second policy
(PPO's ``\hat{A}_t`` estimates the advantage of ``\pi_{\theta_{old}}``) it stays unknown, naming the
choice.  Sutton & Barto's capital ``A_t`` (the action) is read before this (notation_sb.py); ``A_i``
(GRPO's group advantage) is not a time and is left alone.  In a file that writes ``\delta_t``, ``\lambda``
or ``\hat{A}_t`` (GAE) a bare ``A_t`` is often the estimate (``A_t = \delta_t + \gamma\lambda A_{t+1}``):
unknown there, naming both spellings.
"""
from __future__ import annotations

import re

from ..lang import nodes
from .errors import fail
from .interpret import Ctx, Head
from .reading import current, note
from .registry import HEADS, head
from .roles import index
from .syntax import raw

_BEFORE = {"A": HEADS["A"]}
_TIME = re.compile(r"\{?\s*t\s*(?:'|\^\s*\{?\s*\\prime\s*\}?)?\s*(?:[+-]\s*\d{1,2}\s*)?\}?")
# a second learned policy written anywhere in the file (the behaviour policies \mu, \beta draw data only)
_OTHER_POLICY = re.compile(
    r"\\pi\s*(?:'|\^\s*\{?\s*(?:\\prime|\*|'|old|new|\\text)|_\s*\{?\s*(?:\\theta\s*(?:_|')|\\text|\\mathrm|old|new|ref|"
    r"k|[0-9]|\\theta\s*\^))|\\tilde\s*\{?\s*\\pi|\\widetilde\s*\{?\s*\\pi|\\bar\s*\{?\s*\\pi|\\theta\s*(?:'|_\s*\{?\s*"
    r"(?:old|k|\\text|\\mathrm|[0-9]))")
NOTE = (r"A_t (no policy written, in a file about the one policy \pi_\theta) is its advantage "
        r"A^{\pi_\theta}(s_t, a_t)")


_WRITES_POLICY = re.compile(r"\\pi(?![A-Za-z])|π")  # the file writes its policy (a lone formula "A_t" does not)
_ESTIMATES = re.compile(r"\\delta(?![A-Za-z])|\\lambda(?![A-Za-z])|GAE|\\(?:wide)?hat\s*\{?\s*A")


def _one_policy_file() -> bool:
    reading = current()[0]
    text = getattr(reading, "text", "") or ""
    return bool(_WRITES_POLICY.search(text)) and not _OTHER_POLICY.search(text) \
        and not ({"old", "prime"} & set(getattr(reading, "reserved", ())))


def _estimating_file() -> bool:
    """Does the file write TD errors, lambda or \\hat{A} (GAE)?  There a bare A_t is often the estimate
    (``A_t = \\delta_t + \\gamma\\lambda A_{t+1}``), not the true advantage."""
    return bool(_ESTIMATES.search(getattr(current()[0], "text", "") or ""))


@head("A")
def _advantage_at_time(h: Head, ctx: Ctx):
    r"""``A_t``, ``A_{t+1}`` (no policy, no arguments) in a file about one policy: ``A^{\pi_\theta}(s_t, a_t)``;
    anything else as before."""
    if h.sub is None or h.sup is not None or h.call is not None or h.primes \
            or not _TIME.fullmatch(raw(h.sub).strip()):
        return _BEFORE["A"](h, ctx)
    if current()[0] is not None and getattr(current()[0], "sutton_barto", False):
        return _BEFORE["A"](h, ctx)  # S&B's action A_t (notation_sb.py)
    if _estimating_file():
        fail(r"A_t in a file that writes \delta_t, \lambda or \hat{A}_t (GAE) may be the estimate or the true "
             r"advantage: write \hat{A}_t (the estimator) or A^{\pi_\theta}(s_t, a_t)", h.pos)
    if not _one_policy_file():
        fail(r"A_t needs a policy: this file writes more than one policy, so write whose advantage it is, "
             r"A^{\pi_\theta}(s_t, a_t) or A^{\pi_{\theta_{old}}}(s_t, a_t) (or the estimator \hat{A}_t)", h.pos)
    t = index(h.take_sub(), ctx, "the time index of A_t")
    note(NOTE)
    return nodes.A(nodes.pol("theta"), nodes.St(t), nodes.At(t), nodes.NOTIME)


__all__ = ["NOTE"]
