"""Language-model outputs as GRPO writes them (Shao et al. 2024, DeepSeekMath, eq. 3): refused precisely.

GRPO samples a group of outputs ``\\{o_i\\}_{i=1}^G`` and writes the t-th token of output i as
``o_{i,t}``, its prefix as ``o_{i,<t}`` and its length as ``|o_i|``.  derive's language-model MDP
(front matter ``family: token``, docs/conventions.md) has one response per trajectory: its tokens
are the actions ``a_t`` and the prompt with the tokens so far is the state ``s_t``, so
``\\pi_\\theta(o_t | q, o_{<t})`` is ``\\pi_\\theta(a_t | s_t)``.  A group of outputs and per-output
lengths are not in derive's language, so every ``o`` is refused with the spelling to use instead,
never read as something else.  With front matter ``family: token``, read_latex/notation_groups.py (issue 10, R2) reads one output at a
time (``\\pi_\\theta(o_{i,t} \\mid q, o_{i,<t})``) and gives the group and ``|o_i|`` precise unknowns; this module
keeps the refusal of a bare ``o`` and of ``o`` outside that family.
"""
from __future__ import annotations

from .errors import fail
from .interpret import Ctx, Head
from .registry import head

_TOKENS = (r"o_{i,t}, o_i, |o_i| (GRPO's group of sampled outputs, Shao et al. 2024, eq. 3) are read only with front "
           r"matter family: token, one output at a time: \pi_\theta(o_{i,t} \mid q, o_{i,<t}) is "
           r"\pi_\theta(a_{t-1} \mid s_{t-1}) (read_latex/notation_groups.py); a bare o is not a symbol of derive (log is "
           r"written \log). Missing for G > 1: G independent responses to one prompt (derive's groups are action "
           r"draws on a one-step prompt, catalog section 2.11)")


@head("o")
def _output(h: Head, ctx: Ctx):
    r"""``o``, ``o_{i,t}`` outside family: token: refused, naming where GRPO's outputs are read."""
    fail(_TOKENS, h.pos)


__all__ = []
