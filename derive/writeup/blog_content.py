"""What derive inserts into the blog: the equations, notes and added sections, in the blog's language.

``NICE`` gives hand-written LaTeX for catalog statements (the same statement as
the entry, easier to read than SymPy's print).  ``INSERTS`` maps an anchor line
of the author's text to what follows it; ``PPO_SECTIONS`` are the sections
derive adds after 2.8.4.  The item kinds are described in :mod:`derive.writeup.blog`.
"""
from __future__ import annotations

# Nicer LaTeX for catalog statements (same statement as the entry; the entry's own LaTeX is
# printed by SymPy and is harder to read).
NICE = {
    "return.whole-is-g0": r"R(\tau) = \sum_{t=0}^{T-1} \gamma^t r_t = G_0",
    "return.discounted-peel": r"R(\tau) = r_0 + \gamma \sum_{t=1}^{T-1} \gamma^{t-1} r_t",
    "trajectory.factorisation": r"P(\tau \mid \theta) = \rho_0(s_0) \prod_{t=0}^{T-1} \pi_\theta(a_t \mid s_t)\, P(s_{t+1} \mid s_t, a_t)",
    "trajectory.normalised": r"\sum_\tau P(\tau \mid \theta) = 1",
    "objective.expected-return": r"J(\theta) = \mathbb{E}_{\tau \sim \pi_\theta}\left[ R(\tau) \right]",
    "objective.sum-over-trajectories": r"J(\theta) = \sum_\tau P(\tau \mid \theta)\, R(\tau)",
    "objective.initial-value": r"J(\theta) = \mathbb{E}_{s_0 \sim \rho_0}\left[ V^{\pi_\theta}(s_0) \right]",
    "pg.reinforce": r"\nabla_\theta J(\theta) = \mathbb{E}_{\tau \sim \pi_\theta}\left[ \sum_{t=0}^{T-1} \nabla_\theta \log \pi_\theta(a_t \mid s_t)\, R(\tau) \right]",
    "pg.psi-reward-to-go": r"\nabla_\theta J(\theta) = \mathbb{E}_{\tau}\left[ \sum_{t=0}^{T-1} \nabla_\theta \log \pi_\theta(a_t \mid s_t)\, \gamma^t G_t \right], \quad G_t = \sum_{t'=t}^{T-1} \gamma^{t'-t} r_{t'}",
    "pg.psi-baseline": r"\nabla_\theta J(\theta) = \mathbb{E}_{\tau}\left[ \sum_{t=0}^{T-1} \nabla_\theta \log \pi_\theta(a_t \mid s_t)\, \gamma^t \left( G_t - b(s_t) \right) \right]",
    "pg.psi-q": r"\nabla_\theta J(\theta) = \mathbb{E}_{\tau}\left[ \sum_{t=0}^{T-1} \nabla_\theta \log \pi_\theta(a_t \mid s_t)\, \gamma^t Q^{\pi}(s_t, a_t) \right]",
    "pg.psi-advantage": r"\nabla_\theta J(\theta) = \mathbb{E}_{\tau}\left[ \sum_{t=0}^{T-1} \nabla_\theta \log \pi_\theta(a_t \mid s_t)\, \gamma^t A^{\pi}(s_t, a_t) \right]",
    "pg.psi-td-error": r"\nabla_\theta J(\theta) = \mathbb{E}_{\tau}\left[ \sum_{t=0}^{T-1} \nabla_\theta \log \pi_\theta(a_t \mid s_t)\, \gamma^t \left( r_t + \gamma V^{\pi}(s_{t+1}) - V^{\pi}(s_t) \right) \right]",
    "pg.past-rewards-vanish": r"\mathbb{E}_{\tau}\left[ \nabla_\theta \log \pi_\theta(a_t \mid s_t)\, r_{t'} \right] = 0 \quad (t' < t)",
    "pg.baseline-unbiased": r"\mathbb{E}_{\tau}\left[ \nabla_\theta \log \pi_\theta(a_t \mid s_t)\, b(s_t) \right] = 0",
    "pg.score-mean-zero": r"\mathbb{E}_{a \sim \pi_\theta(\cdot \mid s)}\left[ \nabla_\theta \log \pi_\theta(a \mid s) \right] = 0",
    "return.recursion": r"G_t = r_t + \gamma G_{t+1}",
    "values.v-definition": r"V^{\pi}(s_t) = \mathbb{E}_{\tau \sim \pi}\left[ G_t \mid s_t \right]",
    "values.q-definition": r"Q^{\pi}(s_t, a_t) = \mathbb{E}_{\tau \sim \pi}\left[ G_t \mid s_t, a_t \right]",
    "values.finite-expansion": r"V^{\pi}(s_0) = \sum_{t=0}^{T-1} \gamma^t\, \mathbb{E}_{\tau \sim \pi}\left[ r_t \mid s_0 \right]",
    "values.v-from-q": r"V^{\pi}(s) = \sum_a \pi(a \mid s)\, Q^{\pi}(s, a)",
    "values.q-from-v": r"Q^{\pi}(s, a) = \sum_{s'} P(s' \mid s, a) \left[ R(s, a, s') + \gamma V^{\pi}(s') \right]",
    "values.bellman-v": r"V^{\pi}(s) = \mathbb{E}_{a \sim \pi(\cdot \mid s),\, s' \sim P(\cdot \mid s, a)}\left[ R(s, a, s') + \gamma V^{\pi}(s') \right]",
    "values.advantage-mean-zero": r"A^{\pi}(s, a) = Q^{\pi}(s, a) - V^{\pi}(s), \qquad \mathbb{E}_{a \sim \pi(\cdot \mid s)}\left[ A^{\pi}(s, a) \right] = 0",
    "values.td-error-expectation": r"\delta_t = r_t + \gamma V^{\pi}(s_{t+1}) - V^{\pi}(s_t), \qquad \mathbb{E}\left[ \delta_t \mid s_t, a_t \right] = A^{\pi}(s_t, a_t)",
    "ac.actor-objective-gradient": r"\left. \nabla_\theta\, \mathbb{E}_{\tau \sim \pi_{\theta_{\text{old}}}}\left[ \sum_{t} \gamma^t \log \pi_\theta(a_t \mid s_t)\, A^{\pi_{\theta_{\text{old}}}}(s_t, a_t) \right] \right|_{\theta = \theta_{\text{old}}} = \nabla_\theta J(\theta_{\text{old}})",
    "ac.critic-td-target": r"V^{\pi}(s_t) = \mathbb{E}\left[ r_t + \gamma V^{\pi}(s_{t+1}) \mid s_t \right]",
    "ac.advantage-from-critic": r"A^{\pi}(s_t, a_t) = \mathbb{E}\left[ r_t + \gamma V^{\pi}(s_{t+1}) - V^{\pi}(s_t) \mid s_t, a_t \right]",
    "is.identity": r"\mathbb{E}_{x \sim p}\left[ f(x) \right] = \mathbb{E}_{x \sim q}\left[ \frac{p(x)}{q(x)} f(x) \right]",
    "is.trajectory-ratio": r"\frac{P(\tau \mid \theta)}{P(\tau \mid \theta_{\text{old}})} = \prod_{t=0}^{T-1} \frac{\pi_\theta(a_t \mid s_t)}{\pi_{\theta_{\text{old}}}(a_t \mid s_t)}",
    "gae.k-step-telescopes": r"\hat{A}^{(k)}_t = \sum_{l=0}^{k-1} \gamma^l r_{t+l} + \gamma^k V(s_{t+k}) - V(s_t) = \sum_{l=0}^{k-1} \gamma^l \delta^V_{t+l}",
    "gae.sum-of-td-errors": r"\hat{A}^{\mathrm{GAE}(\gamma,\lambda)}_t = \sum_{l=0}^{T-t-1} (\gamma\lambda)^l \delta^V_{t+l}",
    "gae.recursion": r"\hat{A}^{\mathrm{GAE}}_t = \delta^V_t + \gamma\lambda\, \hat{A}^{\mathrm{GAE}}_{t+1}",
    "gae.k-step-bias-any-critic": r"\mathbb{E}\left[ \hat{A}^{(k)}_t \mid s_t, a_t \right] - A^{\pi}(s_t, a_t) = \gamma^k\, \mathbb{E}\left[ (V - V^{\pi})(s_{t+k}) \mid s_t, a_t \right] - (V - V^{\pi})(s_t)",
    "gae.bias-any-critic": r"\mathbb{E}\left[ \hat{A}^{\mathrm{GAE}}_t \mid s_t, a_t \right] - A^{\pi}(s_t, a_t) = (1-\lambda) \sum_{k=1}^{T-t-1} \lambda^{k-1} b_k + \lambda^{T-t-1} b_{T-t}, \quad b_k = \gamma^k\, \mathbb{E}\left[ (V - V^{\pi})(s_{t+k}) \mid s_t, a_t \right] - (V - V^{\pi})(s_t)",
    "gae.lambda-one-any-critic-policy-gradient": r"\nabla_\theta J(\theta) = \mathbb{E}_{\tau}\left[ \sum_{t=0}^{T-1} \nabla_\theta \log \pi_\theta(a_t \mid s_t)\, \gamma^t \hat{A}^{\mathrm{GAE}(\gamma, 1)}_t \right], \quad \hat{A}^{\mathrm{GAE}(\gamma, 1)}_t = G_t - V(s_t) \text{ for any critic } V",
    "ppo.combined-loss-shared-head": r"\left. \nabla_\theta\, \mathbb{E}_{\tau \sim \pi_{\theta_{\text{old}}}}\left[ \sum_{t} \gamma^t \left( L^{\mathrm{CLIP}}_t(\theta) - c_1 \left( V_\theta(s_t) - G_t \right)^2 + c_2\, S[\pi_\theta](s_t) \right) \right] \right|_{\theta = \theta_{\text{old}}} = \nabla_\theta J(\theta_{\text{old}}) + c_2 \left. \nabla_\theta\, \mathbb{E}_{\tau \sim \pi_{\theta_{\text{old}}}}\left[ \sum_t \gamma^t S[\pi_\theta](s_t) \right] \right|_{\theta = \theta_{\text{old}}} - c_1\, \mathbb{E}_{\tau \sim \pi_{\theta_{\text{old}}}}\left[ \sum_t \gamma^t\, 2 \left( V_\theta(s_t) - G_t \right) \nabla_\theta V_\theta(s_t) \right] \Big|_{\theta = \theta_{\text{old}}}, \quad V_\theta(s) = \sum_b \pi_\theta(b \mid s)\, h(s, b)",
    "mistake.surrogate-is-improvement": r"\mathbb{E}_{\tau \sim \pi_{\theta_{\text{old}}}}\left[ \sum_{t} \gamma^t r_t(\theta) A^{\pi_{\theta_{\text{old}}}}(s_t, a_t) \right] \overset{?}{=} J(\theta) - J(\theta_{\text{old}})",
    "pg.psi-reward-to-go-undiscounted": r"\nabla_\theta J(\theta) = \mathbb{E}_{\tau}\left[ \sum_{t=0}^{T-1} \nabla_\theta \log \pi_\theta(a_t \mid s_t)\, G_t \right] \quad (\gamma = 1)",
    "trpo.pdl-state": r"J(\pi') - J(\pi) = \frac{1}{1-\gamma}\, \mathbb{E}_{s \sim d^{\pi'},\, a \sim \pi'(\cdot \mid s)}\left[ A^{\pi}(s, a) \right]",
    "ppo.clip-positive-advantage": r"A > 0:\quad \min\left( r A,\ \operatorname{clip}(r, 1-\epsilon, 1+\epsilon) A \right) = \min(r, 1+\epsilon)\, A",
    "ppo.clip-negative-advantage": r"A < 0:\quad \min\left( r A,\ \operatorname{clip}(r, 1-\epsilon, 1+\epsilon) A \right) = \max(r, 1-\epsilon)\, A",
    "ppo.clip-gradient-at-old": r"\left. \nabla_\theta L^{\mathrm{CLIP}}(\theta) \right|_{\theta=\theta_{\text{old}}} = \nabla_\theta J(\theta_{\text{old}}), \quad L^{\mathrm{CLIP}} = \mathbb{E}_{\tau \sim \pi_{\theta_{\text{old}}}}\left[ \sum_t \gamma^t \min\left( r_t(\theta) A_t,\ \operatorname{clip}(r_t(\theta), 1-\epsilon, 1+\epsilon) A_t \right) \right]",
    # ----- 2.8.4 TRPO's bound, 2.9 PPO (added)
    "trpo.lower-bound": r"J(\pi') \ge L_\pi(\pi') - \frac{4 \epsilon \gamma}{(1-\gamma)^2}\, \alpha^2, \quad L_\pi(\pi') = J(\pi) + \frac{1}{1-\gamma}\, \mathbb{E}_{s \sim d^{\pi},\, a \sim \pi'(\cdot \mid s)}\left[ A^{\pi}(s, a) \right], \quad \epsilon = \max_{s,a} \left| A^{\pi}(s, a) \right|, \quad \alpha = \max_s D_{\mathrm{TV}}\left( \pi(\cdot \mid s), \pi'(\cdot \mid s) \right)",
    "ppo.clip-gradient-where-binding": r"\nabla_\theta \min\left( r A,\ \operatorname{clip}(r, 1-\epsilon, 1+\epsilon) A \right) = \left( \mathbb{1}[A > 0]\, \mathbb{1}[r < 1+\epsilon] + \mathbb{1}[A < 0]\, \mathbb{1}[r > 1-\epsilon] \right) A\, \nabla_\theta r, \quad r = \frac{\pi_\theta(a \mid s)}{\pi_{\theta_{\text{old}}}(a \mid s)}",
    "mistake.ppo-clip-zeroes-both-sides": r"\nabla_\theta \min\left( r A,\ \operatorname{clip}(r, 1-\epsilon, 1+\epsilon) A \right) \overset{?}{=} \mathbb{1}[1-\epsilon < r < 1+\epsilon]\, A\, \nabla_\theta r",
    "ppo.klpen-gradient-at-old": r"\left. \nabla_\theta\, \mathbb{E}_{\tau \sim \pi_{\theta_{\text{old}}}}\left[ \sum_{t} \gamma^t \left( r_t(\theta) A_t - \beta\, D_{\mathrm{KL}}\left( \pi_{\theta_{\text{old}}}(\cdot \mid s_t) \,\|\, \pi_\theta(\cdot \mid s_t) \right) \right) \right] \right|_{\theta = \theta_{\text{old}}} = \nabla_\theta J(\theta_{\text{old}})",
    "ppo.combined-loss-gradient": r"\left. \nabla_\theta\, \mathbb{E}_{\tau \sim \pi_{\theta_{\text{old}}}}\left[ \sum_{t} \gamma^t \left( L^{\mathrm{CLIP}}_t(\theta) - c_1 \left( V_\phi(s_t) - G_t \right)^2 + c_2\, S[\pi_\theta](s_t) \right) \right] \right|_{\theta = \theta_{\text{old}}} = \nabla_\theta J(\theta_{\text{old}}) + c_2 \left. \nabla_\theta\, \mathbb{E}_{\tau \sim \pi_{\theta_{\text{old}}}}\left[ \sum_t \gamma^t S[\pi_\theta](s_t) \right] \right|_{\theta = \theta_{\text{old}}}",
    # ----- 2.10 KL estimators (added)
    "kl.k1-unbiased": r"\mathbb{E}_{x \sim q}\left[ k_1 \right] = D_{\mathrm{KL}}(q \,\|\, p), \quad k_1 = -\log r, \quad r = \frac{p(x)}{q(x)}",
    "kl.k3-unbiased": r"\mathbb{E}_{x \sim q}\left[ k_3 \right] = D_{\mathrm{KL}}(q \,\|\, p), \quad k_3 = (r - 1) - \log r",
    "kl.k3-nonnegative": r"k_3 = (r - 1) - \log r \ge 0 \quad \text{for every } x",
    "mistake.k2-unbiased": r"\mathbb{E}_{x \sim q}\left[ k_2 \right] \overset{?}{=} D_{\mathrm{KL}}(q \,\|\, p), \quad k_2 = \tfrac{1}{2} (\log r)^2",
    "mistake.kl-expected-log-ratio": r"\mathbb{E}_{x \sim q}\left[ \log r \right] \overset{?}{=} D_{\mathrm{KL}}(q \,\|\, p)",
    "kl.k1-gradient-zero": r"\mathbb{E}_{a \sim \pi_\theta(\cdot \mid s)}\left[ \nabla_\theta k_1 \right] = 0, \quad k_1 = -\log \frac{\pi_{\mathrm{ref}}(a \mid s)}{\pi_\theta(a \mid s)}",
    "kl.k3-gradient-forward": r"\mathbb{E}_{a \sim \pi_\theta(\cdot \mid s)}\left[ \nabla_\theta k_3 \right] = \nabla_\theta D_{\mathrm{KL}}\left( \pi_{\mathrm{ref}}(\cdot \mid s) \,\|\, \pi_\theta(\cdot \mid s) \right), \quad k_3 = (r - 1) - \log r, \quad r = \frac{\pi_{\mathrm{ref}}(a \mid s)}{\pi_\theta(a \mid s)}",
    "mistake.k3-gradient-is-reverse": r"\mathbb{E}_{a \sim \pi_\theta(\cdot \mid s)}\left[ \nabla_\theta k_3 \right] \overset{?}{=} \nabla_\theta D_{\mathrm{KL}}\left( \pi_\theta(\cdot \mid s) \,\|\, \pi_{\mathrm{ref}}(\cdot \mid s) \right)",
    "kl.k3-ratio-reverse": r"\left. \mathbb{E}_{a \sim \pi_{\theta_{\text{old}}}(\cdot \mid s)}\left[ \nabla_\theta \left( \frac{\pi_\theta(a \mid s)}{\pi_{\theta_{\text{old}}}(a \mid s)}\, k_3 \right) \right] \right|_{\theta = \theta_{\text{old}}} = \left. \nabla_\theta D_{\mathrm{KL}}\left( \pi_\theta(\cdot \mid s) \,\|\, \pi_{\mathrm{ref}}(\cdot \mid s) \right) \right|_{\theta = \theta_{\text{old}}}",
    "mistake.k3-detached-ratio": r"\left. \mathbb{E}_{a \sim \pi_{\theta_{\text{old}}}(\cdot \mid s)}\left[ \frac{\pi_\theta(a \mid s)}{\pi_{\theta_{\text{old}}}(a \mid s)}\, \nabla_\theta k_3 \right] \right|_{\theta = \theta_{\text{old}}} \overset{?}{=} \left. \nabla_\theta D_{\mathrm{KL}}\left( \pi_\theta(\cdot \mid s) \,\|\, \pi_{\mathrm{ref}}(\cdot \mid s) \right) \right|_{\theta = \theta_{\text{old}}}",
    # ----- 2.11 GRPO (added); the catalog checks G = 3, R_i = f(s, a_i), J_s = E_{a ~ pi}[f(s, a)]
    "grpo.mean-baseline-shrinks": r"\mathbb{E}_{a_1, \dots, a_G \sim \pi_\theta(\cdot \mid s)}\left[ \frac{1}{G} \sum_{i=1}^{G} \nabla_\theta \log \pi_\theta(a_i \mid s) \left( R_i - \bar{R} \right) \right] = \left( 1 - \frac{1}{G} \right) \nabla_\theta J_s(\theta), \quad \bar{R} = \frac{1}{G} \sum_{j=1}^{G} R_j \quad (G = 3)",
    "grpo.leave-one-out": r"\mathbb{E}_{a_1, \dots, a_G \sim \pi_\theta(\cdot \mid s)}\left[ \frac{1}{G} \sum_{i=1}^{G} \nabla_\theta \log \pi_\theta(a_i \mid s) \left( R_i - \frac{1}{G-1} \sum_{j \ne i} R_j \right) \right] = \nabla_\theta J_s(\theta) \quad (G = 3)",
    "grpo.normalised-advantages-sum-zero": r"\sum_{i=1}^{G} \hat{A}_i = 0, \quad \hat{A}_i = \frac{R_i - \bar{R}}{\sigma}, \quad \sigma = \sqrt{\frac{1}{G} \sum_{j=1}^{G} (R_j - \bar{R})^2} \quad (G = 3;\ \hat{A}_i = 0 \text{ when } \sigma = 0)",
    "grpo.normalised-advantages-unit-variance": r"\sum_{i=1}^{G} \hat{A}_i^2 = G \cdot \mathbb{1}[\sigma > 0] \quad (G = 3)",
    "grpo.std-binary-keeps-direction": r"\mathbb{E}_{a_1, \dots, a_G \sim \pi_\theta(\cdot \mid s)}\left[ \frac{1}{G} \sum_{i=1}^{G} \nabla_\theta \log \pi_\theta(a_i \mid s)\, \frac{R_i - \bar{R}}{\sigma} \right] = c_G(p)\, \nabla_\theta p, \quad R_i \in \{0, 1\},\ p = \Pr(R_i = 1),\ c_4(p) = \sqrt{3} - (2\sqrt{3} - 3)\, p (1 - p) \quad (G = 4)",
    "grpo.std-binary-two-prompts": r"\mathbb{E}\left[ g_{\mathrm{std}}(s) + g_{\mathrm{std}}(s') \right] = c_G(p_s)\, \nabla_\theta p_s + c_G(p_{s'})\, \nabla_\theta p_{s'} \quad (G = 4,\ R_i \in \{0, 1\})",
    "mistake.grpo-std-rescales": r"\mathbb{E}_{a_1, \dots, a_G \sim \pi_\theta(\cdot \mid s)}\left[ \frac{1}{G} \sum_{i=1}^{G} \nabla_\theta \log \pi_\theta(a_i \mid s)\, \frac{R_i - \bar{R}}{\sigma} \right] \overset{?}{=} \frac{\left( 1 - \frac{1}{G} \right) \nabla_\theta J_s(\theta)}{\sqrt{\operatorname{Var}_{a \sim \pi_\theta(\cdot \mid s)}\left[ f(s, a) \right]}} \quad (G = 3;\ R_i \text{ real-valued})",
    "mistake.grpo-std-keeps-direction": r"\left\langle g_{\mathrm{std}},\, \nabla_\theta J_s \right\rangle^2 \overset{?}{=} \left\| g_{\mathrm{std}} \right\|^2 \left\| \nabla_\theta J_s \right\|^2, \quad g_{\mathrm{std}} = \mathbb{E}_{a_1, \dots, a_G \sim \pi_\theta(\cdot \mid s)}\left[ \frac{1}{G} \sum_{i=1}^{G} \nabla_\theta \log \pi_\theta(a_i \mid s)\, \frac{R_i - \bar{R}}{\sigma} \right] \quad (G = 3;\ R_i \text{ real-valued})",
    "grpo.token-level-weights": r"\frac{\sum_{t=0}^{k-1} h_t + \sum_{t=0}^{n-1} g_t}{k + n} = \frac{k}{k+n} \cdot \frac{1}{k} \sum_{t=0}^{k-1} h_t + \frac{n}{k+n} \cdot \frac{1}{n} \sum_{t=0}^{n-1} g_t",
    "mistake.token-equals-sequence-mean": r"\frac{\sum_{t=0}^{k-1} h_t + \sum_{t=0}^{n-1} g_t}{k + n} \overset{?}{=} \frac{1}{2} \left( \frac{1}{k} \sum_{t=0}^{k-1} h_t + \frac{1}{n} \sum_{t=0}^{n-1} g_t \right)",
    # ----- 2.12 GPG (added): groups of 2, B = 2 groups, g_b = one group's estimate
    "gpg.gradient-without-ratio": r"\mathbb{E}_{a_1, a_2 \sim \pi_\theta(\cdot \mid s)}\left[ \frac{1}{2} \sum_{i=1}^{2} \nabla_\theta \log \pi_\theta(a_i \mid s) \left( R_i - \bar{R} \right) \right] = \frac{1}{2} \nabla_\theta J_s(\theta) = \left( 1 - \frac{1}{G} \right) \nabla_\theta J_s(\theta) \Big|_{G=2}",
    "gpg.degenerate-group-is-zero": r"\mathbb{1}[R_1 = R_2]\; g_b = 0, \quad g_b = \frac{1}{2} \sum_{i=1}^{2} \nabla_\theta \log \pi_\theta(a_i \mid s) \left( R_i - \bar{R} \right)",
    "gpg.alpha-rescales": r"\alpha \cdot \frac{1}{B} \sum_{b=1}^{B} g_b = \frac{1}{B - M} \sum_{b:\ \text{informative}} g_b, \quad \alpha = \frac{B}{B - M}, \quad M = \#\{b : \text{all rewards of group } b \text{ equal}\} < B \quad (B = 2)",
    "gpg.alpha-expectation": r"\mathbb{E}\left[ \alpha \cdot \frac{1}{B} \sum_{b=1}^{B} g_b \right] = \frac{1 - (1-q)^B}{q}\, \mathbb{E}\left[ \frac{1}{B} \sum_{b=1}^{B} g_b \right] = (2 - q)\, \mathbb{E}\left[ \frac{1}{B} \sum_{b=1}^{B} g_b \right], \quad q = \Pr(\text{a group is informative}) \quad (B = 2)",
    "mistake.gpg-alpha-unbiased": r"\mathbb{E}\left[ \alpha \cdot \frac{1}{B} \sum_{b=1}^{B} g_b \right] \overset{?}{=} \left( 1 - \frac{1}{G} \right) \nabla_\theta J_s(\theta) \quad (B = 2,\ G = 2;\ \text{when } M = B \text{ every } g_b = 0)",
    # ----- 2.13 token-level MDP (added): s_t = (x, y_{<t}), a_t = y_t
    "token.sequence-gradient-is-sum-of-token-terms": r"\nabla_\theta J(\theta) = \mathbb{E}_{y \sim \pi_\theta(\cdot \mid x)}\left[ R(x, y) \sum_{t=0}^{T-1} \nabla_\theta \log \pi_\theta(y_t \mid x, y_{<t}) \right], \quad \log \pi_\theta(y \mid x) = \sum_{t} \log \pi_\theta(y_t \mid x, y_{<t})",
    "token.advantage-is-td-error": r"\mathbb{E}_{\tau}\left[ \left( A^{\pi}(s_t, a_t) - \delta_t \right)^2 \right] = 0, \quad \delta_t = r_t + V^{\pi}(s_{t+1}) - V^{\pi}(s_t) \quad (\text{i.e. } A^{\pi}(s_t, a_t) = \delta_t \text{ on every sequence})",
    "mistake.token-advantage-td-error-stochastic": r"\mathbb{E}_{\tau}\left[ \left( A^{\pi}(s_t, a_t) - \delta_t \right)^2 \right] \overset{?}{=} 0 \quad (\text{random transitions } s_{t+1} \sim P(\cdot \mid s_t, a_t))",
    "token.trajectory-ratio": r"\frac{\pi_\theta(y \mid x)}{\pi_{\theta_{\text{old}}}(y \mid x)} = \frac{P(\tau \mid \theta)}{P(\tau \mid \theta_{\text{old}})} = \prod_{t=0}^{T-1} \frac{\pi_\theta(y_t \mid x, y_{<t})}{\pi_{\theta_{\text{old}}}(y_t \mid x, y_{<t})}",
    "token.value-is-expected-reward": r"V^{\pi}(s_t) = \mathbb{E}_{\tau \sim \pi}\left[ R(\tau) \mid s_t \right], \quad s_t = (x, y_{<t})",
    "token.return-minus-value-is-advantage": r"\mathbb{E}_{\tau \sim \pi}\left[ R(\tau) - V^{\pi}(s_t) \mid s_t, a_t \right] = A^{\pi}(s_t, a_t) \quad (\gamma = 1,\ \text{reward at the end})",
    "mistake.token-advantage-pathwise": r"\mathbb{E}_{\tau}\left[ \left( A^{\pi}(s_t, a_t) - \left( R(\tau) - V^{\pi}(s_t) \right) \right)^2 \right] \overset{?}{=} 0 \quad (\text{equal on every sequence})",
}

S = "setting: finite"

INSERTS = {
    # 2.2.2 T步累积奖励
    "(敲不了复杂数学公式的屑博客)": [
        ("text", "这里补上公式。一条轨迹有 T 步，第 t 步的奖励是 $r_t = R(s_t, a_t, s_{t+1})$，"
                 "T 步累积奖励就是把它们加起来（$\\gamma = 1$ 时就是简单相加；下一节的折扣奖励给每一项乘上 $\\gamma^t$）。"
                 "它也等于从第 0 步开始的回报 $G_0$："),
        ("eq", "return.whole-is-g0", None),
        ("mistake", "mistake.return-starts-at-one"),
        ("chain", "2.2.2-t-step-return.md"),
    ],
    "2.2.3 折扣奖励": [
        ("text", "折扣奖励给越远的奖励越小的权重，$0 \\le \\gamma \\le 1$。它可以“剥掉”第一项，写成递归的样子："),
        ("eq", "return.discounted-peel", None),
        ("chain", "2.2.3-discounted-return.md"),
    ],
    # 2.3 运动轨迹
    "智能体和环境做一系列/一回合交互后得到的state、action和reward的序列,所以运动轨迹也被称为episodes或rolloutes,这里假设智能体与环境交互了T次:": [
        ("text", "轨迹写成 $\\tau = (s_0, a_0, r_0, s_1, a_1, r_1, \\dots, s_{T-1}, a_{T-1}, r_{T-1}, s_T)$，"
                 "其中 $s_0 \\sim \\rho_0(\\cdot)$，$a_t \\sim \\pi_\\theta(\\cdot \\mid s_t)$，$s_{t+1} \\sim P(\\cdot \\mid s_t, a_t)$，"
                 "$r_t = R(s_t, a_t, s_{t+1})$。把这三种“掷骰子”的概率乘起来，就是整条轨迹的概率，而且所有轨迹的概率加起来等于 1："),
        ("eq", "trajectory.factorisation", None),
        ("eq", "trajectory.normalised", None),
        ("chain", "2.3-trajectory-probability.md"),
    ],
    # 2.4
    "只有一个价值实体Vπ,因为它的输入和状态与动作相关。这意味着只要我们知道状态空间S和动作空间A,Vπ就可以作用到这两个空间上帮助我们衡量哪个状态/动作的价值最大,进而隐式地承担起制定策略的角色。这种方式被称为value-based。": [
        ("note", "输入同时是状态和动作的是动作价值 $Q^\\pi(s, a)$，不是 $V^\\pi$：$V^\\pi(s)$ 只看状态。"
                 "value-based 方法（如 Q-learning）学的是 $Q$，再取 $\\arg\\max_a Q(s, a)$ 作为策略。两者的关系是"
                 "“$V$ 是 $Q$ 按策略加权的平均”（见 2.6.5），而不是取最大值："),
        ("eq", "values.v-from-q", None),
        ("mistake", "mistake.v-max-q"),
    ],
    "policy-based下的强化学习优化目标为:": [
        ("eq", "objective.expected-return", None),
        ("eq", "objective.sum-over-trajectories", None),
    ],
    "其中:": [
        ("text", "轨迹的概率 $P(\\tau \\mid \\pi_\\theta)$（也写作 $P(\\tau \\mid \\theta)$）按 2.3 分解，"
                 "$R(\\tau)$ 是整条轨迹的（折扣）累积奖励："),
        ("eq", "trajectory.factorisation", None),
        ("eq", "return.whole-is-g0", None),
        ("text", "目标也可以写成初始状态的价值的期望："),
        ("eq", "objective.initial-value", None),
        ("chain", "2.4-objective.md"),
    ],
    # 2.5.1
    "知道了总的优化目标后,计算梯度:": [
        ("text", "下面是完整的推导，每一步后面的编号对应下方的理由和检查结果。关键只有两步：对数导数技巧 "
                 "$\\nabla P = P \\nabla \\log P$，以及 $\\rho_0$ 和环境动力学 $P(s_{t+1} \\mid s_t, a_t)$ 与 $\\theta$ 无关，梯度为 0。"),
        ("chain", "2.5.1-policy-gradient.md"),
        ("mistake", "mistake.gradient-inside-expectation"),
    ],
    # 2.5.2
    "在基于策略的强化学习中,我们期望最大化以下优化目标:": [
        ("eq", "objective.expected-return", None),
    ],
    "基于这个优化目标,策略πθ的梯度为:": [
        ("eq", "pg.reinforce", None),
    ],
    "在实践中,我们可以通过采样足够多的轨迹来估计这个期望。假设采样N条轨迹,N足够大,每条轨迹涵盖Tn步,则上述优化目标可以再次被写成:": [
        ("stated", r"\nabla_\theta J(\theta) \approx \frac{1}{N} \sum_{n=1}^{N} \sum_{t=0}^{T_n-1} \nabla_\theta \log \pi_\theta(a_t^n \mid s_t^n)\, R(\tau^n)",
         "pg.reinforce"),
        ("text", "这个 N 条轨迹的平均正是 derive 的 Monte Carlo 方法所做的事：上面的徽章里的 $|z|$ 就是它和精确梯度的差距"
                 "（以标准误为单位）。下图是一个梯度分量随 N 增大收敛到精确值的过程，阴影是 95% 置信带，宽度按 $1/\\sqrt{N}$ 缩小。"),
        ("figure", "pg-convergence.png", "REINFORCE 类估计（这里用 reward-to-go 形式）的 Monte Carlo 平均随轨迹数 N 收敛到精确梯度"),
        ("note", "原文说“上述优化目标可以再次被写成”，其实这里写出来的是梯度的估计（对 N 条轨迹求平均），不是优化目标本身。"),
        ("chain", "2.5.2-sample-estimate.md"),
    ],
    # 2.6
    "通过上面的推导,我们知道在强化学习中,策略的梯度可以表示为:": [
        ("eq", "pg.reinforce", None),
    ],
    "这里R(τ)表示一整条轨迹的累积奖励或者累积折扣奖励。": [
        ("note", "“累积奖励”和“累积折扣奖励”给出的是两个不同目标的梯度，不能随便换。用折扣目标 "
                 "$J = \\mathbb{E}[\\sum_t \\gamma^t r_t]$ 时，把 $R(\\tau)$ 换成 t 时刻之后的回报 $G_t$ 必须再乘 $\\gamma^t$；"
                 "省掉 $\\gamma^t$ 是常见的、有意的做法（GAE 论文的 $\\gamma$-just 估计量、PPO 的实现都如此），但它估计的是另一个向量："
                 "按不带折扣的状态访问加权的“梯度”。$\\gamma = 1$ 时（大模型的情形）它就是 $\\nabla_\\theta J$；"
                 "$\\gamma < 1$ 时它不是折扣目标的梯度（一般也不是任何函数的梯度，Nota & Thomas 2020）。"
                 "derive 在 $\\gamma < 1$ 时找到了反例，在 $\\gamma = 1$ 时验证了两者相等："),
        ("mistake", "mistake.pg-drops-gamma-t"),
        ("eq", "pg.psi-reward-to-go-undiscounted", None),
    ],
    "使用一个ψt来替换R(τ),策略的梯度变成:": [
        ("stated", r"\nabla_\theta J(\theta) = \mathbb{E}_{\tau \sim \pi_\theta}\left[ \sum_{t=0}^{T-1} \psi_t\, \nabla_\theta \log \pi_\theta(a_t \mid s_t) \right]", None),
        ("text", "这是一个“模板”：只有当 $\\psi_t$ 取下面六种之一（并带上 $\\gamma^t$）时它才成立，每一种都单独验证过。"),
    ],
    "总的来说ψt可能有如下的实现方式:": [
        ("text", "六种取法在 derive 的目录里各是一条恒等式（折扣目标下每一项都带 $\\gamma^t$，$\\gamma = 1$ 时就是原文的写法）："),
        ("eq", "pg.reinforce", None),
        ("eq", "pg.psi-reward-to-go", None),
        ("eq", "pg.psi-baseline", None),
        ("eq", "pg.psi-q", None),
        ("eq", "pg.psi-advantage", None),
        ("eq", "pg.psi-td-error", None),
        ("text", "六种估计的期望相同，方差却很不一样：下图在同一个随机 MDP 上各采 20000 条轨迹，比较单条轨迹估计的方差"
                 "（各梯度分量方差之和）。去掉过去的奖励、减去基线、换成 $Q$ 或优势函数，方差一步步变小——这正是原文想说的“平衡”。"),
        ("figure", "psi-variance.png", "六种 ψt 的方差（同一 MDP；(3) 的基线取 V^π）"),
        ("chain", "2.6-psi-forms.md"),
    ],
    "由于MDP(马尔可夫决策过程)的假设,t时刻前发生的事情和t时刻没有关系,t时刻后发生的事情才会收到t时刻的影响,因此令:": [
        ("eq", "pg.psi-reward-to-go", None),
        ("note", "这里真正用到的是因果性（时间顺序），不是马尔可夫性：$r_{t'}$（$t' < t$）在 $a_t$ 被抽出之前就已经确定，"
                 "而得分函数的条件期望为 0，所以两者的乘积期望为 0。即使环境不是马尔可夫的，这一步也成立。"
                 "另外 $r_t = R(s_t, a_t, s_{t+1})$ 依赖 $a_t$，必须留在 $\\psi_t$ 里。"),
        ("eq", "pg.past-rewards-vanish", None),
        ("mistake", "mistake.reward-to-go-from-t-plus-1"),
    ],
    "(3)引入基线": [
        ("eq", "pg.psi-baseline", None),
        ("text", "基线 $b$ 可以是任何只依赖状态的函数，因为得分函数的期望为 0："),
        ("eq", "pg.score-mean-zero", None),
        ("eq", "pg.baseline-unbiased", None),
        ("mistake", "mistake.action-dependent-baseline"),
        ("chain", "2.6.1-baselines.md"),
    ],
    "(6)状态价值的TD error rt+γVπ(st+1)-Vπ(st)": [
        ("note", "(6) 只有在 $V$ 是当前策略的真实价值 $V^\\pi$ 时才无偏；用一个学出来的、不准的 critic，TD error 的期望就不是优势函数了（见 2.6.6）。"),
    ],
    # 2.6.2
    "2.6.2 回报": [
        ("text", "从 t 时刻开始的回报 $G_t = \\sum_{t'=t}^{T-1} \\gamma^{t'-t} r_{t'}$（$G_T = 0$）满足递归："),
        ("eq", "return.recursion", None),
        ("mistake", "mistake.return-recursion-gamma-on-reward"),
        ("chain", "2.6.2-return-recursion.md"),
    ],
    # 2.6.3
    "评价的是一个状态的好坏": [
        ("eq", "values.v-definition", None),
    ],
    "上面是状态价值函数最原子的定义,我们把这个定义展开,以便更好理解 是如何计算的:(不全,但是明白就行)": [
        ("eq", "values.finite-expansion", None),
        ("chain", "2.6.3-state-value.md"),
    ],
    # 2.6.4
    "评价的是一个状态-动作对的好坏": [
        ("eq", "values.q-definition", None),
        ("chain", "2.6.4-action-value.md"),
    ],
    # 2.6.5
    "2.6.5 动作价值函数和状态价值函数的互相转换": [
        ("text", "$V$ 是 $Q$ 按策略的加权平均；$Q$ 是“拿到这一步的奖励，再加上折扣后的下一个状态的 $V$”。两者代入彼此就得到 Bellman 方程："),
        ("eq", "values.v-from-q", None),
        ("eq", "values.q-from-v", None),
        ("eq", "values.bellman-v", None),
        ("eq", "values.bellman-q", None),
        ("mistake", "mistake.bellman-missing-gamma"),
        ("chain", "2.6.5-bellman.md"),
    ],
    # 2.6.6
    "2.6.6 优势函数和TD error": [
        ("text", "优势函数衡量“这个动作比平均水平好多少”，按策略平均为 0；用真实 $V^\\pi$ 算的 TD error 是它的无偏估计："),
        ("eq", "values.advantage-mean-zero", None),
        ("eq", "values.td-error-expectation", None),
        ("mistake", "mistake.td-error-any-v"),
        ("chain", "2.6.6-advantage-td-error.md"),
    ],
    # 2.7
    "2.7 Actor-Critic": [
        ("text", "Actor 是策略 $\\pi_\\theta$，Critic 是价值函数 $V$（参数另算）。Critic 负责估计优势，Actor 用它做 2.6.1 的第 (5)/(6) 种梯度。"),
    ],
    "2.7.1 Actor优化目标": [
        ("text", "在旧策略采的样本上，最大化 $\\sum_t \\gamma^t \\log \\pi_\\theta(a_t \\mid s_t) A_t$；它在 $\\theta = \\theta_{\\text{old}}$ 处的梯度就是策略梯度："),
        ("eq", "ac.actor-objective-gradient", None),
        ("chain", "2.7.1-actor.md"),
    ],
    "2.7.2 Critic优化目标": [
        ("text", "Critic 回归回报 $G_t$（或 TD 目标 $r_t + \\gamma V(s_{t+1})$），即最小化 $\\mathbb{E}[(G_t - V(s_t))^2]$；真实的 $V^\\pi$ 正是 TD 目标的条件期望："),
        ("eq", "ac.critic-td-target", None),
        ("eq", "ac.critic-regression", None),
        ("chain", "2.7.2-critic.md"),
    ],
    "2.7.3 Actor和Critic之间的关系": [
        ("text", "两者在优势函数上相遇：Critic 给出 $V$，TD error 的条件期望就是 Actor 需要的优势："),
        ("eq", "ac.advantage-from-critic", None),
        ("chain", "2.7.3-actor-critic.md"),
    ],
    # 2.8
    "2.8.1 朴素Actor-Critic的问题": [
        ("text", "朴素 Actor-Critic 的问题：(a) 它是 on-policy 的，每更新一次策略，旧数据就不再服从新策略的分布，只能丢掉重采；"
                 "(b) Critic 不准时，TD error 是有偏的优势估计；(c) 步长不好控制，一步走大了策略就崩了。"
                 "(a) 引出重要性采样（2.8.2），(b) 引出 GAE（2.8.3），(c) 引出 TRPO/PPO（2.8.4、2.9）。"),
        ("mistake", "mistake.td-error-any-v"),
        ("chain", "2.8.1-naive-actor-critic.md"),
    ],
    "2.8.2 重要性采样": [
        ("text", "用分布 $q$ 的样本估计分布 $p$ 下的期望，乘上比值 $p/q$ 即可；对轨迹而言，环境动力学在比值里消掉了，只剩下每一步策略概率之比："),
        ("eq", "is.identity", None),
        ("eq", "is.trajectory-ratio", None),
        ("eq", "is.surrogate-gradient", None),
        ("text", "代价是方差：比值偏离 1 越多，方差越大——这正是后面要“裁剪”比值的原因。"),
        ("eq", "is.variance", None),
        ("mistake", "mistake.inverted-ratio"),
        ("chain", "2.8.2-importance-sampling.md"),
    ],
    "(1)方差与偏差": [
        ("text", "k 步优势只用 k 个真实奖励，然后用 $V$ “自举”：k 小，方差小但 $V$ 不准时偏差大；k 大则反过来。它可以展开成 TD error 的折扣和："),
        ("eq", "gae.k-step-telescopes", None),
        ("text", "critic 不准时，k 步优势的偏差只来自两端的 critic 误差 $V - V^\\pi$（$V(s_T) = 0$）："),
        ("eq", "gae.k-step-bias-any-critic", None),
    ],
    "(2)GAE": [
        ("text", "GAE 把所有 k 步优势按 $(1-\\lambda)\\lambda^{k-1}$ 加权平均（在回合结束处截断），等价于 TD error 按 $\\gamma\\lambda$ 折扣求和，也可以倒着递归计算："),
        ("eq", "gae.sum-of-td-errors", None),
        ("eq", "gae.mixture", None),
        ("eq", "gae.recursion", None),
        ("eq", "gae.lambda-zero", None),
        ("eq", "gae.lambda-one", None),
        ("eq", "gae.unbiased-with-true-v", None),
        ("text", "critic 不准时，GAE 的偏差是各个 k 步偏差按同样的权重 $(1-\\lambda)\\lambda^{k-1}$ 的混合（在 T 处截断：$k \\ge T-t$ 的权重都落在 $k = T-t$ 上）。"
                 "$\\lambda = 1$ 时只剩 $-(V - V^\\pi)(s_t)$：它只依赖状态，起基线的作用，所以策略梯度估计无偏，而优势估计本身仍然有偏："),
        ("eq", "gae.bias-any-critic", None),
        ("eq", "gae.lambda-one-any-critic-policy-gradient", None),
        ("mistake", "mistake.gae-unbiased-any-v"),
        ("mistake", "mistake.gae-lambda-for-gamma-lambda"),
        ("text", "下图用一个不准的 critic（真实 $V^\\pi$ 加上高斯噪声）在随机 MDP 上计算 GAE：$\\lambda$ 从 0 到 1，偏差下降、方差上升。"
                 "左图虚线是偏差中依赖动作的部分：只依赖状态的偏差就像一个基线，不会让策略梯度有偏，$\\lambda = 1$ 时依赖动作的偏差（除采样误差外）为 0。"),
        ("figure", "gae-bias-variance.png", "GAE 的偏差与方差随 λ 的变化（critic = V^π + 噪声）"),
        ("chain", "2.8.3-gae.md"),
    ],
    "2.8.4 PPO前身:TRPO": [
        ("text", "TRPO 的出发点是性能差分引理：新旧策略目标之差，等于新策略下旧策略优势的期望。"),
        ("eq", "trpo.pdl-trajectory", None),
        ("eq", "trpo.pdl-state", None),
        ("note", "状态分布 $d^{\\pi'}$ 是带折扣、归一化的：$d^{\\pi}(s) = (1-\\gamma)\\sum_t \\gamma^t \\Pr(s_t = s)$，所以前面有 $1/(1-\\gamma)$。"
                 "很多介绍把这个折扣和系数悄悄丢掉，或直接换成旧策略的状态分布——后者正是 TRPO 的近似，不是恒等式："),
        ("mistake", "mistake.pdl-old-state-distribution"),
        ("text", "TRPO 把 $d^{\\pi'}$ 换成 $d^{\\pi_{\\text{old}}}$ 得到代理目标 $L$，它在 $\\theta_{\\text{old}}$ 处与 $J$ 的值和梯度都相同，"
                 "因此在 KL 约束的小范围内优化 $L$ 是安全的："),
        ("eq", "trpo.surrogate-matches-value", None),
        ("eq", "trpo.surrogate-matches-gradient", None),
        ("text", "但这只是一阶的吻合：离开 $\\theta_{\\text{old}}$ 之后，代理目标（PPO 代码里的 $\\sum_t \\gamma^t r_t(\\theta) A_t$）"
                 "不等于真实的改进 $J(\\theta) - J(\\theta_{\\text{old}})$：比值只修正了动作的分布，状态仍来自旧策略："),
        ("mistake", "mistake.surrogate-is-improvement"),
        ("text", "这个带约束的问题不是凭空来的：TRPO 论文的定理 1 给出了新策略目标的一个下界。代理目标 $L_\\pi(\\pi')$ "
                 "减去一个和两个策略的距离 $\\alpha^2$ 成正比的惩罚，就保证不超过真实的 $J(\\pi')$；只要下界在增大，$J$ 就不会变差"
                 "（单调改进）。derive 把它当作不等式在随机 MDP 上精确检查（没有 Monte Carlo：不等式没有可采样的“期望值”），"
                 "徽章里给出非退化实例上最小的余量 $J(\\pi') - \\text{右边}$（它不为负才算成立）。在退化的实例上（只有一个动作、"
                 "$\\gamma = 0$，或 $\\pi' = \\pi$）两边相等、余量为 0，这并不说明界在一般情况下是紧的，所以不计入："),
        ("eq", "trpo.lower-bound", None),
        ("note", "这里的 $d^{\\pi}$ 和上面一样是归一化的折扣状态分布 $d^{\\pi}(s) = (1-\\gamma)\\sum_t \\gamma^t \\Pr(s_t = s)$，"
                 "所以 $L$ 里有 $1/(1-\\gamma)$。TRPO 论文用的是不归一化的 $\\rho_\\pi(s) = \\sum_t \\gamma^t \\Pr(s_t = s) = d^{\\pi}(s)/(1-\\gamma)$，"
                 "写成 $L_\\pi(\\pi') = \\eta(\\pi) + \\sum_s \\rho_\\pi(s) \\sum_a \\pi'(a \\mid s) A_\\pi(s, a)$，两种写法是同一个量。"
                 "另外论文的界用 $D_{\\mathrm{TV}}^{\\max}$（$\\alpha$）；实际算法换成了 $D_{\\mathrm{KL}}^{\\max} \\ge \\alpha^2$，"
                 "再把“最大值”换成“平均值”、把惩罚换成约束 $\\delta$——后两步是工程上的近似，不再有这个保证。"),
        ("stated", r"\max_\theta\ \mathbb{E}_{s \sim d^{\pi_{\theta_{\text{old}}}},\, a \sim \pi_{\theta_{\text{old}}}}\left[ \frac{\pi_\theta(a \mid s)}{\pi_{\theta_{\text{old}}}(a \mid s)} A^{\pi_{\theta_{\text{old}}}}(s, a) \right] \quad \text{s.t.}\quad \mathbb{E}_{s}\left[ D_{\mathrm{KL}}\left(\pi_{\theta_{\text{old}}}(\cdot \mid s) \,\|\, \pi_\theta(\cdot \mid s)\right) \right] \le \delta", None),
        ("chain", "2.8.4-trpo-finite.md"),
        ("chain", "2.8.4-trpo-discounted.md"),
        ("proof", "2.8.4-trpo-bound.md"),
    ],
}

# The sections the blog promises (its title is about PPO) but stops before, and the RL-for-language-model
# topics that follow PPO (KL estimators, GRPO, GPG, the token-level MDP): added by derive.
PPO_SECTIONS = [
    ("h2", "2.9 PPO（derive 补充）", [
        ("text", "原文的标题是 PPO，但写到 TRPO 就停了。下面按原文的思路把 PPO 补完（这一节整节是 derive 写的）。"
                 "TRPO 要解一个带 KL 约束的优化问题，实现起来很麻烦；PPO 的想法很简单：不加约束，而是直接把重要性比值"
                 "$r_t(\\theta) = \\pi_\\theta(a_t \\mid s_t) / \\pi_{\\theta_{\\text{old}}}(a_t \\mid s_t)$ 限制在 $[1-\\epsilon, 1+\\epsilon]$ 附近，"
                 "让新策略不会离旧策略太远。"),
    ]),
    ("h3", "2.9.1 PPO-Clip", [
        ("def", r"L^{\mathrm{CLIP}}(\theta) = \hat{\mathbb{E}}_t\left[ \min\left( r_t(\theta) \hat{A}_t,\ \operatorname{clip}\left(r_t(\theta), 1-\epsilon, 1+\epsilon\right) \hat{A}_t \right) \right]",
         ("ppo.clip-gradient-at-old", "ppo.clip-gradient-where-binding")),
        ("text", "分优势的正负来看：$A > 0$ 时（好动作），比值最多被奖励到 $1+\\epsilon$，再往上就没有梯度了；"
                 "$A < 0$ 时（坏动作），比值最低只惩罚到 $1-\\epsilon$。也就是说，min 只会让目标更“保守”："),
        ("eq", "ppo.clip-positive-advantage", None),
        ("eq", "ppo.clip-negative-advantage", None),
        ("figure", "ppo-clip.png", "PPO-Clip 的单样本目标随比值 r 的变化（左 A>0，右 A<0）"),
        ("text", "在 $\\theta = \\theta_{\\text{old}}$ 处所有比值都等于 1，在裁剪区间内部，所以 PPO-Clip 的梯度就是策略梯度："),
        ("eq", "ppo.clip-gradient-at-old", None),
        ("text", "离开 $\\theta_{\\text{old}}$ 之后，梯度只在“裁剪起作用的那一侧”变成 0：$A > 0$ 且 $r > 1+\\epsilon$，或 $A < 0$ 且 $r < 1-\\epsilon$。"
                 "在另一侧（$A > 0$ 而 $r < 1-\\epsilon$，或 $A < 0$ 而 $r > 1+\\epsilon$），min 取的是没裁剪的 $rA$，梯度照样是 $A \\nabla_\\theta r$——"
                 "这正是让一个已经“走错方向”的比值被拉回来的那部分梯度。下式对每个状态和动作逐点成立"
                 "（检查时取 $\\epsilon = 7/37$，保证比值不会恰好落在折点上）："),
        ("eq", "ppo.clip-gradient-where-binding", None),
        ("mistake", "mistake.ppo-clip-zeroes-both-sides"),
        ("mistake", "mistake.ppo-min-is-clip"),
        ("proof", "2.9-ppo.md"),
    ]),
    ("h3", "2.9.2 PPO-Penalty", [
        ("text", "另一种做法是把 KL 放进目标里当惩罚项，系数 $\\beta$ 根据实际的 KL 大小自适应地调大或调小："),
        ("def", r"L^{\mathrm{KLPEN}}(\theta) = \hat{\mathbb{E}}_t\left[ r_t(\theta) \hat{A}_t - \beta\, D_{\mathrm{KL}}\left( \pi_{\theta_{\text{old}}}(\cdot \mid s_t) \,\|\, \pi_\theta(\cdot \mid s_t) \right) \right]",
         ("ppo.klpen-gradient-at-old",)),
        ("text", "KL 项在 $\\theta_{\\text{old}}$ 处取最小值 0，梯度为 0，所以在 $\\theta_{\\text{old}}$ 处 $L^{\\mathrm{KLPEN}}$ 的梯度仍是策略梯度"
                 "（derive 在有限时域、带 $\\gamma^t$ 的写法下精确检查了这一点）："),
        ("eq", "ppo.klpen-gradient-at-old", None),
        ("text", "这只是一阶的结论：KL 惩罚的作用在二阶（它的 Hessian 是 Fisher 信息矩阵），它约束的是走多远，而不改变出发时的方向。"
                 "$\\beta$ 的自适应规则（KL 大于目标的 1.5 倍就把 $\\beta$ 加倍，小于 1/1.5 就减半）是论文给的经验规则，没有什么可验证的恒等式。"),
        ("proof", "2.9.2-ppo-penalty.md"),
    ]),
    ("h3", "2.9.3 完整的损失函数", [
        ("text", "实际实现中 Actor 和 Critic 常常一起训练，再加一个熵奖励鼓励探索："),
        ("def", r"L^{\mathrm{CLIP+VF+S}}(\theta) = \hat{\mathbb{E}}_t\left[ L^{\mathrm{CLIP}}_t(\theta) - c_1 \left( V_\theta(s_t) - V^{\mathrm{targ}}_t \right)^2 + c_2\, S[\pi_\theta](s_t) \right]",
         ("ppo.combined-loss-gradient",)),
        ("text", "其中 $V^{\\mathrm{targ}}_t$ 是 critic 的回归目标（如 $\\hat{A}_t + V(s_t)$，或回报 $G_t$），$S$ 是熵。注意 PPO 论文里 $L$ 是要最大化的，"
                 "所以价值损失前面是减号；代码里一般对 $-L$ 做梯度下降。三项各自对策略梯度贡献了什么？"
                 "derive 在 $\\theta_{\\text{old}}$ 处精确检查了下面的等式（critic 记作 $V_\\phi$，有自己的参数 $\\phi$）："),
        ("eq", "ppo.combined-loss-gradient", None),
        ("text", "它说明了两件事：(a) 当 critic 有自己的参数（Actor 和 Critic 是两个网络）时，价值项对 $\\theta$ 没有梯度，"
                 "不改变策略梯度，它只训练 $\\phi$——这一半是由构造决定的（$V_\\phi$ 里没有 $\\theta$），不是 derive 检查出来的；(b) 熵项在策略梯度之外恰好多出 $c_2 \\nabla_\\theta S$，把策略推向更随机。"
                 "所以 $c_1$ 只在 Actor 和 Critic 共享参数时才影响策略的更新。"),
        ("note", "PPO 论文写的是 $V_\\theta$，即共享参数的情形：那时价值项会给共享的那部分参数多加一项 "
                 "$-c_1 \\nabla_\\theta (V_\\theta(s_t) - V^{\\mathrm{targ}}_t)^2$，上式就不再成立，$c_1$ 的大小会直接影响策略。"
                 "derive 也检查了共享参数的情形：取一个和策略共享参数的价值头 $V_\\theta(s) = \\sum_b \\pi_\\theta(b \\mid s)\\, h(s, b)$"
                 "（$h$ 任意），价值项恰好多出 $-c_1$ 乘它的梯度（$G_t$ 是采样得到的常数目标）："),
        ("eq", "ppo.combined-loss-shared-head", None),
        ("proof", "2.9.3-ppo-full-loss.md"),
    ]),
    ("h2", "2.10 KL 散度的估计（derive 补充）", [
        ("text", "PPO-Penalty 和大模型的 RLHF/GRPO 都要在目标里惩罚新策略离参考策略（$\\pi_{\\mathrm{ref}}$，例如 SFT 模型）太远。"
                 "KL 散度要对整个词表求和，太贵，实际是用采样来估计的。记样本 $x \\sim q$，比值 $r = p(x)/q(x)$，"
                 "要估计的是 $D_{\\mathrm{KL}}(q \\,\\|\\, p) = \\mathbb{E}_q[-\\log r]$。John Schulman 的笔记给了三个估计量："
                 "$k_1 = -\\log r$，$k_2 = \\frac{1}{2}(\\log r)^2$，$k_3 = (r - 1) - \\log r$。$k_1$ 和 $k_3$ 都是无偏的："),
        ("eq", "kl.k1-unbiased", None),
        ("eq", "kl.k3-unbiased", None),
        ("text", "$k_3$ 比 $k_1$ 多出的 $r - 1$ 在 $q$ 下期望为 0（$\\mathbb{E}_q[r] = \\sum_x p(x) = 1$），是一个控制变量：不改变期望，却降低方差。"
                 "而且因为 $\\log r \\le r - 1$，$k_3$ 对每个样本都非负，不会像 $k_1$ 那样出现负的“KL”："),
        ("eq", "kl.k3-nonnegative", None),
        ("text", "$k_2$ 方差最小，但它是有偏的：只有当 $p$ 和 $q$ 很接近时，它才在二阶近似下等于 KL；差得越远偏差越大。"
                 "把符号弄反、把 $\\mathbb{E}_q[\\log r]$ 当成 KL，则差了一个负号："),
        ("mistake", "mistake.k2-unbiased"),
        ("mistake", "mistake.kl-expected-log-ratio"),
        ("text", "更要紧的是梯度。大模型训练里 KL 项是作为损失求梯度的，样本 $a \\sim \\pi_\\theta(\\cdot \\mid s)$ 来自当前策略，"
                 "$q = \\pi_\\theta$，$p = \\pi_{\\mathrm{ref}}$。值无偏不代表梯度无偏（样本的分布本身也依赖 $\\theta$，但对样本求导时这部分被忽略了）。"
                 "$k_1$ 的期望梯度恰好是 0——作为损失它根本不提供 KL 的梯度："),
        ("eq", "kl.k1-gradient-zero", None),
        ("text", "$k_3$ 的期望梯度不是我们想惩罚的反向 KL $D_{\\mathrm{KL}}(\\pi_\\theta \\,\\|\\, \\pi_{\\mathrm{ref}})$ 的梯度，"
                 "而是正向 KL $D_{\\mathrm{KL}}(\\pi_{\\mathrm{ref}} \\,\\|\\, \\pi_\\theta)$ 的梯度："),
        ("eq", "kl.k3-gradient-forward", None),
        ("mistake", "mistake.k3-gradient-is-reverse"),
        ("note", "GRPO 论文（DeepSeekMath）把 $k_3$ 当作“KL 惩罚”直接加进损失，没有说明它的梯度方向：在当前策略的样本上，"
                 "这个损失的期望梯度是正向 KL 的梯度。两者在 $\\pi_\\theta = \\pi_{\\mathrm{ref}}$ 附近一阶相同，离得远了就不同；"
                 "它仍然把 $\\pi_\\theta$ 拉向 $\\pi_{\\mathrm{ref}}$，但惩罚的不是论文写的那个量。"),
        ("text", "如果样本来自旧策略 $\\pi_{\\theta_{\\text{old}}}$（PPO 式的多轮更新），要乘重要性比值 $\\pi_\\theta/\\pi_{\\theta_{\\text{old}}}$，"
                 "而且这个比值必须和 $k_3$ 一起求导：这样在 $\\theta_{\\text{old}}$ 处得到的才是反向 KL 的梯度。"
                 "如果比值被当作常数权重（detach，在 $\\theta_{\\text{old}}$ 处等于 1），期望梯度仍然是正向 KL 的："),
        ("eq", "kl.k3-ratio-reverse", None),
        ("mistake", "mistake.k3-detached-ratio"),
        ("proof", "2.10-kl-estimators.md"),
    ]),
    ("h2", "2.11 GRPO（derive 补充）", [
        ("text", "GRPO（DeepSeekMath）去掉了 PPO 的 critic：对同一个提示 $s$ 采样一组 $G$ 个回答 $a_1, \\dots, a_G \\sim \\pi_\\theta(\\cdot \\mid s)$，"
                 "奖励 $R_i = f(s, a_i)$，用组内的均值和标准差把奖励标准化，当作每个回答（的每个 token）的优势："
                 "$\\hat{A}_i = (R_i - \\bar{R}) / \\sigma$。下面把一个提示看成一个单步问题，目标 $J_s(\\theta) = \\mathbb{E}_{a \\sim \\pi_\\theta}[f(s, a)]$；"
                 "derive 的目录取 $G = 3$ 精确检查。标准化后的优势组内和为 0、平方和为 $G$（全组奖励相同时都为 0）；"
                 "两件事分开检查，因为合成一个等式时两个错误可能互相抵消："),
        ("eq", "grpo.normalised-advantages-sum-zero", None),
        ("eq", "grpo.normalised-advantages-unit-variance", None),
        ("text", "先只看减均值。组均值 $\\bar{R}$ 包含了 $R_i$ 自己，而 $R_i$ 和 $a_i$ 相关，所以它不是 2.6.1 里那种“与动作无关的基线”。"
                 "算一下期望：梯度方向没变，但整体缩小了 $(1 - 1/G)$ 倍："),
        ("eq", "grpo.mean-baseline-shrinks", None),
        ("note", "GRPO 论文没有提这个系数。$(1 - 1/G)$ 只在“每个提示的组大小相同”时才是一个无害的常数（被学习率吸收）；"
                 "组大小不同时，它会按 $G$ 给不同提示不同的权重。用“留一”基线（其他 $G-1$ 个奖励的均值，与 $a_i$ 独立）就没有这个系数："),
        ("eq", "grpo.leave-one-out", None),
        ("text", "再看除以标准差。对实数值的奖励，组内的 $\\sigma$ 是随机的，而且和样本相关，所以它不是把梯度整体缩放 $1/\\mathrm{std}$ 那么简单，"
                 "期望梯度变了（下面两个错误都以实数值奖励为条件）："),
        ("mistake", "mistake.grpo-std-rescales"),
        ("text", "更进一步，对实数值奖励，除以组内标准差之后，期望梯度连方向都不再和 $\\nabla_\\theta J_s$ 平行："
                 "如果平行，Cauchy–Schwarz 不等式应取等号，而 derive 找到了不取等号的反例。"
                 "原因是每个动作被它所在那一组奖励的离散程度重新加权了："),
        ("mistake", "mistake.grpo-std-keeps-direction"),
        ("text", "大模型 RL 里更常见的是 0/1 的可验证奖励，这时在一个提示之内方向是保住的：期望估计恰好是 $c_G(p) \\nabla_\\theta p$，"
                 "$p$ 是答对的概率（也就是 $J_s$），"
                 "$c_G(p) = \\sum_{j=0}^{G-1} \\binom{G-1}{j} p^j (1-p)^{G-1-j} \\left( \\sqrt{\\tfrac{G-1-j}{j+1}} + \\sqrt{\\tfrac{j}{G-j}} \\right) \\ge 0$"
                 "（$j$ 是其余 $G-1$ 个回答中答对的个数；$c_2 = 1$，$c_3 = \\sqrt{2}$，$c_4 = \\sqrt{3} - (2\\sqrt{3} - 3)\\, p(1-p)$）。"
                 "derive 取 $G = 4$ 精确检查："),
        ("eq", "grpo.std-binary-keeps-direction", None),
        ("text", "Dr. GRPO 说的“难度偏差”是跨提示的重新加权：一批里有多个提示时，期望梯度是 $\\sum_s c_G(p_s) \\nabla_\\theta p_s$，"
                 "而不是 $\\nabla_\\theta \\sum_s p_s$ 的倍数。$G$ 大时 $c_G(p) \\approx 1/\\sqrt{p(1-p)} = 1/\\sigma_p$，"
                 "几乎全对或全错的提示权重更大；$G$ 小时这个效应弱得多（$G = 2, 3$ 时 $c_G$ 是常数，完全没有重新加权；"
                 "$G = 4$ 时权重只在 $1.62$ 到 $1.73$ 之间）："),
        ("eq", "grpo.std-binary-two-prompts", None),
        ("text", "最后是聚合方式。把所有回答的所有 token 的损失放在一起平均（token 级，即除以 $\\sum_j |o_j|$，这是 DAPO 的损失），"
                 "等价于给第 $i$ 个回答权重 $|o_i| / \\sum_j |o_j|$，长回答权重更大；先在每个回答内平均再对回答平均"
                 "（序列级，GRPO 论文的写法）则每个回答权重 $1/G$；Dr. GRPO 则把 token 损失之和除以一个与长度无关的常数。"
                 "下式是两个回答（长度 $k$、$n$，逐 token 损失 $h$、$g$）的情形："),
        ("eq", "grpo.token-level-weights", None),
        ("mistake", "mistake.token-equals-sequence-mean"),
        ("note", "两种平均只有在所有回答一样长时才相同。序列级平均会让长的错误回答里每个 token 的惩罚变小（Dr. GRPO 所说的长度偏差）；"
                 "token 级平均（DAPO）没有这个问题，但给长回答更多权重；Dr. GRPO 除以常数，每个 token 的权重相同且与批次的总长度无关。"
                 "哪一种“对”取决于你想优化的目标；各家实现（TRL、verl）的默认值也不一样。"),
        ("proof", "2.11-grpo.md"),
    ]),
    ("h2", "2.12 GPG（derive 补充）", [
        ("text", "GPG（Group Policy Gradient）把 GRPO 再简化：不用重要性比值、不裁剪、不加参考模型的 KL，直接用组内减均值的优势做最朴素的策略梯度"
                 "（每批样本只更新一次，完全 on-policy）。它的期望梯度和 2.11 一样是 $(1 - 1/G) \\nabla_\\theta J_s$；"
                 "derive 检查的是 $G = 2$（一组两个回答）："),
        ("eq", "gpg.gradient-without-ratio", None),
        ("text", "一组里奖励全都相同（全对或全错）时，优势都是 0，这一组对梯度没有任何贡献："),
        ("eq", "gpg.degenerate-group-is-zero", None),
        ("text", "于是一个批次的 $B$ 组里如果有 $M$ 组是这种“退化组”，GPG 认为对 $B$ 组取平均把梯度稀释了，是一种估计偏差，"
                 "于是乘上 $\\alpha = B/(B-M)$ 来补偿。逐批次精确地说，它把“对全部 $B$ 组的平均”变成了“只对 $B - M$ 个有信息的组的平均”"
                 "（$M = B$ 时没有定义，derive 的检查在这些实例上跳过了）："),
        ("eq", "gpg.alpha-rescales", None),
        ("text", "这个补偿对期望意味着什么？不乘 $\\alpha$ 的批次平均本来就是 $(1 - 1/G)\\nabla_\\theta J_s$ 的无偏估计"
                 "（退化组在样本里和在期望里都贡献 0）。$\\alpha$ 依赖于这一批样本（$M$ 是随机的），乘上它之后期望变成"
                 "$\\mathbb{E}[\\alpha \\bar{g}] = \\Pr(M < B)\\, \\mathbb{E}[g_b \\mid \\text{第 } b \\text{ 组有信息}] = \\frac{1 - (1-q)^B}{q} \\mathbb{E}[\\bar{g}]$，"
                 "$q$ 是一组有信息的概率：它估计的是“有信息的组的平均梯度”。derive 检查了 $B = 2$ 时的精确等式，"
                 "并给出把它读成“无偏的策略梯度”的反例："),
        ("eq", "gpg.alpha-expectation", None),
        ("mistake", "mistake.gpg-alpha-unbiased"),
        ("note", "系数 $\\frac{1 - (1-q)^B}{q} = B \\cdot \\mathbb{E}[1/(B - M_{-b})] \\ge 1$（$M_{-b}$ 是其余各组中退化组的个数）取决于 $q$，"
                 "随 $\\theta$ 和提示而变（$B$ 大时约为 $1/q$）：只有一个提示时它相当于一个随训练变化的学习率；"
                 "批次里混有不同提示时，各提示的权重不再相同，估计量就不再是原目标梯度的固定倍数。GPG 论文把 $\\alpha$ 当作偏差修正，"
                 "准确的说法是：它修正的是“按全部组平均”相对于“按有信息的组平均”的稀释，代价是目标随 $q$ 变化。"),
        ("proof", "2.12-gpg.md"),
    ]),
    ("h2", "2.13 语言模型的 token 级 MDP（derive 补充）", [
        ("text", "把语言模型生成回答看成一个 MDP：状态是前缀 $s_t = (x, y_{<t})$（提示加已生成的 token），动作是下一个 token $a_t = y_t$，"
                 "转移是确定的（$s_{t+1}$ 就是把 $y_t$ 接在后面），奖励通常只在最后给（$R(x, y)$），$\\gamma = 1$。"
                 "derive 有一个专门的 token MDP 实例族（setting 写作 “finite; family=token”）：小词表、短长度、前缀树状态，下面的徽章里的 “token MDPs” 指的就是它。"
                 "序列的对数概率是各个 token 的对数概率之和，所以序列级的策略梯度就是 token 级各项之和："),
        ("eq", "token.sequence-gradient-is-sum-of-token-terms", None),
        ("text", "同理，整个回答的重要性比值是各个 token 比值的乘积（环境的“转移概率”都是 1，消掉了），这就是 PPO/GRPO 里 token 级比值的来源："),
        ("eq", "token.trajectory-ratio", None),
        ("text", "只在结尾给奖励、$\\gamma = 1$ 时，一个前缀的价值就是从它出发最终奖励的期望（critic 学的就是这个）："),
        ("eq", "token.value-is-expected-reward", None),
        ("note", "这条等式依赖两个常常不明说的条件：奖励只在结尾给，且 $\\gamma = 1$。很多 RLHF 实现（PPO 版）把 KL 惩罚"
                 "$-\\beta \\log(\\pi_\\theta / \\pi_{\\mathrm{ref}})$ 逐 token 加进 $r_t$，或者取 $\\gamma < 1$：这时前缀的价值是"
                 "“剩下的每步奖励（含 KL 项）的折扣和”的期望，不再只是最终奖励的期望，critic 的回归目标也要跟着改。"),
        ("text", "转移确定时，$s_{t+1}$ 由 $s_t$ 和 $a_t$ 唯一决定，所以 $Q(s_t, a_t) = r_t + V(s_{t+1})$ 不用取期望，"
                 "优势在每条序列上都恰好等于 TD error（2.6.6 里一般 MDP 只在期望意义下成立）："),
        ("eq", "token.advantage-is-td-error", None),
        ("mistake", "mistake.token-advantage-td-error-stochastic"),
        ("text", "GRPO 把（标准化后的）整条回答的奖励当作每个 token 的优势估计。这是合理的：$\\gamma = 1$、只在结尾给奖励时 $R(\\tau) = G_t$，"
                 "减去 $V(s_t)$ 后，给定 $(s_t, a_t)$ 的期望恰好是优势（GRPO 用组均值代替 $V(s_t)$，减均值的部分差一个系数 $1 - 1/G$，见 2.11）："),
        ("eq", "token.return-minus-value-is-advantage", None),
        ("text", "这是期望意义下的等式：在单条序列上，$R(\\tau) - V(s_t)$ 还带着 $a_t$ 之后各个 token 的运气，并不等于 $A(s_t, a_t)$"
                 "（它是有方差的估计，不是优势本身）："),
        ("mistake", "mistake.token-advantage-pathwise"),
        ("proof", "2.13-token-mdp.md"),
    ]),
]
