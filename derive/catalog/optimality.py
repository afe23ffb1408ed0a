"""Optimal values, Bellman optimality and policy improvement (added section 2.14).

V*, Q*, A* are computed exactly (derive/engine/optimal.py): policy iteration in rationals when
discounted, backward induction with max over a finite horizon.  pi_* is greedy w.r.t. Q*, pi_greedy
is greedy w.r.t. Q^{pi_theta}; both split ties evenly over the maximising actions.
"""
from __future__ import annotations

from sympy import Integer
from sympy.core.symbol import Str

from ..lang.nodes import Expect, InitDraw, J, MaxOver, PolicyDraw, Rew, TransDraw
from ..lang.optimal import ArgMax, a_star, q_star, v_star
from ..lang.symbols import a, a2, gamma, s, s2, t
from .build import TH, Q_sa, St, V_s, V_t
from .entry import Entry
from .references import PUTERMAN, SB, cite

D = "discounted"
STAR = Str("star")
GREEDY = Str("greedy")


def _backup(value_next, state=s):
    """E_{s' ~ P(.|s,a)}[R(s,a,s') + gamma value_next(s')]."""
    return Expect(Rew(state, a, s2) + gamma * value_next, TransDraw(s2, state, a))


ENTRIES = [
    Entry(
        "optimality.v-max-q", "identity", "V*(s) = max_a Q*(s, a)", "optimality", "2.14",
        v_star(s), MaxOver(q_star(s, a), a), setting=D,
        conditions="discounted, gamma < 1; every state",
        references=(cite(SB, "eq. 3.18"),),
    ),
    Entry(
        "optimality.q-from-v", "identity", "Q*(s, a) = E_{s'}[R(s,a,s') + gamma V*(s')]", "optimality", "2.14",
        q_star(s, a), _backup(v_star(s2)), setting=D,
        conditions="discounted, gamma < 1; every state and action",
        references=(cite(SB, "eq. 3.17"),),
    ),
    Entry(
        "optimality.bellman-v", "identity", "Bellman optimality equation for V*", "optimality", "2.14",
        v_star(s), MaxOver(_backup(v_star(s2)), a), setting=D,
        conditions="discounted, gamma < 1",
        references=(cite(SB, "eq. 3.19"),),
    ),
    Entry(
        "optimality.bellman-q", "identity", "Bellman optimality equation for Q*", "optimality", "2.14",
        q_star(s, a), Expect(Rew(s, a, s2) + gamma * MaxOver(q_star(s2, a2), a2), TransDraw(s2, s, a)), setting=D,
        conditions="discounted, gamma < 1",
        references=(cite(SB, "eq. 3.20"),),
    ),
    Entry(
        "optimality.v-star-dominates", "identity", "V*(s) >= V^pi(s) for every policy", "optimality", "2.14",
        v_star(s), V_s(s), setting=D, relation=">=",
        conditions="discounted; pi_theta is any (softmax) policy; an inequality: the report gives the smallest slack",
        references=(cite(SB, "eq. 3.15"),),
    ),
    Entry(
        "optimality.optimal-policy", "identity", "The greedy policy w.r.t. Q* is optimal: V^{pi_*} = V*", "optimality",
        "2.14",
        V_s(s, STAR), v_star(s), setting=D,
        conditions="discounted; pi_* puts its probability on the maximisers of Q*(s, .) (ties split evenly)",
        references=(cite(SB, "section 3.6"),),
    ),
    Entry(
        "optimality.policy-improvement", "identity", "Policy improvement theorem: V^{greedy(Q^pi)} >= V^pi",
        "optimality", "2.14",
        V_s(s, GREEDY), V_s(s), setting=D, relation=">=",
        conditions="discounted; pi_greedy is greedy w.r.t. Q^{pi_theta} (ties split evenly, S&B eq. 4.9)",
        references=(cite(SB, "eqs. 4.7-4.9"),),
    ),
    Entry(
        "optimality.improvement-step", "identity", "E_{a ~ greedy}[Q^pi(s, a)] = max_a Q^pi(s, a) >= V^pi(s)",
        "optimality", "2.14",
        Expect(Q_sa(s, a), PolicyDraw(a, GREEDY, s)),
        V_s(s), setting=D, relation=">=",
        conditions="discounted; the hypothesis q_pi(s, pi'(s)) >= v_pi(s) of the policy improvement theorem, met "
                   "with the greedy pi'",
        references=(cite(SB, "eq. 4.7"),),
    ),
    Entry(
        "optimality.greedy-action", "identity", "Q*(s, argmax_a Q*(s, a)) = V*(s)", "optimality", "2.14",
        q_star(s, ArgMax(q_star(s, a), a)), v_star(s), setting=D,
        conditions="discounted; argmax_a is any maximiser (derive takes the smallest index)",
        references=(cite(SB, "section 3.6"),),
    ),
    Entry(
        "optimality.advantage-max-zero", "identity", "max_a A*(s, a) = 0", "optimality", "2.14",
        MaxOver(a_star(s, a), a), Integer(0), setting=D,
        conditions="discounted; A* = Q* - V*",
        references=(cite(SB, "eq. 3.18"),),
    ),
    Entry(
        "optimality.start-value", "identity", "J(pi_*) = E_{s ~ rho_0}[max_a Q*(s, a)]", "optimality", "2.14",
        J(STAR), Expect(MaxOver(q_star(s, a), a), InitDraw(s)),
        setting=D,
        conditions="discounted; the optimal policy chooses its action after seeing the state",
        references=(cite(SB, "section 3.6"),),
    ),
    Entry(
        "optimality.finite-backward-induction", "identity",
        "Finite horizon: V*_t(s_t) = max_a E[R + gamma V*_{t+1}(s')] (backward induction)", "optimality", "2.14",
        v_star(St(t)), MaxOver(_backup(v_star(s2, t + 1), St(t)), a),
        conditions="finite horizon, V*_T = 0; every s_t",
        references=(cite(PUTERMAN, "chapter 4 (backward induction)"),),
    ),
    Entry(
        "optimality.finite-dominates", "identity", "Finite horizon: V*_t(s_t) >= V^pi_t(s_t)", "optimality", "2.14",
        v_star(St(t)), V_t(t), relation=">=",
        conditions="finite horizon; any policy; an inequality: the report gives the smallest slack",
        references=(cite(SB, "eq. 3.15"),),
    ),
    # ------------------------------------------------------------ mistakes
    Entry(
        "mistake.v-star-any-policy", "mistake", "V* = E_{a ~ pi}[Q*] for an arbitrary pi", "optimality", "2.14",
        v_star(s), Expect(q_star(s, a), PolicyDraw(a, TH, s)), setting=D,
        mistake="V* averages Q* only under an optimal policy; an arbitrary pi puts weight on worse actions, so "
                "E_{a~pi}[Q*(s,a)] <= max_a Q*(s,a) = V*(s)",
        corrects="optimality.v-max-q", references=(cite(SB, "eq. 3.18"),),
    ),
    Entry(
        "mistake.max-inside-expectation", "mistake", "max_a E_{s ~ rho_0}[Q*(s, a)] = E_{s ~ rho_0}[max_a Q*(s, a)]",
        "optimality", "2.14",
        MaxOver(Expect(q_star(s, a), InitDraw(s)), a), Expect(MaxOver(q_star(s, a), a), InitDraw(s)), setting=D,
        mistake="the max moved inside an expectation: one action for every state (max_a E) is worth less than "
                "choosing after seeing the state (E max_a); in general max_a E[X_a] <= E[max_a X_a]",
        corrects="optimality.start-value", references=(cite(SB, "section 3.6"),),
    ),
    Entry(
        "mistake.greedy-wrt-v", "mistake", "Greedy with respect to V* of the next state instead of Q*", "optimality",
        "2.14",
        q_star(s, ArgMax(Expect(v_star(s2), TransDraw(s2, s, a)), a)), v_star(s), setting=D,
        mistake="greedy w.r.t. V instead of Q: the action must maximise Q*(s,a) = E[R(s,a,s') + gamma V*(s')], "
                "the reward of the step included; maximising the next state's value E[V*(s')] ignores it",
        corrects="optimality.greedy-action", references=(cite(SB, "section 3.6"),),
    ),
]

__all__ = ["ENTRIES"]
