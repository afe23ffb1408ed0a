"""Performance difference, TRPO's surrogate and PPO's clipped objective (2.8.4 and the added 2.9 PPO)."""
from __future__ import annotations

from sympy import Abs, Gt, Lt, Max, Min, Rational

from ..lang.nodes import Expect, Grad, Indicator, Ret, J, MaxOver, OccDraw, PolicyDraw, SetParam, SumOver
from ..lang.symbols import a, b, beta, c1, c2, eps, gamma, s, t, x
from .build import (OLD, PRIME, TH, A_sa, A_t, E_tau, St, at_old, clip, dist, f, old_objective_gradient, pi, ratio_t,
                     sum_t)
from .entry import Entry
from .references import KAKADE_LANGFORD, PPO_PAPER, TRPO_PAPER, cite

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


EPS_NO_TIES = Rational(7, 37)  # no ratio of derive's policy probabilities equals 1 +- 7/37 exactly
RATIO_SA = pi(a, s) / pi(a, s, OLD)
ADV_SA = f("A", s, a)  # an advantage estimate of either sign
CLIP_SA = Min(RATIO_SA * ADV_SA, clip(RATIO_SA, 1 - eps, 1 + eps) * ADV_SA)


def _no_ties(e):
    return SetParam(e, eps, EPS_NO_TIES)


def _kl_old_theta(state):
    """KL(pi_old(.|s) || pi_theta(.|s))."""
    from sympy import log

    return SumOver(pi(b, state, OLD) * log(pi(b, state, OLD) / pi(b, state)), b)


def _entropy(state):
    from sympy import log

    return SumOver(pi(b, state) * log(1 / pi(b, state)), b)


def _shared_v(state):
    """A value head that shares theta with the policy: V_theta(s) = sum_b pi_theta(b|s) h(s, b)."""
    return SumOver(pi(b, state) * f("h", state, b), b)


def trpo_bound_rhs():
    """L_pi(pi') - 4 eps gamma / (1-gamma)^2 alpha^2 with eps = max |A^pi|, alpha = max_s TV(pi, pi')."""
    lin = J(TH) + Expect(A_sa(s, a), OccDraw(s, TH), PolicyDraw(a, PRIME, s)) / (1 - gamma)
    eps_a = MaxOver(MaxOver(Abs(A_sa(s, a)), a), s)
    alpha = MaxOver(SumOver(Abs(pi(a, s, PRIME) - pi(a, s)), a) / 2, s)
    return lin - 4 * eps_a * gamma / (1 - gamma) ** 2 * alpha ** 2


ENTRIES = [
    Entry(
        "trpo.pdl-trajectory", "identity", "Performance difference lemma (trajectory form)", "trpo", "2.8.4",
        J(PRIME) - J(TH), E_tau(sum_t(gamma ** t * A_t(t)), PRIME),
        conditions="finite horizon; trajectories from the NEW policy pi', advantages of the old policy pi",
        references=(cite(KAKADE_LANGFORD, "Lemma 6.1"), cite(TRPO_PAPER, "eq. 1")),
    ),
    Entry(
        "trpo.pdl-state", "identity", "Performance difference lemma (state-distribution form)", "trpo", "2.8.4",
        J(PRIME) - J(TH), Expect(A_sa(s, a), OccDraw(s, PRIME), PolicyDraw(a, PRIME, s)) / (1 - gamma),
        setting=D,
        conditions="discounted, gamma < 1; d^{pi'} is the normalised discounted state distribution of the NEW "
                   "policy (TRPO's rho_pi' = d^{pi'} / (1-gamma))",
        references=(cite(KAKADE_LANGFORD, "Lemma 6.1"), cite(TRPO_PAPER, "eq. 2")),
    ),
    Entry(
        "trpo.surrogate-matches-value", "identity", "Surrogate L equals J at theta = theta_old", "trpo", "2.8.4",
        at_old(surrogate()), J(OLD), setting=D,
        conditions="discounted; at pi_theta = pi_old the ratio is 1 and E_a[A] = 0",
        references=(cite(TRPO_PAPER, "eq. 4 (L is defined in eq. 3)"),),
    ),
    Entry(
        "trpo.surrogate-matches-gradient", "identity", "Surrogate L has the policy gradient at theta = theta_old",
        "trpo", "2.8.4",
        at_old(Grad(surrogate())), at_old(Grad(J(TH))), setting=D,
        conditions="discounted; first-order match only: the state distribution d^{pi_old} is frozen",
        references=(cite(TRPO_PAPER, "eq. 4"),),
    ),
    Entry(
        "ppo.clip-gradient-at-old", "identity", "PPO-Clip has the policy gradient at theta = theta_old", "ppo", "2.9.1",
        old_objective_gradient(_ppo_clip(ratio_t(t), A_t(t, OLD))), at_old(Grad(J(TH))),
        conditions="finite horizon; epsilon > 0, so r = 1 lies strictly inside the clip range",
        references=(cite(PPO_PAPER, "eq. 7"),),
        note="The PPO paper averages over time steps without gamma^t; with gamma^t the objective's gradient is "
             "exactly grad J at theta_old.",
    ),
    Entry(
        "ppo.clip-positive-advantage", "identity", "PPO-Clip for A > 0: min(r, 1+eps) A", "ppo", "2.9.1",
        _ppo_clip(RATIO_X, A_POS), Min(RATIO_X, 1 + eps) * A_POS,
        conditions="A > 0 and any ratio r (no sign condition on r is needed); epsilon >= 0 so that the clip "
                   "range [1 - epsilon, 1 + epsilon] is non-empty (PPO's implicit range is 0 <= epsilon < 1): "
                   "only the upper clip binds",
        references=(cite(PPO_PAPER, "eq. 7 and figure 1"),),
    ),
    Entry(
        "ppo.clip-negative-advantage", "identity", "PPO-Clip for A < 0: max(r, 1-eps) A", "ppo", "2.9.1",
        _ppo_clip(RATIO_X, A_NEG), Max(RATIO_X, 1 - eps) * A_NEG,
        conditions="A < 0 and any ratio r (no sign condition on r is needed); epsilon >= 0 so that the clip "
                   "range [1 - epsilon, 1 + epsilon] is non-empty (PPO's implicit range is 0 <= epsilon < 1): "
                   "only the lower clip binds",
        references=(cite(PPO_PAPER, "eq. 7 and figure 1"),),
    ),
    Entry(
        "trpo.lower-bound", "identity", "TRPO's lower bound J(pi') >= L_pi(pi') - 4 eps gamma alpha^2 / (1-gamma)^2",
        "trpo", "2.8.4",
        J(PRIME), trpo_bound_rhs(), setting=D, relation=">=",
        conditions="discounted; eps = max_{s,a} |A^pi(s,a)|, alpha = max_s TV(pi(.|s), pi'(.|s)); L uses the "
                   "unnormalised rho_pi = d^pi / (1-gamma); an inequality: the report gives the smallest slack "
                   "over non-degenerate instances (on 1 action or gamma = 0 the two sides are equal)",
        references=(cite(TRPO_PAPER, "Theorem 1"),),
        note="Kakade & Langford (2002) prove the bound for mixture policies pi' = (1 - a) pi + a pi~ with the "
             "constant 2; TRPO's Theorem 1 extends it to general policies, with alpha the maximal total "
             "variation distance and the constant 4 eps gamma / (1 - gamma)^2, by a coupling argument.",
    ),
    Entry(
        "ppo.clip-gradient-where-binding", "identity", "PPO-Clip's gradient vanishes only on the side where the clip "
        "binds", "ppo", "2.9.1",
        _no_ties(Grad(CLIP_SA)),
        _no_ties((Indicator(Gt(ADV_SA, 0)) * Indicator(Lt(RATIO_SA, 1 + eps))
                  + Indicator(Lt(ADV_SA, 0)) * Indicator(Gt(RATIO_SA, 1 - eps))) * ADV_SA * Grad(RATIO_SA)),
        conditions="every state and action; A > 0: zero gradient once r > 1 + eps; A < 0: zero once r < 1 - eps; "
                   "on the other side the unclipped term r A keeps its gradient (epsilon = 7/37 so that r never "
                   "sits exactly on a kink)",
        references=(cite(PPO_PAPER, "eq. 7 and figure 1"),),
    ),
    Entry(
        "ppo.klpen-gradient-at-old", "identity", "L^KLPEN has the policy gradient at theta = theta_old", "ppo", "2.9.2",
        old_objective_gradient(ratio_t(t) * A_t(t, OLD) - beta * _kl_old_theta(St(t))),
        at_old(Grad(J(TH))),
        conditions="finite horizon; the KL penalty KL(pi_old(.|s_t) || pi_theta(.|s_t)) has zero gradient at "
                   "theta_old (it is minimal there)",
        references=(cite(PPO_PAPER, "eq. 8"),),
    ),
    Entry(
        "ppo.combined-loss-gradient", "identity", "L^{CLIP+VF+S} with a separate critic: the entropy term adds "
        "c_2 grad S (the value term has no theta by construction)", "ppo", "2.9.3",
        old_objective_gradient(_ppo_clip(ratio_t(t), A_t(t, OLD)) - c1 * (f("V", St(t)) - Ret(t)) ** 2
                               + c2 * _entropy(St(t))),
        at_old(Grad(J(TH)) + c2 * Grad(E_tau(sum_t(gamma ** t * _entropy(St(t))), OLD))),
        conditions="finite horizon, at theta_old; the critic V is a free function with its own parameters "
                   "(separate networks), so its value term has no theta-gradient BY CONSTRUCTION: that half of "
                   "the statement is not a finding; what is checked is that clip + entropy give grad J + c_2 grad S. "
                   "With a shared head (theta in V) the value term adds -c_1 grad (V - V^targ)^2, not modelled here",
        references=(cite(PPO_PAPER, "eq. 9"),),
    ),
    Entry(
        "ppo.combined-loss-shared-head", "identity", "L^{CLIP+VF+S} with a shared head: the value term adds "
        "-c_1 E[sum_t gamma^t 2 (V_theta - G_t) grad V_theta]", "ppo", "2.9.3",
        old_objective_gradient(_ppo_clip(ratio_t(t), A_t(t, OLD)) - c1 * (_shared_v(St(t)) - Ret(t)) ** 2
                               + c2 * _entropy(St(t))),
        at_old(Grad(J(TH)) + c2 * Grad(E_tau(sum_t(gamma ** t * _entropy(St(t))), OLD))
               - c1 * E_tau(sum_t(gamma ** t * 2 * (_shared_v(St(t)) - Ret(t)) * Grad(_shared_v(St(t)))), OLD)),
        conditions="finite horizon, at theta_old; the value head shares the policy's parameters: "
                   "V_theta(s) = sum_b pi_theta(b|s) h(s, b) (h arbitrary), so theta enters V and the value loss "
                   "changes the policy's update by -c_1 times its gradient; the target G_t is a sampled constant",
        references=(cite(PPO_PAPER, "eq. 9"),),
    ),
    # ------------------------------------------------------------ mistakes
    Entry(
        "mistake.ppo-clip-zeroes-both-sides", "mistake", "PPO-Clip zeroes the gradient whenever r leaves the clip "
        "range", "ppo", "2.9.1",
        _no_ties(Grad(CLIP_SA)),
        _no_ties(Indicator(Gt(RATIO_SA, 1 - eps)) * Indicator(Lt(RATIO_SA, 1 + eps)) * ADV_SA * Grad(RATIO_SA)),
        mistake="the min keeps the unclipped term on the side where it is smaller: for A > 0 and r < 1 - eps "
                "(or A < 0 and r > 1 + eps) the gradient is still A grad r",
        corrects="ppo.clip-gradient-where-binding", references=(cite(PPO_PAPER, "figure 1"),),
    ),
    Entry(
        "mistake.pdl-old-state-distribution", "mistake", "Performance difference with the old state distribution",
        "trpo", "2.8.4",
        J(PRIME) - J(TH), Expect(A_sa(s, a), OccDraw(s, TH), PolicyDraw(a, PRIME, s)) / (1 - gamma), setting=D,
        mistake="the exact difference needs the NEW policy's state distribution; with the old one it is TRPO's "
                "surrogate L, a first-order approximation only",
        corrects="trpo.pdl-state", references=(cite(TRPO_PAPER, "eqs. 2-3"),),
    ),
    Entry(
        "mistake.ppo-min-is-clip", "mistake", "min(rA, clip(r)A) = clip(r)A", "ppo", "2.9.1",
        _ppo_clip(RATIO_X, A_ANY), clip(RATIO_X, 1 - eps, 1 + eps) * A_ANY,
        mistake="the min keeps the unclipped term when it is smaller: the objective is a pessimistic bound, "
                "clipped only on the side where the ratio would increase it",
        corrects="ppo.clip-positive-advantage", references=(cite(PPO_PAPER, "eq. 7"),),
    ),
]

__all__ = ["ENTRIES"]
