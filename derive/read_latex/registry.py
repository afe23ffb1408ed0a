"""The reader's registries (a leaf: it imports nothing from read_latex).

``HEADS`` maps a symbol (a letter, a Greek macro, ``hat:A``, ``text:clip``) to a reading
``fn(head, ctx) -> expression``; ``OPS`` maps an operator (``sum``, ``log``, ``nabla``, ``expect``,
...) to ``fn(item, items, i, ctx) -> (expression, next index)``; ``BARS`` maps the evaluation bar
``\\left. X \\right|_{\\theta = \\theta_k}`` to ``fn(group, sub, ctx) -> expression``.

The notation modules file their readings here with ``@head``, ``@op`` and ``@bar``
(derive/lang/registry.py); :mod:`derive.read_latex.readings` imports every notation module, in one
place and in one order (a later reading of a name may wrap the earlier one); the interpreter
(:mod:`derive.read_latex.interpret`) only looks readings up here.  docs/notation.md describes every form.
"""
from __future__ import annotations

from ..lang.registry import registrar

HEADS: dict = {}
OPS: dict = {}
BARS: dict = {}
head = registrar(HEADS)  # @head(r"\pi", ...): the reading of a symbol
op = registrar(OPS)  # @op("expect", ...): the reading of an operator
bar = registrar(BARS)  # @bar("at"): the reading of \left. X \right|_{...}
PRE_HEADS: list = []  # fn(head, ctx) -> (expression, took call) | None, tried before HEADS (free_quantities.py)

__all__ = ["HEADS", "OPS", "BARS", "PRE_HEADS", "head", "op", "bar"]
