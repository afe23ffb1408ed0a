"""A group of G i.i.d. completions at one prompt, as GRPO writes it (Shao et al. 2024, DeepSeekMath, eq. 3, sec. 4.1.2).

With the reader option ``group: G`` (front matter ``group: 3``, a catalog entry's ``options: group=3``) a
statement is about one prompt s and a group of G completions a_1..a_G drawn i.i.d. from pi(.|s): the setting
of the catalog's GRPO entries (derive/catalog/statements/llm.md, section 2.11), which the engine evaluates
exactly by enumerating the product space of the G draws (one PolicyDraw per completion). G is a number from
2 to MAX_GROUP (|A|^G points), and every statement is judged for that G (said in ``read as``):

==============================================================  ===================================================
written (group: G)                                              read as
==============================================================  ===================================================
``G``                                                           the number G of the option
``a_1``, ``a_G``, ``a_i`` (i bound by a group sum)              the i-th completion (derive's a, a', a'', a''');
                                                                ``b_i`` likewise (b, b', ...), a second group
``\\mathbb{E}_{a_1, \\ldots, a_G \\sim \\pi_\\theta(\\cdot|s)}``       G i.i.d. draws (or all G listed,
                                                                or ``\\{a_i\\}_{i=1}^{G} \\sim ...``)
``\\sum_{i=1}^{G} X_i`` (index i, j or k)                        X_1 + ... + X_G, the sum written out
``\\operatorname{mean}_j(X_j)``                                  (1/G) sum_j X_j (GRPO's mean(r))
``\\operatorname{std}_j(X_j)``                                   sqrt((1/G) sum_j (X_j - mean)^2): the population
                                                                std (divisor G, as DeepSeekMath's std(r) is read
                                                                here; TRL's torch.std divides by G - 1)
``r_i``, ``r_2`` (also ``r_i^2``)                                 r(s, a_i): the reward of the i-th completion, an
                                                                arbitrary function (outcome supervision)
``\\hat{A}_i``                                                  (r_i - mean_j r_j) / std_j r_j (sec. 4.1.2), 0 for
                                                                an all-equal group (the paper's 0/0; std + eps in
                                                                implementations, eps -> 0)
==============================================================  ===================================================

G also comes from the file's definition ``Let $G := 3$`` (2 to MAX_GROUP), said in ``read as``.

Not read (precise unknowns): a group index outside a group sum (``a_i`` alone) except in a step, where it is
read for every i when the exchange argument holds (group_free_index.py); a group sum whose range is
not 1..G, and GRPO's G > 1 token sequences ``o_{i,t}`` with ``|o_i|`` (one output per file:
read_latex/notation_groups.py).
"""
from __future__ import annotations

import re
from dataclasses import replace

from sympy import Add, Integer, Rational, sqrt

from sympy.core.symbol import Str

from ..lang import nodes
from ..lang.symbols import ActionVar, StateVar
from .errors import fail
from .group_free_index import FreeGroupIndex
from .interpret import Ctx, Head, arguments, binder_body, interpret
from .reading import note_in
from .registry import HEADS, OPS, head, op
from .syntax import Atom, Group, Rel, Scripted, raw, single

MAX_GROUP = 4  # |A|^G points are enumerated per group
GROUP_LETTERS = ("i", "j", "k")
_BEFORE = {name: HEADS[name] for name in ("a", "b", "G", "r", "hat:A")}
_SUM = OPS["sum"]

NOTE = (r"group: {g} (GRPO, Shao et al. 2024, eq. 3): one prompt s and a group of G = {g} completions a_1..a_{g} "
        r"drawn i.i.d. from \pi(\cdot \mid s); a_i is the i-th completion, \sum_{{i=1}}^{{G}} is written out "
        r"over the {g} completions; judged for G = {g}")
STD_NOTE = (r"\operatorname{std}_j(X_j): the population standard deviation \sqrt{\frac{1}{G}\sum_{j=1}^{G} "
            r"(X_j - \operatorname{mean}_k(X_k))^2} (divisor G, not G - 1)")


def group_size(ctx: Ctx):
    """G of the option ``group`` (a number 2..MAX_GROUP), or None without it."""
    value = ctx.options.get("group")
    if value is None:
        value = _defined_size(ctx)
    if value is None:
        return None
    g = int(value) if str(value).isdigit() else 0
    if not 2 <= g <= MAX_GROUP:
        fail(f"group: {value} must be a number of completions from 2 to {MAX_GROUP} (the product space of the "
             f"G draws is enumerated exactly)", 0)
    return g


def _defined_size(ctx: Ctx):
    """G when the file defines it as a number from 2 to MAX_GROUP (``Let $G := 3$``), else None."""
    defs = ctx.options.get("definitions")
    for d in getattr(defs, "entries", ()):
        if d.name == "G" and d.call is None and not isinstance(d.item, Scripted) and isinstance(d.value, Integer) \
                and 2 <= int(d.value) <= MAX_GROUP:  # another G (e.g. G := 7) is not taken for a group size
            note_in(ctx, f"group: {int(d.value)} read from the file's definition G := {int(d.value)}")
            return int(d.value)
    return None


def completion(k: int, letter: str = "a") -> ActionVar:
    """The k-th completion of the group (k = 1..G): derive's action a, a', a'', ... (the catalog's names)."""
    return ActionVar(letter + "'" * (k - 1))


def _note(ctx: Ctx, text: str):
    note_in(ctx, text)


def _member(sub, ctx: Ctx, g: int, pos: int, letter: str):
    """The completion number 1..G a subscript names (a digit, G, or a bound group index), or None."""
    name = raw(single(sub)).replace(" ", "").strip("{}")
    if name == "G":
        return g
    if name.isdigit():
        k = int(name)
        if not 1 <= k <= g:
            fail(f"{letter}_{name}: the group has G = {g} completions, {letter}_1..{letter}_{g}", pos)
        return k
    bound = ctx.options.get("group_bind", {})
    if name in ctx.options.get("index_bound", ()) and name not in bound:
        return None  # bound by a sum over time (\sum_{i=0}^{T-1}): not a completion
    if name in bound:
        return bound[name]
    if name in GROUP_LETTERS:  # free: read for every index when the exchange argument holds (group_free_index.py)
        raise FreeGroupIndex(f"{letter}_{name} outside a group sum: write it inside \\sum_{{{name}=1}}^{{G}} "
                             f"(group: {g})", pos, name, g)
    if set(re.findall(r"[A-Za-z]+", name)) & set(bound):  # a_{i+1} inside \sum_i: not a time index
        fail(f"{letter}_{{{name}}}: a group's completions are named {letter}_1..{letter}_G or {letter}_i with i bound "
             f"by a group sum; an expression of the group index is not read", pos)
    return None


@head("a", "b")
def _action(h: Head, ctx: Ctx):
    """a_i, b_i: the i-th completion of the group."""
    g = group_size(ctx)
    if g is None or h.sub is None or h.primes:
        return _BEFORE[h.base](h, ctx)
    k = _member(h.sub, ctx, g, h.pos, h.name)
    if k is None:
        return _BEFORE[h.base](h, ctx)
    h.take_sub()
    _note(ctx, NOTE.format(g=g))
    return completion(k, h.name)


@head("G")
def _size(h: Head, ctx: Ctx):
    r"""``G`` with front matter ``group: G``: the group size (a number, 2 to 4); otherwise as before (``G_t``,
    ``G(\tau)``)."""
    g = group_size(ctx)
    if g is None and h.sub is None and h.sup is None and h.call is None and not h.primes:
        fail(r"G alone is neither the return (G_t from time t, G(\tau)) nor a group size: GRPO's group of G "
             r"completions a_1..a_G of one prompt is read for a number G, given by front matter group: 3 "
             r"(2 to 4; read_latex/notation_grpo_group.py), or inferred when the file introduces the group "
             r"as \{a_1, a_2, \ldots, a_G\}", h.pos)
    if g is None or h.sub is not None or h.sup is not None or h.call is not None or h.primes:
        return _BEFORE["G"](h, ctx)
    _note(ctx, NOTE.format(g=g))
    return Integer(g)


def _group_index(item, g: int):
    """The letter of \\sum_{i=1}^{G} (or ^{g}), or None for another sum."""
    if not isinstance(item, Scripted) or item.sub is None or item.sup is None:
        return None
    rel = single(item.sub)
    if isinstance(rel, Group) and rel.kind == "brace" and len(rel.parts) == 1 and len(rel.parts[0]) == 1:
        rel = rel.parts[0][0]
    if not isinstance(rel, Rel) or rel.kind != "=":
        return None
    letter = raw(single(rel.lhs)).replace(" ", "")
    if letter not in GROUP_LETTERS or not isinstance(single(rel.lhs), Atom):
        return None
    lo, hi = raw(single(rel.rhs)).replace(" ", ""), raw(single(item.sup)).replace(" ", "").strip("{}")
    if hi not in ("G", str(g)):
        return None
    if lo != "1":
        fail(f"\\sum_{{{letter}={lo}}}^{{G}}: a group sum runs over the completions {letter} = 1..G", rel.pos)
    return letter


def _sum_letter(item):
    """The letter a sum's subscript ``x = lo`` binds, or None."""
    rel = single(item.sub) if isinstance(item, Scripted) and item.sub is not None else None
    if isinstance(rel, Group) and rel.kind == "brace" and len(rel.parts) == 1 and len(rel.parts[0]) == 1:
        rel = rel.parts[0][0]
    return raw(single(rel.lhs)).replace(" ", "") if isinstance(rel, Rel) and rel.kind == "=" else None


def _bind(ctx: Ctx, letter: str, pos: int, what: str):
    bound = ctx.options.get("group_bind", {})
    if letter in bound:
        fail(f"{what} inside a sum over the same index {letter}: use another letter (i, j, k)", pos)
    return [replace(ctx, options={**ctx.options, "group_bind": {**bound, letter: k}})
            for k in range(1, group_size(ctx) + 1)]


@op("sum")
def _sum(item, items, i, ctx: Ctx):
    r"""\sum_{i=1}^{G} X_i with group: G: X_1 + ... + X_G, each term read with i bound to its completion."""
    g = group_size(ctx)
    letter = _group_index(item, g) if g is not None else None
    if letter is None:
        other = _sum_letter(item) if g is not None else None
        if other in GROUP_LETTERS:  # \sum_{i=0}^{T-1} \gamma^i r_i: i is a time index here, not a completion
            timed = ctx.options.get("index_bound", frozenset()) | {other}
            ctx = replace(ctx, options={**ctx.options, "index_bound": timed, "group_bind": {
                k: v for k, v in ctx.options.get("group_bind", {}).items() if k != other}})
        return _SUM(item, items, i, ctx)
    terms, j = [], i + 1
    for inner in _bind(ctx, letter, item.pos, f"\\sum_{{{letter}=1}}^{{G}}"):
        value, j = binder_body(items, i, inner, r"\sum_{i=1}^{G}", item.pos)
        terms.append(value)
    _note(ctx, NOTE.format(g=g))
    return Add(*terms), j


def group_draws(syns: list, ctx: Ctx, draws_of):
    r"""[PolicyDraw(a_k, pi, s) for k = 1..G] for a_1, \ldots, a_G \sim \pi(\cdot \mid s) (or all G listed), else None.

    ``draws_of`` reads the last draw, ``a_G \sim \pi(\cdot \mid s)`` (expectations.draws_of, the caller)."""
    g = group_size(ctx)
    if g is None or len(syns) < 2 or not isinstance(syns[-1], Rel) or syns[-1].kind != "~":
        return None
    names = [raw(single(x)).replace(" ", "").replace("{", "").replace("}", "") for x in syns[:-1]]
    names.append(raw(single(syns[-1].lhs)).replace(" ", "").replace("{", "").replace("}", ""))
    letter = names[0][:1]
    if letter not in ("a", "b") or names[0] != f"{letter}_1":
        return None
    full = [f"{letter}_{k}" for k in range(1, g + 1)]
    if names not in (full, full[:-1] + [f"{letter}_G"]) and not (len(names) == 3 and names[1] == "..."):
        fail(f"the group's draws are {letter}_1, \\ldots, {letter}_G \\sim \\pi(\\cdot \\mid s), or all G = {g} "
             f"listed", syns[0].pos)
    last = draws_of([syns[-1]], ctx)[0]
    if len(last) != 1 or type(last[0]).__name__ != "PolicyDraw":
        fail(r"the group's completions are drawn from the policy at one state: a_1, \ldots, a_G \sim "
             r"\pi_\theta(\cdot \mid s)", syns[-1].pos)
    _note(ctx, NOTE.format(g=g))
    return [type(last[0])(completion(k, letter), *last[0].args[1:]) for k in range(1, g + 1)]


def _members(h: Head, ctx: Ctx, what: str) -> list:
    r"""[X_1, ..., X_G] of \operatorname{mean}_j(X_j), \operatorname{std}_j(X_j): X read with j bound to each k."""
    g = group_size(ctx)
    spelling = f"\\operatorname{{{what}}}_j(f(s, a_j))"
    if g is None:
        fail(f"\\operatorname{{{what}}} is read over a group of G completions: give the group size (front matter "
             f"group: 3) and write {spelling}", h.pos)
    sub = h.take_sub() if h.sub is not None else None
    letter = raw(single(sub)).replace(" ", "").strip("{}") if sub is not None else ""
    if letter not in GROUP_LETTERS or h.sup is not None or h.call is None:
        fail(f"\\operatorname{{{what}}} is written over the group's index: {spelling}, j = 1..G", h.pos)
    (arg,) = arguments(h.take_call(spelling), 1, f"\\operatorname{{{what}}}")
    out = [interpret(arg, inner.deeper(arg.pos)) for inner in _bind(ctx, letter, h.pos, f"\\operatorname{{{what}}}")]
    _note(ctx, NOTE.format(g=g))
    return out


def group_mean(values: list):
    """mean(X_1..X_G) = (1/G) sum_j X_j (Shao et al. 2024, sec. 4.1.2: mean(r))."""
    return Rational(1, len(values)) * Add(*values)


def group_std(values: list):
    """std(X_1..X_G) = sqrt((1/G) sum_j (X_j - mean)^2): the population std (divisor G)."""
    m = group_mean(values)
    return sqrt(Rational(1, len(values)) * Add(*[(v - m) ** 2 for v in values]))


@head("text:mean")
def _mean(h: Head, ctx: Ctx):
    r"""``\operatorname{mean}_j(f(s, a_j))`` (group: G): ``(1/G) \sum_j f(s, a_j)`` (Shao et al. 2024, sec. 4.1.2)."""
    return group_mean(_members(h, ctx, "mean"))


@head("text:std")
def _std(h: Head, ctx: Ctx):
    r"""``\operatorname{std}_j(f(s, a_j))`` (group: G): the population standard deviation of the G values (divisor
    G)."""
    _note(ctx, STD_NOTE)
    return group_std(_members(h, ctx, "std"))


REWARD_NOTE = (r"r_i (group: G): the reward of the i-th completion a_i of the prompt s, r(s, a_i), an arbitrary "
               r"function of the completion (outcome supervision: one reward per completion)")
ADVANTAGE_NOTE = (r"\hat{A}_i (group: G): GRPO's group-normalised advantage (Shao et al. 2024, sec. 4.1.2) "
                  r"(r_i - \operatorname{mean}_j(r_j)) / \operatorname{std}_j(r_j), population std; 0 when all G "
                  r"rewards are equal (the paper's 0/0, which implementations make 0 by dividing by std + \epsilon: "
                  r"the limit \epsilon \to 0)")


def _reward(k: int):
    return nodes.FreeFn(Str("r"), StateVar("s"), completion(k))


def _group_member(h: Head, ctx: Ctx):
    """(G, k) when h is X_k of the group (a digit, G or a bound index; no call, no superscript), else None."""
    g = group_size(ctx)
    power = raw(single(h.sup)).replace(" ", "").strip("{}") if h.sup is not None else "1"
    if g is None or h.sub is None or not power.isdigit() or h.primes or (h.call is not None and _argument(h.call)):
        return None  # r_i \left(\frac{G}{G-1} - ...\right): the group reward times a bracket, the call left alone
    k = _member(h.sub, ctx, g, h.pos, h.name)
    return None if k is None else (g, k)


def _argument(call) -> bool:
    """Whether (...) after X_i reads as arguments (r_i(\theta), r_i(s, a)): a comma, or one letter or \theta."""
    parts = call.parts[0] if len(call.parts) == 1 else None
    if parts is None or len(parts) != 1 or call.sep:
        return True
    return bool(re.fullmatch(r"\\?[A-Za-z]+'*|\\cdot", raw(single(parts[0])).replace(" ", "")))


def _with_power(h: Head, value):
    r"""X_i^2: the exponent written on r_i or \hat{A}_i (a digit)."""
    if h.sup is None:
        return value
    return value ** int(raw(single(h.take_sup())).replace(" ", "").strip("{}"))


@head("r")
def _group_reward(h: Head, ctx: Ctx):
    """r_i: the reward r(s, a_i) of the i-th completion of the prompt s."""
    hit = _group_member(h, ctx)
    if hit is None:
        return _BEFORE["r"](h, ctx)
    h.take_sub()
    _note(ctx, REWARD_NOTE)
    return _with_power(h, _reward(hit[1]))


@head("hat:A")
def _group_advantage(h: Head, ctx: Ctx):
    r"""\hat{A}_i = (r_i - mean_j r_j) / (std_j r_j + 1[std_j r_j = 0]) (0 for an all-equal group)."""
    hit = _group_member(h, ctx)
    if hit is None:
        return _BEFORE["hat:A"](h, ctx)
    h.take_sub()
    g, k = hit
    rewards = [_reward(j) for j in range(1, g + 1)]
    std = group_std(rewards)
    _note(ctx, ADVANTAGE_NOTE)
    _note(ctx, STD_NOTE)
    return _with_power(h, (rewards[k - 1] - group_mean(rewards)) / (std + nodes.Indicator(sympy_eq(std, 0))))


def sympy_eq(x, y):
    from sympy import Eq

    return Eq(x, y)


__all__ = ["group_size", "completion", "group_draws", "group_mean", "group_std", "MAX_GROUP"]
