"""Language-model outputs as GRPO writes them (Shao et al. 2024, DeepSeekMath, eq. 3): refused precisely.

GRPO samples a group of outputs ``\\{o_i\\}_{i=1}^G`` and writes the t-th token of output i as
``o_{i,t}``, its prefix as ``o_{i,<t}`` and its length as ``|o_i|``.  derive's language-model MDP
(front matter ``family: token``, docs/conventions.md) has one response per trajectory: its tokens
are the actions ``a_t`` and the prompt with the tokens so far is the state ``s_t``, so
``\\pi_\\theta(o_t | q, o_{<t})`` is ``\\pi_\\theta(a_t | s_t)``.  A group of outputs and per-output
lengths are not in derive's language, so every ``o`` is refused with the spelling to use instead,
never read as something else.
"""
from __future__ import annotations

from .errors import fail
from .interpret import Ctx, Head
from .notation import head

_TOKENS = (r"o_{i,t}, o_i, |o_i| (GRPO's group of sampled outputs, Shao et al. 2024, eq. 3) are not read: derive "
           r"has one response per trajectory (front matter family: token), whose tokens are the actions a_t and "
           r"whose prefix (q, o_{<t}) is the state s_t; write \pi_\theta(o_t | q, o_{<t}) as \pi_\theta(a_t|s_t) "
           r"(and a whole output as \pi_\theta(y|x), latex/notation_llm.py). Missing for G > 1: G independent "
           r"responses to one prompt (derive's groups are action draws on a one-step prompt, catalog section 2.11)")


@head("o")
def _output(h: Head, ctx: Ctx):
    fail(_TOKENS, h.pos)


__all__ = []
