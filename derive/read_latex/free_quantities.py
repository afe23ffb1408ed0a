r"""Free quantities: a symbol the file uses without defining it, read as an arbitrary quantity (issue 10, R9).

Authors use symbols they never define: a constant ``K`` or ``c``, a feature map ``\phi(s)`` (Sutton & Barto
2018, sec. 13.2, the proof of the policy gradient theorem; Lilian Weng, "Policy Gradient Algorithms", 2018),
a free function ``\psi(s, a)``, a decorated name ``\hat{c}``, ``\bar{b}``.  The Markdown reader
(read_markdown/free_steps.py) re-reads a side that failed only because of such a symbol with the option
``free`` naming it; this reading then gives it a meaning:

* written bare (``K``, ``\hat{c}``, ``K^2``): a free real number, the same on the whole step
  (``lang.symbols.ScalarVar``: exact evaluation gives it one seeded rational per instance, and a pure-algebra
  step is judged at many rational points, check_statements/scalars.py);
* a Latin letter before a bracket that does not hold variables (``K (V(s) - b)``): that number times the
  bracket, said in ``read as``;
* applied to variables (``\phi(s)``, ``\psi(s, a)``, ``\phi(s_t)``, ``\phi(x)``): a free function of them
  (``nodes.FreeFn``, a seeded random table per instance, as derive's own ``f(x)``, ``b(s)``; as for those, a
  function of states only is 0 at the final state s_T of a finite-horizon trajectory, so a state at a time,
  ``\phi(s_t)``, is read only in the discounted setting, where there is no final state).

The step is then judged for every value: "holds" means it holds for every value of the free quantity (so
also for the one the author had in mind).  A failure is not certain (the author may mean a particular
quantity the file does not define): check_derivations/free_steps.py reports it as unknown with the
counterexample.  Never read here: a symbol with a subscript (``\Psi_t`` may vary with t; reading it as one
constant would check a special case only), a superscript that is not a number, arguments that are not
variables (``\sigma(u)`` with u a value stays unread: reading it as a product would be a guess).
"""
from __future__ import annotations

import re

from sympy.core.symbol import Str

from ..lang import nodes
from ..lang import symbols as sy
from .interpret import Ctx, Head, arguments
from .reading import note
from .registry import PRE_HEADS
from .roles import value_in_role
from .syntax import Atom, Scripted, single

_LATIN = re.compile(r"(?:[a-z]+:)?[A-Za-z]|\\hat\{[A-Za-z]\}")  # K, c, bar:A, \hat{c}
NOTE_MARK = "is not defined in this file: read as "  # check_derivations/free_steps.py finds free readings by it


def _numeric(x) -> bool:
    x = single(x)
    return isinstance(x, Atom) and x.kind == "num"


def written(label: str) -> str:
    """A head's label as LaTeX: ``bar:A`` -> ``\\bar{A}`` (interpret.Head.label spells hat: and cal: already)."""
    deco, _, letter = label.partition(":")
    return f"\\{deco}{{{letter}}}" if letter and deco.isalpha() else label


def free_reading(h: Head, ctx: Ctx):
    """(value, whether the call group was used) for a symbol the options name as free, else None."""
    free = ctx.options.get("free")
    if not free or h.label not in free or h.sub is not None or (h.sup is not None and not _numeric(h.sup)):
        return None
    names = h.call is not None and h.call.sep is None and all(
        isinstance(single(a), (Atom, Scripted)) for a in h.call.parts[0])
    if h.call is not None and not names:
        if not _LATIN.fullmatch(h.label):
            return None  # \sigma(u - v): a function of a value, or a product? not guessed
        note(f"{written(h.label)} {NOTE_MARK}an arbitrary real number (the step is judged for every value)")
        note(f"{written(h.label)}(...) is read as {written(h.label)} times the bracket")
        return h.finish(sy.scalar(written(h.label)), ctx), False
    if h.call is None:
        note(f"{written(h.label)} {NOTE_MARK}an arbitrary real number (the step is judged for every value)")
        return h.finish(sy.scalar(written(h.label)), ctx), False
    args = arguments(h.call, (1, 2, 3), f"the free function {h.label}")
    vals = [value_in_role(a, "var", ctx, f"an argument of {h.label} (read as a free function of variables)")
            for a in args]
    if ctx.options.get("setting", "finite") == "finite" and any(v.has(nodes.St) for v in vals):
        return None  # derive's free functions of states are 0 at s_T (rules_mdp.py): a special case, not every phi
    h.took_call = True
    note(f"{written(h.label)} {NOTE_MARK}an arbitrary function of its arguments (the step is judged for every such "
         "function)")
    return h.finish(nodes.FreeFn(Str(written(h.label)), *vals), ctx), True


PRE_HEADS.append(free_reading)

__all__ = ["free_reading", "NOTE_MARK"]
