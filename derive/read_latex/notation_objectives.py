"""Objectives as LLM papers and their tutorials write them (issue 10, R2).

* ``\\max_\\theta F``, ``\\min_\\theta F``, ``\\max_{\\pi_\\theta} F`` (DPO, Rafailov et al. 2023, eq. 3: the
  KL-regularised objective): an optimum over the policy parameter, ``lang/objectives.OptTheta``; a step
  between two optima of the same kind is judged as the equality of the objectives for every theta
  (check_statements/objectives.py).  Written at the start of a side, the optimum is over the whole side.
* ``\\mathbb{D}_{KL}[P \\| Q]``, ``\\mathbb{D}_\\text{KL}(P \\Vert Q)``, ``\\mathbb{D}[P \\| Q]`` with P a response
  distribution ``\\pi(y|x)`` (``family: token``): the KL divergence of the responses to the prompt,
  ``\\mathbb{E}_{y\\sim\\pi(\\cdot|x)}[\\log(\\pi(y|x) / Q)]``, Q any expression of the response (DPO's
  ``\\frac{1}{Z(x)}\\pi_{ref}(y|x) e^{r(x,y)/\\beta}`` included); ``D_{KL}`` with ``\\mathbb{D}`` spelled as D.
"""
from __future__ import annotations

from sympy import log
from sympy.core.symbol import Str

from ..lang import nodes
from ..lang.objectives import Named, opt_theta
from .errors import fail
from .interpret import Ctx, Head, binder_body, interpret
from .registry import HEADS, OPS, head, op
from .notation_llm import token_family
from .reading import note
from .syntax import Scripted, raw, single
from .expectation_parts import _bracket
from .spellings import FREE_DISTRIBUTIONS, head_and_call, policy_name
from .notation_dpo import _response_call

_OPS_BEFORE = {name: OPS[name] for name in ("max", "min")}
_THETA = {r"\theta", r"\pi_\theta", r"\pi_{\theta}", r"{\pi_\theta}", r"\boldsymbol{\theta}", r"\boldsymbol\theta"}


def _over_theta(item, ctx: Ctx) -> bool:
    """\\max_\\theta, \\max_{\\pi_\\theta}; also \\max_\\pi in a family: token file (DPO, appendix A.1: over the
    language model's policy; elsewhere \\max_\\pi v_\\pi(s) is the optimal value, notation_optimal.py)."""
    if not (isinstance(item, Scripted) and item.sub is not None and item.sup is None):
        return False
    sub = raw(single(item.sub)).replace(" ", "").strip("{}")
    return sub in {t.strip("{}") for t in _THETA} or (sub == r"\pi" and token_family(ctx))


def _optimum(kind: str):
    def build(item, items, i, ctx: Ctx):
        r"""``\max_\theta F``, ``\min_\theta F``: an optimum over the policy parameter (derive/lang/objectives.py);
        otherwise the earlier ``\max``/``\min``."""
        if not _over_theta(item, ctx):
            return _OPS_BEFORE[kind](item, items, i, ctx)
        body, j = binder_body(items, i, ctx, "\\%s_\\theta" % kind, item.pos)
        note("\\%s_\\theta F: an optimum over the policy parameter, written at the start of a side: over the whole "
             "side (derive does not compute it; a step between two optima of the same kind is judged as the "
             "equality of the objectives for every \\theta, a sufficient condition)" % kind)
        return opt_theta(body, kind), j

    return build


op("max")(_optimum("max"))
op("min")(_optimum("min"))


# ------------------------------------------------------------------ \mathbb{D}_{KL}

KL_SPELLING = (r"\mathbb{{D}}_{{KL}}[P \| Q] is read for the free distributions p, q (D_{{KL}}(p \| q)) and, with "
               r"family: token, for the responses to a prompt, \mathbb{{D}}_{{KL}}[\pi_\theta(y|x) \| "
               r"\pi_{{ref}}(y|x)]; {why}")


def _kl_name(sub) -> bool:
    flat = raw(single(sub)).replace(" ", "")
    for junk in (r"\text", r"\mathrm", r"\operatorname", "text:", "{", "}"):
        flat = flat.replace(junk, "")
    return flat == "KL"


@op("bbkl")
def _bb_kl(item, items, i, ctx: Ctx):
    """KL[P || Q]: of the free distributions, or of the responses given the prompt (family: token)."""
    pos = item.pos
    if not isinstance(item, Scripted) or item.sub is None or not _kl_name(item.sub) or item.sup is not None:
        fail(KL_SPELLING.format(why=r"\mathbb{D} is read only as the KL divergence, with the subscript KL"), pos)
    nxt, g = _bracket(items, i + 1, r"\mathbb{D}_{KL}", pos)
    if isinstance(nxt, Scripted):
        fail(r"a script after \mathbb{D}_{KL}[P \| Q] is not read", pos)
    if g.sep != "||" or g.params or len(g.parts) != 2 or len(g.parts[0]) != 1 or len(g.parts[1]) != 1:
        fail(KL_SPELLING.format(why=r"write the two distributions separated by \| (or \Vert)"), g.pos)
    first, second = g.parts[0][0], g.parts[1][0]
    names = [raw(single(x)).replace(" ", "") for x in (first, second)]
    if all(n in FREE_DISTRIBUTIONS for n in names):
        return nodes.KL(Str(names[0]), Str(names[1])), i + 2
    rhead, rcall = head_and_call(first)
    if rcall is None or not raw(rhead).replace(" ", "").startswith(r"\pi") or _response_call(rcall) != ("traj", None):
        why = ("GRPO's \\mathbb{D}_{KL}[\\pi_\\theta \\| \\pi_{ref}] (no arguments) may mean the KL of whole responses or "
               "of one token's distribution (Shao et al. 2024, eq. 4: per token); write the arguments (y|x)"
               if rcall is None else "the first distribution must be a policy's response distribution \\pi(y|x)")
        fail(KL_SPELLING.format(why=why), first.pos)
    if not token_family(ctx):
        fail(KL_SPELLING.format(why="this file has no family: token"), pos)
    pol = policy_name(rhead, r"\mathbb{D}_{KL}[\pi(y|x) \| ...]")
    p_val = interpret(first, ctx.deeper(first.pos))
    q_val = interpret(second, ctx.deeper(second.pos))
    note(r"\mathbb{D}_{KL}[\pi(y|x) \| Q] (family: token): the KL divergence of the responses to the prompt s_0, "
         r"\mathbb{E}_{y \sim \pi(\cdot|x)}[\log(\pi(y|x) / Q)], i.e. \mathbb{E}_{\tau \sim \pi}[\log(\pi(y|x) / Q) \mid s_0]")
    return nodes.Expect(log(p_val / q_val), nodes.TrajDist(Str(pol)), nodes.Given(nodes.St(0))), i + 2


# ------------------------------------------------------- named objectives and losses


@head("cal:L", "cal:J")
def _named(h: Head, ctx: Ctx):
    r"""\mathcal{L}_{DPO}(\pi_\theta; \pi_{ref}), \mathcal{J}_{GRPO}(\theta): a name the file gives an objective or loss
    (not defined with := before its use): read as that name, with no value (lang/objectives.Named)."""
    if h.base == "cal:J" and h.sub is None and h.sup is None and not h.primes and h.call is not None \
            and len(h.call.parts) == 1 and len(h.call.parts[0]) == 1 and h.call.sep is None and not h.call.params:
        note(r"\mathcal{J}(\theta) is J(\theta), the objective of the policy (calligraphic J, as LLM papers write it)")
        return HEADS["J"](h, ctx)
    if h.sub is None and h.sup is None and not h.primes and h.call is not None and (
            h.base == "cal:L" or h.call.sep is not None or h.call.params or len(h.call.parts[0]) > 1):
        return _bare_name(h)  # \mathcal{L}(\theta), \mathcal{J}(x, \theta): a name with its arguments (R10)
    if h.sub is None or h.sup is not None or h.primes:
        fail(f"{h.label} is read only as the name of an objective or loss with a subscript, such as "
             f"{h.label}_{{DPO}}(\\theta) (or define it with :=)"
             + (r"; \mathcal{J}(\theta) is J(\theta)" if h.base == "cal:J" else ""), h.pos)
    h.take_sub()
    text = h.label + "_{" + _flat_name(h.sub) + "}"
    if h.call is not None:
        g = h.take_call()
        h.take_params()
        text += _arguments(g)
    note(f"{text}: the name of an objective or loss, introduced where the file writes it with = (a definition: "
         "derive has no value for it and does not judge the step)")
    return Named(Str(text))


def _arguments(g) -> str:
    r"""``(a, b \mid c; d)`` as written (a calligraphic letter shown as ``\mathcal{D}``, not its token name)."""
    import re

    def show(x) -> str:
        return re.sub(r"cal:([A-Za-z])", r"\\mathcal{\1}", raw(x).strip())

    text = "(" + (" \\mid " if g.sep == "|" else ", ").join(", ".join(show(x) for x in part) for part in g.parts)
    return text + ("; " + ", ".join(show(x) for x in g.params[0]) if g.params else "") + ")"


def _bare_name(h: Head):
    r"""\mathcal{L}(\theta), \mathcal{L}(\pi_\theta; \pi_{ref}), \mathcal{J}(x, \theta) without a subscript: the name of a
    loss or objective with its arguments as written (lang/objectives.Named: no value, a step defining it is not
    judged), as the RLHF book writes the reward model's loss (ch. 5: \mathcal{L}(\theta) = -\log\sigma(\cdot))."""
    g = h.take_call()
    h.take_params()
    text = h.label + _arguments(g)
    note(f"{text}: the name of an objective or loss, introduced where the file writes it with = (a definition: "
         "derive has no value for it and does not judge the step)")
    return Named(Str(text))


def _flat_name(sub) -> str:
    flat = raw(single(sub)).replace(" ", "")
    for junk in (r"\text", r"\mathrm", r"\operatorname", "text:", "{", "}"):
        flat = flat.replace(junk, "")
    if not flat or len(flat) > 20 or not all(c.isalnum() or c in ".-_\\" for c in flat):
        fail(f"the subscript of the objective's name is not read: {flat[:20]}", sub.pos)
    return flat


__all__ = ["KL_SPELLING"]
