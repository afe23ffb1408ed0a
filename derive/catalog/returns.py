"""Returns, trajectories and the objective (blog sections 2.2.2 to 2.4, 2.6.2)."""
from __future__ import annotations

from sympy import Product, Sum

from ..lang.nodes import InitDraw, OccDraw, PolicyDraw, Ret, Rho0, Rew, Rt, SumTraj, TrajProb, TrajReturn, TransDraw
from ..lang.nodes import J, Trans, V
from ..lang.symbols import T, a, gamma, s, s2, t, tp
from .build import TH, E_tau, pi_t, St, At, Expect
from .entry import Entry
from .references import AGARWAL_2021, KAKADE_LANGFORD, PUTERMAN, SB, SPINNING_UP, cite

ENTRIES = [
    Entry(
        "return.discounted-peel", "identity", "Discounted return: peel off the first reward", "returns", "2.2.3",
        TrajReturn(), Rt(0) + gamma * Sum(gamma ** (t - 1) * Rt(t), (t, 1, T - 1)),
        conditions="finite horizon T >= 1; holds for every trajectory (gamma = 1 gives the T-step return of 2.2.2)",
        references=(cite(SB, "eq. 3.8"), cite(SPINNING_UP, "finite-horizon return")),
        note="R(tau) = sum_{t=0}^{T-1} gamma^t r_t with r_t = R(s_t, a_t, s_{t+1}); every trajectory, reachable or not.",
    ),
    Entry(
        "return.whole-is-g0", "identity", "The T-step return is the return from time 0", "returns", "2.2.2",
        Ret(0), TrajReturn(),
        conditions="finite horizon; every trajectory",
        references=(cite(SB, "eq. 3.8"),),
    ),
    Entry(
        "return.recursion", "identity", "Return recursion G_t = r_t + gamma G_{t+1}", "returns", "2.6.2",
        Ret(t), Rt(t) + gamma * Ret(t + 1),
        conditions="finite horizon, 0 <= t <= T-1, G_T = 0; every trajectory",
        references=(cite(SB, "eq. 3.9"),),
    ),
    Entry(
        "return.split-at-t", "identity", "The return splits into past rewards and gamma^t G_t", "returns", "2.6.1",
        TrajReturn(), Sum(gamma ** tp * Rt(tp), (tp, 0, t - 1)) + gamma ** t * Ret(t),
        conditions="finite horizon, 0 <= t <= T-1; every trajectory",
        references=(cite(SPINNING_UP, "Don't let the past distract you"),),
        ranges=((t, 0, T - 1),),
        note="The past part does not depend on a_t, so it drops out of the policy gradient (psi form 2).",
    ),
    Entry(
        "trajectory.normalised", "identity", "Trajectory probabilities sum to one", "trajectory", "2.3",
        SumTraj(TrajProb(TH)), 1,
        conditions="finite horizon; P(tau|theta) = rho_0(s_0) prod_t pi_theta(a_t|s_t) P(s_{t+1}|s_t,a_t)",
        references=(cite(SPINNING_UP, "trajectory probability"),),
    ),
    Entry(
        "trajectory.factorisation", "identity", "P(tau|theta) factorises into rho_0, policy and dynamics", "trajectory",
        "2.3",
        TrajProb(TH), Rho0(St(0)) * Product(pi_t(t) * Trans(St(t + 1), St(t), At(t)), (t, 0, T - 1)),
        conditions="finite horizon; every trajectory (Markov property)",
        references=(cite(SPINNING_UP, "trajectory probability"),),
        note="This is derive's definition of P(tau|theta) written out; the check confirms the two agree.",
    ),
    Entry(
        "objective.expected-return", "identity", "J(theta) is the expected return", "objective", "2.4",
        J(TH), E_tau(TrajReturn()),
        conditions="finite horizon; J computed by backward induction on V, the right side by the trajectory "
                   "distribution",
        references=(cite(SPINNING_UP, "the objective J"), cite(SB, "section 13.2")),
    ),
    Entry(
        "objective.sum-over-trajectories", "identity", "J(theta) = sum_tau P(tau|theta) R(tau)", "objective", "2.4",
        J(TH), SumTraj(TrajProb(TH) * TrajReturn()),
        conditions="finite horizon",
        references=(cite(SPINNING_UP, "the objective J"),),
    ),
    Entry(
        "objective.initial-value", "identity", "J(theta) = E_{s_0 ~ rho_0}[V(s_0)]", "objective", "2.4",
        J(TH), Expect(V(TH, St(0), 0), InitDraw(St(0))),
        conditions="finite horizon (V_0, the value at time 0)",
        references=(cite(SB, "section 13.2, eq. 13.4"),),
    ),
    Entry(
        "objective.occupancy-form", "identity", "J = E_{s~d, a~pi, s'~P}[R(s,a,s')] / (1-gamma)", "objective", "2.4",
        J(TH), Expect(Rew(s, a, s2), OccDraw(s, TH), PolicyDraw(a, TH, s), TransDraw(s2, s, a)) / (1 - gamma),
        setting="discounted",
        conditions="infinite horizon, gamma < 1, d^pi normalised: d(s) = (1-gamma) sum_t gamma^t Pr(s_t = s)",
        references=(cite(KAKADE_LANGFORD), cite(AGARWAL_2021), cite(PUTERMAN)),
        note="With the unnormalised rho_pi(s) = sum_t gamma^t Pr(s_t = s) of TRPO the factor 1/(1-gamma) "
             "disappears.",
    ),
    # ------------------------------------------------------------ mistakes
    Entry(
        "mistake.return-recursion-gamma-on-reward", "mistake", "Return recursion with gamma on the reward",
        "returns", "2.6.2",
        Ret(t), gamma * Rt(t) + Ret(t + 1),
        mistake="gamma on the wrong term: G_t = r_t + gamma G_{t+1}; the first reward is not discounted and the "
                "rest are",
        corrects="return.recursion",
        references=(cite(SB, "eq. 3.9"),),
    ),
    Entry(
        "mistake.return-starts-at-one", "mistake", "The return from time 0 starts at r_1", "returns", "2.2.2",
        Ret(0), Sum(gamma ** (t - 1) * Rt(t), (t, 1, T - 1)),
        mistake="off by one: with r_t = R(s_t, a_t, s_{t+1}) the first reward is r_0 (Sutton & Barto's R_{t+1} "
                "is our r_t)",
        corrects="return.whole-is-g0",
        references=(cite(SB, "eq. 3.8"),),
    ),
]

__all__ = ["ENTRIES"]
