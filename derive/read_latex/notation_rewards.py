r"""The reward distribution of Shiyu Zhao's *Mathematical Foundations of RL* (ch. 2, "elementwise form") and of
Sutton & Barto 2018 (eq. 3.2's marginal): ``p(r \mid s, a)`` summed over the reward set ``\mathcal{R}(s, a)``.

=====================================================  ==============================================================
LaTeX                                                  read as
=====================================================  ==============================================================
``\sum_{r \in \mathcal{R}(s,a)} p(r \mid s, a)\, r``   ``\sum_{s'} P(s' \mid s, a) R(s, a, s')``: derive's rewards are
                                                       ``R(s, a, s')``, so ``p(r \mid s, a) = \sum_{s'} P(s' \mid s, a)
                                                       [r = R(s, a, s')]`` (the marginal of ``p(s', r \mid s, a)``)
``\mathcal{R}(s, a)`` as the set of a sum over r       the rewards possible after (s, a): the terms outside it are zero,
                                                       since every term must carry the factor ``p(r \mid s, a)`` (or
                                                       ``p(s', r \mid s, a)``); a term without one is refused
=====================================================  ==============================================================

The sum over r is eliminated exactly (``reward_sums.sum_over_reward``): each term needs one factor
``p(r \mid s, a)`` or ``p(s', r \mid s, a)``, and r may appear elsewhere in the term only as a value.
"""
from __future__ import annotations

from .roles import value_in_role
from .registry import HEADS, head
from .reward_sums import RewardMarginal, RewardVar, eliminate_marginal  # noqa: F401  (re-exported)
from .syntax import raw, single

_ORIGINAL = {name: HEADS[name] for name in ("p", "P")}


def _is_marginal(h, ctx) -> bool:
    g = h.call
    return (g is not None and g.sep == "|" and len(g.parts) == 2 and len(g.parts[0]) == 1 and len(g.parts[1]) == 2
            and h.sub is None and h.sup is None and not h.primes and raw(single(g.parts[0][0])).strip() == "r"
            and "r" in ctx.actions)


def _marginal(name: str):
    def build(h, ctx):
        if not _is_marginal(h, ctx):
            return _ORIGINAL[name](h, ctx)
        g = h.take_call()
        st = value_in_role(g.parts[1][0], "state", ctx, f"the state of {name}(r|s, a)")
        act = value_in_role(g.parts[1][1], "action", ctx, f"the action of {name}(r|s, a)")
        return RewardMarginal(RewardVar("r"), st, act)

    build.__doc__ = f"{name}(r | s, a): the probability of the reward r after (s, a), kept until the sum over r."
    return build


for _name in ("p", "P"):
    head(_name)(_marginal(_name))


__all__ = ["RewardMarginal", "eliminate_marginal"]  # (defined in reward_sums.py)
