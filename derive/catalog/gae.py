"""k-step advantages, GAE and the lambda-return (blog section 2.8.3).

Truncation: the horizon ends at T and every value is 0 at s_T, so the sums
over l stop at l = T - t - 1 (the GAE paper's infinite sums, truncated as in
the PPO paper's eq. 11).
"""
from __future__ import annotations

from sympy import Integer, Sum

from ..lang.nodes import Delta, GAE, Grad, J, KAdv, LamRet, Ret, SetParam, free_v, true_v
from ..lang.symbols import T, gamma, k, l, lam, t
from .build import TH, A_t, E_tau, f, grad_log_pi, St, At, sum_t
from .entry import Entry
from .references import GAE_PAPER, PPO_PAPER, SB

VF = free_v("V")  # an arbitrary critic V
V_ST = f("V", St(t))

ENTRIES = [
    Entry(
        "gae.k-step-telescopes", "identity", "k-step advantage = sum of discounted TD errors", "gae", "2.8.3",
        KAdv(k, t, VF), Sum(gamma ** l * Delta(t + l, VF), (l, 0, k - 1)),
        conditions="finite horizon; ANY critic V (the V terms telescope); 1 <= k <= T - t",
        references=(GAE_PAPER + " eqs. 11-14",),
    ),
    Entry(
        "gae.sum-of-td-errors", "identity", "GAE as sum_l (gamma lambda)^l delta_{t+l}", "gae", "2.8.3",
        GAE(t, VF), Sum((gamma * lam) ** l * Delta(t + l, VF), (l, 0, T - t - 1)),
        conditions="finite horizon, truncated at T; any critic V",
        references=(GAE_PAPER + " eq. 16", PPO_PAPER + " eq. 11"),
        note="This is derive's definition of GAE written out; the mixture and recursion entries are the checks.",
    ),
    Entry(
        "gae.mixture", "identity", "GAE is the (1-lambda)-weighted mixture of k-step advantages", "gae", "2.8.3",
        GAE(t, VF),
        (1 - lam) * Sum(lam ** (k - 1) * KAdv(k, t, VF), (k, 1, T - t - 1)) + lam ** (T - t - 1) * KAdv(T - t, t, VF),
        conditions="finite horizon: the weights of the k-step advantages beyond T - t collect on A^(T-t); any V",
        references=(GAE_PAPER + " eq. 16",),
    ),
    Entry(
        "gae.recursion", "identity", "GAE recursion A_t = delta_t + gamma lambda A_{t+1}", "gae", "2.8.3",
        GAE(t, VF), Delta(t, VF) + gamma * lam * GAE(t + 1, VF),
        conditions="finite horizon, A_T = 0; any critic V",
        references=(PPO_PAPER + " eq. 11",),
    ),
    Entry(
        "gae.lambda-zero", "identity", "GAE with lambda = 0 is the TD error", "gae", "2.8.3",
        SetParam(GAE(t, VF), lam, Integer(0)), Delta(t, VF),
        conditions="any critic V (low variance, biased unless V = V^pi)",
        references=(GAE_PAPER + " eq. 17",),
    ),
    Entry(
        "gae.lambda-one", "identity", "GAE with lambda = 1 is the return minus V", "gae", "2.8.3",
        SetParam(GAE(t, VF), lam, Integer(1)), Ret(t) - V_ST,
        conditions="finite horizon with V(s_T) = 0; any critic V (unbiased, high variance)",
        references=(GAE_PAPER + " eq. 18",),
    ),
    Entry(
        "gae.lambda-return", "identity", "lambda-return = GAE + V", "gae", "2.8.3",
        LamRet(t, VF), GAE(t, VF) + V_ST,
        conditions="finite horizon (lambda-return truncated at T); any critic V",
        references=(SB + " eq. 12.3", GAE_PAPER + " section 3"),
    ),
    Entry(
        "gae.unbiased-with-true-v", "identity", "With the true V, E[GAE_t | s_t, a_t] = A^pi for every lambda", "gae",
        "2.8.3",
        E_tau(GAE(t, true_v()), given=(St(t), At(t))), A_t(t),
        conditions="finite horizon; V = V^pi exactly; (s_t, a_t) reachable",
        references=(GAE_PAPER + " section 3 (gamma-just)",),
    ),
    Entry(
        "gae.policy-gradient", "identity", "psi_t = gamma^t GAE_t with the true V gives the policy gradient", "gae",
        "2.8.3",
        Grad(J(TH)), E_tau(sum_t(grad_log_pi(t) * gamma ** t * GAE(t, true_v()))),
        conditions="finite horizon; V = V^pi; any lambda in [0, 1]",
        references=(GAE_PAPER + " eq. 1 and section 3",),
    ),
    # ------------------------------------------------------------ mistakes
    Entry(
        "mistake.gae-lambda-for-gamma-lambda", "mistake", "GAE recursion with lambda instead of gamma lambda", "gae",
        "2.8.3",
        GAE(t, VF), Delta(t, VF) + lam * GAE(t + 1, VF),
        mistake="lambda in place of gamma*lambda: each step back discounts by gamma and by lambda",
        corrects="gae.recursion", references=(GAE_PAPER + " eq. 16",),
    ),
    Entry(
        "mistake.gae-lambda-one-is-td", "mistake", "GAE with lambda = 1 is the TD error", "gae", "2.8.3",
        SetParam(GAE(t, VF), lam, Integer(1)), Delta(t, VF),
        mistake="lambda endpoints swapped: lambda = 0 gives delta_t, lambda = 1 gives the Monte Carlo G_t - V(s_t)",
        corrects="gae.lambda-one", references=(GAE_PAPER + " eqs. 17-18",),
    ),
    Entry(
        "mistake.lambda-return-is-gae", "mistake", "The lambda-return equals GAE", "gae", "2.8.3",
        LamRet(t, VF), GAE(t, VF),
        mistake="the lambda-return is a return target (for the critic); GAE = lambda-return - V(s_t) is an advantage",
        corrects="gae.lambda-return", references=(SB + " eq. 12.3",),
    ),
    Entry(
        "mistake.gae-unbiased-any-v", "mistake", "GAE is unbiased with any critic", "gae", "2.8.3",
        E_tau(GAE(t, VF), given=(St(t), At(t))), A_t(t),
        mistake="GAE with lambda < 1 is biased unless V = V^pi; only lambda = 1 removes the critic's bias",
        corrects="gae.unbiased-with-true-v", references=(GAE_PAPER + " section 3",),
    ),
]

__all__ = ["ENTRIES"]
