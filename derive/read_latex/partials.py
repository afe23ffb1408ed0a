r"""Partial derivatives with respect to the policy parameter, read as the gradient (issue 10).

Authors write the gradient of the objective as a partial derivative: ``\frac{\partial J(\theta)}{\partial \theta}``
(helpingstar/Math-RL eq. 3.11, Sutton & Barto 13.2's component form), ``\frac{\partial}{\partial \theta} X``,
``\partial_\theta X``.  With respect to the policy parameter theta (a vector: the partial derivative with respect
to the vector is the gradient, componentwise) it is derive's ``\nabla_\theta X``:

=====================================================  ==========================================
written                                                read as
=====================================================  ==========================================
``\frac{\partial J(\theta)}{\partial \theta}``         ``\nabla_\theta J(\theta)``
``\frac{\partial}{\partial \theta} X``, ``\partial_\theta X``  ``\nabla_\theta X`` (X: the rest of the product)
=====================================================  ==========================================

A partial derivative with respect to any other variable (``\frac{\partial f}{\partial x}``) is not read: the
tokenizer's message says so (read_latex/commands.py).  ``rewrite(text)`` returns ``(new text, note)`` or None;
the new text has the same length (offsets kept for error positions).
"""
from __future__ import annotations

import re

from .scan import brace_group

NOTE = r"\frac{\partial X}{\partial \theta} (a partial derivative with respect to the policy parameter) is read as \nabla_\theta X"
_FRAC = re.compile(r"\\frac\s*(?=\{)")
_THETA = re.compile(r"^\s*\\partial\s*\\theta\s*$")
_NUM = re.compile(r"^\s*\\partial(?![A-Za-z])\s*")
_SUB = re.compile(r"\\partial\s*_\s*(?:\{\s*\\theta\s*\}|\\theta(?![A-Za-z]))")


def rewrite(text: str):
    """``text`` with every partial derivative in theta written as \\nabla_\\theta, and the note; None if none."""
    if "\\partial" not in text:
        return None
    out, changed, i = [], False, 0
    for m in _FRAC.finditer(text):
        if m.start() < i:
            continue
        num = brace_group(text, m.end())
        den = brace_group(text, num[1]) if num else None
        if not num or not den or not _THETA.match(text[den[0] + 1:den[1] - 1]):
            continue
        inner = text[num[0] + 1:num[1] - 1]
        head = _NUM.match(inner)
        if head is None:
            continue
        rest = inner[head.end():]
        new = r"\nabla_{\theta} " + ("{" + rest + "}" if rest.strip() else "")
        span = den[1] - m.start()
        if len(new) > span:
            continue
        out.append(text[i:m.start()])
        out.append(new + " " * (span - len(new)))
        i = den[1]
        changed = True
    out.append(text[i:])
    result = "".join(out)
    sub = _SUB.sub(lambda m: r"\nabla_\theta" + " " * (len(m.group(0)) - len(r"\nabla_\theta")), result)
    changed = changed or sub != result
    return (sub, NOTE) if changed else None


__all__ = ["rewrite", "NOTE"]
