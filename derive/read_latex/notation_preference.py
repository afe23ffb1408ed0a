r"""A preference probability as posts write it: ``P(i > j)``, ``p(A \succ B)``, ``P(y_w > y_l \mid x)`` (issue 10, R10).

The Bradley-Terry model (Bradley & Terry 1952; DPO, Rafailov et al. 2023, eq. 1; the RLHF book ch. 5) writes the
probability that a judge prefers ``i`` to ``j`` as ``p^*(i \succ j)``, ``P(i > j)``, ``\Pr(y_1 \succ y_2 \mid x)``.
A ``>`` standing directly between two items inside the parentheses of ``P``, ``p``, ``\Pr``
(preference_tokens.preference_gt, called by the tokenizer) is that preference, read as ``\succ``; any other ``>`` keeps its message.

==========================================================  ==========================================================
written                                                     read as
==========================================================  ==========================================================
``p^*(y_1 \succ y_2 \mid x)``, ``P^*(y_w > y_l \mid x)``      (family: token) DPO eq. 1, notation_dpo.py:
                                                            ``\sigma(r^*(x, y_1) - r^*(x, y_2))``
``p(y_w \succ y_l \mid x)``, ``P(y_1 > y_2 \mid x)``          (family: token) the Bradley-Terry probability of latent
(no star)                                                   scores the file does not tie to a reward written:
                                                            ``\sigma(\rho(y_w) - \rho(y_l))``, \rho arbitrary
``P(i > j)``, ``p^*(A \succ B)``, ``P(y_c > y_r \mid x)``     (no family: token) the Bradley-Terry probability of two
                                                            items with free latent scores ``\rho_i``, ``\rho_j``:
                                                            ``\sigma(\rho_i - \rho_j)``
==========================================================  ==========================================================

The latent scores are arbitrary (lang/objectives.Arbitrary): a step holds when it holds for every value of them
(``P(i > j) = 1 - P(j > i)``), and a step that fails for some scores is not decided (the author's model may tie them
to a reward the step writes: ``P(i > j) = \sigma(r_i - r_j)`` when the file says ``p_i = e^{r_i}``).  For a single
pair this loses nothing: every probability in (0, 1) is ``\sigma`` of a score difference.  A file that defines the
probability (``P(i > j) := \frac{p_i}{p_i + p_j}``) uses its own definition (read_markdown/definitions.py).
"""
from __future__ import annotations

import re

from sympy import exp
from sympy.core.symbol import Str

from ..lang import nodes
from ..lang import symbols as sy
from ..lang.objectives import Arbitrary
from .errors import fail
from .interpret import Ctx, Head
from .notation_dpo import PAIR, _juxtaposed, latent
from .notation_llm import token_family
from .reading import note
from .registry import HEADS, head
from .preference_tokens import ITEM as _ITEM
from .syntax import raw, single

_BEFORE = {name: HEADS[name] for name in ("p", "P", "text:Pr", "r", "R")}
BT_NOTE = (r"{label}: the probability that {a} is preferred to {b}, read under the Bradley-Terry model (Bradley & Terry "
           r"1952; Rafailov et al. 2023, eq. 1) as \sigma(\rho({a}) - \rho({b})) with latent scores \rho the file does "
           r"not tie to a reward it writes: the step is decided only when it holds for every such scores")
_SUCC = "succ:"


def _items(g):
    """(a, b, given) for (a \\succ b) or (a \\succ b | x), the names as written; None without \\succ; "bad" else."""
    if g is None or g.params:
        return None
    flat = [it for part in g.parts for x in part for it in _juxtaposed(x)]
    if not any(raw(single(it)).replace(" ", "") == _SUCC for it in flat):
        return None
    if len(g.parts[0]) != 1 or (g.sep is None and len(g.parts) != 1) or (g.sep is not None and (
            g.sep != "|" or len(g.parts) != 2 or len(g.parts[1]) != 1)):
        return "bad"
    three = _juxtaposed(g.parts[0][0])
    if len(three) != 3 or raw(single(three[1])).replace(" ", "") != _SUCC:
        return "bad"
    a, b = (raw(single(x)).replace(" ", "") for x in (three[0], three[2]))
    if not all(re.fullmatch(_ITEM, n) for n in (a, b)) or a == b:
        return "bad"
    given = raw(single(g.parts[1][0])).replace(" ", "") if g.sep == "|" else None
    return a, b, given


def _name(n: str) -> str:
    """y_w, y_{w} -> y_{w}: one spelling per item."""
    m = re.fullmatch(r"([A-Za-z])_\{?(\w{1,3})\}?", n)
    return f"{m.group(1)}_{{{m.group(2)}}}" if m else n


@head("p", "P", "text:Pr")
def _preference(h: Head, ctx: Ctx):
    r"""``P(i > j)``, ``p(A \succ B)``, ``P(y_w > y_l \mid x)``: a Bradley-Terry preference probability (see the module
    docstring); DPO's ``p^*(y_1 \succ y_2 \mid x)`` under family: token as notation_dpo.py reads it."""
    hit = _items(h.call)
    if hit is None:
        return _BEFORE[h.key](h, ctx)
    star = h.sup is not None and raw(single(h.sup)).replace(" ", "").strip("{}") == "*"
    token = token_family(ctx)
    if token and h.key == "p" and (star or hit == "bad" or hit[2] != "x" or hit[0] not in PAIR or hit[1] not in PAIR):
        return _BEFORE["p"](h, ctx)  # DPO eq. 1 and its refusals (notation_dpo.py)
    if hit == "bad" or h.sub is not None or h.primes or (h.sup is not None and not star):
        fail(r"a preference probability is read as P(i > j), p^*(i \succ j) or P(y_w > y_l \mid x): two items (a "
             r"letter with an optional subscript) on either side of \succ or >, optionally given the prompt x", h.pos)
    a, b, given = hit
    if token and (given != "x" or a not in PAIR or b not in PAIR):
        fail(r"with family: token a preference is between two responses y_1, y_2 (y_w, y_l; y_c, y_r) to the "
             r"prompt x", h.pos)
    h.take_sup()
    h.take_call()
    a, b = _name(a), _name(b)
    letter = {"text:Pr": r"\Pr"}.get(h.key, h.key) + ("^*" if star else "")
    # braced "{p^*}": not check_statements/objectives.OPTIMUM_LABEL, so the latent scores are never written out
    letter = "{" + letter + "}" if star else letter
    label = f"{letter}({a} \\succ {b}" + (f" \\mid {given})" if given else ")")
    if token and star:  # P^*(y_w > y_l | x): DPO's p^*, the latent reward r^*
        value = 1 / (1 + exp(latent(sy.StateVar(PAIR[b])) - latent(sy.StateVar(PAIR[a]))))
        note(r"p^*(y_1 \succ y_2 \mid x): the Bradley-Terry preference probability (Rafailov et al. 2023, eq. 1), "
             r"\sigma(r^*(x, y_1) - r^*(x, y_2)) = e^{r^*(x, y_1)} / (e^{r^*(x, y_1)} + e^{r^*(x, y_2)})")
        return Arbitrary(value, Str("p^*" + label[len(letter):]))
    if token:
        score = lambda n: nodes.FreeFn(Str(r"\rho"), sy.StateVar(PAIR[n]))  # noqa: E731
    else:
        score = lambda n: sy.scalar(f"\\rho({n})")  # noqa: E731
    note(BT_NOTE.format(label=label, a=a, b=b))
    return Arbitrary(1 / (1 + exp(score(b) - score(a))), Str(label))


LATENT_NOTE = (r"{name} (no family: token): the latent score (reward) of item {i} in a Bradley-Terry comparison, a free "
               r"real number: the step is judged as algebra in the scores")


@head("r", "R")
def _latent_score(h: Head, ctx: Ctx):
    r"""``R_i^*``, ``r^*_j`` (item i, j or k; no arguments, no family: token): the latent score of an item in a
    Bradley-Terry comparison (the rl-tutorial's DPO chapter: ``\frac{e^{R_i^*}}{e^{R_i^*} + e^{R_j^*}}``), a free
    real number; anything else as before."""
    sub = raw(single(h.sub)).replace(" ", "").strip("{}") if h.sub is not None else ""
    star = h.sup is not None and raw(single(h.sup)).replace(" ", "").strip("{}") == "*"
    if not star or sub not in ("i", "j", "k") or h.call is not None or h.primes or token_family(ctx):
        return _BEFORE[h.key](h, ctx)
    h.take_sub()
    h.take_sup()
    name = f"{h.name}^*_{{{sub}}}"
    note(LATENT_NOTE.format(name=name, i=sub))
    return sy.scalar(name)


__all__ = ["BT_NOTE", "LATENT_NOTE"]
