"""Greek letters an author defines in the file: ``\\phi``, ``\\psi``, ``\\omega``, ``\\sigma``, ... (issue 10).

Sutton & Barto (2018, sec. 13.2, proof of the policy gradient theorem) and Lilian Weng's post
("Policy Gradient Algorithms", 2018, proof of the policy gradient theorem) write
``Let \\phi(s) = \\sum_a \\nabla_\\theta \\pi_\\theta(a|s) Q^\\pi(s,a)``: a name with no meaning of its
own.  These letters (``commands.DEFINABLE_GREEK``) are read as symbols, so a definition binds them
(read_markdown/definitions.py: ``:=``, "let $\\phi(s) = ...$", 设, 令); a use before or without a
definition is refused here, naming the symbol and how to define it.  Their use is never guessed.
"""
from __future__ import annotations

from .commands import DEFINABLE_GREEK
from .errors import fail
from .interpret import Ctx, Head
from .registry import head


@head(*("\\" + name for name in sorted(DEFINABLE_GREEK)))
def _undefined_greek(h: Head, ctx: Ctx):
    r"""``\phi``, ``\omega``, ``\sigma``, ...: Greek letters derive gives no meaning; read only when the file
    defines them, else refused."""
    example = f"{h.base}(s)" if h.call is not None else h.base
    fail(f"{h.base} is not defined in this file: derive gives it no meaning of its own; define it before its use "
         f"(\"Let ${example} = ...$\" or {example} := ...), or write f(s) and define it", h.pos)
