r"""Two spellings of an expectation from lecture notes (issue 10): without brackets,
``\mathbb{E}_{\tau \sim p_\theta(\tau)} r(\tau)``, and with the policy as a parameter after ``;``,
``\mathbb{E}( X ; \pi_\theta )``.

Lecture notes and blogs (CS285, CS224R notes) drop the brackets when the body is one product:
``J(\theta) = E_{\tau \sim p_\theta(\tau)} r(\tau) = \int p_\theta(\tau) r(\tau) d\tau``.  With a
subscript naming what it draws, the expectation is read as a binder, like ``\sum_t X``: its body is the
rest of the product after it (up to the next ``+``, ``-`` or relation), and "read as" says so.  Without a
subscript (``\mathbb{E} X``) nothing says where the body ends or what is drawn: still refused, asking for
``\mathbb{E}[ ... ]``.

``\mathbb{E}[X; \pi_\theta]``, ``\mathbb{E}\left( \sum_t \gamma^t R(s_t, a_t); \pi_\theta \right)`` (the
statistician's "expectation under the parameter", as in luweiagi's notes after ``P(\tau; \theta)``): the
expectation over trajectories drawn with that policy, ``\mathbb{E}_{\tau \sim \pi_\theta}[X]``; the body must
use the trajectory's variables, else it is refused naming the draw to write.
"""
from __future__ import annotations

from sympy import preorder_traversal
from sympy.core.symbol import Str

from ..lang import nodes
from .errors import fail
from .interpret import Ctx, binder_body, group_value
from .spellings import policy_name
from .syntax import Group, Scripted, raw, single
from .reading import note

NOTE = (r"\mathbb{{E}}_{{{written}}} X without brackets: X is the rest of the product after it (as the body of "
        r"\sum_t X), \mathbb{{E}}_{{{written}}}[X]")


def unbracketed(items: list, j: int) -> bool:
    """Is items[j] (after an expectation with a subscript) a body written without brackets?"""
    if j >= len(items):
        return False
    g = items[j].base if isinstance(items[j], Scripted) else items[j]
    return not (isinstance(g, Group) and g.kind in ("paren", "bracket", "left") and g.left in "([{")


def unbracketed_expectation(item, sub, items: list, i: int, ctx: Ctx, parts: tuple):
    r"""``\mathbb{E}_{x \sim p} X Y``: the expectation of the product ``X Y`` over the draws of the subscript.
    ``parts``: expectations.py's (draws_of, _conditioned, ranged_expectation), passed in (no import cycle)."""
    draws_of, _conditioned, ranged_expectation = parts
    draws, body_ctx, _, lone = draws_of(sub.parts[0] if isinstance(sub, Group) and sub.kind == "brace" else [sub],
                                        ctx)
    body, j = binder_body(items, i, body_ctx, r"\mathbb{E}_{...}", item.pos)
    _conditioned(lone, body, sub)
    draws, given = ranged_expectation(sub, None, draws, [], body, ctx)
    written = raw(sub).strip().removeprefix("{").removesuffix("}").strip()
    note(NOTE.format(written=written if len(written) <= 40 else "..."))
    return nodes.Expect(body, *draws, *given), j


PARAM_NOTE = (r"\mathbb{{E}}[X; {written}]: the policy after ';' is the parameter of the distribution, "
              r"\mathbb{{E}}_{{\tau \sim {pol}}}[X]")


def param_expectation(g: Group, ctx: Ctx):
    r"""``\mathbb{E}[X; \pi_\theta]``: the expectation of X over trajectories drawn with the policy after ';'."""
    from .expectation_parts import TRAJECTORY_NODES, _body_group

    items, pos = g.params
    if len(items) != 1:
        fail(r"\mathbb{E}[X; \pi_\theta]: one policy after ';'", pos)
    written = raw(single(items[0])).strip()
    pol = "theta" if written.replace(" ", "") == r"\theta" else policy_name(items[0], r"\mathbb{E}[X; \pi_\theta]")
    body = group_value(Group(g.pos, g.kind, g.left, g.right, _body_group(g).parts, g.sep, g.sep_pos, None), ctx)
    if not any(isinstance(x, TRAJECTORY_NODES) for x in preorder_traversal(body)):
        fail(r"\mathbb{E}[X; \pi]: X does not use the trajectory's variables; write the draw, "
             r"\mathbb{E}_{a \sim \pi(\cdot|s)}[X]", pos)
    shown = written if len(written) <= 30 else r"\pi"
    note(PARAM_NOTE.format(written=shown, pol=r"\pi_\theta" if pol == "theta" and "pi" not in shown else shown))
    return nodes.Expect(body, nodes.TrajDist(Str(pol)))


__all__ = ["unbracketed", "unbracketed_expectation", "param_expectation"]
