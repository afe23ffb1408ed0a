r"""The conditioning a step leaves implicit: ``Q(s_t, a_t) = \mathbb{E}[\sum_{k<n} \gamma^k r_{t+k} + \gamma^n V(s_{t+n})]``.

A bare ``\mathbb{E}[X]`` (no subscript) is read over trajectories ``\tau \sim \pi_\theta`` (read_latex/implicit_draws.py),
unconditioned.  When the other side of the step is a value of the trajectory's state at time u, ``V(s_u)``,
``Q(s_u, a_u)`` or ``A(s_u, a_u)`` (the policy's value, or a bare V with ``values: true``), and X reads the trajectory
from time u on only, an unconditional expectation could not equal it (it does not depend on s_u, a_u): the author
means ``\mathbb{E}[X \mid s_u, a_u]`` (the n-step Bellman equation: Sutton & Barto 2018, eq. 7.1 and sec. 3.5; the
pipimamaoyuan A2C notes).  The step is read so and ``read as`` says it.  Not with an explicit subscript
(``\mathbb{E}_{\tau \sim \pi}[X]`` says what it means), nor when X reads times before u.
"""
from __future__ import annotations

import re

from sympy import preorder_traversal

from ..lang import nodes as N

# a side that is a bare expectation: \mathbb{E}[...], \mathbb E \left[, E[, 𝔼[ (no subscript)
_BARE_E = re.compile(r"^\s*(?:\\mathbb\s*\{?\s*E\s*\}?|\\operatorname\s*\{\s*E\s*\}|𝔼|E)\s*(?:\\left|\\big|\\Big|\\bigg|\\Bigg)?\s*[\[(]")
NOTE = (r"\mathbb{{E}}[...] given {given}: the other side is a function of {given} (an unconditional expectation would "
        r"not depend on them), so the conditioning left implicit is read")


def _value_at(side):
    """(u, [Given ...]) when the side is V(s_u), Q(s_u, a_u) or A(s_u, a_u) of the trajectory; else None."""
    if isinstance(side, N.V) and isinstance(side.args[1], N.St):
        return side.args[1].args[0], [N.Given(side.args[1])]
    if isinstance(side, (N.Q, N.A)) and isinstance(side.args[1], N.St) and isinstance(side.args[2], N.At) \
            and side.args[1].args[0] == side.args[2].args[0]:
        return side.args[1].args[0], [N.Given(side.args[1]), N.Given(side.args[2])]
    return None


def _from(body, u) -> bool:
    """Every s, a, r of the trajectory in body is at a time u + (something free of u): from time u on."""
    seen = False
    for x in preorder_traversal(body):
        if isinstance(x, (N.St, N.At, N.Rt)):
            seen = True
            shift = (x.args[0] - u).expand()
            if u in shift.free_symbols or (shift.is_number and shift < 0):
                return False
        elif isinstance(x, (N.Expect, N.KAdv, N.Delta, N.GAE, N.LamRet, N.Ret)):
            return False  # keep to plain sums of rewards and values
    return seen


def condition_implicit(step, lhs_tex: str, rhs_tex: str):
    """(lhs, rhs) of a step with a bare E[X] next to V(s_u), Q(s_u, a_u) read as E[X | s_u, a_u]; notes appended."""
    if step.relation != "=":
        return step.lhs, step.rhs
    sides = [step.lhs, step.rhs]
    for i, tex in ((0, lhs_tex), (1, rhs_tex)):
        e, other = sides[i], sides[1 - i]
        if not (isinstance(e, N.Expect) and _BARE_E.match(tex or "")):
            continue
        dists = e.args[1:]
        if len(dists) != 1 or not isinstance(dists[0], N.TrajDist):
            continue
        at = _value_at(other)
        if at is None or not _from(e.args[0], at[0]):
            continue
        sides[i] = N.Expect(e.args[0], *dists, *at[1])
        given = ", ".join(r"%s_{%s}" % ("s" if isinstance(g.args[0], N.St) else "a", g.args[0].args[0]) for g in at[1])
        step.notes = list(step.notes) + [NOTE.format(given=given)]
    return sides[0], sides[1]


__all__ = ["condition_implicit"]
