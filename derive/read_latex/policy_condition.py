r"""An expectation conditioned on the policy: ``\mathbb{E}[X \mid \pi_\theta]``, ``\mathbb{E}_{P(\tau;\theta)}[X \vert \pi_\theta]``.

Authors write the policy a trajectory is rolled out with as a condition (trunghng's notes, "Likelihood ratio policy
gradient": ``\eta(\pi_\theta)=\mathbb{E}_{P(\tau;\theta)}\left[\left.\sum_{t=0}^{H-1}\gamma^t r(s_t,a_t)
\right\vert\pi_\theta\right]``; Schulman et al. 2015, TRPO, write ``\mathbb{E}_{\tau|\tilde\pi}``): the expectation
over trajectories of that policy.  Read, said in ``read as``:

=================================================  ==========================================================
written                                            read as
=================================================  ==========================================================
``\mathbb{E}[X \mid \pi_\theta]``                    ``\mathbb{E}_{\tau \sim \pi_\theta}[X]`` (as ``\mathbb{E}_{\pi_\theta}[X]``)
``\mathbb{E}_{P(\tau;\theta)}[X \mid \pi_\theta]``   ``\mathbb{E}_{\tau \sim \pi_\theta}[X]``: the condition names the
                                                   subscript's own policy; another policy is refused
``\mathbb{E}[X \mid \pi, s_0 = s]``                ``\mathbb{E}_{\tau \sim \pi}[X \mid s_0 = s]`` (Agarwal, Jiang, Kakade,
                                                   Sun 2022, ch. 1: the policy first, then the conditions)
=================================================  ==========================================================
"""
from __future__ import annotations

import re
from dataclasses import replace

from .errors import fail
from .reading import note
from .spellings import policy_name
from .syntax import raw, single

_POLICY = re.compile(r"\\pi(?:_(?:\{[^{}|]{1,30}(?:\{[^{}]{1,20}\})?\}|\\?[A-Za-z]+))?'?")
NOTE = (r"\mathbb{{E}}[X \mid {p}]: the expectation over the trajectories of the policy {p} it is conditioned on, "
        r"\mathbb{{E}}_{{\tau \sim {p}}}[X]")


def strip(g, sub):
    """(bracket without ``| \\pi_\\theta``, subscript (the policy when none was written), (policy name, its tex,
    position) or None) for an expectation's bracket ``g`` and subscript ``sub``."""
    if g.sep != "|" or len(g.parts) != 2 or not g.parts[1]:
        return g, sub, None
    cond = single(g.parts[1][0])
    text = raw(cond).replace(" ", "")
    if not _POLICY.fullmatch(text):
        return g, sub, None
    name = policy_name(cond, "the policy an expectation is conditioned on")
    rest = g.parts[1][1:]  # Agarwal et al. (2022), ch. 1: E[sum_t gamma^t r(s_t, a_t) | pi, s_0 = s]
    bare = replace(g, parts=[g.parts[0], rest]) if rest else replace(g, sep=None, parts=[g.parts[0]], sep_pos=0)
    note(NOTE.format(p=text))
    return bare, (cond if sub is None else sub), (name, text, g.sep_pos)


def check(draws, condition):
    """Refuse a condition naming another policy than the subscript's trajectory draw."""
    if condition is None:
        return
    name, text, pos = condition
    trajs = [d for d in draws if type(d).__name__ == "TrajDist"]
    if not trajs or any(str(d.args[0]) != name for d in trajs):
        fail(f"\\mathbb{{E}}[X \\mid {text}] is conditioned on the policy {text}: its subscript must draw that "
             f"policy's trajectories (\\tau \\sim {text}, P(\\tau;\\theta) for \\pi_\\theta), or write "
             f"\\mathbb{{E}}_{{\\tau \\sim {text}}}[X]", pos)


__all__ = ["strip", "check"]
