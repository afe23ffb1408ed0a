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

PAPERS = (SB, SPINNING_UP, SUTTON_2000, KAKADE_LANGFORD, KAKADE_2003, AGARWAL_2021, PUTERMAN, GAE_PAPER, TRPO_PAPER,
          PPO_PAPER, NOTA_THOMAS, QPROP, WU_2018, SCHULMAN_KL, DEEPSEEKMATH, DAPO, DR_GRPO, GPG_PAPER, LOO)

# ------------------------------------------------------------------ GitHub threads (owner/repo#N)
TRL_3256 = "huggingface/trl#3256"  # token-level loss normalisation
TRL_4637 = "huggingface/trl#4637"  # the gradient of the k3 KL term
TRL_4638 = "huggingface/trl#4638"  # PR: k3 with the importance ratio
OPEN_INSTRUCT_530 = "allenai/open-instruct#530"  # the k3 KL gradient thread
VERL_957 = "volcengine/verl#957"  # loss aggregation modes
UNDERSTAND_R1_10 = "sail-sg/understand-r1-zero#10"  # Dr. GRPO: length normalisation
PEARL_46 = "facebookresearch/Pearl#46"  # REINFORCE without gamma^t, deliberately
RLLAB_50 = "rll/rllab#50"  # the discounted estimator for the undiscounted objective

GITHUB = (TRL_3256, TRL_4637, TRL_4638, OPEN_INSTRUCT_530, VERL_957, UNDERSTAND_R1_10, PEARL_46, RLLAB_50)


def cite(paper: str, where: str = "") -> str:
    """A reference to ``paper`` (a constant of this table), optionally with a place in it: 'eq. 16'."""
    assert paper in PAPERS, paper
    return f"{paper}, {where}" if where else paper


def reference_keys() -> dict:
    """Cite key -> reference text: every constant of this table listed in PAPERS or GITHUB."""
    table = set(PAPERS) | set(GITHUB)
    return {k: v for k, v in globals().items() if k.isupper() and isinstance(v, str) and v in table}
