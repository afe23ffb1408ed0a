"""The sections derive adds to the blog after 2.8.4 (``PPO_SECTIONS``), in the blog's language: the PPO part
(:mod:`derive.writeup.blog_added_ppo`) and the LLM-era part with the closing answer to the author's question
(:mod:`derive.writeup.blog_added_llm`).

The item kinds are described in :mod:`derive.writeup.blog`.
"""
from __future__ import annotations

from .blog_added_llm import SECTIONS as _LLM
from .blog_added_ppo import SECTIONS as _PPO

# The sections the blog promises (its title is about PPO) but stops before, and the RL-for-language-model
# topics that follow PPO (KL estimators, GRPO, GPG, the token-level MDP): added by derive.
PPO_SECTIONS = _PPO + _LLM
