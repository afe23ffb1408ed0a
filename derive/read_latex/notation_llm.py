"""A language model's prompt x and response y, read on derive's token MDP (front matter ``family: token``).

DPO (Rafailov et al. 2023, arXiv:2305.18290, eqs. 3-7), RLHF and GRPO write a language model as a
policy over whole responses: ``\\pi_\\theta(y|x)`` for a response y to a prompt x, ``r(x, y)`` its reward,
``\\mathbb{E}_{x\\sim\\mathcal{D}, y\\sim\\pi_\\theta(\\cdot|x)}`` for prompts from a data set and responses from
the model.  derive's token MDP (docs/conventions.md, derive/catalog/statements/llm.md) is that model written token by
token: the state ``s_0`` is the prompt, the action ``a_t`` the t-th token, ``s_{t+1} = (s_t, a_t)`` the
prefix (deterministic transitions), the reward is paid at the end and gamma = 1.  So, exactly:

==============================================================  ===============================================
written (``family: token`` only)                                read as
==============================================================  ===============================================
``x`` (the prompt), ``\\mathcal{D}`` (the prompt distribution)    ``s_0``, ``\\rho_0``
``y`` (the whole response)                                      the trajectory ``\\tau`` from ``s_0``
``\\pi_\\theta(y|x)``, ``\\pi_{\\text{ref}}(y \\mid x)``            ``\\prod_{t=0}^{T-1} \\pi(a_t|s_t)``: the chain
                                                                rule, ``P(\\tau|\\theta) / \\rho_0(s_0)``
``r(x, y)``, ``R(x, y)``                                        ``R(\\tau)``: the response's reward (gamma = 1)
``\\mathbb{E}_{x\\sim\\mathcal{D}, y\\sim\\pi_\\theta(\\cdot|x)}[X]``  ``\\mathbb{E}_{\\tau\\sim\\pi_\\theta}[X]``
(also ``y \\sim \\pi_\\theta(y|x)``)
``\\mathbb{E}_{y\\sim\\pi_\\theta(\\cdot|x)}[X]`` (x the prompt)         ``\\mathbb{E}_{\\tau\\sim\\pi_\\theta}[X \\mid s_0]``
``\\sum_y \\pi_{\\text{ref}}(y|x) g`` (DPO's ``Z(x)``, eq. 4)       ``\\mathbb{E}_{\\tau\\sim\\pi_{ref}}[g \\mid s_0]`` (exact for any g)
``\\mathbb{E}_{x\\sim\\mathcal{D}}[g]``, g a function of s_0 only       ``\\mathbb{E}_{\\tau\\sim\\pi_\\theta}[g]`` (the law of s_0 is rho_0)
==============================================================  ===============================================

(Since R2 of issue 10, ``\\pi^*(y|x)``, ``\\pi_r``, ``r^*``, ``y_1, y_2, y_w, y_l``, ``\\succ``, ``\\sigma`` and
``\\mathbb{D}_{KL}`` are read by read_latex/notation_dpo.py and read_latex/notation_objectives.py, which wrap these heads.)
Outside ``family: token`` these spellings are refused with the front matter that reads them.  In a token file
a bare ``x`` or ``y`` elsewhere (``f(y)``), an unweighted ``\\sum_y``, and ``\\pi^*(y|x)`` (DPO's optimum,
not derive's greedy ``\\pi_*``) are refused naming the construct.  Not read: preference pairs ``y_w, y_l``,
``\\sigma`` (a definable letter, notation_defined.py), ``\\mathbb{D}_{KL}[\\cdot \\| \\cdot]``, and GRPO's
group of G outputs ``o_i`` (notation_tokens.py: G independent responses to one prompt are not in the engine).
"""
from __future__ import annotations

from sympy import Mul, Product, preorder_traversal
from sympy.core.symbol import Str

from ..lang import nodes
from ..lang.symbols import T, t
from .errors import fail
from .interpret import Ctx, Head, binder_body, factor, group_value
from .registry import HEADS, OPS, head, op
from .spellings import head_and_call, policy_name
from .reading import note
from .syntax import Atom, Rel, Scripted, raw, single
from .expectation_parts import _body_group, _bracket, _finish, _is_expectation, _sub_items

_ORIGINAL = {name: HEADS[name] for name in (r"\pi", "r", "R", "x", "y")}
NEED_TOKEN = (r"{what} is read only for a language model (y a response to a prompt x), with front matter "
              r"family: token (x is the prompt s_0, y the response a_0..a_{{T-1}}); otherwise write "
              r"\pi_\theta(a|s) or P(\tau|\theta) in an MDP, or a free function f(x, y) of points x, y")


def token_family(ctx: Ctx) -> bool:
    return ctx.options.get("family") == "token"


def _is(x, name: str) -> bool:
    return raw(single(x)).replace(" ", "") == name


def _response_given_prompt(g, response: str = "y") -> bool:
    """The call group is (y | x) (or (\\cdot | x) for a draw)."""
    return g is not None and g.sep == "|" and not g.params and len(g.parts[0]) == 1 and len(g.parts[1]) == 1 \
        and _is(g.parts[0][0], response) and _is(g.parts[1][0], "x")


OPTIMUM = (r"\pi^*(y|x) (DPO's optimal policy, Rafailov et al. 2023, eq. 4: \pi_{ref}(y|x) \exp(r(x,y)/\beta) / Z(x), "
           r"the optimum of the KL-regularised objective) is not read: derive's \pi_* is the MDP's optimal policy "
           r"(greedy w.r.t. Q^*), another policy; write the optimum out with \pi_{ref}, or use \pi_\theta")


def _response_policy(pol: str, pos: int) -> str:
    """A policy slot for pi(y|x); the optimal/greedy slots mean something else in DPO (OPTIMUM)."""
    if pol in ("star", "greedy"):
        fail(OPTIMUM, pos)
    return pol


def response_prob(pol: str):
    """pi(y|x) = prod_{t=0}^{T-1} pi(a_t|s_t): the chain rule on the token MDP."""
    return Product(nodes.Pi(Str(pol), nodes.At(t), nodes.St(t)), (t, 0, T - 1))


@head(r"\pi")
def _pi(h: Head, ctx: Ctx):
    """\\pi_\\theta(y|x): the probability of the response y given the prompt x (family: token)."""
    if not _response_given_prompt(h.call):
        return _ORIGINAL[r"\pi"](h, ctx)
    if not token_family(ctx):
        fail(NEED_TOKEN.format(what=r"\pi(y|x)"), h.pos)
    if h.sup is not None:  # \pi^*(y|x): DPO's optimum, not derive's pi_* (below)
        if raw(single(h.sup)).replace(" ", "").strip("{}") == "*":
            fail(OPTIMUM, h.pos)
        return _ORIGINAL[r"\pi"](h, ctx)
    pol = _response_policy(policy_name(Scripted(h.pos, Atom(h.pos, "sym", h.name), h.take_sub(), None),
                                       "the policy"), h.pos)
    h.take_call()
    note(r"\pi(y \mid x) (family: token): the response's probability given the prompt s_0, "
         r"\prod_{t=0}^{T-1} \pi(a_t \mid s_t)")
    return response_prob(pol)


def _prompt_response_args(g) -> bool:
    return g is not None and g.sep is None and not g.params and len(g.parts) == 1 and len(g.parts[0]) == 2 \
        and _is(g.parts[0][0], "x") and _is(g.parts[0][1], "y")


def _reward_of_response(letter: str):
    def build(h: Head, ctx: Ctx):
        if h.sub is not None or h.sup is not None or h.primes or not _prompt_response_args(h.call):
            return _ORIGINAL[letter](h, ctx)
        if not token_family(ctx):
            fail(NEED_TOKEN.format(what=f"{letter}(x, y)"), h.pos)
        h.take_call()
        note(f"{letter}(x, y) (family: token): the reward of the response, R(\\tau) (paid at the end, gamma = 1)")
        return nodes.TrajReturn()

    return build


head("r")(_reward_of_response("r"))
head("R")(_reward_of_response("R"))


BARE = (r"{v} in a family: token file is the {what}: read only in \pi(y|x), r(x, y), R(x, y), "
        r"\mathbb{{E}}_{{x\sim\mathcal{{D}}, y\sim\pi(\cdot|x)}}, \sum_y \pi(y|x) ... (a point of the sample space X "
        r"here would silently ignore it); write s_0 for the prompt, a_t for a token")


@head("x", "y")
def _point(h: Head, ctx: Ctx):
    r"""``x``, ``y`` alone in a family: token file (the prompt, the response): refused, naming where they are read;
    otherwise as before."""
    if token_family(ctx):
        fail(BARE.format(v=h.name, what="prompt" if h.base == "x" else "response"), h.pos)
    return _ORIGINAL[h.base](h, ctx)


def prompt_response_draws(syns: list, ctx: Ctx):
    """x \\sim \\mathcal{D}, y \\sim \\pi(\\cdot|x) in an expectation's subscript: [TrajDist(pi)], or None."""
    if len(syns) not in (1, 2) or not all(isinstance(x, Rel) and x.kind == "~" for x in syns):
        return None
    px, py = (None, syns[0]) if len(syns) == 1 else syns
    if px is not None and not (_is(px.lhs, "x") and raw(single(px.rhs)).replace(" ", "") in ("cal:D", r"\mathcal{D}")):
        return None
    if not _is(py.lhs, "y"):
        return None

    rhead, rcall = head_and_call(py.rhs)
    if rcall is None and px is not None and raw(single(py.rhs)).replace(" ", "").startswith(r"\pi"):
        rhead = single(py.rhs)  # x ~ D, y ~ \pi (DPO, appendix A.1): the response drawn given the prompt x
    elif rcall is None or not raw(rhead).replace(" ", "").startswith(r"\pi"):
        return None
    elif not (_response_given_prompt(rcall, r"\cdot") or _response_given_prompt(rcall, "y")):
        return None
    if not token_family(ctx):
        fail(NEED_TOKEN.format(what=r"y \sim \pi(\cdot|x)"), py.pos)
    pol = _response_policy(policy_name(rhead, r"y \sim \pi(\cdot|x)"), rhead.pos)
    if px is None:  # y ~ pi(.|x) for the prompt x: given s_0
        note(r"y \sim \pi(\cdot \mid x) (family: token): the response to the prompt s_0, "
             r"\mathbb{E}_{\tau \sim \pi}[\cdot \mid s_0]")
        return [nodes.TrajDist(Str(pol)), nodes.Given(nodes.St(0))]
    note(r"x \sim \mathcal{D}, y \sim \pi(\cdot \mid x) (family: token): the prompt is s_0 \sim \rho_0 and the "
         r"response its trajectory, \tau \sim \pi")
    return [nodes.TrajDist(Str(pol))]


_SUM = OPS["sum"]
SUM_OVER_RESPONSES = (r"\sum_{v} over all {what} is read only as \sum_y \pi(y|x) g, weighted by a response's "
                      r"probability (DPO's Z(x) = \sum_y \pi_{{ref}}(y|x) \exp(r(x, y)/\beta)): it is "
                      r"\mathbb{{E}}_{{\tau \sim \pi}}[g \mid s_0]; an unweighted sum over the responses to a prompt "
                      r"is not in derive's language (\sum_\tau sums over every s_0): write the weight \pi(y|x)")


@op("sum")
def _sum(item, items, i, ctx: Ctx):
    r"""\sum_y, \sum_x with family: token: refused (a sum over X would silently ignore the response)."""
    if token_family(ctx) and isinstance(item, Scripted) and item.sub is not None:
        first = raw(item.sub).replace(" ", "").lstrip("{").rstrip("}")
        if first == "y" and item.sup is None:
            body, j = binder_body(items, i, ctx, r"\sum_y", item.pos)
            weighted = _response_weighted(body)
            if weighted is not None:
                return weighted, j
        if first[:1] in ("x", "y") and (len(first) == 1 or not first[1].isalnum()):
            fail(SUM_OVER_RESPONSES.format(v=first[0], what="responses" if first[0] == "y" else "prompts"), item.pos)
    return _SUM(item, items, i, ctx)


def _response_weighted(body):
    r"""\sum_y \pi(y|x) g = E_{tau ~ pi}[g | s_0]: the sum over the responses to the prompt s_0, weighted by
    their probability (exact for any g), or None when no factor is a response probability."""
    for part in Mul.make_args(body):
        if isinstance(part, Product) and part.limits == ((t, 0, T - 1),) and isinstance(part.function, nodes.Pi):
            pol = part.function.args[0]
            if part == response_prob(str(pol)):
                note(r"\sum_y \pi(y \mid x) g (family: token): the sum over the responses to the prompt s_0, "
                     r"\mathbb{E}_{\tau \sim \pi}[g \mid s_0]")
                return nodes.Expect(body / part, nodes.TrajDist(pol), nodes.Given(nodes.St(0)))
    return None


_EXPECT = OPS["expect"]
PROMPT_ONLY = (r"\mathbb{{E}}_{{x \sim \mathcal{{D}}}}[...] over the prompt alone is read when its body depends on the "
               r"prompt s_0 only (e.g. \mathbb{{E}}_{{y \sim \pi(\cdot|x)}}[...] inside, or \log Z(x)); this body also "
               r"uses {what}: draw the response too, \mathbb{{E}}_{{x\sim\mathcal{{D}}, y\sim\pi_\theta(\cdot|x)}}[...]")


def _prompt_only(body):
    """None when the body depends on the trajectory only through s_0 (inner expectations given s_0 aside),
    else the first node that depends on more."""
    from sympy import Dummy

    stripped = body.replace(lambda e: isinstance(e, nodes.Expect), lambda e: Dummy())
    for e in preorder_traversal(stripped):
        if type(e).__module__ in nodes.NODE_MODULES and not (isinstance(e, nodes.St) and e.args[0] == 0) \
                and not isinstance(e, nodes.Rho0):
            return e
    return None


@op("expect")
def _expect(item, items, i, ctx: Ctx):
    r"""\mathbb{E}_{x \sim \mathcal{D}}[X] (family: token) with X a function of the prompt s_0: E_{s_0 ~ rho_0}[X],
    written E_{tau ~ pi_theta}[X] (the law of s_0 does not depend on the policy)."""
    if not (token_family(ctx) and isinstance(item, Scripted) and item.sub is not None and item.sup is None):
        return _EXPECT(item, items, i, ctx)

    syns = _sub_items(item.sub)
    if len(syns) != 1 or not isinstance(syns[0], Rel) or syns[0].kind != "~" or not _is(syns[0].lhs, "x") \
            or raw(single(syns[0].rhs)).replace(" ", "") not in ("cal:D", r"\mathcal{D}"):
        return _EXPECT(item, items, i, ctx)
    juxtaposed = i + 1 < len(items) and _is_expectation(items[i + 1])
    if juxtaposed:  # E_{x ~ D} E_{y ~ pi(.|x)}[X]
        body, k = factor(items, i + 1, ctx)
    else:
        nxt, g = _bracket(items, i + 1, r"\mathbb{E}", item.pos)
        if g.sep == "|":
            fail(r"\mathbb{E}_{x \sim \mathcal{D}}[X \mid ...]: conditioning is not read here", g.sep_pos)
        body = group_value(_body_group(g), ctx)
    extra = _prompt_only(body)
    if extra is not None:
        from sympy import latex

        fail(PROMPT_ONLY.format(what=latex(extra)[:40]), item.pos)
    note(r"\mathbb{E}_{x \sim \mathcal{D}}[X] (family: token): over the prompt s_0 \sim \rho_0, written "
         r"\mathbb{E}_{\tau \sim \pi_\theta}[X] (X depends on s_0 only; the law of s_0 is the policy's own)")
    value = nodes.Expect(body, nodes.TrajDist(Str("theta")))
    return (value, k) if juxtaposed else _finish(value, nxt, g, ctx, i + 1)


__all__ = ["prompt_response_draws", "response_prob", "token_family"]
