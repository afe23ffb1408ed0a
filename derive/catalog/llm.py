"""GRPO, GPG and the token-level MDP of a language model (added sections 2.11 to 2.13).

Group estimators are checked on a one-step problem (a bandit at a state s, the
setting of one prompt): a group of G completions a_1..a_G ~ pi_theta(.|s), i.i.d.,
with rewards f(s, a_i) (an arbitrary function), and J_s = E_{a~pi}[f(s,a)].
The token MDP is derive's instance family "token": states are prefixes, an action
appends a token, transitions are deterministic, the reward is paid at the end, gamma = 1.
"""
from __future__ import annotations

from sympy import Eq, Integer, Product, Rational, Sum, sqrt

from ..lang.nodes import Delta, Expect, Grad, Indicator, Inner, J, PolicyDraw, TrajProb, TrajReturn, true_v
from ..lang.symbols import ActionVar, T, k, n, s, t
from .build import OLD, TH, A_t, E_tau, V_t, f, grad_log, grad_log_pi, ratio_t, St, sum_t
from .entry import Entry
from .references import DEEPSEEKMATH, DR_GRPO, GPG_PAPER, LOO, SPINNING_UP

TOKEN = "finite; family=token"
G = 3
ACTS = [ActionVar("a" + "'" * i) for i in range(G)]  # a, a', a'': the group (a_1 .. a_G in the papers)
REWARDS = [f("f", s, a) for a in ACTS]
DRAWS = [PolicyDraw(a, TH, s) for a in ACTS]
MEAN = sum(REWARDS) / G
GRAD_JS = Grad(Expect(f("f", s, ActionVar("b")), PolicyDraw(ActionVar("b"), TH, s)))


def _group_estimate(advantages, acts=ACTS, draws=DRAWS):
    """E over the group of (1/G) sum_i grad log pi(a_i|s) A_i."""
    body = sum(grad_log(a, s) * adv for a, adv in zip(acts, advantages)) / len(acts)
    return Expect(body, *draws)


STD = sqrt(sum((r - MEAN) ** 2 for r in REWARDS) / G)  # population std of the group
SAFE_STD = STD + Indicator(Eq(STD, Integer(0)))  # all rewards equal: advantages are 0/1 = 0
NORMALISED = [(r - MEAN) / SAFE_STD for r in REWARDS]

# GPG: B = 2 groups of 2 completions each.
GA = [ActionVar("a" + "'" * i) for i in range(4)]
GR = [f("f", s, a) for a in GA]
GROUPS = [(GA[0], GA[1], GR[0], GR[1]), (GA[2], GA[3], GR[2], GR[3])]


def _group_grad(a1, a2, r1, r2):
    """g_b = (1/2) sum_i grad log pi(a_i|s) (R_i - mean): one group's policy-gradient estimate."""
    mean = (r1 + r2) / 2
    return (grad_log(a1, s) * (r1 - mean) + grad_log(a2, s) * (r2 - mean)) / 2


DEGENERATE = [Indicator(Eq(r1, r2)) for _, _, r1, r2 in GROUPS]
M = sum(DEGENERATE)
B = 2
GSUM = sum(_group_grad(*g) for g in GROUPS)
INFORMATIVE = sum((1 - d) * _group_grad(*g) for d, g in zip(DEGENERATE, GROUPS))
GPG_DRAWS = [PolicyDraw(a, TH, s) for a in GA]

ENTRIES = [
    # ---------------------------------------------------------------- GRPO
    Entry("grpo.mean-baseline-shrinks", "identity", "A group-mean baseline that includes the sample gives "
          "(1 - 1/G) grad J", "grpo", "2.11",
          _group_estimate([r - MEAN for r in REWARDS]), (1 - Rational(1, G)) * GRAD_JS,
          conditions=f"G = {G} i.i.d. completions of one prompt; the mean includes R_i itself, which correlates "
                     "with a_i",
          references=(DEEPSEEKMATH, LOO)),
    Entry("grpo.leave-one-out", "identity", "The leave-one-out baseline removes the factor", "grpo", "2.11",
          _group_estimate([r - (sum(REWARDS) - r) / (G - 1) for r in REWARDS]), GRAD_JS,
          conditions=f"G = {G}; the baseline of sample i averages the other G - 1 rewards (independent of a_i)",
          references=(LOO,)),
    Entry("grpo.normalised-advantages", "identity", "Group-normalised advantages sum to 0 and their squares to G",
          "grpo", "2.11",
          sum(NORMALISED) + sum(x ** 2 for x in NORMALISED),
          G * (1 - Indicator(Eq(STD, Integer(0)))),
          conditions=f"G = {G}, every group; A_i = (R_i - mean) / std with the population std (0 when all "
                     "rewards are equal); std involves a square root (float64, tolerance 1e-9)",
          references=(DEEPSEEKMATH,)),
    Entry("grpo.token-level-weights", "identity", "Token-level aggregation weights a sequence by its length",
          "grpo", "2.11",
          (Sum(f("h", St(t)), (t, 0, k - 1)) + Sum(f("g", St(t)), (t, 0, n - 1))) / (k + n),
          k / (k + n) * (Sum(f("h", St(t)), (t, 0, k - 1)) / k) + n / (k + n) * (Sum(f("g", St(t)), (t, 0, n - 1)) / n),
          conditions="two sequences of lengths k and n with per-token losses h and g: the token-level mean "
                     "gives sequence i the weight |o_i| / sum_j |o_j|; the sequence-level mean gives 1/G",
          ranges=((k, 1, T), (n, 1, T)),
          references=(DR_GRPO, "TRL PR #3256", "verl #957")),
    Entry("mistake.grpo-std-rescales", "mistake", "Dividing by the group std only rescales the gradient", "grpo",
          "2.11",
          _group_estimate(NORMALISED),
          (1 - Rational(1, G)) * GRAD_JS / sqrt(
              Expect(f("f", s, ActionVar("b")) ** 2, PolicyDraw(ActionVar("b"), TH, s))
              - Expect(f("f", s, ActionVar("b")), PolicyDraw(ActionVar("b"), TH, s)) ** 2),
          mistake="std normalisation is not a rescaling by the reward std: the per-group std is random and "
                  "correlated with the samples, and it reweights prompts by difficulty (Dr. GRPO)",
          corrects="grpo.mean-baseline-shrinks", references=(DR_GRPO,)),
    Entry("mistake.grpo-std-keeps-direction", "mistake", "Std normalisation keeps the direction of the gradient",
          "grpo", "2.11",
          Inner(_group_estimate(NORMALISED), GRAD_JS) ** 2,
          Inner(_group_estimate(NORMALISED), _group_estimate(NORMALISED)) * Inner(GRAD_JS, GRAD_JS),
          mistake="E[g_std] is not even parallel to grad J: <g, grad J>^2 = |g|^2 |grad J|^2 (Cauchy-Schwarz "
                  "equality) fails; per-group std reweights actions by how spread their group's rewards are",
          corrects="grpo.mean-baseline-shrinks", references=(DR_GRPO,)),
    Entry("mistake.token-equals-sequence-mean", "mistake", "Token-level and sequence-level means agree", "grpo",
          "2.11",
          (Sum(f("h", St(t)), (t, 0, k - 1)) + Sum(f("g", St(t)), (t, 0, n - 1))) / (k + n),
          (Sum(f("h", St(t)), (t, 0, k - 1)) / k + Sum(f("g", St(t)), (t, 0, n - 1)) / n) / 2,
          ranges=((k, 1, T), (n, 1, T)),
          mistake="they agree only when all sequences have the same length; otherwise long sequences weigh more "
                  "in the token-level mean",
          corrects="grpo.token-level-weights", references=(DR_GRPO, "sail-sg/understand-r1-zero #10")),
    # ----------------------------------------------------------------- GPG
    Entry("gpg.gradient-without-ratio", "identity", "GPG's objective (no ratio, clip or reference) has gradient "
          "(1 - 1/G) grad J", "gpg", "2.12",
          _group_estimate([GR[0] - (GR[0] + GR[1]) / 2, GR[1] - (GR[0] + GR[1]) / 2], GA[:2], GPG_DRAWS[:2]),
          Rational(1, 2) * GRAD_JS,
          conditions="one group of G = 2 on-policy samples, advantages R_i - mean (GPG eq. 6 without std)",
          references=(GPG_PAPER,)),
    Entry("gpg.degenerate-group-is-zero", "identity", "A group whose rewards are all equal contributes nothing",
          "gpg", "2.12",
          DEGENERATE[0] * _group_grad(*GROUPS[0]), 0,
          conditions="every group: equal rewards give zero advantages",
          references=(GPG_PAPER,)),
    Entry("gpg.alpha-rescales", "identity", "alpha = B/(B-M) turns the batch mean into the mean over informative "
          "groups", "gpg", "2.12",
          B / (B - M) * GSUM / B, INFORMATIVE / (B - M),
          conditions="B = 2 groups, M of them degenerate (all rewards equal); undefined when M = B (no "
                     "informative group): alpha rescales the estimate, not any advantage",
          references=(GPG_PAPER + " (alpha = B / (B - M))",)),
    Entry("mistake.gpg-alpha-keeps-expectation", "mistake", "alpha leaves the expected gradient unchanged", "gpg",
          "2.12",
          Expect(B / (B - M + Indicator(Eq(M, Integer(B)))) * GSUM / B, *GPG_DRAWS), Expect(GSUM / B, *GPG_DRAWS),
          mistake="alpha depends on the batch (through M), so it changes the expected gradient: it up-weights "
                  "batches with degenerate groups; it is not a constant learning-rate factor",
          corrects="gpg.alpha-rescales", references=(GPG_PAPER,)),
    # ----------------------------------------------------------- token MDP
    Entry("token.sequence-gradient-is-sum-of-token-terms", "identity", "Sequence-level policy gradient = sum of "
          "token-level terms", "token-mdp", "2.13",
          Grad(J(TH)), E_tau(sum_t(grad_log_pi(t)) * TrajReturn()), setting=TOKEN,
          conditions="token MDP (prefix states, deterministic transitions, reward at the end, gamma = 1): "
                     "log pi(y|x) = sum_t log pi(y_t | y_<t)",
          references=(SPINNING_UP,)),
    Entry("token.advantage-is-td-error", "identity", "With the true V, the token-level advantage is the TD error",
          "token-mdp", "2.13",
          E_tau((A_t(t) - Delta(t, true_v())) ** 2), 0, setting=TOKEN,
          conditions="deterministic transitions (the next prefix is known), so A(s_t, a_t) = delta_t on every "
                     "sequence of positive probability: the mean squared difference is 0",
          references=("GAE paper eq. 10",)),
    Entry("token.trajectory-ratio", "identity", "The sequence ratio is the product of token ratios", "token-mdp",
          "2.13",
          TrajProb(TH) / TrajProb(OLD), Product(ratio_t(t), (t, 0, T - 1)),
          setting=TOKEN, conditions="every sequence",
          references=("Sutton & Barto eq. 5.3",)),
    Entry("token.value-is-expected-reward", "identity", "V(prefix) = E[final reward | prefix]", "token-mdp", "2.13",
          V_t(t), E_tau(TrajReturn(), given=(St(t),)), setting=TOKEN,
          conditions="reward only at the end and gamma = 1",
          references=("Sutton & Barto eq. 3.12",)),
    Entry("mistake.token-advantage-td-error-stochastic", "mistake", "A = delta_t when transitions are random",
          "token-mdp", "2.13",
          E_tau((A_t(t) - Delta(t, true_v())) ** 2), 0,
          mistake="A(s_t, a_t) = delta_t holds pathwise only for deterministic transitions (a language model); "
                  "with a random next state only its expectation does",
          corrects="token.advantage-is-td-error", references=("GAE paper eq. 10",)),
    Entry("mistake.token-advantage-is-final-reward", "mistake", "Each token's advantage is the sequence reward",
          "token-mdp", "2.13",
          E_tau((A_t(t) - TrajReturn()) ** 2), 0, setting=TOKEN,
          mistake="the final reward is a return, not an advantage: it lacks the baseline V(s_t) and the "
                  "credit assignment that V(s_{t+1}) - V(s_t) gives each token",
          corrects="token.advantage-is-td-error", references=(DEEPSEEKMATH,)),
]

__all__ = ["ENTRIES"]
