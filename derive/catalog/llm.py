"""GRPO, GPG and the token-level MDP of a language model (added sections 2.11 to 2.13).

Group estimators are checked on a one-step problem (a bandit at a state s, the
setting of one prompt): a group of G completions a_1..a_G ~ pi_theta(.|s), i.i.d.,
with rewards f(s, a_i) (an arbitrary function), and J_s = E_{a~pi}[f(s,a)].
The token MDP is derive's instance family "token": states are prefixes, an action
appends a token, transitions are deterministic, the reward is paid at the end, gamma = 1.
"""
from __future__ import annotations

from sympy import Eq, Gt, Integer, Product, Rational, Sum, sqrt

from ..lang.nodes import Delta, Expect, Grad, Indicator, Inner, J, PolicyDraw, TrajProb, TrajReturn, true_v
from ..lang.symbols import ActionVar, T, k, n, s, s2, t
from .build import OLD, TH, A_t, At, E_tau, V_t, f, grad_log, grad_log_pi, ratio_t, St, sum_t
from .entry import Entry
from .references import (DAPO, DEEPSEEKMATH, DR_GRPO, GAE_PAPER, GPG_PAPER, LOO, SB, SPINNING_UP, TRL_3256,
                         UNDERSTAND_R1_10, VERL_957, cite)

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


def _normalised(rewards):
    """GRPO's advantages (R_i - mean) / std, with the population std; 0 when all rewards are equal."""
    mean = sum(rewards) / len(rewards)
    std = sqrt(sum((r - mean) ** 2 for r in rewards) / len(rewards))
    return [(r - mean) / (std + Indicator(Eq(std, Integer(0)))) for r in rewards]


# Binary (verifiable) rewards: R = [f(s, a) > 0] in {0, 1}; p_s = P(R = 1) = J_s.  G4 = 4 completions per prompt.
G4 = 4
B_ACTS = [ActionVar("a" + "'" * i) for i in range(G4)]


def _binary_group(state, acts):
    """(1/G) sum_i grad log pi(a_i|state) A_i with GRPO's std-normalised advantages of 0/1 rewards."""
    rewards = [Indicator(Gt(f("f", state, a), 0)) for a in acts]
    return sum(grad_log(a, state) * adv for a, adv in zip(acts, _normalised(rewards))) / len(acts)


def _p_success(state):
    return Expect(Indicator(Gt(f("f", state, ActionVar("b")), 0)), PolicyDraw(ActionVar("b"), TH, state))


def _c4(state):
    """c_4(p) = sqrt 3 - (2 sqrt 3 - 3) p (1 - p): the factor of grad p in E[g_std] for G = 4 and 0/1 rewards."""
    p = _p_success(state)
    return sqrt(3) - (2 * sqrt(3) - 3) * p * (1 - p)


C_G = ("c_G(p) = sum_{j=0}^{G-1} C(G-1, j) p^j (1-p)^(G-1-j) [sqrt((G-1-j)/(j+1)) + sqrt(j/(G-j))] >= 0 "
       "(j = successes among the other G - 1 completions); c_2 = 1, c_3 = sqrt 2, "
       "c_4 = sqrt 3 - (2 sqrt 3 - 3) p (1 - p); c_G(p) -> 1/sqrt(p (1 - p)) as G -> infinity")

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
ALPHA = B / (B - M + Indicator(Eq(M, Integer(B))))  # B / (B - M); the estimate is 0 when M = B (every g_b = 0)
Q_INFORMATIVE = Expect(1 - DEGENERATE[0], *GPG_DRAWS[:2])  # q = P(a group's two rewards differ)

U_ACTS = [ActionVar("a" + "'" * i) for i in range(G4)]  # prompt s: a, a', a'', a''' (the readable action names)
W_ACTS = [ActionVar("b" + "'" * i) for i in range(G4)]  # prompt s': b, b', b'', b'''
REAL = "real-valued rewards R_i = f(s, a_i) (an arbitrary function; with 0/1 rewards see grpo.std-binary-keeps-direction)"
GRPO_REF = cite(DEEPSEEKMATH, "GRPO")

ENTRIES = [
    # ---------------------------------------------------------------- GRPO
    Entry("grpo.mean-baseline-shrinks", "identity", "A group-mean baseline that includes the sample gives "
          "(1 - 1/G) grad J", "grpo", "2.11",
          _group_estimate([r - MEAN for r in REWARDS]), (1 - Rational(1, G)) * GRAD_JS,
          conditions=f"G = {G} i.i.d. completions of one prompt; the mean includes R_i itself, which correlates "
                     "with a_i",
          references=(GRPO_REF, cite(LOO))),
    Entry("grpo.leave-one-out", "identity", "The leave-one-out baseline removes the factor", "grpo", "2.11",
          _group_estimate([r - (sum(REWARDS) - r) / (G - 1) for r in REWARDS]), GRAD_JS,
          conditions=f"G = {G}; the baseline of sample i averages the other G - 1 rewards (independent of a_i)",
          references=(cite(LOO),)),
    Entry("grpo.normalised-advantages-sum-zero", "identity", "Group-normalised advantages sum to 0", "grpo", "2.11",
          sum(NORMALISED), 0,
          conditions=f"G = {G}, every group; A_i = (R_i - mean) / std with the population std (A_i = 0 when all "
                     "rewards are equal); std involves a square root (float64, tolerance 1e-9)",
          references=(GRPO_REF,)),
    Entry("grpo.normalised-advantages-unit-variance", "identity", "Group-normalised advantages have squares "
          "summing to G", "grpo", "2.11",
          sum(x ** 2 for x in NORMALISED), G * (1 - Indicator(Eq(STD, Integer(0)))),
          conditions=f"G = {G}, every group whose rewards are not all equal (sum_i A_i^2 = G: the population "
                     "variance of the A_i is 1); 0 when all rewards are equal; float64, tolerance 1e-9",
          references=(GRPO_REF,)),
    Entry("grpo.std-binary-keeps-direction", "identity", "With 0/1 rewards, std normalisation keeps the direction "
          "within a prompt: E[g_std] = c_G(p) grad p", "grpo", "2.11",
          Expect(_binary_group(s, U_ACTS), *[PolicyDraw(a, TH, s) for a in U_ACTS]),
          _c4(s) * Grad(_p_success(s)),
          conditions=f"G = {G4} i.i.d. completions of one prompt s, binary rewards R_i = [f(s, a_i) > 0], "
                     f"p = P(R = 1) = J_s; population std, A_i = 0 when all rewards are equal. {C_G}. "
                     "Float64 (square roots), tolerance 1e-9",
          references=(GRPO_REF, cite(DR_GRPO))),
    Entry("grpo.std-binary-two-prompts", "identity", "With 0/1 rewards, std normalisation re-weights prompts by "
          "c_G(p_s) (about 1/sigma_p for large G)", "grpo", "2.11",
          Expect(_binary_group(s, U_ACTS), *[PolicyDraw(a, TH, s) for a in U_ACTS])
          + Expect(_binary_group(s2, W_ACTS), *[PolicyDraw(a, TH, s2) for a in W_ACTS]),
          _c4(s) * Grad(_p_success(s)) + _c4(s2) * Grad(_p_success(s2)),
          conditions=f"two prompts s, s' with G = {G4} independent completions each and 0/1 rewards: the batch "
                     "estimate g_s + g_s' has expectation E[g_s] + E[g_s'] (linearity; written so) = "
                     "sum_s c_G(p_s) grad p_s, not a common multiple of grad (p_s + p_s'); "
                     f"{C_G}, so prompts with p near 0 or 1 (small sigma_p) weigh more. Float64, tolerance 1e-9",
          references=(cite(DR_GRPO),)),
    Entry("grpo.token-level-weights", "identity", "Token-level aggregation weights a sequence by its length",
          "grpo", "2.11",
          (Sum(f("h", St(t)), (t, 0, k - 1)) + Sum(f("g", St(t)), (t, 0, n - 1))) / (k + n),
          k / (k + n) * (Sum(f("h", St(t)), (t, 0, k - 1)) / k) + n / (k + n) * (Sum(f("g", St(t)), (t, 0, n - 1)) / n),
          conditions="two sequences of lengths k and n with per-token losses h and g: the token-level mean "
                     "(1 / sum_j |o_j|, DAPO's loss) gives sequence i the weight |o_i| / sum_j |o_j|; the "
                     "sequence-level mean (GRPO) gives 1/G; Dr. GRPO divides the token sum by a constant instead",
          ranges=((k, 1, T), (n, 1, T)),
          references=(cite(DAPO), cite(DR_GRPO), TRL_3256, VERL_957)),
    Entry("mistake.grpo-std-rescales", "mistake", "With real-valued rewards, dividing by the group std only "
          "rescales the gradient", "grpo", "2.11",
          _group_estimate(NORMALISED),
          (1 - Rational(1, G)) * GRAD_JS / sqrt(
              Expect(f("f", s, ActionVar("b")) ** 2, PolicyDraw(ActionVar("b"), TH, s))
              - Expect(f("f", s, ActionVar("b")), PolicyDraw(ActionVar("b"), TH, s)) ** 2),
          mistake=f"with {REAL}, std normalisation is not a rescaling by the reward std: the per-group std is "
                  "random and correlated with the samples, so it changes the expected gradient",
          corrects="grpo.mean-baseline-shrinks", references=(cite(DR_GRPO),)),
    Entry("mistake.grpo-std-keeps-direction", "mistake", "With real-valued rewards, std normalisation keeps the "
          "direction of the gradient", "grpo", "2.11",
          Inner(_group_estimate(NORMALISED), GRAD_JS) ** 2,
          Inner(_group_estimate(NORMALISED), _group_estimate(NORMALISED)) * Inner(GRAD_JS, GRAD_JS),
          mistake=f"with {REAL}, E[g_std] is not even parallel to grad J_s: <g, grad J>^2 = |g|^2 |grad J|^2 "
                  "(Cauchy-Schwarz equality) fails, because each action is re-weighted by how spread its "
                  "group's rewards are; with 0/1 rewards the direction IS kept within a prompt",
          corrects="grpo.mean-baseline-shrinks", references=(cite(DR_GRPO),)),
    Entry("mistake.token-equals-sequence-mean", "mistake", "Token-level and sequence-level means agree", "grpo",
          "2.11",
          (Sum(f("h", St(t)), (t, 0, k - 1)) + Sum(f("g", St(t)), (t, 0, n - 1))) / (k + n),
          (Sum(f("h", St(t)), (t, 0, k - 1)) / k + Sum(f("g", St(t)), (t, 0, n - 1)) / n) / 2,
          ranges=((k, 1, T), (n, 1, T)),
          mistake="they agree only when all sequences have the same length; otherwise long sequences weigh more "
                  "in the token-level mean (DAPO's loss)",
          corrects="grpo.token-level-weights", references=(cite(DAPO), cite(DR_GRPO), UNDERSTAND_R1_10)),
    # ----------------------------------------------------------------- GPG
    Entry("gpg.gradient-without-ratio", "identity", "GPG's objective (no ratio, clip or reference) has gradient "
          "(1 - 1/G) grad J", "gpg", "2.12",
          _group_estimate([GR[0] - (GR[0] + GR[1]) / 2, GR[1] - (GR[0] + GR[1]) / 2], GA[:2], GPG_DRAWS[:2]),
          Rational(1, 2) * GRAD_JS,
          conditions="one group of G = 2 on-policy samples, advantages R_i - mean (GPG's advantage without std)",
          references=(cite(GPG_PAPER),)),
    Entry("gpg.degenerate-group-is-zero", "identity", "A group whose rewards are all equal contributes nothing",
          "gpg", "2.12",
          DEGENERATE[0] * _group_grad(*GROUPS[0]), 0,
          conditions="every group: equal rewards give zero advantages",
          references=(cite(GPG_PAPER),)),
    Entry("gpg.alpha-rescales", "identity", "alpha = B/(B-M) turns the batch mean into the mean over informative "
          "groups", "gpg", "2.12",
          B / (B - M) * GSUM / B, INFORMATIVE / (B - M),
          conditions="B = 2 groups, M of them degenerate (all rewards equal); undefined when M = B (no "
                     "informative group). GPG's claim: alpha compensates for the zero-gradient groups (a bias "
                     "correction of the batch mean); exactly, it averages over the informative groups only",
          references=(cite(GPG_PAPER, "alpha = B / (B - M)"),)),
    Entry("gpg.alpha-expectation", "identity", "alpha multiplies the expected gradient by P(M < B) / q: the mean "
          "gradient of an informative group", "gpg", "2.12",
          Expect(ALPHA * GSUM / B, *GPG_DRAWS), (2 - Q_INFORMATIVE) * Expect(GSUM / B, *GPG_DRAWS),
          conditions="B = 2 i.i.d. groups of G = 2 completions of one prompt; q = P(a group is informative); "
                     "the estimate is 0 when M = B. In general E[alpha g_bar] = P(M < B) E[g_b | b informative] "
                     "= ((1 - (1 - q)^B) / q) E[g_bar], which is 2 - q for B = 2: a factor that depends on theta "
                     "and the prompt (about 1/q for large B), not a constant",
          references=(cite(GPG_PAPER),)),
    Entry("mistake.gpg-alpha-unbiased", "mistake", "alpha = B/(B-M) makes the batch gradient an unbiased policy "
          "gradient", "gpg", "2.12",
          Expect(ALPHA * GSUM / B, *GPG_DRAWS), Rational(1, 2) * GRAD_JS,
          mistake="the plain batch mean is already unbiased for (1 - 1/G) grad J_s (degenerate groups contribute 0 "
                  "to the expectation as well as to the sample); alpha depends on the batch through M and "
                  "multiplies the expectation by P(M < B) / q (2 - q for B = 2): alpha g_bar estimates the mean "
                  "gradient of an informative group, a prompt-dependent re-weighting, not grad J_s",
          corrects="gpg.alpha-expectation", references=(cite(GPG_PAPER),)),
    # ----------------------------------------------------------- token MDP
    Entry("token.sequence-gradient-is-sum-of-token-terms", "identity", "Sequence-level policy gradient = sum of "
          "token-level terms", "token-mdp", "2.13",
          Grad(J(TH)), E_tau(sum_t(grad_log_pi(t)) * TrajReturn()), setting=TOKEN,
          conditions="token MDP (prefix states, deterministic transitions, reward at the end, gamma = 1): "
                     "log pi(y|x) = sum_t log pi(y_t | y_<t)",
          references=(cite(SPINNING_UP, "Deriving the simplest policy gradient"),)),
    Entry("token.advantage-is-td-error", "identity", "With the true V, the token-level advantage is the TD error",
          "token-mdp", "2.13",
          E_tau((A_t(t) - Delta(t, true_v())) ** 2), 0, setting=TOKEN,
          conditions="deterministic transitions (the next prefix is known), so A(s_t, a_t) = delta_t on every "
                     "sequence of positive probability: the mean squared difference is 0",
          references=(cite(GAE_PAPER, "eq. 10"),)),
    Entry("token.trajectory-ratio", "identity", "The sequence ratio is the product of token ratios", "token-mdp",
          "2.13",
          TrajProb(TH) / TrajProb(OLD), Product(ratio_t(t), (t, 0, T - 1)),
          setting=TOKEN, conditions="every sequence",
          references=(cite(SB, "eq. 5.3"),)),
    Entry("token.value-is-expected-reward", "identity", "V(prefix) = E[final reward | prefix]", "token-mdp", "2.13",
          V_t(t), E_tau(TrajReturn(), given=(St(t),)), setting=TOKEN,
          conditions="reward only at the end and gamma = 1",
          references=(cite(SB, "eq. 3.12"),)),
    Entry("token.return-minus-value-is-advantage", "identity", "The sequence reward minus V(s_t) is an unbiased "
          "advantage estimate", "token-mdp", "2.13",
          E_tau(TrajReturn() - V_t(t), given=(St(t), At(t))), A_t(t), setting=TOKEN,
          conditions="token MDP, gamma = 1, reward only at the end, so R(tau) = G_t: E[R(tau) - V(s_t) | s_t, a_t] "
                     "= Q(s_t, a_t) - V(s_t) = A(s_t, a_t). GRPO's (R_i - mean)/std plays this role with a group "
                     "estimate of V (the mean part is unbiased up to the factor 1 - 1/G, grpo.mean-baseline-shrinks)",
          references=(cite(SPINNING_UP, "Other forms of the policy gradient"), GRPO_REF)),
    Entry("mistake.token-advantage-td-error-stochastic", "mistake", "A = delta_t when transitions are random",
          "token-mdp", "2.13",
          E_tau((A_t(t) - Delta(t, true_v())) ** 2), 0,
          mistake="A(s_t, a_t) = delta_t holds pathwise only for deterministic transitions (a language model); "
                  "with a random next state only its expectation does",
          corrects="token.advantage-is-td-error", references=(cite(GAE_PAPER, "eq. 10"),)),
    Entry("mistake.token-advantage-pathwise", "mistake", "R(tau) - V(s_t) equals the advantage on every sequence",
          "token-mdp", "2.13",
          E_tau((A_t(t) - (TrajReturn() - V_t(t))) ** 2), 0, setting=TOKEN,
          mistake="R(tau) - V(s_t) is an unbiased estimate of A(s_t, a_t), equal to it only in expectation given "
                  "(s_t, a_t): on a single sequence it also carries the luck of the later tokens (only at the "
                  "last token, or when the continuation is deterministic, are they equal)",
          corrects="token.return-minus-value-is-advantage", references=(cite(SPINNING_UP, "Other forms of the policy gradient"),)),
]

__all__ = ["ENTRIES"]
