r"""A group index written free in a step, as GRPO's authors write it: ``\tilde{A}_i = r_i - \frac{1}{G}\sum_j r_j``.

With a group of G completions (``group: G``, or a group the file introduces: read_markdown/conventions_llm.py),
a step that writes ``r_i``, ``a_i`` or ``\hat{A}_i`` with i bound by no group sum states the relation for every
i = 1..G (RLHF book, ch. 6, eq. RLOO_GRPO_EQUIV: ``\frac{G}{G-1}\tilde{A}_i = r_i - \frac{1}{G-1}\sum_{j \neq i}
r_j``; Shao et al. 2024, sec. 4.1.2).  The G completions are i.i.d. draws and derive's engine treats their names
a, a', a'', ... alike (free, or drawn from the same law), so exchanging completions 1 and k renames the statement
without changing whether it holds.  Hence, when

* each side that writes i reads, for i = k, as its reading for i = 1 with completions 1 and k exchanged
  (checked here, for every k = 2..G, on the readings themselves), and
* each side that does not write i is unchanged by that exchange (checked by the reader on the step,
  ``step_error``), with the same free letter on both sides,

the step for i = k is the step for i = 1 renamed, and the step is read for i = 1, said in ``read as``.
Otherwise: a precise unknown.  Only a step's sides are read so (option ``group_free: step``); a definition
with a free index is not bound this way.
"""
from __future__ import annotations

from ..lang.symbols import ActionVar
from .errors import ParseFail
from .interpret import Ctx, interpret
from .reading import current, enter, leave

FREE_NOTE = ("{letter} free (group: {g}): the step is stated for every {letter} = 1..{g}; each side's reading for "
             "{letter} = k is its reading for {letter} = 1 with completions 1 and k exchanged (the G completions "
             "are i.i.d.), so the step is read for {letter} = 1")
_MARK = " free (group: "


class FreeGroupIndex(ParseFail):
    """A group index (i, j, k) met outside a group sum: the reader's message, the letter and the group size."""

    def __init__(self, message: str, pos: int, letter: str, g: int):
        super().__init__(message, pos)
        self.letter, self.g = letter, g


def exchange(value, g: int, k: int):
    """``value`` with completions 1 and k exchanged (a <-> a^{(k)}, b <-> b^{(k)}): a renaming."""
    swap = {}
    for letter in ("a", "b"):  # the k-th completion is a, a', a'', ... (notation_grpo_group.completion)
        one, other = ActionVar(letter), ActionVar(letter + "'" * (k - 1))
        swap[one], swap[other] = other, one
    return value.xreplace(swap) if hasattr(value, "xreplace") else value


def read(syn, opts: dict):
    """interpret(syn) with a free group index read for i = 1 when the exchange argument holds (module doc)."""
    try:
        return interpret(syn, Ctx(options=opts))
    except FreeGroupIndex as err:
        if opts.get("group_free") != "step" or err.letter in opts.get("group_bind", {}):
            raise
        letter, g, pos = err.letter, err.g, err.pos
    readings = []
    reading = current()[0]
    for k in range(1, g + 1):
        notes = opts.get("notes") if k == 1 else []
        inner = {**opts, "group_bind": {**opts.get("group_bind", {}), letter: k}, "notes": notes}
        token = enter(reading, notes, inner)
        try:
            readings.append(read(syn, inner))
        finally:
            leave(token)
    for k in range(2, g + 1):
        if exchange(readings[0], g, k) != readings[k - 1]:
            raise ParseFail(f"{letter} is free in this side (bound by no group sum) and its reading for {letter} = {k} "
                            f"is not its reading for {letter} = 1 with completions 1 and {k} exchanged: the step is "
                            f"not read for every {letter}; write it for one completion (r_1) or inside "
                            f"\\sum_{{{letter}=1}}^{{G}}", pos)
    notes = opts.get("notes")
    text = FREE_NOTE.format(letter=letter, g=g)
    if isinstance(notes, list) and text not in notes:
        notes.append(text)
    return readings[0]


def _free_letters(notes) -> set:
    return {n.split(_MARK)[0] for n in notes if isinstance(n, str) and _MARK in n and n.endswith("read for " + n.split(_MARK)[0] + " = 1")}


def step_error(lhs, rhs, lhs_notes, rhs_notes, group):
    """The reason a step whose sides read a free group index cannot be read for every index, or None."""
    left, right = _free_letters(lhs_notes), _free_letters(rhs_notes)
    if not left and not right:
        return None
    if left and right and left != right:
        return (f"the two sides have different free group indices ({', '.join(sorted(left))} and "
                f"{', '.join(sorted(right))}): the step is not read for every index; use one letter")
    g = int(group) if str(group).isdigit() else 0
    for side, free, value in (("left", left, lhs), ("right", right, rhs)):
        if free:
            continue
        for k in range(2, g + 1):
            if exchange(value, g, k) != value:
                letter = sorted(left | right)[0]
                return (f"{letter} is free in the other side, but the {side}-hand side changes when completions 1 "
                        f"and {k} are exchanged: the step is not the same for every {letter} = 1..{g}; write it "
                        f"for one completion (r_1) or inside \\sum_{{{letter}=1}}^{{G}}")
    return None


__all__ = ["FreeGroupIndex", "FREE_NOTE", "read", "step_error", "exchange"]
