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
from .references import GAE_PAPER, NOTA_THOMAS, SB, SPINNING_UP

GRAD_J = Grad(J(TH))
PSI_REFS = (GAE_PAPER + " eq. 1", SPINNING_UP + " (Other forms of the policy gradient)", SB + " chapter 13")


def _pg(psi):
    """E_tau[ sum_t nabla log pi(a_t|s_t) psi_t ]."""
    return E_tau(sum_t(grad_log_pi(t) * psi))


ENTRIES = [
    Entry(
        "pg.log-derivative-trick", "identity", "Log-derivative trick", "policy-gradient", "2.5.1",
        Grad(TrajProb(TH)), TrajProb(TH) * Grad(log(TrajProb(TH))),
        conditions="every trajectory with P(tau|theta) > 0 (log P is undefined elsewhere; both sides are 0 there)",
        references=(SPINNING_UP + " (Deriving the simplest policy gradient)",),
    ),
    Entry(
        "pg.dynamics-drop-out", "identity", "Dynamics drop out of grad log P(tau|theta)", "policy-gradient", "2.5.1",
        Grad(log(TrajProb(TH))), sum_t(grad_log_pi(t)),
        conditions="every trajectory with P(tau|theta) > 0; rho_0 and P(s'|s,a) do not depend on theta",
        references=(SPINNING_UP + " (grad-log-prob of a trajectory)",),
    ),
    Entry(
        "pg.gradient-of-j", "identity", "Policy gradient as an expectation of grad log P(tau) R(tau)",
        "policy-gradient", "2.5.1",
        GRAD_J, E_tau(Grad(log(TrajProb(TH))) * TrajReturn()),
        conditions="finite horizon; the estimator targets grad J of the discounted objective",
        references=(SPINNING_UP + " (Deriving the simplest policy gradient)", SB + " section 13.3"),
    ),
    Entry(
        "pg.reinforce", "identity", "REINFORCE: psi_t = R(tau) (form 1)", "policy-gradient", "2.5.2",
        GRAD_J, _pg(TrajReturn()),
        conditions="finite horizon; any discount gamma in [0, 1]; the N-trajectory average is the sample estimate",
        references=PSI_REFS + (SB + " eq. 13.8",),
        note="The sample estimate (1/N) sum_n sum_t grad log pi(a_t^n|s_t^n) R(tau^n) is exactly what the Monte "
             "Carlo method averages.",
    ),
    Entry(
        "pg.psi-reward-to-go", "identity", "psi_t = gamma^t G_t: reward-to-go (form 2)", "policy-gradient", "2.6.1",
        GRAD_J, _pg(gamma ** t * Ret(t)),
        conditions="finite horizon; past rewards drop out (their expectation against the score is 0)",
        references=PSI_REFS,
    ),
    Entry(
        "pg.psi-baseline", "identity", "psi_t = gamma^t (G_t - b(s_t)): any state baseline (form 3)",
        "policy-gradient", "2.6.1",
        GRAD_J, _pg(gamma ** t * (Ret(t) - f("b", St(t)))),
        conditions="finite horizon; b is ANY function of the state (never of the action a_t)",
        references=PSI_REFS + (SB + " eq. 13.11", SPINNING_UP + " (Baselines in policy gradients)"),
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
        references=PSI_REFS + (GAE_PAPER + " eq. 10",),
    ),
    Entry(
        "pg.score-mean-zero", "identity", "Expected grad-log-prob is zero (EGLP lemma)", "policy-gradient", "2.6",
        Expect(grad_log(a, s), PolicyDraw(a, TH, s)), 0,
        conditions="a drawn from the same policy that is differentiated; every state s",
        references=(SPINNING_UP + " (Expected grad-log-prob lemma)",),
    ),
    Entry(
        "pg.baseline-unbiased", "identity", "A state baseline adds nothing in expectation", "policy-gradient",
        "2.6.1",
        E_tau(grad_log_pi(t) * f("b", St(t))), 0,
        conditions="finite horizon; every t; b depends on s_t only",
        references=(SPINNING_UP + " (Baselines in policy gradients)", SB + " section 13.4"),
    ),
    Entry(
        "pg.past-rewards-vanish", "identity", "Rewards before t are uncorrelated with the score at t",
        "policy-gradient", "2.6.1",
        E_tau(grad_log_pi(t) * Rt(tp)), 0,
        conditions="finite horizon; t' < t (the reward r_{t'} is decided before a_t is drawn)",
        ranges=((t, 1, T - 1), (tp, 0, t - 1)),
        references=(SPINNING_UP + " (Don't let the past distract you)",),
    ),
    Entry(
        "pg.theorem-discounted", "identity", "Policy gradient theorem with the normalised d^pi", "policy-gradient",
        "2.6",
        GRAD_J, Expect(grad_log(a, s) * Q_sa(s, a), OccDraw(s, TH), PolicyDraw(a, TH, s)) / (1 - gamma),
        setting="discounted",
        conditions="infinite horizon, gamma < 1; d^pi(s) = (1-gamma) sum_t gamma^t Pr(s_t = s) sums to 1",
        references=(SB + " section 13.2", NOTA_THOMAS),
    ),
    # ------------------------------------------------------------ mistakes
    Entry(
        "mistake.pg-drops-gamma-t", "mistake", "Reward-to-go without gamma^t", "policy-gradient", "2.6.1",
        GRAD_J, _pg(Ret(t)),
        mistake="drops gamma^t: the gradient of the discounted objective needs gamma^t in front of each term "
                "(without it the estimator targets a different vector, not the gradient of any objective)",
        corrects="pg.psi-reward-to-go",
        references=(NOTA_THOMAS, "Pearl #46, rllab #50"),
    ),
    Entry(
        "mistake.reward-to-go-from-t-plus-1", "mistake", "Reward-to-go starting at t+1", "policy-gradient",
        "2.6.1",
        GRAD_J, _pg(gamma ** t * gamma * Ret(t + 1)),
        mistake="reward-to-go starting at t+1: r_t = R(s_t, a_t, s_{t+1}) depends on a_t, so it belongs in psi_t",
        corrects="pg.psi-reward-to-go",
        references=(SPINNING_UP + " (Don't let the past distract you)",),
    ),
    Entry(
        "mistake.action-dependent-baseline", "mistake", "A baseline that depends on the action", "policy-gradient",
        "2.6.1",
        GRAD_J, _pg(gamma ** t * (Ret(t) - f("b", St(t), At(t)))),
        mistake="a baseline that depends on a_t biases the gradient: E[grad log pi(a|s) b(s,a)] is not 0",
        corrects="pg.psi-baseline",
        references=(SPINNING_UP + " (Baselines in policy gradients)",),
    ),
    Entry(
        "mistake.gradient-inside-expectation", "mistake", "Moving the gradient inside E_tau", "policy-gradient",
        "2.5.1",
        GRAD_J, E_tau(Grad(TrajReturn())),
        mistake="the gradient passed inside the expectation: the distribution of tau depends on theta, R(tau) "
                "does not (that dependence is what the log-derivative trick captures)",
        corrects="pg.gradient-of-j",
        references=(SPINNING_UP + " (Deriving the simplest policy gradient)",),
    ),
    Entry(
        "mistake.future-rewards-vanish", "mistake", "Rewards at or after t drop out too", "policy-gradient",
        "2.6.1",
        E_tau(grad_log_pi(t) * Rt(tp)), 0,
        ranges=((t, 0, T - 1), (tp, t, T - 1)),
        mistake="only rewards BEFORE t drop out; r_t and later rewards are influenced by a_t",
        corrects="pg.past-rewards-vanish",
        references=(SPINNING_UP + " (Don't let the past distract you)",),
    ),
    Entry(
        "mistake.score-mean-zero-other-policy", "mistake", "EGLP under another policy", "policy-gradient", "2.6",
        Expect(grad_log(a, s), PolicyDraw(a, OLD, s)), 0,
        mistake="the expected score is 0 only when a is drawn from the policy being differentiated; off-policy "
                "samples need the importance ratio",
        corrects="pg.score-mean-zero",
        references=(SPINNING_UP + " (Expected grad-log-prob lemma)",),
    ),
    Entry(
        "mistake.log-derivative-without-probability", "mistake", "grad P = grad log P", "policy-gradient", "2.5.1",
        Grad(TrajProb(TH)), Grad(log(TrajProb(TH))),
        mistake="the log-derivative trick is grad P = P grad log P; the factor P(tau|theta) is what turns the sum "
                "over trajectories back into an expectation",
        corrects="pg.log-derivative-trick",
        references=(SPINNING_UP + " (Deriving the simplest policy gradient)",),
    ),
    Entry(
        "mistake.pg-theorem-unnormalised", "mistake", "Policy gradient theorem without 1/(1-gamma)",
        "policy-gradient", "2.6",
        GRAD_J, Expect(grad_log(a, s) * Q_sa(s, a), OccDraw(s, TH), PolicyDraw(a, TH, s)),
        setting="discounted",
        mistake="normalisation mismatch: with the normalised d^pi (summing to 1) the gradient carries 1/(1-gamma); "
                "only the unnormalised sum_t gamma^t Pr(s_t = s) absorbs it",
        corrects="pg.theorem-discounted",
        references=(SB + " section 13.2", NOTA_THOMAS),
    ),
]

__all__ = ["ENTRIES"]
