"""The policy gradient, its psi_t forms and baselines (blog sections 2.5.1 to 2.6.1).

Which gradient: every estimator here targets the gradient of the objective of
its setting, J(theta) = E[sum_{t<T} gamma^t r_t] (finite) or
sum_s rho_0(s) V(s) (discounted).  The GAE paper's gamma-just estimators drop
gamma^t and target a different vector (Nota & Thomas 2020); the mistake
"drops gamma^t" shows the difference.
"""
from __future__ import annotations

from sympy import log

from ..lang.nodes import Delta, Grad, J, OccDraw, PolicyDraw, Ret, Rt, TrajProb, TrajReturn, true_v
from ..lang.symbols import T, a, gamma, s, t, tp
from .build import (OLD, TH, A_t, E_tau, Expect, Q_sa, Q_t, f, grad_log, grad_log_pi, St, At, sum_t)
from .entry import Entry
from .references import (AGARWAL_2021, GAE_PAPER, KAKADE_2003, NOTA_THOMAS, PEARL_46, PUTERMAN, QPROP, RLLAB_50, SB,
                         SPINNING_UP, SUTTON_2000, WU_2018, cite)

GRAD_J = Grad(J(TH))
PSI_REFS = (cite(GAE_PAPER, "eq. 1"), cite(SPINNING_UP, "Other forms of the policy gradient"), cite(SB, "chapter 13"))
THEOREM_REFS = (cite(SUTTON_2000, "Theorem 1"), cite(KAKADE_2003), cite(AGARWAL_2021), cite(PUTERMAN))


def _pg(psi):
    """E_tau[ sum_t nabla log pi(a_t|s_t) psi_t ]."""
    return E_tau(sum_t(grad_log_pi(t) * psi))


ENTRIES = [
    Entry(
        "pg.log-derivative-trick", "identity", "Log-derivative trick", "policy-gradient", "2.5.1",
        Grad(TrajProb(TH)), TrajProb(TH) * Grad(log(TrajProb(TH))),
        conditions="every trajectory with P(tau|theta) > 0 (log P is undefined elsewhere; both sides are 0 there)",
        references=(cite(SPINNING_UP, "Deriving the simplest policy gradient"),),
    ),
    Entry(
        "pg.dynamics-drop-out", "identity", "Dynamics drop out of grad log P(tau|theta)", "policy-gradient", "2.5.1",
        Grad(log(TrajProb(TH))), sum_t(grad_log_pi(t)),
        conditions="every trajectory with P(tau|theta) > 0; rho_0 and P(s'|s,a) do not depend on theta",
        references=(cite(SPINNING_UP, "grad-log-prob of a trajectory"),),
    ),
    Entry(
        "pg.gradient-of-j", "identity", "Policy gradient as an expectation of grad log P(tau) R(tau)",
        "policy-gradient", "2.5.1",
        GRAD_J, E_tau(Grad(log(TrajProb(TH))) * TrajReturn()),
        conditions="finite horizon; the estimator targets grad J of the discounted objective",
        references=(cite(SPINNING_UP, "Deriving the simplest policy gradient"), cite(SB, "section 13.3")),
    ),
    Entry(
        "pg.reinforce", "identity", "REINFORCE: psi_t = R(tau) (form 1)", "policy-gradient", "2.5.2",
        GRAD_J, _pg(TrajReturn()),
        conditions="finite horizon; any discount gamma in [0, 1]; the N-trajectory average is the sample estimate",
        references=PSI_REFS,
        note="The sample estimate (1/N) sum_n sum_t grad log pi(a_t^n|s_t^n) R(tau^n) is exactly what the Monte "
             "Carlo method averages.",
    ),
    Entry(
        "pg.psi-reward-to-go", "identity", "psi_t = gamma^t G_t: reward-to-go (form 2)", "policy-gradient", "2.6.1",
        GRAD_J, _pg(gamma ** t * Ret(t)),
        conditions="finite horizon; past rewards drop out (their expectation against the score is 0)",
        references=PSI_REFS + (cite(SB, "eq. 13.8 (REINFORCE with G_t, episodic)"),),
    ),
    Entry(
        "pg.psi-reward-to-go-undiscounted", "identity", "At gamma = 1 the reward-to-go needs no gamma^t",
        "policy-gradient", "2.6.1",
        GRAD_J, _pg(Ret(t)), setting="finite; gamma=1",
        conditions="finite horizon with gamma = 1 (undiscounted; the language-model case): gamma^t = 1, so the "
                   "gamma-just estimator of mistake.pg-drops-gamma-t is exactly grad J here",
        references=(cite(NOTA_THOMAS), cite(SPINNING_UP, "Don't let the past distract you")),
    ),
    Entry(
        "pg.psi-baseline", "identity", "psi_t = gamma^t (G_t - b(s_t)): any state baseline (form 3)",
        "policy-gradient", "2.6.1",
        GRAD_J, _pg(gamma ** t * (Ret(t) - f("b", St(t)))),
        conditions="finite horizon; b is ANY function of the state (never of the action a_t)",
        references=PSI_REFS + (cite(SB, "eq. 13.11"), cite(SPINNING_UP, "Baselines in policy gradients")),
    ),
    Entry(
        "pg.psi-q", "identity", "psi_t = gamma^t Q^pi(s_t, a_t) (form 4)", "policy-gradient", "2.6.1",
        GRAD_J, _pg(gamma ** t * Q_t(t)),
        conditions="finite horizon; Q is the true time-indexed Q^pi_t of the current policy",
        references=PSI_REFS,
    ),
    Entry(
        "pg.psi-advantage", "identity", "psi_t = gamma^t A^pi(s_t, a_t) (form 5)", "policy-gradient", "2.6.1",
        GRAD_J, _pg(gamma ** t * A_t(t)),
        conditions="finite horizon; A^pi = Q^pi - V^pi of the current policy",
        references=PSI_REFS,
    ),
    Entry(
        "pg.psi-td-error", "identity", "psi_t = gamma^t delta_t with the true V (form 6)", "policy-gradient", "2.6.1",
        GRAD_J, _pg(gamma ** t * Delta(t, true_v())),
        conditions="finite horizon; delta_t = r_t + gamma V^pi(s_{t+1}) - V^pi(s_t) with the TRUE V^pi "
                   "(V(s_T) = 0); with another V the estimate is biased",
        references=PSI_REFS + (cite(GAE_PAPER, "eq. 10"),),
    ),
    Entry(
        "pg.score-mean-zero", "identity", "Expected grad-log-prob is zero (EGLP lemma)", "policy-gradient", "2.6",
        Expect(grad_log(a, s), PolicyDraw(a, TH, s)), 0,
        conditions="a drawn from the same policy that is differentiated; every state s",
        references=(cite(SPINNING_UP, "Expected grad-log-prob lemma"),),
    ),
    Entry(
        "pg.baseline-unbiased", "identity", "A state baseline adds nothing in expectation", "policy-gradient",
        "2.6.1",
        E_tau(grad_log_pi(t) * f("b", St(t))), 0,
        conditions="finite horizon; every t; b depends on s_t only",
        references=(cite(SPINNING_UP, "Baselines in policy gradients"), cite(SB, "section 13.4")),
    ),
    Entry(
        "pg.past-rewards-vanish", "identity", "Rewards before t are uncorrelated with the score at t",
        "policy-gradient", "2.6.1",
        E_tau(grad_log_pi(t) * Rt(tp)), 0,
        conditions="finite horizon; t' < t (the reward r_{t'} is decided before a_t is drawn)",
        ranges=((t, 1, T - 1), (tp, 0, t - 1)),
        references=(cite(SPINNING_UP, "Don't let the past distract you"),),
    ),
    Entry(
        "pg.theorem-discounted", "identity", "Policy gradient theorem with the normalised d^pi", "policy-gradient",
        "2.6",
        GRAD_J, Expect(grad_log(a, s) * Q_sa(s, a), OccDraw(s, TH), PolicyDraw(a, TH, s)) / (1 - gamma),
        setting="discounted",
        conditions="infinite horizon, gamma < 1; d^pi(s) = (1-gamma) sum_t gamma^t Pr(s_t = s) sums to 1",
        references=THEOREM_REFS + (cite(NOTA_THOMAS),),
    ),
    # ------------------------------------------------------------ mistakes
    Entry(
        "mistake.pg-drops-gamma-t", "mistake", "Reward-to-go without gamma^t is the gradient of the discounted J",
        "policy-gradient", "2.6.1",
        GRAD_J, _pg(Ret(t)),
        mistake="targets a different vector: dropping gamma^t is the standard deliberate choice (the GAE paper's "
                "gamma-just estimators, PPO practice), which weights states by their undiscounted visitation; "
                "it is exact at gamma = 1 (the language-model case) but for gamma < 1 it is not grad J of "
                "the discounted objective (in general not the gradient of any function, Nota & Thomas 2020)",
        corrects="pg.psi-reward-to-go",
        references=(cite(NOTA_THOMAS), cite(GAE_PAPER, "section 3"), PEARL_46, RLLAB_50),
    ),
    Entry(
        "mistake.reward-to-go-from-t-plus-1", "mistake", "Reward-to-go starting at t+1", "policy-gradient",
        "2.6.1",
        GRAD_J, _pg(gamma ** t * gamma * Ret(t + 1)),
        mistake="reward-to-go starting at t+1: r_t = R(s_t, a_t, s_{t+1}) depends on a_t, so it belongs in psi_t",
        corrects="pg.psi-reward-to-go",
        references=(cite(SPINNING_UP, "Don't let the past distract you"),),
    ),
    Entry(
        "mistake.action-dependent-baseline", "mistake", "A baseline that depends on the action", "policy-gradient",
        "2.6.1",
        GRAD_J, _pg(gamma ** t * (Ret(t) - f("b", St(t), At(t)))),
        mistake="subtracting a baseline that depends on a_t, with nothing else, biases the gradient: "
                "E[grad log pi(a|s) b(s,a)] is not 0; action-dependent baselines are unbiased only with the "
                "correction term sum_a grad_theta pi(a|s) b(s,a) added back (Q-Prop, Gu et al. 2017; "
                "Wu et al. 2018)",
        corrects="pg.psi-baseline",
        references=(cite(SPINNING_UP, "Baselines in policy gradients"), cite(QPROP), cite(WU_2018)),
    ),
    Entry(
        "mistake.gradient-inside-expectation", "mistake", "Moving the gradient inside E_tau", "policy-gradient",
        "2.5.1",
        GRAD_J, E_tau(Grad(TrajReturn())),
        mistake="the gradient passed inside the expectation: the distribution of tau depends on theta, R(tau) "
                "does not (that dependence is what the log-derivative trick captures)",
        corrects="pg.gradient-of-j",
        references=(cite(SPINNING_UP, "Deriving the simplest policy gradient"),),
    ),
    Entry(
        "mistake.future-rewards-vanish", "mistake", "Rewards at or after t drop out too", "policy-gradient",
        "2.6.1",
        E_tau(grad_log_pi(t) * Rt(tp)), 0,
        ranges=((t, 0, T - 1), (tp, t, T - 1)),
        mistake="only rewards BEFORE t drop out; r_t and later rewards are influenced by a_t",
        corrects="pg.past-rewards-vanish",
        references=(cite(SPINNING_UP, "Don't let the past distract you"),),
    ),
    Entry(
        "mistake.score-mean-zero-other-policy", "mistake", "EGLP under another policy", "policy-gradient", "2.6",
        Expect(grad_log(a, s), PolicyDraw(a, OLD, s)), 0,
        mistake="the expected score is 0 only when a is drawn from the policy being differentiated; off-policy "
                "samples need the importance ratio",
        corrects="pg.score-mean-zero",
        references=(cite(SPINNING_UP, "Expected grad-log-prob lemma"),),
    ),
    Entry(
        "mistake.log-derivative-without-probability", "mistake", "grad P = grad log P", "policy-gradient", "2.5.1",
        Grad(TrajProb(TH)), Grad(log(TrajProb(TH))),
        mistake="the log-derivative trick is grad P = P grad log P; the factor P(tau|theta) is what turns the sum "
                "over trajectories back into an expectation",
        corrects="pg.log-derivative-trick",
        references=(cite(SPINNING_UP, "Deriving the simplest policy gradient"),),
    ),
    Entry(
        "mistake.pg-theorem-unnormalised", "mistake", "Policy gradient theorem without 1/(1-gamma)",
        "policy-gradient", "2.6",
        GRAD_J, Expect(grad_log(a, s) * Q_sa(s, a), OccDraw(s, TH), PolicyDraw(a, TH, s)),
        setting="discounted",
        mistake="normalisation mismatch: with the normalised d^pi (summing to 1) the gradient carries 1/(1-gamma); "
                "only the unnormalised sum_t gamma^t Pr(s_t = s) absorbs it",
        corrects="pg.theorem-discounted",
        references=THEOREM_REFS + (cite(NOTA_THOMAS),),
    ),
]

__all__ = ["ENTRIES"]
