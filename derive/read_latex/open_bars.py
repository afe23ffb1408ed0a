r"""An evaluation bar written without its opening: ``\nabla_\theta \eta(\pi_\theta)\big\vert_{\theta=\theta'}``.

Authors mark "evaluated at" with a bar after the expression, ``f(\theta)\big|_{\theta=\theta_{old}}``, and
most never write the sized opening ``\big.`` (or ``\left.``) that LaTeX would need to size the bar (TRPO
notes, Schulman's lectures, Lilian Weng, trunghng's blog).  The bar then evaluates what precedes it in its
group (a bracket, a ``\frac`` part, an argument after a comma) or in its side of the relation:

    \nabla_\theta \eta(\pi_\theta)\big\vert_{\theta=\theta'}   ->  \left. \nabla_\theta \eta(\pi_\theta) \right|_{\theta=\theta'}
    \frac{\nabla_\theta P(\tau;\theta)\big|_{\theta=\theta'}}{P(\tau;\theta')}   (the numerator)
    U(\theta)|_{\theta=\theta_{old}}   (an unsized bar with an "=" in its subscript)

A sum or difference before the bar at the same level (``X + Y\big|_{\theta=\theta'}``) is ambiguous (does the
bar evaluate Y or X + Y?): refused, naming the spelling with the opening.  The reading is stated in
``read as``.  The tokenizer (token_brackets.py, tokens.py) calls :func:`open_before`; the bar's reading is
operators.eval_bar (``@bar("at")``), wrapped in bars_unopened.py to add the note.
"""
from __future__ import annotations

import re

from .errors import fail

_OPENERS = {"LPAR", "LBRACK", "LBRACE", "LEFT"}
_CLOSERS = {"RPAR", "RBRACK", "RBRACE", "RIGHT"}
_STOPS = {"COMMA", "MID", "PARALLEL", "SEMI"}  # a scope never crosses an argument's comma or a conditioning bar
_SUM = {"PLUS", "MINUS"}
# an unsized bar |_{x = y} (or |_x = y is not a bar): only a subscript group holding '=' makes it an evaluation bar
_PLAIN = re.compile(r"\s*_\s*\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}")


def plain_bar(text: str, j: int) -> bool:
    r"""Whether an unsized ``|`` ending at ``j`` is an evaluation bar: ``|_{\theta=\theta_{old}}``."""
    m = _PLAIN.match(text, j)
    return bool(m) and "=" in re.sub(r"\{[^{}]*\}", "", m.group(1))


def _scope_start(out: list, name: str, pos: int) -> int:
    """The index in ``out`` where the bar's scope starts: after the innermost open group, a comma or a
    conditioning bar at the bar's level, or the formula's start; refused when empty or a sum."""
    depth, k = 0, 0
    for idx in range(len(out) - 1, -1, -1):
        tok = out[idx]
        if tok.type in _CLOSERS:
            depth += 1
        elif tok.type in _OPENERS:
            if depth == 0:
                k = idx + 1
                break
            depth -= 1
        elif depth == 0 and tok.type in _STOPS:
            k = idx + 1
            break
    scope = out[k:]
    if not scope:
        fail(f"the evaluation bar {name}|_{{...}} evaluates nothing: write \\left. X \\right|_{{...}}", pos)
    depth = 0
    for n, tok in enumerate(scope):
        if tok.type in _OPENERS:
            depth += 1
        elif tok.type in _CLOSERS:
            depth -= 1
        elif depth == 0 and tok.type in _SUM and n > 0 and scope[n - 1].type not in ("USCORE", "CARET"):
            fail(f"the evaluation bar {name}|_{{...}} follows a sum or difference without its opening: does it "
                 f"evaluate the last term or the whole sum? write {name}. X + Y {name}|_{{...}} (or "
                 f"\\left. X + Y \\right|_{{...}}) for the sum, or group the term: (Y){name}|_{{...}}", pos)
    return k


def open_before(out: list, emit, name: str, pos: int) -> None:
    """Insert the bar's missing opening (a ``\\left.`` token placed at the bar's own offset, so that the
    reading can tell it was not written) before the expression the bar at ``pos`` evaluates."""
    k = _scope_start(out, name, pos)
    emit("LEFT", ".", pos, pos)  # counted by the tokenizer's depth, then moved to the scope's start
    out.insert(k, out.pop())


__all__ = ["open_before", "plain_bar"]
