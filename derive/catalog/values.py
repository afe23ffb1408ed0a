"""Value functions, Bellman equations, advantage and TD error (blog sections 2.6.3 to 2.6.6)."""
from __future__ import annotations

from sympy import Sum

from ..lang.nodes import (Delta, Dpi, Expect, MaxOver, PolicyDraw, Ret, Rew, Rho0, Rt, SumOver, Trans, TransDraw,
                          free_v, true_v)
from ..lang.symbols import T, a, a2, gamma, s, s2, t
from .build import TH, A_sa, A_t, E_tau, Q_sa, Q_t, V_s, V_t, St, At, pi
from .entry import Entry
from .references import AGARWAL_2021, GAE_PAPER, KAKADE_2003, PUTERMAN, SB, cite

D = "discounted"
OCCUPANCY_REFS = (cite(KAKADE_2003), cite(AGARWAL_2021), cite(PUTERMAN))
STEP = (PolicyDraw(At(t), TH, St(t)), TransDraw(St(t + 1), St(t), At(t)))  # a_t ~ pi(.|s_t), s_{t+1} ~ P


ENTRIES = [
    Entry(
        "values.v-definition", "identity", "V^pi(s_t) = E[G_t | s_t]", "values", "2.6.3",
        V_t(t), E_tau(Ret(t), given=(St(t),)),
        conditions="finite horizon; s_t reachable (elsewhere the conditional expectation is undefined); "
                   "V is time-indexed: V_t",
        references=(cite(SB, "eq. 3.12"),),
    ),
    Entry(
        "values.q-definition", "identity", "Q^pi(s_t, a_t) = E[G_t | s_t, a_t]", "values", "2.6.4",
        Q_t(t), E_tau(Ret(t), given=(St(t), At(t))),
        conditions="finite horizon; (s_t, a_t) reachable",
        references=(cite(SB, "eq. 3.13"),),
    ),
    Entry(
        "values.finite-expansion", "identity", "V_0(s_0) = sum_t gamma^t E[r_t | s_0]", "values", "2.6.3",
        V_t(0), Sum(gamma ** t * E_tau(Rt(t), given=(St(0),)), (t, 0, T - 1)),
        conditions="finite horizon; s_0 in the support of rho_0",
        references=(cite(SB, "eq. 3.12"),),
    ),
    Entry(
        "values.v-from-q", "identity", "V from Q: V(s) = E_{a~pi}[Q(s,a)]", "values", "2.6.5",
        V_s(s), Expect(Q_sa(s, a), PolicyDraw(a, TH, s)),
        setting=D, conditions="discounted, gamma < 1; every state",
        references=(cite(SB, "exercise 3.18"),),
    ),
    Entry(
        "values.q-from-v", "identity", "Q from V: Q(s,a) = E_{s'}[R(s,a,s') + gamma V(s')]", "values", "2.6.5",
        Q_sa(s, a), Expect(Rew(s, a, s2) + gamma * V_s(s2), TransDraw(s2, s, a)),
        setting=D, conditions="discounted, gamma < 1; rewards R(s,a,s') depend on the next state",
        references=(cite(SB, "exercise 3.19"),),
    ),
    Entry(
        "values.bellman-v", "identity", "Bellman expectation equation for V", "values", "2.6.5",
        V_s(s), Expect(Rew(s, a, s2) + gamma * V_s(s2), PolicyDraw(a, TH, s), TransDraw(s2, s, a)),
        setting=D, conditions="discounted, gamma < 1",
        references=(cite(SB, "eq. 3.14"),),
    ),
    Entry(
        "values.bellman-q", "identity", "Bellman expectation equation for Q", "values", "2.6.5",
        Q_sa(s, a), Expect(Rew(s, a, s2) + gamma * Expect(Q_sa(s2, a2), PolicyDraw(a2, TH, s2)),
                           TransDraw(s2, s, a)),
        setting=D, conditions="discounted, gamma < 1",
        references=(cite(SB, "exercise 3.17"),),
    ),
    Entry(
        "values.matrix-form", "identity", "Matrix form (I - gamma P_pi) V = r_pi", "values", "2.6.5",
        V_s(s) - gamma * SumOver(SumOver(pi(a, s) * Trans(s2, s, a) * V_s(s2), a), s2),
        SumOver(SumOver(pi(a, s) * Trans(s2, s, a) * Rew(s, a, s2), a), s2),
        setting=D,
        conditions="discounted, gamma < 1; I - gamma P_pi is invertible, so V = (I - gamma P_pi)^{-1} r_pi",
        references=(cite(SB, "section 4.1"),),
        note="P_pi(s'|s) = sum_a pi(a|s) P(s'|s,a), r_pi(s) = sum_a pi(a|s) sum_s' P(s'|s,a) R(s,a,s').",
    ),
    Entry(
        "values.finite-bellman", "identity", "Finite-horizon Bellman: V_t = E[r_t + gamma V_{t+1}(s_{t+1})]",
        "values", "2.6.5",
        V_t(t), Expect(Rt(t) + gamma * V_t(t + 1), *STEP),
        conditions="finite horizon; time-indexed values with V_T = 0",
        references=(cite(SB, "eq. 3.14"),),
    ),
    Entry(
        "values.advantage-mean-zero", "identity", "E_{a~pi}[A^pi(s,a)] = 0", "values", "2.6.6",
        Expect(A_sa(s, a), PolicyDraw(a, TH, s)), 0,
        setting=D, conditions="a drawn from the policy whose advantage it is",
        references=(cite(GAE_PAPER, "section 2"),),
    ),
    Entry(
        "values.td-error-expectation", "identity", "E[delta_t | s_t, a_t] = A^pi(s_t, a_t) with the true V", "values",
        "2.6.6",
        Expect(Delta(t, true_v()), TransDraw(St(t + 1), St(t), At(t))), A_t(t),
        conditions="finite horizon; V = V^pi exactly (with V_T = 0)",
        references=(cite(GAE_PAPER, "eq. 10"),),
    ),
    Entry(
        "values.td-error-state-mean-zero", "identity", "E[delta_t | s_t] = 0 with the true V", "values", "2.6.6",
        Expect(Delta(t, true_v()), *STEP), 0,
        conditions="finite horizon; V = V^pi",
        references=(cite(GAE_PAPER, "section 3"),),
    ),
    Entry(
        "values.occupancy-normalised", "identity", "d^pi sums to one", "values", "2.8.4",
        SumOver(Dpi(TH, s), s), 1,
        setting=D, conditions="normalised d^pi(s) = (1-gamma) sum_t gamma^t Pr(s_t = s)",
        references=OCCUPANCY_REFS,
    ),
    Entry(
        "values.occupancy-flow", "identity", "Flow equation of d^pi", "values", "2.8.4",
        Dpi(TH, s2), (1 - gamma) * Rho0(s2) + gamma * SumOver(SumOver(Dpi(TH, s) * pi(a, s) * Trans(s2, s, a), a), s),
        setting=D, conditions="discounted, gamma < 1",
        references=OCCUPANCY_REFS,
    ),
    # ------------------------------------------------------------ mistakes
    Entry(
        "mistake.v-max-q", "mistake", "V = max_a Q for a stochastic policy", "values", "2.6.5",
        V_s(s), MaxOver(Q_sa(s, a), a), setting=D,
        mistake="V = max_a Q holds for the greedy (optimal) policy; a stochastic pi averages: V = E_{a~pi}[Q]",
        corrects="values.v-from-q", references=(cite(SB, "eq. 3.19"),),
    ),
    Entry(
        "mistake.v-uniform-average", "mistake", "V as the plain average of Q over actions", "values", "2.6.5",
        V_s(s), SumOver(Q_sa(s, a), a) / SumOver(1, a), setting=D,
        mistake="V averages Q with the policy's weights pi(a|s), not uniformly",
        corrects="values.v-from-q", references=(cite(SB, "exercise 3.18"),),
    ),
    Entry(
        "mistake.bellman-missing-gamma", "mistake", "Bellman equation without gamma", "values", "2.6.5",
        V_s(s), Expect(Rew(s, a, s2) + V_s(s2), PolicyDraw(a, TH, s), TransDraw(s2, s, a)), setting=D,
        mistake="missing gamma in the Bellman equation: the next state's value is discounted once",
        corrects="values.bellman-v", references=(cite(SB, "eq. 3.14"),),
    ),
    Entry(
        "mistake.q-without-reward", "mistake", "Q from V without the reward", "values", "2.6.5",
        Q_sa(s, a), Expect(gamma * V_s(s2), TransDraw(s2, s, a)), setting=D,
        mistake="Q(s,a) includes the reward of the transition it starts with: E[R(s,a,s') + gamma V(s')]",
        corrects="values.q-from-v", references=(cite(SB, "exercise 3.19"),),
    ),
    Entry(
        "mistake.td-error-zero-mean", "mistake", "E[delta_t | s_t, a_t] = 0", "values", "2.6.6",
        Expect(Delta(t, true_v()), TransDraw(St(t + 1), St(t), At(t))), 0,
        mistake="given the action, the TD error has mean A(s_t, a_t), not 0; only averaged over a_t ~ pi is it 0",
        corrects="values.td-error-expectation", references=(cite(GAE_PAPER, "eq. 10"),),
    ),
    Entry(
        "mistake.td-error-any-v", "mistake", "E[delta_t^V | s_t, a_t] = A^pi with an arbitrary V", "values",
        "2.6.6",
        Expect(Delta(t, free_v("V")), TransDraw(St(t + 1), St(t), At(t))), A_t(t),
        mistake="the TD error is an unbiased advantage estimate only with the true V^pi; with another V it is "
                "off by gamma E[V(s_{t+1}) - V^pi(s_{t+1})] - (V(s_t) - V^pi(s_t))",
        corrects="values.td-error-expectation", references=(cite(GAE_PAPER, "section 3"),),
    ),
    Entry(
        "mistake.advantage-unweighted-sum", "mistake", "sum_a A(s,a) = 0", "values", "2.6.6",
        SumOver(A_sa(s, a), a), 0, setting=D,
        mistake="the advantage averages to 0 under the policy's weights, E_{a~pi}[A] = 0, not as a plain sum",
        corrects="values.advantage-mean-zero", references=(cite(GAE_PAPER, "section 2"),),
    ),
]

__all__ = ["ENTRIES"]
