"""The episodic setting: undiscounted (gamma = 1), infinite horizon, every episode terminates.

Sutton & Barto 2018, sec. 13.2 (the policy gradient theorem, episodic case; eqs. 13.4-13.5 and the
proof on p. 325) and Lilian Weng's proof of the policy gradient theorem write the values of an
undiscounted episodic task: ``v_pi(s) = sum_a pi(a|s) q_pi(s,a)``,
``q_pi(s,a) = sum_{s',r} p(s',r|s,a) (r + v_pi(s'))``, with no gamma and no horizon.  They exist because
every episode ends in a terminal state, where the value is 0.

A random instance of this setting is an instance of the discounted schedule with gamma = 1 and a
termination probability ``q(s, a) > 0`` for every state and action: from (s, a) the episode ends with
probability q(s, a), and otherwise moves to s' with probability ``(1 - q(s, a)) P0(s'|s,a)``.  So

* derive's ``P(s'|s,a)`` is the transition to the **non-terminal** state s'; each row sums to
  ``1 - q(s, a) < 1`` (the rest is termination), and a sum over s' runs over the non-terminal states;
* the terminal state is absorbing, pays nothing and has value 0: every value, reward, gradient and
  indicator after the end of the episode is 0.  Because terminating transitions pay 0 (the class of
  MDPs checked), an author's sum over S^+ (the terminal state included) equals derive's sum over S;
* every policy is proper (terminates with probability 1): ``P_pi`` is substochastic with every row sum
  ``<= 1 - min q < 1``, so ``V = (I - P_pi)^{-1} r_pi`` and every series
  ``sum_{t>=0} E[f(window_t)]`` (expected visits, ``eta(s) = sum_k Pr(s_0 -> s, k, pi)``, S&B eq. 9.2)
  are exact, by the resolvent of the discounted engine with ratio 1 (engine/infinite.py).

``d^pi(s)`` is the normalised expected visits ``eta(s) / sum_{s'} eta(s')`` (S&B's on-policy distribution mu,
eq. 9.3; Lilian Weng's d^pi), with its exact gradient (engine/values.py).  Refused with the reason: a
deterministic series ``sum_k c^k`` (it does not read the trajectory), a term of an expectation over episodes
that is not 0 after the end (engine/episodic_terms.py, e.g. a TD error); the symbolic method and Monte
Carlo are "not attempted" / "n/a" (exact evaluation only).
"""
from __future__ import annotations

import random
from dataclasses import replace
from fractions import Fraction

F = Fraction
TERMINATION = (F(1, 5), F(1, 4), F(1, 3), F(1, 2), F(1))  # q(s, a): the probability that the episode ends
SETTING = "episodic"
LABEL = "episodic, gamma = 1"


def episodic_instance(inst):
    """The episodic version of a (discounted-schedule) instance: gamma = 1, P scaled by 1 - q(s, a)."""
    rng = random.Random(inst.seed * 31337 + 17)
    q = [[rng.choice(TERMINATION) for _ in range(inst.n_actions)] for _ in range(inst.n_states)]
    P = [[[p * (1 - q[s][a]) for p in inst.P[s][a]] for a in range(inst.n_actions)] for s in range(inst.n_states)]
    label = inst.label.split(", discounted")[0] + f", {LABEL}, termination q(s,a) = {_show(q)}"
    return replace(inst, P=P, gamma=F(1), label=label, episodic=True, free_functions={}, free_dists={}, cache={})


def is_episodic(obj) -> bool:
    """Whether an instance (or tables or env holding one) is of the episodic setting."""
    for attr in ("inst", "tables"):
        if hasattr(obj, attr) and not hasattr(obj, "episodic"):
            return is_episodic(getattr(obj, attr))
    return bool(getattr(obj, "episodic", False))


def _show(q) -> str:
    return "[" + ", ".join("[" + ", ".join(str(x) for x in row) + "]" for row in q) + "]"


__all__ = ["episodic_instance", "is_episodic", "SETTING", "TERMINATION"]
