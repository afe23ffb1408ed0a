"""Performance difference, TRPO's surrogate and PPO's clipped objective (2.8.4 and the added 2.9 PPO)."""
from __future__ import annotations

from sympy import Max, Min

from ..lang.nodes import Expect, Grad, J, OccDraw, PolicyDraw
from ..lang.symbols import a, eps, gamma, s, t, x
from .build import OLD, PRIME, TH, A_sa, A_t, E_tau, at_old, clip, dist, f, pi, ratio_t, sum_t
from .entry import Entry
from .references import KAKADE, PPO_PAPER, TRPO_PAPER

D = "discounted"
RATIO_X = dist("p", x) / dist("q", x)  # a positive ratio r on a sample space X
A_POS = f("g", x) ** 2 + 1  # an advantage that is > 0
A_NEG = -(f("g", x) ** 2) - 1  # an advantage that is < 0
A_ANY = f("g", x)


def _ppo_clip(r, adv):
    return Min(r * adv, clip(r, 1 - eps, 1 + eps) * adv)


def surrogate():
    """TRPO's L_{pi_old}(pi_theta) = J(pi_old) + E_{s~d^old, a~old}[(pi_theta/pi_old) A^old] / (1-gamma)."""
    body = pi(a, s) / pi(a, s, OLD) * A_sa(s, a, OLD)
    return J(OLD) + Expect(body, OccDraw(s, OLD), PolicyDraw(a, OLD, s)) / (1 - gamma)


ENTRIES = [
    Entry(
        "trpo.pdl-trajectory", "identity", "Performance difference lemma (trajectory form)", "trpo", "2.8.4",
        J(PRIME) - J(TH), E_tau(sum_t(gamma ** t * A_t(t)), PRIME),
        conditions="finite horizon; trajectories from the NEW policy pi', advantages of the old policy pi",
        references=(KAKADE, TRPO_PAPER + " eq. 1"),
    ),
    Entry(
        "trpo.pdl-state", "identity", "Performance difference lemma (state-distribution form)", "trpo", "2.8.4",
        J(PRIME) - J(TH), Expect(A_sa(s, a), OccDraw(s, PRIME), PolicyDraw(a, PRIME, s)) / (1 - gamma),
        setting=D,
        conditions="discounted, gamma < 1; d^{pi'} is the normalised discounted state distribution of the NEW "
                   "policy (TRPO's rho_pi' = d^{pi'} / (1-gamma))",
        references=(KAKADE, TRPO_PAPER + " eq. 2"),
    ),
    Entry(
        "trpo.surrogate-matches-value", "identity", "Surrogate L equals J at theta = theta_old", "trpo", "2.8.4",
        at_old(surrogate()), J(OLD), setting=D,
        conditions="discounted; at pi_theta = pi_old the ratio is 1 and E_a[A] = 0",
        references=(TRPO_PAPER + " eq. 3",),
    ),
    Entry(
        "trpo.surrogate-matches-gradient", "identity", "Surrogate L has the policy gradient at theta = theta_old",
        "trpo", "2.8.4",
        at_old(Grad(surrogate())), at_old(Grad(J(TH))), setting=D,
        conditions="discounted; first-order match only: the state distribution d^{pi_old} is frozen",
        references=(TRPO_PAPER + " eq. 4",),
    ),
    Entry(
        "ppo.clip-gradient-at-old", "identity", "PPO-Clip has the policy gradient at theta = theta_old", "ppo", "2.9.1",
        at_old(Grad(E_tau(sum_t(gamma ** t * _ppo_clip(ratio_t(t), A_t(t, OLD))), OLD))), at_old(Grad(J(TH))),
        conditions="finite horizon; epsilon > 0, so r = 1 lies strictly inside the clip range",
        references=(PPO_PAPER + " eq. 7",),
        note="The PPO paper averages over time steps without gamma^t; with gamma^t the objective's gradient is "
             "exactly grad J at theta_old.",
    ),
    Entry(
        "ppo.clip-positive-advantage", "identity", "PPO-Clip for A > 0: min(r, 1+eps) A", "ppo", "2.9.1",
        _ppo_clip(RATIO_X, A_POS), Min(RATIO_X, 1 + eps) * A_POS,
        conditions="A > 0, r > 0: only the upper clip binds",
        references=(PPO_PAPER + " eq. 7 and figure 1",),
    ),
    Entry(
        "ppo.clip-negative-advantage", "identity", "PPO-Clip for A < 0: max(r, 1-eps) A", "ppo", "2.9.1",
        _ppo_clip(RATIO_X, A_NEG), Max(RATIO_X, 1 - eps) * A_NEG,
        conditions="A < 0, r > 0: only the lower clip binds",
        references=(PPO_PAPER + " eq. 7 and figure 1",),
    ),
    # ------------------------------------------------------------ mistakes
    Entry(
        "mistake.pdl-old-state-distribution", "mistake", "Performance difference with the old state distribution",
        "trpo", "2.8.4",
        J(PRIME) - J(TH), Expect(A_sa(s, a), OccDraw(s, TH), PolicyDraw(a, PRIME, s)) / (1 - gamma), setting=D,
        mistake="the exact difference needs the NEW policy's state distribution; with the old one it is TRPO's "
                "surrogate L, a first-order approximation only",
        corrects="trpo.pdl-state", references=(TRPO_PAPER + " eqs. 2-3",),
    ),
    Entry(
        "mistake.ppo-min-is-clip", "mistake", "min(rA, clip(r)A) = clip(r)A", "ppo", "2.9.1",
        _ppo_clip(RATIO_X, A_ANY), clip(RATIO_X, 1 - eps, 1 + eps) * A_ANY,
        mistake="the min keeps the unclipped term when it is smaller: the objective is a pessimistic bound, "
                "clipped only on the side where the ratio would increase it",
        corrects="ppo.clip-positive-advantage", references=(PPO_PAPER + " eq. 7",),
    ),
]

__all__ = ["ENTRIES"]
