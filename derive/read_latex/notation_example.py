r"""A worked example's named states and named numbers (issue 10, R8).

Textbooks explain the Bellman equation on a small figure: microsoft/ai-edu A7 sec. 7.3.2-7.3.4 names an upstream
state ``s_a`` and downstream states ``s_b``, ``s_c``, the transition probabilities ``p_1``, ``p_2`` and rewards
``r_1``, ``r_2`` on the arrows, and the returns ``G_a``, ``G_b``, ``G_c`` from those states:
``\mathbb E[R_{t+1}|S_t=s_a] = p_1 \cdot r_1 + p_2 \cdot r_2`` (eq. 7.3.7), ``v(s_a) = \mathbb E[G_a|S_t=s_a]``
(eq. 7.3.10).

=====================================================  =========================================================
written                                                read as
=====================================================  =========================================================
``s_a``, ``s_b``, ... ``s_g`` (a lowercase letter the   a named state: an arbitrary state of the MDP (a claim that
file never uses as an index, ``s_{a+1}``)               holds for every state holds for it); said in ``read as``
``p_1``, ``p_2`` (no arguments), and ``r_1``, ``r_2``   the example's numbers (lang/example_numbers.py): the step
in a file that writes such a ``p_1``; ``G_a``, ``G_b``  is read, and "not attempted": their values are in the
(a return with a named state's letter)                  figure, not in the file
=====================================================  =========================================================

A named state is not a time: derive reads ``s_t``'s subscript as a time, and a subscript letter that is a time or a
counter (t, k, n, T, i, j, l, m, h, ...) or that the file writes with ``+``/``-`` (``s_{a+1}``) keeps that reading.
Named states of one example are meant distinct; derive's instances also try them equal, so a step about named
states that fails is reported unknown, not "fails" (check_derivations/example_steps.py).  ``r_1`` stays the reward
at time 1 in a file without an example's ``p_1`` (Spinning Up's ``r_0 + \gamma r_1 + ...``).
"""
from __future__ import annotations

import re

from ..lang.example_numbers import ExampleNumber, NamedState
from .interpret import Ctx, Head
from .reading import current, note
from .registry import HEADS, head
from .syntax import Atom, raw, single

_NAME_LETTERS = frozenset("abcdefg")
# p_1, P_2 written without arguments (a figure's probabilities); p_0 is the start distribution, not an example's
_EXAMPLE_P = re.compile(r"(?<![A-Za-z\\])p\s*_\s*\{?\s*[1-9]\s*\}?(?!\s*(?:\(|\\left|\^|'|_|\{?\s*\d))")
_ORIGINAL = {name: HEADS[name] for name in ("s", "p", "r", "G") if name in HEADS}
STATE_NOTE = ("s_a, s_b, ... (a subscript letter that names, not a time): the example's named states, read as "
              "arbitrary states of the MDP")
NUMBER_NOTE = ("p_1, r_1, G_a, ... (no arguments): the worked example's named numbers (probabilities, rewards, returns "
               "from its named states); their values are in its figure")


def _letter(h: Head) -> str | None:
    """The single lowercase letter of ``h``'s subscript when it can be a name (``s_a``), else None."""
    if h.sub is None or h.sup is not None or h.primes:
        return None
    x = single(h.sub)
    if not (isinstance(x, Atom) and x.kind == "sym" and x.name in _NAME_LETTERS):
        return None
    text = current()[0].text
    if re.search(r"_\s*\{\s*%s\s*[-+]|[-+]\s*%s\s*\}" % (x.name, x.name), text):
        return None  # s_{a+1}: the letter is an index in this file
    return x.name


def _number(h: Head) -> str | None:
    """The digit of ``p_1`` / ``r_2`` written without arguments or scripts, else None."""
    if h.sub is None or h.sup is not None or h.primes or h.call is not None:
        return None
    x = single(h.sub)
    if isinstance(x, Atom) and x.kind == "num" and raw(x).strip() in "123456789" and len(raw(x).strip()) == 1:
        return raw(x).strip()
    return None


def _example_file() -> bool:
    return bool(_EXAMPLE_P.search(current()[0].text))


def _named_state(h: Head, ctx: Ctx):
    """s_a, s_b (a worked example's named states, a letter never used as an index): arbitrary states of the MDP."""
    letter = _letter(h) if h.call is None else None
    if letter is None:
        return _ORIGINAL["s"](h, ctx)
    h.take_sub()
    note(STATE_NOTE)
    return NamedState(f"s_{letter}")


def _probability(h: Head, ctx: Ctx):
    """p_1, p_2 written without arguments: a worked example's named probabilities (values in its figure)."""
    n = _number(h)
    if n is None:
        return _ORIGINAL["p"](h, ctx)
    h.take_sub()
    note(NUMBER_NOTE)
    return ExampleNumber(f"p_{n}", real=True)


def _reward(h: Head, ctx: Ctx):
    """r_1, r_2 without arguments in a worked example (a file writing p_1 ...): the example's named rewards."""
    n = _number(h)
    if n is None or not _example_file():
        return _ORIGINAL["r"](h, ctx)
    h.take_sub()
    note(NUMBER_NOTE)
    return ExampleNumber(f"r_{n}", real=True)


def _example_return(h: Head, ctx: Ctx):
    """G_a, G_b: the returns from a worked example's named states (named numbers); G_t stays the return."""
    letter = _letter(h) if h.call is None else None
    if letter is None or letter == "t":
        return _ORIGINAL["G"](h, ctx)
    h.take_sub()
    note(NUMBER_NOTE)
    return ExampleNumber(f"G_{letter}", real=True)


for _name, _fn in (("s", _named_state), ("p", _probability), ("r", _reward), ("G", _example_return)):
    if _name in _ORIGINAL:
        head(_name)(_fn)

__all__ = ["STATE_NOTE", "NUMBER_NOTE"]
