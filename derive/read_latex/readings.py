"""Every reading of the notation, registered from this one place, in this one order.

Importing a notation module files its readings in :mod:`derive.read_latex.registry`; a later
module may wrap an earlier reading of the same name (it keeps the earlier one and falls back to
it), so the order below is part of the notation: the core letters and the MDP first, then the
operators, then each author's spellings (issue 10).  The package's ``__init__`` imports this
module.  (Absolute imports: ``from . import x`` would also name the package itself, whose
``__init__`` imports this module.)
"""
from __future__ import annotations

import derive.read_latex.notation  # noqa: F401  s, a, t, T, r_t, \gamma, \pi(a|s), P(s'|s,a), \rho_0, R(\tau), G_t, KL, clip
import derive.read_latex.value_functions  # noqa: F401  V^\pi, Q^\pi, A^\pi, d^\pi, J, \delta_t, \hat{A}_t
import derive.read_latex.notation_policies  # noqa: F401  \tilde\pi, \eta(\pi), \bar{R}_\theta, L_\pi(\tilde\pi), \mu, \beta
import derive.read_latex.notation_sb  # noqa: F401  Sutton & Barto: p(s', r|s, a), v_\pi, q_\pi, S_t, A_t, R_{t+1}
import derive.read_latex.operators  # noqa: F401  sums, products, max/min, log, exp, \nabla, bars
import derive.read_latex.notation_matrices  # noqa: F401  \nabla^2_\theta, x^\top, u v^\top, M^\dagger
import derive.read_latex.bars_unopened  # noqa: F401  X\big|_{\theta=\theta'} without its opening
import derive.read_latex.notation_traj  # noqa: F401  trajectories: P(\tau|\theta), p_\theta(\tau), \rho_\pi
import derive.read_latex.notation_tokens  # noqa: F401  token-level names
import derive.read_latex.expectations  # noqa: F401  \mathbb{E}_{x \sim p}[X], E_\tau, E_{\pi}[X | s_t = s]
import derive.read_latex.notation_notes  # noqa: F401  lecture-note spellings: P(s', r|s, a), s ~ d^\pi(s)
import derive.read_latex.notation_values  # noqa: F401  \eta(s), \mu(s), critics, U, n-step returns, d_0, b
import derive.read_latex.notation_baseline  # noqa: F401  b_t: the baseline b(s_t) (R7)
import derive.read_latex.notation_example_numbers  # noqa: F401  p_1, p_2 without arguments: an example's numbers (R7)
import derive.read_latex.integrals  # noqa: F401  \int_{s_0} ... ds_0
import derive.read_latex.variance  # noqa: F401  \operatorname{Var}
import derive.read_latex.notation_defined  # noqa: F401  \phi, \omega, \sigma defined by the file
import derive.read_latex.kstep  # noqa: F401  \rho^\pi(s \to x, k) (S&B 13.2)
import derive.read_latex.notation_episodic  # noqa: F401  d^\pi, J when episodic
import derive.read_latex.notation_from1  # noqa: F401  horizon: from-1, p(s_1) = \rho_0
import derive.read_latex.notation_llm  # noqa: F401  \pi_\theta(y|x), r(x, y) on the token MDP
import derive.read_latex.notation_dpo  # noqa: F401  DPO's \pi^*, r^*, y_1/y_2, p^*(y_1 \succ y_2|x), \sigma
import derive.read_latex.notation_objectives  # noqa: F401  \max_\theta F, \mathbb{D}_{KL}[\pi(y|x) \| Q]
import derive.read_latex.notation_groups  # noqa: F401  GRPO's o_{i,t}, o_{i,<t}, r_{i,t}(\theta), one output
import derive.read_latex.notation_grpo_group  # noqa: F401  group: G, G i.i.d. completions at one state
import derive.read_latex.group_sums  # noqa: F401  \sum_{j=1, j\neq i}^G, \text{mean}(r_1, \cdots, r_G) (group: G)
import derive.read_latex.notation_group_advantage  # noqa: F401  A_i^{RLOO}; A_i under advantage: group (R10)
import derive.read_latex.notation_rewards  # noqa: F401  p(r|s,a) summed over \mathcal{R}(s,a)
import derive.read_latex.notation_silver  # noqa: F401  Silver's lecture 2: \mathcal{R}_s^a, \mathcal{P}_{ss'}^a, R^\pi_s, P^\pi_{ss'}
import derive.read_latex.notation_greedy  # noqa: F401  \pi'(s) \doteq \arg\max_a q_\pi(s,a): the greedy policy (S&B eq. 4.9)
import derive.read_latex.conditioned_action  # noqa: F401  \mathbb{E}[X \mid S_t = s, A_t = \pi'(s)] (S&B eq. 4.8 proof)
import derive.read_latex.notation_discount_label  # noqa: F401  V^{\pi,\gamma}, A^{\pi,\gamma} (GAE paper, sec. 2)
import derive.read_latex.notation_one_policy  # noqa: F401  A_t in a file about one policy: A^{\pi_\theta}(s_t, a_t)
import derive.read_latex.notation_scores  # noqa: F401  r_\theta(y|x) without family: token: a free real score
import derive.read_latex.notation_preference  # noqa: F401  P(i > j), p(y_w \succ y_l|x): Bradley-Terry (R10)
import derive.read_latex.notation_start  # noqa: F401  P(s_0), \Pr(s_0): \rho_0(s_0)
import derive.read_latex.notation_sample_space  # noqa: F401  P(x), Q(x), X: importance sampling with capitals
import derive.read_latex.reward_draws  # noqa: F401  r \sim p(r|s,a), r \sim p(r|s), s' \sim p(s'|s), \sum_r p_\pi(r|s) r
import derive.read_latex.pair_integrals  # noqa: F401  \int_{(s_t, a_t)} X p_\theta(s_t, a_t) ds_t da_t (x_t, u_t alike)
import derive.read_latex.notation_control  # noqa: F401  x_t, u_t as s_t, a_t (control notation, inferred); u elsewhere refused
import derive.read_latex.notation_sb1998  # noqa: F401  R^a_{ss'} (Sutton & Barto 1998): R(s, a, s')
import derive.read_latex.notation_traj_p  # noqa: F401  p(\tau;\theta), p(\tau|\pi_\theta), p_0(s_0)
import derive.read_latex.notation_visitation  # noqa: F401  TRPO's \rho_{\theta_{old}}(s) (R11)
import derive.read_latex.joint_density  # noqa: F401  p_\theta(x_0, u_0, \ldots, u_T), p_\theta(u_1 | x_0, u_0, x_1): a run of the trajectory's variables (R11)
import derive.read_latex.free_quantities  # noqa: F401  K, \phi(s) used without a definition: free quantities, when the reader names them (R9)
import derive.read_latex.notation_example  # noqa: F401  s_a, s_b (named states), p_1, r_1, G_a: a worked example's (R8)
import derive.read_latex.notation_mrp_pairs  # noqa: F401  p_{ss'}, r_{ss'}: an MRP's transition and its reward (R8)
