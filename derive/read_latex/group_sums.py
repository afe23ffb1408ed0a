r"""A group's leave-one-out sums and its statistics written over a list (issue 10, R1), with ``group: G``.

RLOO's baseline (Ahmadian et al. 2024, eq. 5; RLHF book ch. 6, eq. RLOO_ADV_AGAIN) and the scaled equivalence of
Dr. GRPO's advantage to it sum the rewards of the *other* completions of the group; GRPO's advantage (Shao et al.
2024, sec. 4.1.2) writes the group's mean and std over the list of its rewards.  Read with a group of G
completions (read_latex/notation_grpo_group.py), said in ``read as``:

=====================================================================  =============================================
written                                                                read as
=====================================================================  =============================================
``\sum_{j=1, j\neq i}^G X_j``, ``\sum_{j \neq i} X_j`` (also ``i\neq j``)  the sum of X_k over the completions k = 1..G
                                                                       other than i (i bound by a group sum, or
                                                                       free: read for every i, group_free_index.py)
``\text{mean}(r_1, r_2, \cdots, r_G)``, ``\text{mean}(\{r_1, ..., r_G\})``  ``\operatorname{mean}_j(r_j)``; likewise std
(all G listed, or ``r_1, [r_2,] \cdots, r_G``), ``\text{mean}(\mathbf{r})``  (the population std, divisor G)
=====================================================================  =============================================
"""
from __future__ import annotations

import re

from sympy import Add

from .errors import fail
from .group_free_index import FreeGroupIndex
from .interpret import Ctx, Head, binder_body
from .notation_grpo_group import (GROUP_LETTERS, NOTE, REWARD_NOTE, STD_NOTE, _bind, _reward, group_mean, group_size,
                                  group_std)
from .reading import note_in
from .registry import HEADS, head, op
from .syntax import Group, Rel, raw, single

_BEFORE = {name: HEADS[name] for name in ("text:mean", "text:std", "A")}

_L = r"(?:\{\s*([ijk])\s*\}|([ijk]))"
_EXCEPT = re.compile(r"\\sum\s*_\s*\{\s*(?:([ijk])\s*=\s*1\s*,\s*)?([ijk])\s*\\neq?(?![A-Za-z])\s*([ijk])\s*\}"
                     r"(?:\s*\^\s*(?:\{\s*(G|[2-9])\s*\}|(G|[2-9])))?")
LOO_NOTE = (r"\sum_{{{j}=1, {j} \neq {i}}}^{{G}} X_{j} (group: G): the sum over the completions {j} = 1..G other than "
            r"{i} (a leave-one-out sum, RLOO's baseline: Ahmadian et al. 2024, eq. 5), written out")


def leave_one_out(text: str, i: int, tokenize):
    r"""At text[i]: ``\sum_{j=1, j\neq i}^G`` as the tokens of the operator ``sum_except`` with the subscript
    ``{j=1, i}`` (the summed letter, the excluded one): (tokens, offset), or None (tokens_extra.macro_tokens)."""
    m = _EXCEPT.match(text, i)
    if m is None:
        return None
    lo, left, right, top = m.group(1), m.group(2), m.group(3), m.group(4) or m.group(5) or "G"
    letter = lo or left
    if left == right or letter not in (left, right):
        return None
    other = right if letter == left else left
    toks = [("OP", "sum_except", i, m.end())]
    toks += [(t.type, t.value, i, m.end()) for t in tokenize("_{" + letter + "=1," + other + "}^{" + top + "}")]
    return toks, m.end()


@op("sum_except")
def _sum_except(item, items, i, ctx: Ctx):
    r"""``\sum_{j=1, j\neq i}^G X_j``: X_k summed over the completions k = 1..G other than i."""
    g = group_size(ctx)
    parts = single(item.sub).parts[0] if isinstance(single(item.sub), Group) else []
    top = raw(single(item.sup)).replace(" ", "").strip("{}") if item.sup is not None else "G"
    if g is None:
        fail(r"\sum_{j=1, j \neq i}^{G} (a leave-one-out sum over a group) is read with a group of G completions: "
             r"front matter group: 3, or a group the file introduces ({a_1, a_2, ..., a_G})", item.pos)
    if top not in ("G", str(g)) or len(parts) != 2 or not isinstance(single(parts[0]), Rel):
        fail(r"a leave-one-out sum runs over the group: \sum_{j=1, j \neq i}^{G}", item.pos)
    letter = raw(single(single(parts[0]).lhs)).replace(" ", "")
    other = raw(single(parts[1])).replace(" ", "")
    bound = ctx.options.get("group_bind", {})
    if other not in bound:
        raise FreeGroupIndex(f"{other} in \\sum_{{{letter} \\neq {other}}} is bound by no group sum: write the sum "
                             f"inside \\sum_{{{other}=1}}^{{G}}", item.pos, other, g)
    terms, j = [], i + 1
    for k, inner in enumerate(_bind(ctx, letter, item.pos, f"\\sum_{{{letter}=1}}^{{G}}"), start=1):
        value, j = binder_body(items, i, inner, r"\sum_{j \neq i}", item.pos)
        if k != bound[other]:
            terms.append(value)
    note_in(ctx, NOTE.format(g=g))
    note_in(ctx, LOO_NOTE.format(i=other, j=letter))
    return Add(*terms), j


_ITEM = re.compile(r"^r_\{?(\d|G)\}?$")
_DOTS = {r"\cdots", r"\ldots", r"\dots", "...", r"\dotsc"}


def _listed(h: Head, ctx: Ctx, what: str):
    """[r_1, ..., r_G] of mean(r_1, r_2, \\cdots, r_G) / mean(\\{...\\}) / mean(\\mathbf{r}), or None."""
    g = group_size(ctx)
    call = h.call
    if g is None or h.sub is not None or h.sup is not None or call is None or len(call.parts) != 1:
        return None
    args = list(call.parts[0])
    if len(args) == 1 and isinstance(single(args[0]), Group) and single(args[0]).kind == "brace" \
            and len(single(args[0]).parts) == 1:
        args = list(single(args[0]).parts[0])
    names = [raw(single(a)).replace(" ", "").replace("\\{", "").replace("\\}", "") for a in args]
    if names in (["\\mathbf{r}"], ["\\boldsymbol{r}"], ["\\vec{r}"], ["r"]):  # TRL: \text{mean}(\mathbf{r})
        pass
    elif len(names) < 2:
        return None
    else:
        ks = []
        for n in names:
            m = _ITEM.match(n)
            ks.append("..." if n in _DOTS else (m.group(1) if m else None))
        full = [str(k) for k in range(1, g + 1)]
        if None in ks or ks not in (full, full[:-1] + ["G"], ["1", "...", "G"], ["1", "2", "...", "G"]):
            fail(f"\\operatorname{{{what}}} over a listed group is read for the rewards r_1, r_2, \\cdots, r_G "
                 f"(group: G = {g}); or write \\operatorname{{{what}}}_j(r_j)", h.pos)
    h.take_call()
    note_in(ctx, NOTE.format(g=g))
    note_in(ctx, REWARD_NOTE)
    return [_reward(k) for k in range(1, g + 1)]


@head("text:mean")
def _mean_list(h: Head, ctx: Ctx):
    r"""``\text{mean}(r_1, r_2, \cdots, r_G)`` (group: G): ``\frac{1}{G}\sum_{j=1}^{G} r_j``."""
    values = _listed(h, ctx, "mean")
    return _BEFORE["text:mean"](h, ctx) if values is None else group_mean(values)


@head("text:std")
def _std_list(h: Head, ctx: Ctx):
    r"""``\text{std}(\{r_1, \ldots, r_G\})`` (group: G): the population std of the G rewards (divisor G)."""
    values = _listed(h, ctx, "std")
    if values is None:
        return _BEFORE["text:std"](h, ctx)
    note_in(ctx, STD_NOTE)
    return group_std(values)


@head("A")
def _group_a(h: Head, ctx: Ctx):
    r"""``A_i`` with a group index (group: G): refused naming GRPO's advantage and its spellings; A_t, A^\pi as before."""
    name = raw(single(h.sub)).replace(" ", "").strip("{}") if h.sub is not None else ""
    if group_size(ctx) is not None and (name in GROUP_LETTERS or name.isdigit() or name == "G") and h.call is None:
        fail(f"A_{name} (the advantage of completion {name} of the group) has no meaning of its own: GRPO's "
             r"group-normalised advantage is written \hat{A}_i (Shao et al. 2024, sec. 4.1.2); or define it first "
             r"(A_i := \frac{r_i - \text{mean}(r_1, \cdots, r_G)}{\text{std}(r_1, \cdots, r_G)})", h.pos)
    return _BEFORE["A"](h, ctx)


__all__ = ["leave_one_out", "LOO_NOTE", "GROUP_LETTERS"]
