r"""GRPO's advantage written ``A_i`` and RLOO's ``A_i^{RLOO}``, for a group of G completions (issue 10, R10).

With a group (front matter ``group: G`` or inferred, read_latex/notation_grpo_group.py):

==========================================================  ==========================================================
written                                                     read as
==========================================================  ==========================================================
``A_i^{\text{RLOO}}``, ``A_i^{RLOO}``                          RLOO's leave-one-out advantage (Kool et al. 2019; Ahmadian
                                                            et al. 2024, eq. 5; RLHF book ch. 6): ``r_i - \frac{1}{G-1}
                                                            \sum_{j \neq i} r_j``
``A_i``, ``A_{i,t}`` with ``advantage: group`` (front        GRPO's group-normalised advantage ``\hat{A}_i`` (Shao et al.
matter, or inferred: the file writes ``A_i = \frac{r_i -    2024, sec. 4.1.2): ``(r_i - \operatorname{mean}_j r_j) /
\text{mean}(...)}{\text{std}(...)}``)                         \operatorname{std}_j r_j``, 0 for an all-equal group
==========================================================  ==========================================================

Without ``advantage: group`` a bare ``A_i`` keeps its refusal (read_latex/group_sums.py): an ``A_i`` may be any
advantage (Dr. GRPO's ``r_i - \operatorname{mean}``, RLOO's), so it is read only where the file says which.
``\hat{A}_{i,t}`` with a group is ``\hat{A}_i``: every token t of output i carries its output's advantage (outcome
supervision, Shao et al. 2024, sec. 4.1.2: "sets the advantages of all tokens in the output as the normalized reward").
"""
from __future__ import annotations

import re

from sympy import Add, Rational

from ..lang import nodes
from .interpret import Ctx, Head
from .notation_grpo_group import (ADVANTAGE_NOTE, REWARD_NOTE, STD_NOTE, _group_member, _reward, _with_power,
                                  group_mean, group_size, group_std, sympy_eq)
from .reading import note_in
from .registry import HEADS, head
from .syntax import Atom, raw, single

_BEFORE = {"A": HEADS["A"], "hat:A": HEADS["hat:A"]}
_TOKEN_INDEX = re.compile(r"\{?\s*([ijk]|\d)\s*,\s*t\s*\}?")
TOKEN_NOTE = (r"{name}_{{{i},t}} (group: G): the advantage of every token t of output {i} is the output's own (outcome "
              r"supervision, Shao et al. 2024, sec. 4.1.2: \hat{{A}}_{{i,t}} = \tilde{{r}}_i for all t), read as {name}_{i}")
RLOO_NOTE = (r"A_i^{RLOO} (group: G): RLOO's leave-one-out advantage (Kool et al. 2019; Ahmadian et al. 2024, eq. 5), "
             r"r_i - \frac{1}{G-1} \sum_{j \neq i} r_j: the reward of completion i minus the mean of the other G - 1")
NAMED_NOTE = (r"A_i (advantage: group): GRPO's group-normalised advantage \hat{A}_i, as the file defines it")


def _label(sup) -> str:
    flat = raw(single(sup)).replace(" ", "")
    for junk in (r"\text", r"\mathrm", r"\operatorname", r"\textsf", "text:", "{", "}"):
        flat = flat.replace(junk, "")
    return flat


def normalised(g: int, k: int):
    """(r_k - mean_j r_j) / std_j r_j (0 when all G rewards are equal: std + [std = 0])."""
    rewards = [_reward(j) for j in range(1, g + 1)]
    std = group_std(rewards)
    return (rewards[k - 1] - group_mean(rewards)) / (std + nodes.Indicator(sympy_eq(std, 0)))


def leave_one_out(g: int, k: int):
    """r_k - (1/(G-1)) sum_{j != k} r_j."""
    rewards = [_reward(j) for j in range(1, g + 1)]
    return rewards[k - 1] - Rational(1, g - 1) * Add(*[r for j, r in enumerate(rewards, 1) if j != k])


def _per_output(h: Head, ctx: Ctx) -> None:
    r"""``\hat{A}_{i,t}``, ``A_{i,t}`` with a group: the subscript made ``i`` (every token carries its output's
    advantage: outcome supervision), said in ``read as``; otherwise h unchanged."""
    if h.sub is None or group_size(ctx) is None:
        return
    m = _TOKEN_INDEX.fullmatch(raw(single(h.sub)).replace(" ", ""))
    if m is None:
        return
    name = r"\hat{A}" if h.key == "hat:A" else "A"
    note_in(ctx, TOKEN_NOTE.format(name=name, i=m.group(1)))
    h.sub = Atom(h.sub.pos, "num" if m.group(1).isdigit() else "sym", m.group(1))


@head("hat:A")
def _token_advantage(h: Head, ctx: Ctx):
    r"""``\hat{A}_{i,t}`` with a group (G outputs of one prompt): ``\hat{A}_i`` (Shao et al. 2024, sec. 4.1.2)."""
    _per_output(h, ctx)
    return _BEFORE["hat:A"](h, ctx)


@head("A")
def _group_advantage(h: Head, ctx: Ctx):
    r"""``A_i^{RLOO}``; ``A_i`` (and ``A_{i,t}``) under ``advantage: group``; anything else as before."""
    if ctx.options.get("advantage") == "group":
        _per_output(h, ctx)
    rloo = h.sup is not None and _label(h.sup) == "RLOO"
    named = h.sup is None and ctx.options.get("advantage") == "group"
    if not (rloo or named) or h.sub is None or h.primes or h.call is not None:
        return _BEFORE["A"](h, ctx)
    if rloo:
        sup, h.sup = h.sup, None  # the label is not an exponent
        hit = _group_member(h, ctx)
        h.sup = sup
    else:
        hit = _group_member(h, ctx)
    if hit is None:
        return _BEFORE["A"](h, ctx)
    g, k = hit
    h.take_sub()
    note_in(ctx, REWARD_NOTE)
    if rloo:
        h.take_sup()
        note_in(ctx, RLOO_NOTE)
        return leave_one_out(g, k)
    note_in(ctx, NAMED_NOTE)
    note_in(ctx, ADVANTAGE_NOTE)
    note_in(ctx, STD_NOTE)
    return _with_power(h, normalised(g, k))


__all__ = ["RLOO_NOTE", "leave_one_out", "normalised"]
