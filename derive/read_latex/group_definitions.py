r"""A file's definition over a group index: ``\tilde{A}_i := r_i - \frac{1}{G}\sum_{j=1}^G r_j`` (issue 10, R1).

Dr. GRPO's advantage (Liu et al. 2025; RLHF book ch. 6, eq. DrGRPO_ADV) and RLOO's (Ahmadian et al. 2024, eq. 5)
are defined for the i-th completion of a group.  With a group of G completions (``group: G``, or inferred:
read_markdown/conventions_llm.py), a definition whose left side has a group index i, j or k as its parameter is
read once for each completion, i = 1..G (``read_values``); a use ``\tilde{A}_2``, ``\tilde{A}_G`` or
``\tilde{A}_j`` (j bound by a group sum) takes that completion's reading; a use with a free index in a step
is read for every i by the exchange argument (group_free_index.py), which compares the readings themselves.
"""
from __future__ import annotations

from .errors import fail
from .notation_grpo_group import GROUP_LETTERS, _member, group_size

MAX_DEFINED = 4  # readings per definition: one per completion (G <= notation_grpo_group.MAX_GROUP)


def group_letter(params: dict, options: dict):
    """The group index (i, j or k) a definition's pattern takes as a parameter, when a group is in force."""
    letters = [n for n, role in params.items() if role == "index" and n in GROUP_LETTERS]
    if not options.get("group") or len(letters) != 1:
        return None
    return letters[0]


def read_values(letter: str, options: dict, read_one) -> tuple:
    """(value for i = 1, ..., value for i = G): ``read_one(options)`` with the letter bound to each completion."""
    g = int(options["group"])
    bound = options.get("group_bind", {})
    return tuple(read_one({**options, "group_bind": {**bound, letter: k}}) for k in range(1, min(g, MAX_DEFINED) + 1))


def value_for(values: tuple, syn, ctx, what: str, pos: int):
    """The reading of the completion the use's subscript names (a digit, G, a bound index); a free index raises
    group_free_index.FreeGroupIndex (read for every i in a step)."""
    g = group_size(ctx)
    k = _member(syn, ctx, g, pos, what) if g is not None else None
    if k is None or g != len(values):
        fail(f"{what} is defined for the completions of the group (i = 1..G): write {what}_i, {what}_2 or {what}_G",
             pos)
    return values[k - 1]


__all__ = ["group_letter", "read_values", "value_for"]
