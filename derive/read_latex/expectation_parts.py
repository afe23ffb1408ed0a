"""The parts of an expectation ``\\mathbb{E}_{sub}[X | given]^k`` that its readings share
(:mod:`derive.read_latex.expectations` and the authors' spellings in notation_llm.py, notation_dpo.py,
notation_objectives.py, index_ranges.py): the bracket after ``\\mathbb{E}``, the body group without its
condition, the items of a subscript, a power after the bracket; the nodes that belong to a trajectory and
those that name a policy.
"""
from __future__ import annotations

from sympy import preorder_traversal
from sympy.core.symbol import Str

from ..lang import nodes
from .errors import fail
from .interpret import Ctx, interpret, power
from .syntax import Group, Scripted, Syn, base_atom

TRAJECTORY_NODES = (nodes.St, nodes.At, nodes.Rt, nodes.TrajReturn, nodes.Ret, nodes.Delta, nodes.KAdv,
                    nodes.GAE, nodes.LamRet)
POLICY_NODES = (nodes.Pi, nodes.V, nodes.Q, nodes.A, nodes.Dpi, nodes.J, nodes.TrajProb)


def _is_expectation(x) -> bool:
    a = base_atom(x) if x is not None else None
    return a is not None and a.kind == "op" and a.name in ("expect", "hatexpect")


def _bracket(items, j: int, what: str, pos: int):
    nxt = items[j] if j < len(items) else None
    g = nxt.base if isinstance(nxt, Scripted) else nxt
    if not (isinstance(g, Group) and g.kind in ("paren", "bracket", "left") and g.left in "([{"):
        fail(f"{what} must be followed by its body in brackets: {what}[ ... ]", pos)
    return nxt, g


def _finish(value, nxt, g: Group, ctx: Ctx, j: int):
    if isinstance(nxt, Scripted):
        if nxt.sub is not None:
            fail("unexpected subscript", nxt.sub.pos)
        value = power(value, interpret(nxt.sup, ctx.deeper(g.pos)), nxt.sup.pos)
    return value, j + 1


def _body_group(g: Group) -> Group:
    return Group(g.pos, g.kind, g.left, g.right, [g.parts[0]], None, 0, g.params)


def _sub_items(sub: Syn) -> list:
    return sub.parts[0] if isinstance(sub, Group) and sub.kind == "brace" else [sub]


def _policies(e) -> set:
    out = set()
    for x in preorder_traversal(e):
        if isinstance(x, POLICY_NODES) and x.args and isinstance(x.args[0], Str):
            out.add(x.args[0].name)
    return out
