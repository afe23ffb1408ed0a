"""DPO's notation (Rafailov et al. 2023, arXiv:2305.18290, eqs. 1-7) on the token MDP (``family: token``).

Read exactly, every reading stated in ``read as``:

==========================================================  ==========================================================
written                                                     read as
==========================================================  ==========================================================
``\\sigma(z)`` (not defined by the file; any family)           the logistic function ``1 / (1 + e^{-z})`` (DPO eq. 6-7)
``r^*(x, y)``, ``R^*(x, y)``                                    the latent reward of the response: an arbitrary function
                                                            of the response (of its last prefix state ``s_T``),
                                                            ``\\sum_u [s_T = u]\\, r^*(u)``; another function than
                                                            ``r(x, y) = R(\\tau)``
``\\pi_r(y|x)``                                                 the optimum of the KL-regularised objective for ``r``
                                                            (eq. 4): ``\\pi_{ref}(y|x) e^{r(x,y)/\\beta} / Z_r(x)``,
                                                            ``Z_r(x) = \\sum_y \\pi_{ref}(y|x) e^{r(x,y)/\\beta}``
``\\pi^*(y|x)``                                                 the same optimum for the latent reward ``r^*`` (eq. 6:
                                                            "the optimal policy under r^*")
``y_1, y_2, y_w, y_l`` (two responses to the prompt x)        free responses: states ``u`` of the token MDP (a response
                                                            is its last prefix), the statement read for every pair;
                                                            ``\\pi(y_1|x) = \\mathbb{E}_{\\tau\\sim\\pi}[[s_T = y_1] \\mid
                                                            s_0]``, ``r(x, y_1)`` the reward paid for ``y_1``
``p^*(y_1 \\succ y_2 \\mid x)`` (Bradley-Terry, eq. 1)          ``\\sigma(r^*(x, y_1) - r^*(x, y_2))``
==========================================================  ==========================================================

Also: ``r_\\phi(x, y)`` (a learned reward model: another free function of the response); ``y_c, y_r`` (chosen,
rejected: the RLHF book) as ``y_w, y_l``; ``\\mathbb{E}_{(x, y_w, y_l) \\sim \\mathcal{D}}`` (or ``\\in``): a random
distribution on pairs of whole responses (``PairSum``, engine/rules_llm.py); ``Z(x)`` the file has not defined: an
arbitrary positive function of the prompt (``Arbitrary``: decided only when the step holds for every such Z,
check_statements/objectives.py); ``\\pi^*`` next to another reward in a step: the optimum for an arbitrary r^*, decided the
same way (the author's pi^* may be that reward's optimum).

``\\pi_{ref}`` is the file's reference slot (read_latex/notation_policies.py).  A prefix state that is not a
whole response has probability 0 under every policy: entries whose sides are undefined there (a log of 0)
are skipped, as everywhere in derive.  Not read (refused, naming the construct): ``\\sigma`` with two
arguments (a comma where ``\\sigma(a - b)`` is meant), ``p(i \\succ j)`` between anything but two responses
to a prompt, ``\\pi^*_\\theta``.
"""
from __future__ import annotations

from sympy import exp
from sympy.core.symbol import Str

from ..lang import nodes
from ..lang import symbols as sy
from ..lang.objectives import Arbitrary, PairSum
from ..lang.optimal import Same
from ..lang.symbols import StateVar, T
from .errors import fail
from .interpret import Ctx, group_value, Head, interpret
from .registry import HEADS, OPS, head, op
from .notation_llm import response_prob, token_family
from .reading import note
from .syntax import Atom, Expr, Group, raw, Rel, Scripted, single, Term
from .spellings import flexible_policy, policy_name
from .expectation_parts import _body_group, _bracket, _finish, _sub_items

_BEFORE = {name: HEADS[name] for name in (r"\sigma", r"\pi", "r", "R", "p")}
PAIR = {f"y_{k}": f"y_{{{k}}}" for k in ("1", "2", "w", "l", "c", "r")}  # y_c, y_r: chosen, rejected (RLHF book)
PAIR.update({v: v for v in list(PAIR.values())})
_U = StateVar("u")
NEED_TOKEN = (r"{what} (DPO, Rafailov et al. 2023) is read only with front matter family: token (x the prompt "
              r"s_0, y a response)")


def _flat(x) -> str:
    return raw(single(x)).replace(" ", "").replace(r"\mathrm", "").replace(r"\text", "")


def _param_beta(ctx: Ctx):
    return sy.beta  # the KL coefficient of the instance


# ------------------------------------------------------------------ sigma


@head(r"\sigma")
def _sigma(h: Head, ctx: Ctx):
    """\\sigma(z) = 1 / (1 + e^{-z}), the logistic function, unless the file defines \\sigma (then its definition)."""
    if h.call is None or h.sub is not None or h.sup is not None or h.primes:
        return _BEFORE[r"\sigma"](h, ctx)
    g = h.call
    if g.sep is not None or g.params or len(g.parts) != 1:
        return _BEFORE[r"\sigma"](h, ctx)
    if len(g.parts[0]) != 1:
        fail(r"\sigma(a, b): the logistic function \sigma takes one argument; the Bradley-Terry form is "
             r"\sigma(a - b) (a comma is not read as a minus)", g.pos)
    h.take_call()
    z = interpret(g.parts[0][0], ctx.deeper(g.pos))
    note(r"\sigma(z) is the logistic function 1 / (1 + e^{-z}) (the file does not define \sigma)")
    return 1 / (1 + exp(-z))


# --------------------------------------------------------- responses and rewards


def _pair(x) -> StateVar | None:
    """y_1, y_2, y_w, y_l: a free response (a state u of the token MDP: its last prefix), or None."""
    name = PAIR.get(raw(single(x)).replace(" ", ""))
    return StateVar(name) if name else None


def pair_prob(pol: str, u):
    """pi(y|x) of a free response u: the probability that pi's trajectory from s_0 ends in u."""
    return nodes.Expect(Same(nodes.St(T), u), nodes.TrajDist(Str(pol)), nodes.Given(nodes.St(0)))


def pair_reward(u):
    """r(x, y) of a free response u: the reward paid for u, E[R(tau) | s_0, s_T = u] (any full-support policy)."""
    return nodes.Expect(nodes.TrajReturn() * Same(nodes.St(T), u), nodes.TrajDist(Str("theta")),
                        nodes.Given(nodes.St(0))) / pair_prob("theta", u)


def latent(u):
    return nodes.FreeFn(Str("r^*"), u)


def latent_traj():
    """r^*(x, y) of the trajectory's response: sum_u [s_T = u] r^*(u)."""
    return nodes.SumOver(Same(nodes.St(T), _U) * latent(_U), _U)


def _ref(pos: int) -> str:
    slot = flexible_policy(r"\pi_{ref}", pos, False)
    if slot is None:
        fail(r"the DPO optimum needs the reference policy \pi_{ref}", pos)
    return slot


def _partition(reward_of, ref: str, beta):
    """Z(x) = sum_y pi_ref(y|x) e^{r(x,y)/beta} = E_{tau ~ pi_ref}[e^{r/beta} | s_0]."""
    return nodes.Expect(exp(reward_of / beta), nodes.TrajDist(Str(ref)), nodes.Given(nodes.St(0)))


def _optimum(u, starred: bool, pos: int, ctx: Ctx):
    """pi_r(y|x) or pi^*(y|x) = pi_ref(y|x) e^{r(x,y)/beta} / Z(x) (DPO eq. 4); u None: the trajectory's response."""
    ref, beta = _ref(pos), _param_beta(ctx)
    traj_reward = latent_traj() if starred else nodes.TrajReturn()
    z = _partition(traj_reward, ref, beta)
    if u is None:
        return response_prob(ref) * exp(traj_reward / beta) / z
    reward = latent(u) if starred else pair_reward(u)
    return pair_prob(ref, u) * exp(reward / beta) / z


def _response_call(g):
    """(kind, u) for a call (Y | x): ('traj', None) for y, ('pair', u) for y_1 ..., or None."""
    if g is None or g.sep != "|" or g.params or len(g.parts) != 2 or len(g.parts[0]) != 1 or len(g.parts[1]) != 1:
        return None
    if raw(single(g.parts[1][0])).replace(" ", "") != "x":
        return None
    first = raw(single(g.parts[0][0])).replace(" ", "")
    if first == "y":
        return "traj", None
    u = _pair(g.parts[0][0])
    return ("pair", u) if u is not None else None


_STAR_NOTE = (r"\pi^*(y \mid x): DPO's optimal policy for the latent reward r^* (Rafailov et al. 2023, eqs. 4 and 6), "
              r"\pi_{ref}(y \mid x) e^{r^*(x, y)/\beta} / Z^*(x) with Z^*(x) = \sum_y \pi_{ref}(y \mid x) "
              r"e^{r^*(x, y)/\beta}; in a step that also writes another reward (r, r_\phi, Z(x)) the author's \pi^* may "
              r"be that reward's optimum: only what holds for every r^* is decided there")
_R_NOTE = (r"\pi_r(y \mid x): the optimum of the KL-regularised objective for r (Rafailov et al. 2023, eq. 4), "
           r"\pi_{ref}(y \mid x) e^{r(x, y)/\beta} / Z(x) with Z(x) = \sum_y \pi_{ref}(y \mid x) e^{r(x, y)/\beta}")
_PAIR_NOTE = (r"y_1, y_2, y_w, y_l (family: token): responses to the prompt x = s_0, each read as its last prefix "
              r"state u (a free response; the step is read for every pair): \pi(y_1 \mid x) = "
              r"\mathbb{E}_{\tau \sim \pi}[[s_T = y_1] \mid s_0], r(x, y_1) the reward paid for y_1")


@head(r"\pi")
def _pi(h: Head, ctx: Ctx):
    r"""DPO's ``\pi^*(y|x)`` (the optimum for the latent reward r^*, Rafailov et al. 2023, eqs. 4 and 6),
    ``\pi_r(y|x)`` (for the reward r, eq. 4), ``\pi(y_1|x)`` (a response of a pair), under family: token; any other
    \pi as before."""
    hit = _response_call(h.call)
    if hit is None:
        return _BEFORE[r"\pi"](h, ctx)
    kind, u = hit
    star = h.sup is not None and _flat(h.sup).strip("{}") == "*"
    sub = _flat(h.sub).strip("{}") if h.sub is not None else None
    if not (star or sub == "r" or kind == "pair"):
        return _BEFORE[r"\pi"](h, ctx)
    if not token_family(ctx):
        fail(NEED_TOKEN.format(what=r"\pi^*(y|x), \pi_r(y|x), \pi(y_1|x)"), h.pos)
    if star and sub is not None and sub not in (r"\theta", r"\theta^*"):
        fail(r"\pi^*_{...}(y|x): DPO's optimum is written \pi^*(y|x) (for the latent reward r^*) or \pi_r(y|x) "
             r"(for r); a starred \pi with a subscript other than \theta is not read", h.pos)
    if star and sub is not None:  # \pi^*_\theta(y|x): the optimum sought in the family pi_theta (R10)
        note(r"\pi^*_\theta(y \mid x) is read as \pi^*(y \mid x), the optimal policy (the subscript \theta names the "
             r"parameterised family it is sought in)")
    h.take_sup()
    h.take_sub()
    h.take_call()
    if kind == "pair":
        note(_PAIR_NOTE)
    if star or sub == "r":
        note(_STAR_NOTE if star else _R_NOTE)
        value = _optimum(u, star, h.pos, ctx)
        if not star:
            return value
        # pi^*: exact next to r^* alone; next to another reward only what holds for every r^* is decided
        return Arbitrary(value, Str(r"\pi^*(%s \mid x)" % ("y" if u is None else u.name)))

    pol = policy_name(Scripted(h.pos, Atom(h.pos, "sym", h.name), h.sub, None), "the policy")
    return pair_prob(pol, u)


def _reward_args(g):
    """('traj', None) for (x, y), ('pair', u) for (x, y_1), or None."""
    if g is None or g.sep is not None or g.params or len(g.parts) != 1 or len(g.parts[0]) != 2:
        return None
    if raw(single(g.parts[0][0])).replace(" ", "") != "x":
        return None
    second = raw(single(g.parts[0][1])).replace(" ", "")
    if second == "y":
        return "traj", None
    u = _pair(g.parts[0][1])
    return ("pair", u) if u is not None else None


LEARNED = (r"\phi", r"\psi")  # r_\phi(x, y): a learned reward model (DPO eq. 2, RLHF)


def _reward(letter: str):
    def build(h: Head, ctx: Ctx):
        r"""``r^*(x, y)`` (DPO's latent reward), ``r(x, y_1)``, ``r_\phi(x, y)`` (a learned reward model), family:
        token; ``R`` alike; otherwise the earlier reading."""
        hit = _reward_args(h.call)
        star = h.sup is not None and _flat(h.sup).strip("{}") == "*"
        model = h.sub is not None and _flat(h.sub).strip("{}") in LEARNED and h.sup is None
        if hit is not None and model and not h.primes:
            if not token_family(ctx):
                fail(NEED_TOKEN.format(what=f"{letter}_\\phi(x, y)"), h.pos)
            name = f"{letter}_{{{_flat(h.take_sub()).strip('{}')}}}"
            h.take_call()
            note(f"{name}(x, y): a learned reward model (DPO eq. 2, RLHF): an arbitrary function of the response (its "
                 f"last prefix s_T), another function than r(x, y) and r^*(x, y)")
            u = hit[1]
            if u is not None:
                note(_PAIR_NOTE)
                return nodes.FreeFn(Str(name), u)
            return nodes.SumOver(Same(nodes.St(T), _U) * nodes.FreeFn(Str(name), _U), _U)
        if hit is None or h.sub is not None or h.primes or (h.sup is not None and not star) \
                or (hit[0] == "traj" and not star):
            return _BEFORE[letter](h, ctx)
        if not token_family(ctx):
            fail(NEED_TOKEN.format(what=f"{letter}^*(x, y), {letter}(x, y_1)"), h.pos)
        kind, u = hit
        h.take_sup()
        h.take_call()
        if kind == "pair":
            note(_PAIR_NOTE)
        if star:
            note(f"{letter}^*(x, y): DPO's latent reward (Rafailov et al. 2023, sec. 3), an arbitrary function r^* of "
                 f"the response (its last prefix s_T), another function than r(x, y) = R(\\tau)")
            return latent(u) if u is not None else latent_traj()
        return pair_reward(u)

    return build


head("r")(_reward("r"))
head("R")(_reward("R"))


@head("Z")
def _partition_undefined(h: Head, ctx: Ctx):
    """Z(x) used where the file has not defined it (DPO's partition function, eq. 4): an arbitrary positive function
    of the prompt, lang/objectives.Arbitrary (a step decided only when it holds for every such Z)."""
    g = h.call
    if g is None or h.sub is not None or h.sup is not None or h.primes or g.sep is not None or g.params \
            or len(g.parts) != 1 or len(g.parts[0]) != 1 or raw(single(g.parts[0][0])).replace(" ", "") != "x":
        fail(r"Z is read only as Z(x), DPO's partition function of the prompt x (define it: Z(x) := \sum_y "
             r"\pi_{ref}(y|x) \exp(r(x,y)/\beta))", h.pos)
    if not token_family(ctx):
        fail(NEED_TOKEN.format(what="Z(x)"), h.pos)
    h.take_call()
    note(r"Z(x) (DPO's partition function) is not defined in this file before this step: read as an arbitrary "
         r"positive function of the prompt; the step is decided only if it holds for every such Z")
    return Arbitrary(exp(nodes.FreeFn(Str("Z"), nodes.St(0))), Str("Z(x)"))


# ------------------------------------------------------------- Bradley-Terry

BT = (r"p^*(y_1 \succ y_2 \mid x) (Bradley-Terry, Rafailov et al. 2023, eq. 1) is read for two responses y_1, y_2 "
      r"(also y_w, y_l) to the prompt x, with family: token: \sigma(r^*(x, y_1) - r^*(x, y_2)); {why}")


def _juxtaposed(x) -> list:
    """The items of a product written by juxtaposition (y_1 \\succ y_2), else [x]."""
    if isinstance(x, Expr) and len(x.terms) == 1 and x.terms[0][0] == 1:
        x = x.terms[0][1]
    return list(x.items) if isinstance(x, Term) else [x]


def _preference(g):
    """(u_1, u_2) for (y_1 \\succ y_2 | x), "bad" for another \\succ, or None when the group holds no \\succ."""
    if g is None or g.params:
        return None
    items = [it for part in g.parts for x in part for it in _juxtaposed(x)]
    if not any(raw(single(it)).replace(" ", "") == "succ:" for it in items):
        return None
    if g.sep != "|" or len(g.parts) != 2 or len(g.parts[0]) != 1 or len(g.parts[1]) != 1 \
            or raw(single(g.parts[1][0])).replace(" ", "") != "x":
        return "bad"
    three = _juxtaposed(g.parts[0][0])
    if len(three) != 3 or raw(single(three[1])).replace(" ", "") != "succ:":
        return "bad"
    u1, u2 = _pair(three[0]), _pair(three[2])
    return "bad" if u1 is None or u2 is None else (u1, u2)


@head("p")
def _p(h: Head, ctx: Ctx):
    r"""``p^*(y_1 \succ y_2 \mid x)``: the Bradley-Terry preference probability (Rafailov et al. 2023, eq. 1), under
    family: token; any other p as before."""
    hit = _preference(h.call)
    if hit is None:
        return _BEFORE["p"](h, ctx)
    if hit == "bad":
        fail(BT.format(why="this comparison is not between two responses to a prompt"), h.pos)
    if not token_family(ctx):
        fail(BT.format(why="this file has no family: token"), h.pos)
    if h.sub is not None or h.primes or h.sup is None or _flat(h.sup).strip("{}") != "*":
        fail(BT.format(why="write p^* (the human preference distribution)"), h.pos)
    h.take_sup()
    h.take_call()
    u1, u2 = hit
    note(_PAIR_NOTE)
    note(r"p^*(y_1 \succ y_2 \mid x): the Bradley-Terry preference probability (Rafailov et al. 2023, eq. 1), "
         r"\sigma(r^*(x, y_1) - r^*(x, y_2)) = e^{r^*(x, y_1)} / (e^{r^*(x, y_1)} + e^{r^*(x, y_2)})")
    # exact next to r^* alone; next to another reward (r_phi, r) the author's p^* may be that reward's model
    return Arbitrary(1 / (1 + exp(latent(u2) - latent(u1))), Str(r"p^*(%s \succ %s \mid x)" % (u1.name, u2.name)))


@head("succ:")
def _succ(h: Head, ctx: Ctx):
    r"""``\succ`` outside ``p^*(y_1 \succ y_2 \mid x)``: refused."""
    fail(r"\succ (a preference) is read only inside p^*(y_1 \succ y_2 \mid x), the Bradley-Terry probability "
         r"(family: token); derive checks =, \geq and \leq between numbers", h.pos)


# -------------------------------------------------- the preference data set D

_EXPECT = OPS["expect"]
_DATA_NOTE = (r"\mathbb{{E}}_{{(x, y_w, y_l) \sim \mathcal{{D}}}}[X] (family: token): over the preference data set, an "
              r"arbitrary distribution D of (prompt, preferred response, rejected response): the prompt s_0 \sim "
              r"\rho_0 and \sum_{{y_w, y_l}} D(y_w, y_l) X over pairs of whole responses, D drawn at random on each "
              r"instance (so a step holds for every D only if it holds for each pair)")


def _triple(rel) -> list | None:
    """The names of (x, y_w, y_l) ~ \\mathcal{D} (any order; also \\in \\mathcal{D}, a sample of the data set), or None."""
    if not isinstance(rel, Rel) or rel.kind not in ("~", "in") \
            or raw(single(rel.rhs)).replace(" ", "") not in ("cal:D", r"\mathcal{D}"):
        return None
    g = single(rel.lhs)
    if not (isinstance(g, Group) and g.kind in ("paren", "left") and g.sep is None and len(g.parts) == 1):
        return None
    names = [raw(single(x)).replace(" ", "") for x in g.parts[0]]
    pairs = (["x", "y_{l}", "y_{w}"], ["x", "y_{c}", "y_{r}"])
    return names if sorted(PAIR.get(n, n) for n in names) in pairs else None


def data_weight(u_w, u_l):
    """D(y_w, y_l | s_0) = e^{g(y_w, y_l)} w(y_w) w(y_l) / (its sum): a random distribution on the pairs of whole
    responses (g a free function; w(y) = \\pi_{old}(y|x) > 0 exactly on whole responses: not theta, so no gradient)."""
    def draw(v_w, v_l):
        return exp(nodes.FreeFn(Str("D"), v_w, v_l)) * pair_prob("old", v_w) * pair_prob("old", v_l)

    v_w, v_l = StateVar("v_w"), StateVar("v_l")
    return draw(u_w, u_l) / nodes.SumOver(nodes.SumOver(draw(v_w, v_l), v_l), v_w)


@op("expect")
def _data_expect(item, items, i, ctx: Ctx):
    r"""\mathbb{E}_{(x, y_w, y_l) \sim \mathcal{D}}[X]: see _DATA_NOTE."""
    sub = item.sub if isinstance(item, Scripted) else None
    syns = _sub_items(sub) if sub is not None and item.sup is None else []
    if len(syns) != 1 or _triple(syns[0]) is None:
        return _EXPECT(item, items, i, ctx)
    if not token_family(ctx):
        fail(NEED_TOKEN.format(what=r"\mathbb{E}_{(x, y_w, y_l) \sim \mathcal{D}}"), item.pos)
    nxt, g = _bracket(items, i + 1, r"\mathbb{E}", item.pos)
    if g.sep == "|":
        fail(r"\mathbb{E}_{(x, y_w, y_l) \sim \mathcal{D}}[X \mid ...]: conditioning is not read here", g.sep_pos)
    body = group_value(_body_group(g), ctx)
    names = {PAIR.get(n, n) for n in _triple(syns[0])}
    u_w, u_l = (StateVar("y_{w}"), StateVar("y_{l}")) if "y_{w}" in names else (StateVar("y_{c}"), StateVar("y_{r}"))
    note(_DATA_NOTE.format())
    inner = PairSum(data_weight(u_w, u_l), body, u_w, u_l)
    return _finish(nodes.Expect(inner, nodes.TrajDist(Str("theta"))), nxt, g, ctx, i + 1)


__all__ = ["pair_prob", "pair_reward", "latent", "data_weight"]
