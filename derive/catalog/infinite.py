"""The discounted entries in their infinite-trajectory form, as the literature writes them.

Every expectation over tau ~ pi here is over an infinite trajectory and is evaluated exactly by the
resolvent (I - c P_pi)^{-1} (derive/engine/infinite.py; the class is in docs/conventions.md,
"Infinite trajectories").  An identity between random variables (G_t = r_t + gamma G_{t+1}, GAE at
lambda = 0 or 1) is stated as E[(lhs - rhs)^2 | s_t, a_t] = 0, which holds exactly when lhs = rhs
almost surely given (s_t, a_t).
"""
from __future__ import annotations

from sympy import Integer, Sum, oo

from ..lang.nodes import Delta, GAE, Grad, J, KAdv, LamRet, Ret, Rt, SetParam, TrajReturn, free_v, true_v
from ..lang.symbols import gamma, l, lam, n, t, tp
from .build import PRIME, TH, A_t, E_tau, Q_t, St, At, V_t, f, grad_log_pi
from .entry import Entry
from .references import GAE_PAPER, KAKADE_LANGFORD, SB, SUTTON_2000, TRPO_PAPER, cite

D = "discounted"
VF = free_v("V")
V_ST = f("V", St(t))
GIVEN_SA = (St(t), At(t))


def inf_sum(body, var=t, lo=0):
    """sum_{var=lo}^{infinity} body."""
    return Sum(body, (var, lo, oo))


T0 = ((t, 0, 0),)  # a.s. identities: checked at t = 0 (the law of the future after t does not depend on t)


def almost_surely(lhs, rhs, given=GIVEN_SA):
    """E[(lhs - rhs)^2 | given] (= 0 exactly when lhs = rhs almost surely given them)."""
    return E_tau((lhs - rhs) ** 2, given=given)


DISCOUNTED_RETURN = inf_sum(gamma ** t * Rt(t))

ENTRIES = [
    Entry(
        "objective.infinite-trajectory", "identity", "J(pi) = E_tau[sum_{t>=0} gamma^t r_t] (TRPO's eta)",
        "objective", "2.4",
        J(TH), E_tau(DISCOUNTED_RETURN), setting=D,
        conditions="discounted, gamma < 1; the infinite sum is evaluated exactly (resolvent of P_pi)",
        references=(cite(TRPO_PAPER, "section 2 (eta)"), cite(SB, "eq. 3.8")),
    ),
    Entry(
        "objective.infinite-return", "identity", "J(pi) = E_tau[R(tau)] with R(tau) = sum_{t>=0} gamma^t r_t",
        "objective", "2.4",
        J(TH), E_tau(TrajReturn()), setting=D,
        conditions="discounted, gamma < 1",
        references=(cite(SB, "eq. 3.8"),),
    ),
    Entry(
        "values.infinite-v-definition", "identity", "V^pi(s_t) = E[sum_{l>=0} gamma^l r_{t+l} | s_t]", "values",
        "2.6.3",
        V_t(t), E_tau(inf_sum(gamma ** l * Rt(t + l), l), given=(St(t),)), setting=D,
        conditions="discounted; s_t reachable (checked at t = 0 and 1); by the Markov property and "
                   "stationarity the conditional future from s_t = s is that from s_0 = s",
        references=(cite(SB, "eq. 3.12"),),
    ),
    Entry(
        "values.infinite-q-definition", "identity", "Q^pi(s_t, a_t) = E[G_t | s_t, a_t], G_t = sum_l gamma^l r_{t+l}",
        "values", "2.6.4",
        Q_t(t), E_tau(Ret(t), given=GIVEN_SA), setting=D,
        conditions="discounted; (s_t, a_t) reachable (checked at t = 0 and 1)",
        references=(cite(SB, "eq. 3.13"),),
    ),
    Entry(
        "return.infinite-recursion", "identity", "G_t = r_t + gamma G_{t+1} almost surely (infinite horizon)",
        "returns", "2.6.2",
        almost_surely(Ret(t), Rt(t) + gamma * Ret(t + 1)), Integer(0), setting=D, ranges=T0,
        conditions="discounted; stated as E[(G_t - r_t - gamma G_{t+1})^2 | s_t, a_t] = 0",
        references=(cite(SB, "eq. 3.9"),),
    ),
    Entry(
        "pg.infinite-q", "identity", "grad J = E[sum_{t>=0} gamma^t grad log pi(a_t|s_t) Q^pi(s_t, a_t)]",
        "policy-gradient", "2.6",
        Grad(J(TH)), E_tau(inf_sum(gamma ** t * grad_log_pi(t) * Q_t(t))), setting=D,
        conditions="discounted, gamma < 1; gamma^t in front of step t (the discounted objective's gradient)",
        references=(cite(SUTTON_2000, "Theorem 1"),),
    ),
    Entry(
        "pg.infinite-advantage", "identity", "grad J = E[sum_{t>=0} gamma^t grad log pi(a_t|s_t) A^pi(s_t, a_t)]",
        "policy-gradient", "2.6",
        Grad(J(TH)), E_tau(inf_sum(gamma ** t * grad_log_pi(t) * A_t(t))), setting=D,
        conditions="discounted; the baseline V^pi(s_t) has zero expected contribution",
        references=(cite(SUTTON_2000, "Theorem 1"), cite(GAE_PAPER, "eq. 1")),
    ),
    Entry(
        "pg.infinite-reward-to-go", "identity",
        "grad J = E[sum_{t>=0} grad log pi(a_t|s_t) sum_{t'>=t} gamma^{t'} r_{t'}]", "policy-gradient", "2.6",
        Grad(J(TH)), E_tau(inf_sum(grad_log_pi(t) * inf_sum(gamma ** tp * Rt(tp), tp, t))), setting=D,
        conditions="discounted; a nested infinite sum (the future of step t), evaluated exactly",
        references=(cite(GAE_PAPER, "eq. 1"),),
    ),
    Entry(
        "pg.infinite-td-error", "identity", "grad J = E[sum_{t>=0} gamma^t grad log pi(a_t|s_t) delta_t] (true V)",
        "policy-gradient", "2.6",
        Grad(J(TH)), E_tau(inf_sum(gamma ** t * grad_log_pi(t) * Delta(t, true_v()))), setting=D,
        conditions="discounted; V = V^pi exactly",
        references=(cite(GAE_PAPER, "eq. 1 and section 3"),),
    ),
    Entry(
        "trpo.pdl-infinite", "identity", "Performance difference lemma: J(pi') - J(pi) = E_{tau~pi'}[sum_t gamma^t A^pi]",
        "trpo", "2.8.4",
        J(PRIME) - J(TH), E_tau(inf_sum(gamma ** t * A_t(t)), PRIME), setting=D,
        conditions="discounted; trajectories from the NEW policy pi', advantages of the old policy pi",
        references=(cite(KAKADE_LANGFORD, "Lemma 6.1"), cite(TRPO_PAPER, "eq. 1")),
    ),
    Entry(
        "gae.infinite-unbiased", "identity", "E[sum_{l>=0} (gamma lambda)^l delta_{t+l} | s_t, a_t] = A^pi (true V)",
        "gae", "2.8.3",
        E_tau(GAE(t, true_v()), given=GIVEN_SA), A_t(t), setting=D,
        conditions="discounted; V = V^pi; the infinite GAE sum of GAE eq. 16, every lambda in [0, 1]",
        references=(cite(GAE_PAPER, "eq. 16 and section 3"),),
    ),
    Entry(
        "gae.infinite-lambda-zero", "identity", "GAE(gamma, 0) = delta_t almost surely (infinite sum)", "gae", "2.8.3",
        almost_surely(SetParam(GAE(t, VF), lam, Integer(0)), Delta(t, VF)), Integer(0), setting=D, ranges=T0,
        conditions="discounted; any critic V; (gamma lambda)^0 = 1 at lambda = 0 (0^0 = 1)",
        references=(cite(GAE_PAPER, "eq. 17"),),
    ),
    Entry(
        "gae.infinite-lambda-one", "identity", "GAE(gamma, 1) = sum_l gamma^l r_{t+l} - V(s_t) almost surely", "gae",
        "2.8.3",
        almost_surely(SetParam(GAE(t, VF), lam, Integer(1)), Ret(t) - V_ST), Integer(0), setting=D, ranges=T0,
        conditions="discounted, gamma < 1 (the V terms telescope, gamma^l V(s_{t+l}) -> 0); any critic V",
        references=(cite(GAE_PAPER, "eq. 18"),),
    ),
    Entry(
        "gae.infinite-lambda-return", "identity", "Infinite lambda-return = GAE + V(s_t) almost surely", "gae",
        "2.8.3",
        almost_surely(LamRet(t, VF), GAE(t, VF) + V_ST), Integer(0), setting=D, ranges=T0,
        conditions="discounted; any critic V; G^lambda_t = r_t + gamma((1 - lambda) V(s_{t+1}) + lambda G^lambda_{t+1})",
        references=(cite(SB, "eq. 12.2"), cite(GAE_PAPER, "section 3")),
    ),
    Entry(
        "gae.infinite-mixture", "identity",
        "lambda-return = (1 - lambda) sum_{n>=1} lambda^{n-1} G_t^{(n)} (in expectation given s_t, a_t)", "gae", "2.8.3",
        E_tau(LamRet(t, VF), given=GIVEN_SA),
        E_tau((1 - lam) * inf_sum(lam ** (n - 1) * (KAdv(n, t, VF) + V_ST), n, 1), given=GIVEN_SA), setting=D,
        conditions="discounted; lambda < 1 (at lambda = 1 the series diverges: skipped); any critic V; "
                   "G_t^{(n)} = sum_{l<n} gamma^l r_{t+l} + gamma^n V(s_{t+n})",
        references=(cite(SB, "eq. 12.2"), cite(GAE_PAPER, "eq. 16")),
    ),
    # ------------------------------------------------------------ mistakes
    Entry(
        "mistake.infinite-pdl-old-trajectories", "mistake", "Performance difference with trajectories of the old "
        "policy", "trpo", "2.8.4",
        J(PRIME) - J(TH), E_tau(inf_sum(gamma ** t * A_t(t)), TH), setting=D,
        mistake="the advantages of pi must be summed along trajectories of the NEW policy pi'; along pi's own "
                "trajectories E_{a~pi}[A^pi] = 0 at every step, so the sum has mean 0",
        corrects="trpo.pdl-infinite", references=(cite(KAKADE_LANGFORD, "Lemma 6.1"), cite(TRPO_PAPER, "eq. 1")),
    ),
    Entry(
        "mistake.infinite-gae-any-v", "mistake", "Infinite GAE is unbiased with any critic", "gae", "2.8.3",
        E_tau(GAE(t, VF), given=GIVEN_SA), A_t(t), setting=D,
        mistake="with lambda < 1 the critic's error does not telescope away: GAE is biased unless V = V^pi",
        corrects="gae.infinite-unbiased", references=(cite(GAE_PAPER, "section 3"),),
    ),
]

__all__ = ["ENTRIES"]
