"""The variance: ``\\operatorname{Var}_{x \\sim p}[X]``, ``\\mathrm{Var}[X]``, ``\\mathbb{V}[X]``, ``\\Var[X]``.

    Var_D[X] = E_D[X^2] - (E_D[X])^2

read exactly, with the expectation ``E_D`` the same expression would give (its subscript, a bare bracket
whose distribution is inferred, a conditional ``| s_t = s``: the conditional variance); Easy RL ch. 5
writes ``\\operatorname{Var}[X]=E\\left[X^{2}\\right]-(E[X])^{2}`` and applies it to importance sampling.
"""
from __future__ import annotations

from ..lang import nodes
from .errors import fail
from .interpret import Ctx
from .registry import OPS, op
from .reading import note


@op("var")
def _variance(item, items, i, ctx: Ctx):
    r"""``\operatorname{Var}_{x \sim p}[X]``: the variance ``\mathbb{E}[X^2] - \mathbb{E}[X]^2`` under the same
    draws."""
    value, k = OPS["expect"](item, items, i, ctx)
    if not isinstance(value, nodes.Expect):
        fail(r"\operatorname{Var} is read as Var[X] = E[X^2] - E[X]^2 of one bracket: write "
             r"\operatorname{Var}_{x \sim p}[X]", item.pos)
    body, dists = value.args[0], value.args[1:]
    note(r"\operatorname{Var}[X] is the variance, \mathbb{E}[X^2] - \mathbb{E}[X]^2 (same distribution)")
    return nodes.Expect(body ** 2, *dists) - nodes.Expect(body, *dists) ** 2, k


__all__: list = []
