"""Every reference the catalog cites: one table of constants.

A paper is cited as its constant, optionally followed by where in it
(``cite(GAE_PAPER, "eq. 16")``); equation numbers are given only where they were
checked against the paper's text, otherwise the paper is cited without one.
GitHub threads are written ``owner/repo#N``.  ``PAPERS`` and ``GITHUB`` list
the table; the tests check that every catalog reference comes from it.
"""
from __future__ import annotations

# ------------------------------------------------------------------ papers and books
SB = "Sutton & Barto, Reinforcement Learning: An Introduction (2nd ed., 2018)"
SPINNING_UP = "OpenAI Spinning Up, Intro to Policy Optimization"
SUTTON_2000 = ("Sutton, McAllester, Singh & Mansour, Policy Gradient Methods for Reinforcement Learning with "
               "Function Approximation (NeurIPS 2000)")
KAKADE_LANGFORD = "Kakade & Langford, Approximately Optimal Approximate Reinforcement Learning (ICML 2002)"
KAKADE_2003 = "Kakade, On the Sample Complexity of Reinforcement Learning (PhD thesis, 2003)"
AGARWAL_2021 = ("Agarwal, Kakade, Lee & Mahajan, On the Theory of Policy Gradient Methods: Optimality, "
                "Approximation, and Distribution Shift (JMLR 2021)")
PUTERMAN = "Puterman, Markov Decision Processes: Discrete Stochastic Dynamic Programming (1994)"
GAE_PAPER = ("Schulman et al., High-Dimensional Continuous Control Using Generalized Advantage Estimation "
             "(arXiv:1506.02438)")
TRPO_PAPER = "Schulman et al., Trust Region Policy Optimization (ICML 2015, arXiv:1502.05477)"
PPO_PAPER = "Schulman et al., Proximal Policy Optimization Algorithms (2017, arXiv:1707.06347)"
NOTA_THOMAS = "Nota & Thomas, Is the Policy Gradient a Gradient? (AAMAS 2020, arXiv:1906.07073)"
QPROP = "Gu et al., Q-Prop: Sample-Efficient Policy Gradient with an Off-Policy Critic (ICLR 2017)"
WU_2018 = "Wu et al., Variance Reduction for Policy Gradient with Action-Dependent Factorized Baselines (ICLR 2018)"
SCHULMAN_KL = "Schulman, Approximating KL Divergence (blog note, 2020)"
DEEPSEEKMATH = "Shao et al., DeepSeekMath (2024, arXiv:2402.03300)"
DAPO = "Yu et al., DAPO: An Open-Source LLM Reinforcement Learning System at Scale (2025, arXiv:2503.14476)"
DR_GRPO = "Liu et al., Understanding R1-Zero-Like Training: A Critical Perspective (Dr. GRPO, 2025, arXiv:2503.20783)"
GPG_PAPER = ("Chu et al., GPG: A Simple and Strong Reinforcement Learning Baseline for Model Reasoning "
             "(2025, arXiv:2504.02546)")
LOO = "Kool et al., Buy 4 REINFORCE Samples, Get a Baseline for Free! (2019)"
# issue 13, topics kl-penalty, whitening, ppo-practice, truncation, entropy.  Places checked against the papers'
# text: Ziegler eq. 2 = R = r - beta log(pi/rho); InstructGPT eq. 2 = the RL objective with the KL in the reward;
# DeepSeekMath eq. 2 = the per-token KL reward, eq. 3 = the GRPO objective, eq. 4 = k3; PPO eq. 2 = L^PG,
# eq. 6 = L^CPI, eq. 7 = L^CLIP, eq. 9 = L^{CLIP+VF+S}; TRPO eq. 14 = the importance-sampled objective; SB 2018
# eq. 7.1 = the n-step return, eq. 13.8 = REINFORCE; GAE eq. 10 = E[delta] = A; SAC (ICML) eq. 3 = the soft
# value, eq. 4 = the KL projection, Lemma 2 = soft policy improvement; soft Q-learning Theorem 1 (eqs. 4-6),
# eq. 15 = Q_soft of a policy, eqs. 18-19 = the one-state bound (proof of Theorem 4).  Dual-clip PPO's and
# Engstrom et al.'s equation numbers were not confirmed: cited without one.
ZIEGLER_2019 = "Ziegler et al., Fine-Tuning Language Models from Human Preferences (2019, arXiv:1909.08593)"
INSTRUCTGPT = ("Ouyang et al., Training Language Models to Follow Instructions with Human Feedback "
               "(InstructGPT, NeurIPS 2022, arXiv:2203.02155)")
PPO_37_DETAILS = "Huang et al., The 37 Implementation Details of Proximal Policy Optimization (ICLR Blog Track, 2022)"
RLHF_N_DETAILS = ("Huang et al., The N+ Implementation Details of RLHF with PPO: A Case Study on TL;DR "
                  "Summarization (2024, arXiv:2403.17031)")
ENGSTROM_2020 = ("Engstrom et al., Implementation Matters in Deep Policy Gradients: A Case Study on PPO and TRPO "
                 "(ICLR 2020, arXiv:2005.12729)")
DUAL_CLIP = ("Ye et al., Mastering Complex Control in MOBA Games with Deep Reinforcement Learning "
             "(dual-clip PPO, AAAI 2020, arXiv:1912.09729)")
PARDO_2018 = "Pardo, Tavakoli, Levdik & Kormushev, Time Limits in Reinforcement Learning (ICML 2018, arXiv:1712.00378)"
SAC_PAPER = ("Haarnoja, Zhou, Abbeel & Levine, Soft Actor-Critic: Off-Policy Maximum Entropy Deep Reinforcement "
             "Learning with a Stochastic Actor (ICML 2018, arXiv:1801.01290)")
SOFT_Q = ("Haarnoja, Tang, Abbeel & Levine, Reinforcement Learning with Deep Energy-Based Policies "
          "(soft Q-learning, ICML 2017, arXiv:1702.08165)")
A3C_PAPER = "Mnih et al., Asynchronous Methods for Deep Reinforcement Learning (ICML 2016, arXiv:1602.01783)"
# issue 13, topics gamma-just, traces, group-baselines, off-policy (derive/catalog/statements/{gamma_just,traces,
# group_baselines,off_policy}.md).  Places checked against the texts: GAE section 2 = eq. 6 (g^gamma), Definition 1
# (eq. 7, gamma-just), Proposition 1, footnote 1 (g^gamma is biased for the undiscounted gradient); section 3 = eq. 10
# (E[delta^{V^{pi,gamma}}] = A^{pi,gamma}), eq. 16 (GAE), eqs. 17-18 (lambda = 0, 1); SB 2018 eq. 9.2 (eta), eq. 9.3
# (mu), section 13.2 and its proof box (constant = mean episode length), eq. 13.5, eq. 12.4 (offline lambda-return
# algorithm), eq. 12.5 (accumulating trace), section 12.2 (TD(lambda), TD(1); Exercises 12.3-12.4: offline sums
# agree), sections 12.4-12.5 (online lambda-return, true online TD(lambda)), section 5.9 (per-decision IS, credited
# there to Precup, Sutton & Singh 2000); SB 1998 section 7.4 (equivalence of forward and backward views); IMPALA
# section 4.1 (V-trace target, truncated weights, pi_rho-bar), section 4.2 (policy gradient with rho_s), Appendix A.1
# (Theorem 1: fixed point V^{pi_rho-bar}; its proof is the one-step identity); DeepSeekMath section 4.1.2 (outcome
# supervision, (r - mean) / std).  RLOO, Kool et al., ReMax, REINFORCE++, Retrace, Sutton 1988 and Yao et al. are
# cited without a place.
SB_1998 = "Sutton & Barto, Reinforcement Learning: An Introduction (1st ed., 1998)"
SUTTON_1988 = "Sutton, Learning to Predict by the Methods of Temporal Differences (Machine Learning 3, 1988)"
RLOO = ("Ahmadian et al., Back to Basics: Revisiting REINFORCE Style Optimization for Learning from Human Feedback "
        "in LLMs (RLOO, ACL 2024, arXiv:2402.14740)")
REMAX = ("Li et al., ReMax: A Simple, Effective, and Efficient Reinforcement Learning Method for Aligning Large "
         "Language Models (ICML 2024, arXiv:2310.10505)")
REINFORCE_PP = ("Hu et al., REINFORCE++ (arXiv:2501.03262, 2025; v1 by Hu: A Simple and Efficient Approach for "
                "Aligning Large Language Models; later versions by Hu, Liu, Xu & Shen: Stabilizing Critic-Free Policy "
                "Optimization with Global Advantage Normalization)")
PRECUP_2000 = "Precup, Sutton & Singh, Eligibility Traces for Off-Policy Policy Evaluation (ICML 2000)"
IMPALA = ("Espeholt et al., IMPALA: Scalable Distributed Deep-RL with Importance Weighted Actor-Learner "
          "Architectures (V-trace, ICML 2018, arXiv:1802.01561)")
RETRACE = ("Munos, Stepleton, Harutyunyan & Bellemare, Safe and Efficient Off-Policy Reinforcement Learning "
           "(Retrace, NeurIPS 2016, arXiv:1606.02647)")
YAO_TIS = ("Yao, Liu, Zhang, Dong, Shang & Gao, Your Efficient RL Framework Secretly Brings You Off-Policy RL "
           "Training (blog post, August 2025, fengyao.notion.site/off-policy-rl: truncated importance sampling for "
           "the sampler/trainer mismatch)")

# issue 13, topic dpo (derive/catalog/statements/dpo.md): eq. 1 (Bradley-Terry), eq. 3 (the KL-regularised
# objective), eq. 4 (its optimum pi_r), eq. 5 (the reward in terms of pi_r and Z), eq. 6 (Z cancels), eq. 7 (the
# DPO loss), Appendix A.1 (deriving eq. 4), section 4 paragraph "What does the DPO update do?" (the gradient),
# section 5.1 (Definition 1, Lemma 1: equivalent rewards give the same Plackett-Luce/Bradley-Terry preferences).
# Topic llm-objectives (llm_objectives.md): DAPO section 3.1 "Raise the Ceiling: Clip-Higher", 3.2 "The More the
# Merrier: Dynamic Sampling", 3.3 "Rebalancing Act: Token-Level Policy Gradient Loss" (checked in dapo_paper.pdf of
# BytedTsinghua-SIA/DAPO); Dr. GRPO section 3.1 "GRPO Leads to Biased Optimization" (its eq. 3 = GRPO's objective;
# response-level length bias; Listing 1: masked_mean over a constant MAX_TOKENS), section 3.2 "Dr. GRPO: Group
# Relative Policy Optimization Done Right" (checked in the paper's pre-arXiv PDF in sail-sg/understand-r1-zero).
DPO_PAPER = ("Rafailov, Sharma, Mitchell, Ermon, Manning & Finn, Direct Preference Optimization: Your Language "
             "Model is Secretly a Reward Model (NeurIPS 2023, arXiv:2305.18290)")
# issue 13, topic natural-gradient (derive/catalog/statements/natural_gradient.md): Kakade 2001 is cited for
# Theorem 1 (compatible function approximation: w~ = F(theta)^{-1} grad eta) and the definition of F(theta);
# Agarwal et al. 2021 and TRPO are cited without a place (no section or equation number was confirmed against
# their text in this session).
KAKADE_2001 = "Kakade, A Natural Policy Gradient (NeurIPS 2001)"

PAPERS = (SB, SPINNING_UP, SUTTON_2000, KAKADE_LANGFORD, KAKADE_2003, AGARWAL_2021, PUTERMAN, GAE_PAPER, TRPO_PAPER,
          PPO_PAPER, NOTA_THOMAS, QPROP, WU_2018, SCHULMAN_KL, DEEPSEEKMATH, DAPO, DR_GRPO, GPG_PAPER, LOO,
          ZIEGLER_2019, INSTRUCTGPT, PPO_37_DETAILS, RLHF_N_DETAILS, ENGSTROM_2020, DUAL_CLIP, PARDO_2018,
          SAC_PAPER, SOFT_Q, A3C_PAPER,
          SB_1998, SUTTON_1988, RLOO, REMAX, REINFORCE_PP, PRECUP_2000, IMPALA, RETRACE, YAO_TIS, DPO_PAPER, KAKADE_2001)

# ------------------------------------------------------------------ GitHub threads (owner/repo#N)
TRL_3256 = "huggingface/trl#3256"  # token-level loss normalisation
TRL_4637 = "huggingface/trl#4637"  # the gradient of the k3 KL term
TRL_4638 = "huggingface/trl#4638"  # PR: k3 with the importance ratio
OPEN_INSTRUCT_530 = "allenai/open-instruct#530"  # the k3 KL gradient thread
VERL_957 = "volcengine/verl#957"  # loss aggregation modes
UNDERSTAND_R1_10 = "sail-sg/understand-r1-zero#10"  # Dr. GRPO: response-level length bias (the authors point
#   to #10 and #11 for it, in sail-sg/understand-r1-zero#25)
PEARL_46 = "facebookresearch/Pearl#46"  # REINFORCE without gamma^t, deliberately
RLLAB_50 = "rll/rllab#50"  # the discounted estimator for the undiscounted objective
GYM_1402 = "openai/gym#1402"  # PR: info["TimeLimit.truncated"], a time limit is not a terminal state
SB3_633 = "DLR-RM/stable-baselines3#633"  # on-policy timeouts: the reward becomes r + gamma V(s') at a time limit
OPEN_INSTRUCT_535 = "allenai/open-instruct#535"  # PR "GRPO loss fix": the k1 estimator as a loss ignores the reference

GITHUB = (TRL_3256, TRL_4637, TRL_4638, OPEN_INSTRUCT_530, VERL_957, UNDERSTAND_R1_10, PEARL_46, RLLAB_50,
          GYM_1402, SB3_633, OPEN_INSTRUCT_535)


def cite(paper: str, where: str = "") -> str:
    """A reference to ``paper`` (a constant of this table), optionally with a place in it: 'eq. 16'."""
    assert paper in PAPERS, paper
    return f"{paper}, {where}" if where else paper


def reference_keys() -> dict:
    """Cite key -> reference text: every constant of this table listed in PAPERS or GITHUB."""
    table = set(PAPERS) | set(GITHUB)
    return {k: v for k, v in globals().items() if k.isupper() and isinstance(v, str) and v in table}
