"""k-step advantages, GAE and the lambda-return (blog section 2.8.3).

Truncation: the horizon ends at T and every value is 0 at s_T, so the sums
over l stop at l = T - t - 1 (the GAE paper's infinite sums, eq. 16, truncated;
the PPO paper's eq. 11 writes this truncated sum, with a known typo: its last
exponent T - t + 1 should read T - t - 1).

Any critic V: the k-step advantage is biased by the critic's error at both
ends, E[A^(k)_t | s_t, a_t] - A^pi = gamma^k E[(V - V^pi)(s_{t+k}) | s_t, a_t]
- (V - V^pi)(s_t); GAE mixes these biases with weights (1 - lambda) lambda^(k-1).
At lambda = 1 only -(V - V^pi)(s_t) is left: it depends on the state alone, so
it acts as a baseline and the policy-gradient estimate is unbiased, while the
advantage estimate is not.
"""
from __future__ import annotations

from sympy import Integer, Sum

from ..lang.nodes import Delta, GAE, Grad, J, KAdv, LamRet, Ret, SetParam, free_v, true_v
from ..lang.symbols import T, gamma, k, l, lam, t
from .build import TH, A_t, E_tau, V_t, f, grad_log_pi, St, At, sum_t
from .entry import Entry
from .references import GAE_PAPER, PPO_PAPER, SB, cite

VF = free_v("V")  # an arbitrary critic V
V_ST = f("V", St(t))
GIVEN = (St(t), At(t))


def critic_error(u):
    """(V - V^pi)(s_u): the critic's error at time u (0 at s_T, where both are 0)."""
    return f("V", St(u)) - V_t(u)


def kstep_bias(kk):
    """gamma^k E[(V - V^pi)(s_{t+k}) | s_t, a_t] - (V - V^pi)(s_t): the bias of A^(k)_t with the critic V."""
    return gamma ** kk * E_tau(critic_error(t + kk), given=GIVEN) - critic_error(t)


ENTRIES = [
    Entry(
        "gae.k-step-telescopes", "identity", "k-step advantage = sum of discounted TD errors", "gae", "2.8.3",
        KAdv(k, t, VF), Sum(gamma ** l * Delta(t + l, VF), (l, 0, k - 1)),
        conditions="finite horizon; ANY critic V (the V terms telescope); 1 <= k <= T - t",
        references=(cite(GAE_PAPER, "eqs. 11-14"),),
    ),
    Entry(
        "gae.sum-of-td-errors", "identity", "GAE as sum_l (gamma lambda)^l delta_{t+l}", "gae", "2.8.3",
        GAE(t, VF), Sum((gamma * lam) ** l * Delta(t + l, VF), (l, 0, T - t - 1)),
        conditions="finite horizon, truncated at T; any critic V",
        references=(cite(GAE_PAPER, "eq. 16"),
                    cite(PPO_PAPER, "eq. 11, the truncated sum (its last exponent T - t + 1 is a typo for T - t - 1)")),
        note="This is derive's definition of GAE written out; the mixture and recursion entries are the checks.",
    ),
    Entry(
        "gae.mixture", "identity", "GAE is the (1-lambda)-weighted mixture of k-step advantages", "gae", "2.8.3",
        GAE(t, VF),
        (1 - lam) * Sum(lam ** (k - 1) * KAdv(k, t, VF), (k, 1, T - t - 1)) + lam ** (T - t - 1) * KAdv(T - t, t, VF),
        conditions="finite horizon: the weights of the k-step advantages beyond T - t collect on A^(T-t); any V",
        references=(cite(GAE_PAPER, "eq. 16"),),
    ),
    Entry(
        "gae.recursion", "identity", "GAE recursion A_t = delta_t + gamma lambda A_{t+1}", "gae", "2.8.3",
        GAE(t, VF), Delta(t, VF) + gamma * lam * GAE(t + 1, VF),
        conditions="finite horizon, A_T = 0; any critic V",
        references=(cite(GAE_PAPER, "eq. 16"),),
    ),
    Entry(
        "gae.lambda-zero", "identity", "GAE with lambda = 0 is the TD error", "gae", "2.8.3",
        SetParam(GAE(t, VF), lam, Integer(0)), Delta(t, VF),
        conditions="any critic V (low variance, biased unless V = V^pi)",
        references=(cite(GAE_PAPER, "eq. 17"),),
    ),
    Entry(
        "gae.lambda-one", "identity", "GAE with lambda = 1 is the return minus V", "gae", "2.8.3",
        SetParam(GAE(t, VF), lam, Integer(1)), Ret(t) - V_ST,
        conditions="finite horizon with V(s_T) = 0; any critic V (high variance; as an advantage estimate biased by "
                   "-(V - V^pi)(s_t), a state-only error that leaves the policy gradient unbiased)",
        references=(cite(GAE_PAPER, "eq. 18"),),
    ),
    Entry(
        "gae.lambda-return", "identity", "lambda-return = GAE + V", "gae", "2.8.3",
        LamRet(t, VF), GAE(t, VF) + V_ST,
        conditions="finite horizon (lambda-return truncated at T); any critic V",
        references=(cite(SB, "eq. 12.3"), cite(GAE_PAPER, "section 3")),
    ),
    Entry(
        "gae.unbiased-with-true-v", "identity", "With the true V, E[GAE_t | s_t, a_t] = A^pi for every lambda", "gae",
        "2.8.3",
        E_tau(GAE(t, true_v()), given=(St(t), At(t))), A_t(t),
        conditions="finite horizon; V = V^pi exactly; (s_t, a_t) reachable",
        references=(cite(GAE_PAPER, "section 3 (gamma-just)"),),
    ),
    Entry(
        "gae.policy-gradient", "identity", "psi_t = gamma^t GAE_t with the true V gives the policy gradient", "gae",
        "2.8.3",
        Grad(J(TH)), E_tau(sum_t(grad_log_pi(t) * gamma ** t * GAE(t, true_v()))),
        conditions="finite horizon; V = V^pi; any lambda in [0, 1]",
        references=(cite(GAE_PAPER, "eq. 1 and section 3"),),
    ),
    Entry(
        "gae.k-step-bias-any-critic", "identity", "Bias of the k-step advantage with any critic V", "gae", "2.8.3",
        E_tau(KAdv(k, t, VF), given=GIVEN) - A_t(t), kstep_bias(k),
        conditions="finite horizon; ANY critic V (V(s_T) = 0); 1 <= k <= T - t; (s_t, a_t) reachable: "
                   "E[A^(k)_t | s_t, a_t] - A^pi(s_t, a_t) = gamma^k E[(V - V^pi)(s_{t+k}) | s_t, a_t] - (V - V^pi)(s_t)",
        references=(cite(GAE_PAPER, "eqs. 11-14 and section 3"),),
    ),
    Entry(
        "gae.bias-any-critic", "identity", "Bias of GAE with any critic: the (1 - lambda) lambda^(k-1) mixture of the "
        "k-step biases", "gae", "2.8.3",
        E_tau(GAE(t, VF), given=GIVEN) - A_t(t),
        (1 - lam) * Sum(lam ** (k - 1) * kstep_bias(k), (k, 1, T - t - 1)) + lam ** (T - t - 1) * kstep_bias(T - t),
        conditions="finite horizon, truncated at T: the weights (1 - lambda) lambda^(k-1) of k >= T - t collect on "
                   "k = T - t, whose bias is -(V - V^pi)(s_t) (V(s_T) = V^pi(s_T) = 0); any critic V; "
                   "(s_t, a_t) reachable",
        references=(cite(GAE_PAPER, "eq. 16 and section 3"),),
    ),
    Entry(
        "gae.lambda-one-any-critic-policy-gradient", "identity", "lambda = 1 with ANY critic gives an unbiased "
        "policy gradient", "gae", "2.8.3",
        Grad(J(TH)), E_tau(sum_t(grad_log_pi(t) * gamma ** t * SetParam(GAE(t, VF), lam, Integer(1)))),
        conditions="finite horizon; any critic V: GAE(gamma, 1) = G_t - V(s_t), and the error -(V - V^pi)(s_t) "
                   "depends on the state only, so it acts as a baseline (the advantage estimate itself stays biased)",
        references=(cite(GAE_PAPER, "eq. 18 and section 3"),),
    ),
    # ------------------------------------------------------------ mistakes
    Entry(
        "mistake.gae-lambda-for-gamma-lambda", "mistake", "GAE recursion with lambda instead of gamma lambda", "gae",
        "2.8.3",
        GAE(t, VF), Delta(t, VF) + lam * GAE(t + 1, VF),
        mistake="lambda in place of gamma*lambda: each step back discounts by gamma and by lambda",
        corrects="gae.recursion", references=(cite(GAE_PAPER, "eq. 16"),),
    ),
    Entry(
        "mistake.gae-lambda-one-is-td", "mistake", "GAE with lambda = 1 is the TD error", "gae", "2.8.3",
        SetParam(GAE(t, VF), lam, Integer(1)), Delta(t, VF),
        mistake="lambda endpoints swapped: lambda = 0 gives delta_t, lambda = 1 gives the Monte Carlo G_t - V(s_t)",
        corrects="gae.lambda-one", references=(cite(GAE_PAPER, "eqs. 17-18"),),
    ),
    Entry(
        "mistake.lambda-return-is-gae", "mistake", "The lambda-return equals GAE", "gae", "2.8.3",
        LamRet(t, VF), GAE(t, VF),
        mistake="the lambda-return is a return target (for the critic); GAE = lambda-return - V(s_t) is an advantage",
        corrects="gae.lambda-return", references=(cite(SB, "eq. 12.3"),),
    ),
    Entry(
        "mistake.gae-unbiased-any-v", "mistake", "GAE is an unbiased advantage estimate with any critic", "gae",
        "2.8.3",
        E_tau(GAE(t, VF), given=GIVEN), A_t(t),
        mistake="with a critic V != V^pi, E[GAE_t | s_t, a_t] - A^pi is the (1 - lambda) lambda^(k-1) mixture of "
                "the k-step biases gamma^k E[(V - V^pi)(s_{t+k}) | s_t, a_t] - (V - V^pi)(s_t), for every lambda; "
                "at lambda = 1 the bias -(V - V^pi)(s_t) depends only on the state, so the policy-gradient "
                "estimate is unbiased (it acts as a baseline) while the advantage estimate is not",
        corrects="gae.bias-any-critic", references=(cite(GAE_PAPER, "section 3"),),
    ),
]

__all__ = ["ENTRIES"]
