"""Actor and critic objectives (blog sections 2.7.1 to 2.7.3, 2.8.1, 2.8.2)."""
from __future__ import annotations

from sympy import Product, log

from ..lang.nodes import Expect, Grad, J, Ret, Rt, TrajProb, TrajReturn
from ..lang.symbols import T, gamma, t, x
from .build import OLD, TH, A_t, E_tau, V_t, at_old, dist, draw, f, old_objective_gradient, pi_t, ratio_t, St, At, sum_t
from .entry import Entry
from .references import GAE_PAPER, KAKADE_LANGFORD, PPO_PAPER, SB, SPINNING_UP, TRPO_PAPER, cite
from .values import STEP

GRAD_J_OLD = at_old(Grad(J(TH)))

ENTRIES = [
    Entry(
        "ac.actor-objective-gradient", "identity", "Actor loss gradient equals the policy gradient at theta_old",
        "actor-critic", "2.7.1",
        old_objective_gradient(log(pi_t(t)) * A_t(t, OLD)), GRAD_J_OLD,
        conditions="finite horizon; samples and advantages from pi_old, gradient taken at theta = theta_old",
        references=(cite(SPINNING_UP, "Other forms of the policy gradient"), cite(GAE_PAPER, "eq. 1")),
        note="The actor minimises -E[sum_t gamma^t log pi_theta(a_t|s_t) A(s_t,a_t)] with A held fixed.",
    ),
    Entry(
        "ac.critic-td-target", "identity", "Critic target: E[r_t + gamma V(s_{t+1}) | s_t] = V(s_t)",
        "actor-critic", "2.7.2",
        Expect(Rt(t) + gamma * V_t(t + 1), *STEP), V_t(t),
        conditions="finite horizon; the true V^pi is the fixed point of the TD target",
        references=(cite(SB, "section 6.1"),),
    ),
    Entry(
        "ac.critic-regression", "identity", "Critic regression: G_t - V(s_t) is orthogonal to every f(s_t)",
        "actor-critic", "2.7.2",
        E_tau((Ret(t) - V_t(t)) * f("f", St(t))), 0,
        conditions="finite horizon; V = V^pi minimises E[(G_t - V(s_t))^2] (first-order condition)",
        references=(cite(SB, "section 9.2"),),
    ),
    Entry(
        "ac.advantage-from-critic", "identity", "Actor and critic meet: A(s_t,a_t) = E[delta_t | s_t, a_t]",
        "actor-critic", "2.7.3",
        A_t(t), E_tau(Rt(t) + gamma * V_t(t + 1) - V_t(t), given=(St(t), At(t))),
        conditions="finite horizon; the critic's true V^pi; (s_t, a_t) reachable",
        references=(cite(GAE_PAPER, "eq. 10"),),
    ),
    Entry(
        "is.identity", "identity", "Importance sampling: E_p[f] = E_q[(p/q) f]", "importance-sampling", "2.8.2",
        Expect(f("f", x), draw(x, "p")), Expect(dist("p", x) / dist("q", x) * f("f", x), draw(x, "q")),
        conditions="support of q covers the support of p (q(x) > 0 wherever p(x) f(x) != 0)",
        references=(cite(SB, "section 5.5"),),
    ),
    Entry(
        "is.variance", "identity", "Variance of the importance-sampling estimator", "importance-sampling", "2.8.2",
        Expect((dist("p", x) / dist("q", x) * f("f", x)) ** 2, draw(x, "q"))
        - Expect(dist("p", x) / dist("q", x) * f("f", x), draw(x, "q")) ** 2,
        Expect(f("f", x) ** 2 * dist("p", x) / dist("q", x), draw(x, "p")) - Expect(f("f", x), draw(x, "p")) ** 2,
        conditions="q > 0 on the support of p; the variance grows with p/q (the reason PPO keeps pi near pi_old)",
        references=(cite(SB, "section 5.5"),),
    ),
    Entry(
        "is.trajectory-ratio", "identity", "Trajectory ratio: the dynamics cancel", "importance-sampling", "2.8.2",
        TrajProb(TH) / TrajProb(OLD), Product(ratio_t(t), (t, 0, T - 1)),
        conditions="every trajectory with P(tau|theta_old) > 0; rho_0 and P(s'|s,a) are the same for both policies",
        references=(cite(SB, "eq. 5.3"),),
    ),
    Entry(
        "is.trajectory-expectation", "identity", "Off-policy return with the trajectory ratio", "importance-sampling",
        "2.8.2",
        E_tau(TrajReturn()), E_tau(Product(ratio_t(t), (t, 0, T - 1)) * TrajReturn(), OLD),
        conditions="finite horizon; pi_old > 0 wherever pi_theta > 0 (softmax policies always are)",
        references=(cite(SB, "eq. 5.4"),),
    ),
    Entry(
        "is.surrogate-gradient", "identity", "Per-step ratio surrogate has the policy gradient at theta_old",
        "importance-sampling", "2.8.2",
        old_objective_gradient(ratio_t(t) * A_t(t, OLD)), GRAD_J_OLD,
        conditions="finite horizon; only at theta = theta_old (elsewhere the state distribution differs)",
        references=(cite(PPO_PAPER, "eq. 6"),),
    ),
    # ------------------------------------------------------------ mistakes
    Entry(
        "mistake.inverted-ratio", "mistake", "Inverted importance ratio", "importance-sampling", "2.8.2",
        Expect(f("f", x), draw(x, "p")), Expect(dist("q", x) / dist("p", x) * f("f", x), draw(x, "q")),
        mistake="inverted importance ratio: samples from q are reweighted by p/q (target over proposal)",
        corrects="is.identity", references=(cite(SB, "section 5.5"),),
    ),
    Entry(
        "mistake.is-variance-unchanged", "mistake", "Importance sampling keeps the variance", "importance-sampling",
        "2.8.2",
        Expect((dist("p", x) / dist("q", x) * f("f", x)) ** 2, draw(x, "q"))
        - Expect(dist("p", x) / dist("q", x) * f("f", x), draw(x, "q")) ** 2,
        Expect(f("f", x) ** 2, draw(x, "p")) - Expect(f("f", x), draw(x, "p")) ** 2,
        mistake="reweighting keeps the mean, not the variance: the second moment is E_p[f^2 p/q]",
        corrects="is.variance", references=(cite(SB, "section 5.5"),),
    ),
    Entry(
        "mistake.surrogate-is-improvement", "mistake", "The ratio surrogate is the improvement J(theta) - J(theta_old)",
        "importance-sampling", "2.8.2",
        E_tau(sum_t(gamma ** t * ratio_t(t) * A_t(t, OLD)), OLD), J(TH) - J(OLD),
        mistake="the surrogate E_{tau~pi_old}[sum_t gamma^t r_t(theta) A^old_t] = L_old(theta) - J(theta_old) "
                "reweights the actions but keeps the OLD state distribution; it matches J(theta) - J(theta_old) "
                "only to first order at theta_old (value 0, same gradient); away from theta_old the exact "
                "difference needs the new policy's states (performance difference lemma)",
        corrects="trpo.pdl-trajectory", references=(cite(TRPO_PAPER, "eqs. 1-4"), cite(KAKADE_LANGFORD)),
    ),
]

__all__ = ["ENTRIES"]
