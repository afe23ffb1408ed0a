"""Trajectories listed without their policy: TRPO's ``\\mathbb{E}_{s_0, a_0, \\ldots}`` (Schulman et al. 2015, sec. 2).

=====================================================  ===============================================
written                                                read as
=====================================================  ===============================================
``\\mathbb{E}_{s_0, a_0, \\ldots}[X]``                    ``\\mathbb{E}_{\\tau \\sim \\pi}[X]`` (eq. 1's eta(pi))
``\\mathbb{E}_{s_{t+1}, a_{t+1}, \\ldots}[X]``            ``\\mathbb{E}_{\\tau \\sim \\pi}[X \\mid s_t, a_t]`` (TRPO's Q_pi(s_t, a_t))
``\\mathbb{E}_{a_t, s_{t+1}, \\ldots}[X]``                ``\\mathbb{E}_{\\tau \\sim \\pi}[X \\mid s_t]`` (TRPO's V_pi(s_t))
=====================================================  ===============================================

TRPO writes the policy in the text ("s_0 ~ rho_0, a_t ~ pi(a_t|s_t), s_{t+1} ~ P"): the file's policy
``\\pi``.  In a file that also writes another policy (``\\tilde\\pi``, ``\\pi'``, ``\\pi_{old}``) the list is
refused, naming ``\\mathbb{E}_{s_0, a_0, \\ldots \\sim \\tilde\\pi}`` (read by expectations.py).  Conditioning on
``s_t`` (and ``a_t``) for a free t is stationary only in the discounted setting, as for ``[X \\mid s_t]``.
"""
from __future__ import annotations

import re

from sympy.core.symbol import Str

from ..lang import nodes
from .errors import fail
from .interpret import Ctx, interpret
from .reading import current, note
from .syntax import Atom, Rel, raw, single

_ELLIPSIS = ("...", r"\dots", r"\ldots", r"\cdots")
_OTHER_POLICY = re.compile(r"\\tilde\s*\{?\s*\\pi|\\pi\s*'|\\pi\s*_\s*\{?\s*(?:\\theta\s*_\s*\{?\s*)?(?:old|\\text\s*\{\s*old)"
                           r"|\\pi\s*\^\s*\{?\s*(?:old|\\prime)|\\pi\s*_\s*\{?\s*(?:new|k|i)\b")


def unnamed_listed_trajectory(syns: list, ctx: Ctx):
    """The draws of an expectation whose subscript lists the trajectory from a time on, or None."""
    if len(syns) != 3 or any(isinstance(x, Rel) for x in syns) \
            or raw(single(syns[2])).replace(" ", "") not in _ELLIPSIS:
        return None
    values = []
    for x in syns[:2]:
        x = single(x)
        if not isinstance(x, Atom) and raw(x).replace(" ", "")[:1] not in ("s", "a"):
            return None
        try:
            values.append(interpret(x, ctx.deeper(x.pos, "var")))
        except Exception:  # noqa: BLE001  not a trajectory variable: another reading decides
            return None
    first, second = values
    pos = syns[0].pos
    if isinstance(first, nodes.St) and isinstance(second, nodes.At) and first.args[0] == second.args[0]:
        u = first.args[0]
        given = [] if u == 0 else [nodes.Given(nodes.St(u - 1)), nodes.Given(nodes.At(u - 1))]
    elif isinstance(first, nodes.At) and isinstance(second, nodes.St) and second.args[0] == first.args[0] + 1:
        u = first.args[0]
        given = [nodes.Given(nodes.St(u))]
    else:
        return None
    if _OTHER_POLICY.search(current()[0].text or ""):
        fail(r"\mathbb{E}_{s_0, a_0, \ldots}: this file writes more than one policy; name the one that draws the "
             r"trajectory, \mathbb{E}_{s_0, a_0, \ldots \sim \tilde\pi}", pos)
    what = ["", r" given s_t, a_t", r" given s_t"][0 if not given else (1 if len(given) == 2 else 2)]
    note(r"\mathbb{E}_{" + raw(syns[0]).strip()[:12] + ", " + raw(syns[1]).strip()[:12] + r", \ldots}: over the rest of "
         r"the trajectory under the file's policy \pi (TRPO, Schulman et al. 2015, sec. 2: a_t ~ \pi(a_t|s_t), "
         r"s_{t+1} ~ P)" + what)
    return [nodes.TrajDist(Str("theta")), *given]


__all__ = ["unnamed_listed_trajectory"]
