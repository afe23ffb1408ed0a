"""GRPO's outputs as Shao et al. (2024, DeepSeekMath, eq. 3) write them, read for one output (``family: token``).

GRPO samples a group of G outputs ``\\{o_i\\}_{i=1}^G`` of one question q and writes the t-th token of output i
as ``o_{i,t}`` (t = 1..|o_i|), the prefix before it as ``o_{i,<t}``.  The outputs are i.i.d., so a statement
about **one** output is a statement about one trajectory of derive's token MDP (docs/conventions.md): the
question q is the prompt ``s_0``, the token ``o_{i,t}`` is the action ``a_{t-1}`` and the state
``(q, o_{i,<t})`` is ``s_{t-1}`` (GRPO counts tokens from 1, derive from 0).  Read exactly, said in ``read as``:

=====================================================================  ==============================================
written                                                                read as
=====================================================================  ==============================================
``\\pi_\\theta(o_{i,t} \\mid q, o_{i,<t})``                                ``\\pi_\\theta(a_{t-1} \\mid s_{t-1})``
``\\pi_\\theta(\\cdot \\mid q, o_{i,<t})`` in a draw, ``o_{i,t} \\sim ...``  ``a_{t-1} \\sim \\pi_\\theta(\\cdot|s_{t-1})``
``\\pi_\\theta(o_i \\mid q)`` (a whole output)                            ``\\prod_{t=0}^{T-1} \\pi_\\theta(a_t|s_t)``
``r_{i,t}(\\theta)`` (DAPO, Yu et al. 2025, eq. 9)                      ``r_{t-1}(\\theta)``, the per-token ratio
=====================================================================  ==============================================

One output per file: a second output index (``o_{j,t}`` next to ``o_{i,t}``) is refused, as it would be read
as the same trajectory.  Not read, each with its reason (a precise unknown): the group itself
(``\\{o_i\\}_{i=1}^G``, ``\\sum_{i=1}^G``, the group-normalised ``\\hat A_{i,t} = (r_i - mean(r)) / std(r)``),
because derive's engine draws one trajectory per prompt, not G > 1 token sequences; a group of G
completions as actions at one prompt s is read with ``group: G`` (read_latex/notation_grpo_group.py); and the length ``|o_i|``: GRPO's outputs have varying lengths, derive's
responses all have T tokens, so reading ``|o_i|`` as T could accept a step that fails for varying lengths
(the length bias of Liu et al. 2025, "Understanding R1-Zero-Like Training", sec. 3.1).
"""
from __future__ import annotations

import re

from sympy.core.symbol import Str

from ..lang import nodes
from .errors import fail
from .interpret import Ctx, Head
from .roles import index
from .registry import HEADS, head
from .spellings import head_and_call, policy_name
from .notation_llm import response_prob, token_family
from .reading import current, note
from .syntax import Atom, Group, raw, Rel, Scripted, single

_BEFORE = {name: HEADS[name] for name in (r"\pi", "r", "hat:A", "o")}
_PREFIX = re.compile(r"o\s*_\s*\{\s*([A-Za-z0-9])\s*,\s*<\s*([^{}<>]{1,20}?)\s*\}")

GROUP = (r"{what} (GRPO's group of G outputs of one question, Shao et al. 2024, eq. 3) is not read: derive's "
         r"engine draws one trajectory per prompt, not G > 1 i.i.d. outputs (the catalog's GRPO groups, section "
         r"2.11, are action draws at one state); statements about one output are read: \pi_\theta(o_{{i,t}} \mid q, "
         r"o_{{i,<t}}) is \pi_\theta(a_{{t-1}} \mid s_{{t-1}}) (family: token); a group of G completions of one "
         r"prompt s is read with front matter group: G, as a_1, \ldots, a_G \sim \pi_\theta(\cdot \mid s), "
         r"\sum_{{i=1}}^{{G}}, \operatorname{{mean}}_j(f(s, a_j)) (read_latex/notation_grpo_group.py)")
LENGTH = (r"o_i (a whole output) is read only in \pi_\theta(o_i \mid q); its length |o_i| varies in GRPO while "
          r"derive's responses all have T tokens, so reading |o_i| as T could accept a step that fails for varying "
          r"lengths (Liu et al. 2025, Dr. GRPO): write T to state equal lengths")
NEED = r"{what} (GRPO's outputs, Shao et al. 2024) is read only with front matter family: token (q the prompt s_0)"
_NOTE = (r"o_{i,t}, (q, o_{i,<t}) (GRPO, one output o_i of the group; tokens counted from 1): the action a_{t-1} and "
         r"the state s_{t-1} of one trajectory of the token MDP, the question q its prompt s_0")


_PREFIX_Y = re.compile(r"y\s*_\s*\{\s*<\s*([^{}<>]{1,20}?)\s*\}")
_LENGTH_BARS = re.compile(r"\|\s*o\s*_\s*(?:\{\s*[A-Za-z0-9]\s*\}|[A-Za-z0-9])\s*\|")
_GROUP_SET = re.compile(r"\\\{\s*o\s*_\s*(?:\{\s*[A-Za-z]\s*\}|[A-Za-z])")


def prefix_tokens(text: str, i: int, tokenize):
    """``o_{i,<t}`` at text[i] as the head ``o<`` with the subscript ``{i,t}``: (tokens, offset), or None.
    ``|o_i|`` (the length) is refused here, naming it (the bars would otherwise be a parse error)."""
    if i > 0 and (text[i - 1].isalpha() or text[i - 1] == "\\"):
        return None
    j = i - 1
    while j >= 0 and text[j] == " ":
        j -= 1
    if j >= 0 and _LENGTH_BARS.match(text, j):
        fail("|o_i| (the length of an output) is not read: " + LENGTH, j)
    if text[i] == "y":
        if j >= 0 and text[j] == "|" and re.match(r"y\s*\|", text[i:]):
            fail("|y| (the length of a response) is not read: derive's responses all have T tokens and a length that "
                 "varies is not in the engine; write the product over the response's tokens as \\prod_{t=0}^{T-1} "
                 "\\pi(a_t|s_t), or \\pi(y|x)", j)
        m = _PREFIX_Y.match(text, i)
        if m is None:
            return None
        toks = [("SYM", "y<", i, m.end())]
        toks += [(t.type, t.value, i, m.end()) for t in tokenize("_{" + m.group(1) + "}")]
        return toks, m.end()
    m = _PREFIX.match(text, i)
    if m is None:
        return None
    inner = "_{" + m.group(1) + "," + m.group(2) + "}"
    toks = [("SYM", "o<", i, m.end())]
    toks += [(t.type, t.value, i, m.end()) for t in tokenize(inner)]
    return toks, m.end()


_ACTION_SET = re.compile(r"\\\{\s*([ab])\s*_\s*(?:\{\s*([ijk])\s*\}|([ijk]))\s*\\\}\s*_\s*\{\s*([ijk])\s*=\s*1\s*\}"
                         r"\s*\^\s*(?:\{\s*(G|[2-9])\s*\}|(G|[2-9]))")


def group_set(text: str, i: int, tokenize=None):
    """At text[i]: ``\\{o_i\\}_{i=1}^G`` refused naming the group; GRPO's spelling of a group of completions
    ``\\{a_i\\}_{i=1}^{G}`` as the tokens of ``a_1, \\ldots, a_G`` (read with group: G,
    read_latex/notation_grpo_group.py): (tokens, offset) or None (called by tokens_extra.macro_tokens)."""
    if _GROUP_SET.match(text, i):
        fail(GROUP.format(what=r"\{o_i\}_{i=1}^G"), i)
    m = _ACTION_SET.match(text, i)
    if m is None or tokenize is None or (m.group(2) or m.group(3)) != m.group(4):
        return None
    letter, top = m.group(1), m.group(5) or m.group(6)
    inner = f"{letter}_1, \\ldots, {letter}_{{{top}}}"
    return [(t.type, t.value, i, m.end()) for t in tokenize(inner)], m.end()


def _items(x) -> list:
    x = single(x)
    if isinstance(x, Group) and x.kind == "brace" and len(x.parts) == 1:
        out = []
        for part in x.parts[0]:
            out.append(part)
        return out
    return [x]


def _output_and_time(sub, ctx: Ctx, what: str):
    """(output index text, derive's time t - 1) of a subscript {i, t}."""
    parts = _items(sub)
    if len(parts) != 2:
        fail(f"{what}: the subscript is the output and the token, {{i,t}}", getattr(sub, "pos", 0))
    out = raw(single(parts[0])).replace(" ", "")
    if out in ctx.options.get("group_bind", {}) or out == "G":  # \sum_{i=1}^G over o_{i,t}: G token sequences
        fail(GROUP.format(what=f"{what} inside a sum over the group's outputs"), parts[0].pos)
    _one_output(out, parts[0].pos)
    t = index(parts[1], ctx, f"the token index of {what}")
    return out, t - 1


def _one_output(name: str, pos: int):
    reading, _ = current()
    seen = getattr(reading, "grpo_output", None)
    if seen is None:
        reading.grpo_output = name
    elif seen != name:
        fail(f"o_{{{name},...}} next to o_{{{seen},...}}: two outputs of the group; derive reads one output per "
             f"file (they would be read as the same trajectory). " + GROUP.format(what=r"\{o_i\}_{i=1}^G"), pos)


def _is(x, name: str) -> bool:
    return raw(single(x)).replace(" ", "") == name


def _head_name(x):
    x = single(x)
    base = x.base if isinstance(x, Scripted) else x
    return base.name if isinstance(base, Atom) else None


def _time_of(letter: str, x, ctx: Ctx, what: str):
    """derive's time t - 1 of a token o_{i,t} / prefix o_{i,<t} (letter o) or y_t / y_{<t} (letter y)."""
    if letter == "o":
        return _output_and_time(x, ctx, what)[1]
    return index(x, ctx, f"the token index of {what}") - 1


def _token_call(g, ctx: Ctx):
    """For (o_{i,t} | q, o_{i,<t}), (y_t | x, y_{<t}) or (\\cdot | ...): (action or None, derive time t - 1), else None."""
    if g is None or g.sep != "|" or g.params or len(g.parts) != 2 or len(g.parts[0]) != 1 or len(g.parts[1]) != 2:
        return None
    q, prefix = g.parts[1]
    letter = {"o<": "o", "y<": "y"}.get(_head_name(prefix))
    if letter is None or not _is(q, "q" if letter == "o" else "x"):
        return None
    tok = r"o_{i,t}" if letter == "o" else "y_t"
    ctx_t = _time_of(letter, single(prefix).sub, ctx, r"o_{i,<t}" if letter == "o" else "y_{<t}")
    first = g.parts[0][0]
    if _is(first, r"\cdot"):
        return None, ctx_t
    if _head_name(first) != letter or not isinstance(single(first), Scripted) or single(first).sub is None:
        fail(f"\\pi(\\cdot \\mid ...) conditioned on a prefix is the distribution of the next token {tok}: write "
             f"\\pi({tok} \\mid ...)", first.pos)
    t = _time_of(letter, single(first).sub, ctx, tok)
    if t != ctx_t:
        fail(f"\\pi({tok} \\mid ...): the token and its prefix must have the same t", first.pos)
    if letter == "y":
        note(_NOTE_Y)
    return nodes.At(t), t


_NOTE_Y = (r"y_t, (x, y_{<t}) (the response's t-th token and the prompt with the tokens before it; tokens counted "
           r"from 1, family: token): the action a_{t-1} and the state s_{t-1}")


@head(r"\pi")
def _pi(h: Head, ctx: Ctx):
    r"""``\pi_\theta(o_{i,t} \mid q, o_{i,<t})`` (GRPO, one output, family: token): ``\pi_\theta(a_{t-1} \mid
    s_{t-1})``; any other \pi as before."""
    g = h.call
    whole = g is not None and g.sep == "|" and not g.params and len(g.parts) == 2 and len(g.parts[0]) == 1 \
        and len(g.parts[1]) == 1 and _is(g.parts[1][0], "q") and _head_name(g.parts[0][0]) in ("o", "O")
    if not whole and _token_call(g, ctx) is None:
        return _BEFORE[r"\pi"](h, ctx)
    if not token_family(ctx):
        fail(NEED.format(what=r"\pi(o_{i,t} \mid q, o_{i,<t})"), h.pos)
    if h.sup is not None:
        fail(r"a superscript on \pi(o_{i,t} \mid q, o_{i,<t}) is not read", h.pos)
    pol = policy_name(Scripted(h.pos, Atom(h.pos, "sym", h.name), h.take_sub(), None), "the policy")
    h.take_call()
    if whole:
        first = single(g.parts[0][0])
        if _head_name(first) == "O" or not isinstance(first, Scripted) or first.sub is None or len(_items(first.sub)) != 1:
            fail(r"\pi(o_i \mid q) is read for one output o_i (the group \pi(O \mid q) is not)", first.pos)
        _one_output(raw(single(first.sub)).replace(" ", ""), first.pos)
        note(r"\pi(o_i \mid q) (GRPO, one output o_i of the group): the response's probability given the prompt "
             r"s_0, \prod_{t=0}^{T-1} \pi(a_t \mid s_t)")
        return response_prob(pol)
    action, t = _token_call(g, ctx)
    if action is None:
        fail(r"\pi(\cdot \mid q, o_{i,<t}) is read in a draw: \mathbb{E}_{o_{i,t} \sim \pi(\cdot \mid q, o_{i,<t})}", h.pos)
    note(_NOTE)
    return nodes.Pi(Str(pol), action, nodes.St(t))


def token_draws(syns: list, ctx: Ctx):
    """[PolicyDraw(a_{t-1}, pi, s_{t-1})] for the subscript o_{i,t} \\sim \\pi(\\cdot \\mid q, o_{i,<t}), else None."""
    if len(syns) != 1 or not isinstance(syns[0], Rel) or syns[0].kind != "~" \
            or _head_name(syns[0].lhs) not in ("o", "y"):
        return None
    letter = _head_name(syns[0].lhs)
    rhead, rcall = head_and_call(syns[0].rhs)
    hit = _token_call(rcall, ctx) if rcall is not None and raw(rhead).replace(" ", "").startswith(r"\pi") else None
    if hit is None or hit[0] is not None:
        return None
    if not token_family(ctx):
        fail(NEED.format(what=r"o_{i,t} \sim \pi(\cdot \mid q, o_{i,<t})"), syns[0].pos)
    lhs = single(syns[0].lhs)
    if not isinstance(lhs, Scripted) or lhs.sub is None or len(_items(lhs.sub)) != (2 if letter == "o" else 1):
        return None
    t = _time_of(letter, lhs.sub, ctx, r"o_{i,t}" if letter == "o" else "y_t")
    if t != hit[1]:
        fail(r"o_{i,t} \sim \pi(\cdot \mid q, o_{i,<t}): the token and its prefix must have the same t", syns[0].pos)
    note(_NOTE if letter == "o" else _NOTE_Y)
    return [nodes.PolicyDraw(nodes.At(t), Str(policy_name(rhead, r"o_{i,t} \sim \pi(\cdot \mid q, o_{i,<t})")),
                             nodes.St(t))]


@head("o")
def _token(h: Head, ctx: Ctx):
    """o_{i,t}: the token a_{t-1} of the one output read; o_i, |o_i|, o alone: refused (see LENGTH, GROUP)."""
    if h.sub is None or not token_family(ctx):  # a bare o (e.g. "log" without its backslash): as before
        return _BEFORE["o"](h, ctx)
    if h.sub is None or len(_items(h.sub)) != 2 or h.sup is not None or h.primes:
        fail(LENGTH if h.sub is not None and len(_items(h.sub)) == 1 else GROUP.format(what=r"o"), h.pos)
    _, t = _output_and_time(h.take_sub(), ctx, r"o_{i,t}")
    note(_NOTE)
    return nodes.At(t)


@head("y<")
def _prefix_y(h: Head, ctx: Ctx):
    r"""``y_{<t}`` (family: token): the response's prefix before token t, the state ``s_{t-1}``."""
    if not token_family(ctx):
        fail(NEED.format(what=r"y_{<t}"), h.pos)
    t = _time_of("y", h.take_sub(), ctx, "y_{<t}")
    note(_NOTE_Y)
    return nodes.St(t)


@head("o<")
def _prefix(h: Head, ctx: Ctx):
    r"""``o_{i,<t}`` (GRPO, family: token): the prefix of output o_i before token t, the state ``s_{t-1}``."""
    if not token_family(ctx):
        fail(NEED.format(what=r"o_{i,<t}"), h.pos)
    _, t = _output_and_time(h.take_sub(), ctx, r"o_{i,<t}")
    note(_NOTE)
    return nodes.St(t)


@head("r")
def _ratio(h: Head, ctx: Ctx):
    """r_{i,t}(\\theta) = \\pi_\\theta(o_{i,t}|q, o_{i,<t}) / \\pi_{\\theta_{old}}(...) (DAPO eq. 9): derive's r_{t-1}(\\theta)."""
    if h.sub is None or len(_items(h.sub)) != 2 or h.sup is not None or h.call is None \
            or len(h.call.parts) != 1 or len(h.call.parts[0]) != 1 or not _is(h.call.parts[0][0], r"\theta"):
        return _BEFORE["r"](h, ctx)
    if not token_family(ctx):
        fail(NEED.format(what=r"r_{i,t}(\theta)"), h.pos)
    _, t = _output_and_time(h.take_sub(), ctx, r"r_{i,t}(\theta)")
    h.take_call()
    note(r"r_{i,t}(\theta) (GRPO, DAPO eq. 9: one output o_i): the per-token ratio \pi_\theta(o_{i,t} \mid q, o_{i,<t}) "
         r"/ \pi_{\theta_{old}}(o_{i,t} \mid q, o_{i,<t}), derive's r_{t-1}(\theta)")
    return nodes.Pi(nodes.pol("theta"), nodes.At(t), nodes.St(t)) / nodes.Pi(nodes.pol("old"), nodes.At(t), nodes.St(t))


@head("hat:A")
def _group_advantage(h: Head, ctx: Ctx):
    r"""``\hat{A}_{i,t}`` (GRPO's group-normalised advantage, family: token): refused with the reason; any other
    \hat{A} as before."""
    if h.sub is not None and len(_items(h.sub)) == 2 and token_family(ctx):
        fail(GROUP.format(what=r"\hat{A}_{i,t} = (r_i - \mathrm{mean}(\mathbf{r})) / \mathrm{std}(\mathbf{r}), the "
                               r"group-normalised advantage (sec. 4.1.2),"), h.pos)
    return _BEFORE["hat:A"](h, ctx)


__all__ = ["prefix_tokens", "GROUP", "LENGTH"]
