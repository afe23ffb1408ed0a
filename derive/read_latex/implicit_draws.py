"""What a bare ``\\mathbb{E}[X]`` (no subscript) draws, inferred from what X uses: trajectories
``\\tau \\sim \\pi_\\theta`` when X uses s_t, a_t, r_t, G_t, ... (and no other policy), ``x \\sim p`` when X uses
one point x and one distribution is named; otherwise unknown, with the reason.  Every inference is
stated in the step's ``read as``.
"""
from __future__ import annotations

import re

from sympy.core.symbol import Str

from ..lang import nodes
from ..lang.symbols import PointVar
from .errors import fail
from .expectation_parts import TRAJECTORY_NODES, _policies
from .interpret import Ctx
from .reading import current, note


def _scan(e):
    """(uses trajectory variables, free points, distribution names) of a body, outside inner binders."""
    traj, points, dists = False, set(), set()
    stack = [e]
    while stack:
        x = stack.pop()
        if isinstance(x, (nodes.Expect, nodes.SumTraj)):
            continue
        if isinstance(x, TRAJECTORY_NODES):
            traj = True
        if isinstance(x, PointVar):
            points.add(x)
        if isinstance(x, nodes.FreeProb):
            dists.add(x.args[0].name)
        if isinstance(x, nodes.SumOver):
            inner, var = x.args
            t, p, d = _scan(inner)
            traj, points, dists = traj or t, points | (p - {var}), dists | d
            continue
        stack.extend(x.args)
    return traj, points, dists


def infer_draws(body, given: list, ctx: Ctx, pos: int) -> list:
    """What a bare \\mathbb{E}[X] draws, from what X uses; unknown (an error with the reason) when not unique."""
    traj, points, dists = _scan(body)
    traj = traj or bool(given)
    if traj and points:
        fail(r"\mathbb{E}[...] without a subscript: the body uses both the trajectory (s_t, a_t, r_t, ...) and a "
             r"point x, so what is drawn is not clear; write \mathbb{E}_{\tau \sim \pi_\theta} or \mathbb{E}_{x \sim p}",
             pos)
    if traj:
        others = _policies(body) - {"theta"}
        if others:
            fail(r"\mathbb{E}[...] without a subscript: the body uses the trajectory and more than one policy, so "
                 r"which policy draws the trajectory is not clear; write \mathbb{E}_{\tau \sim \pi_\theta} or "
                 r"\mathbb{E}_{\tau \sim \pi_{\theta_{old}}}", pos)
        note(r"\mathbb{E}[...] without a subscript: over trajectories \tau \sim \pi_\theta (the body uses the "
             r"trajectory's variables)")
        return [nodes.TrajDist(Str("theta"))]
    if points:
        if len(points) > 1:
            fail(r"\mathbb{E}[...] without a subscript over several points: write \mathbb{E}_{x \sim p}", pos)
        names = dists or _file_distributions()
        if len(names) != 1:
            fail(r"\mathbb{E}[...] without a subscript: the point x could be drawn from "
                 + (" or ".join(sorted(names)) if names else "no named distribution")
                 + r"; write \mathbb{E}_{x \sim p}", pos)
        (name,) = names
        (x,) = points
        note(rf"\mathbb{{E}}[...] without a subscript: over {x} \sim {name} (the only distribution named)")
        return [nodes.FreeDraw(x, Str(name))]
    fail(r"\mathbb{E}[...] without a subscript: nothing inside says what is random (no s_t, a_t, r_t, \tau, G_t "
         r"or x); write the subscript, e.g. \mathbb{E}_{a \sim \pi(\cdot|s)}", pos)


def _file_distributions() -> set:
    text = current()[0].text
    found = {m.group(1) for m in re.finditer(r"(?<![A-Za-z\\])([pq])\s*(?:\\left\s*)?\(\s*[xy]\b", text)}
    for m in re.finditer(r"(?<![A-Za-z\\])([pP])\s*_\s*\{?\s*\\theta\s*\}?\s*(?:\\left\s*)?\(\s*[xy]\b", text):
        found.add(m.group(1) + r"_\theta")  # p_\theta(x): the parameterised distribution (notation_param.py)
    return found
