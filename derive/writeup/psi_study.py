"""The variance (and bias) of the six psi_t forms of blog section 2.6.1, with critics fitted as in practice.

The policy gradient (finite horizon T, tabular softmax pi_theta, docs/conventions.md) is estimated from one
trajectory by ``g = sum_t grad log pi_theta(a_t|s_t) psi_t`` with (GAE paper, Schulman et al. 2016, eq. 1,
discounted: each form carries gamma^t except (1))

    (1) R(tau)   (2) gamma^t G_t   (3) gamma^t (G_t - V(s_t))   (4) gamma^t Q(s_t, a_t)
    (5) gamma^t (Q(s_t, a_t) - V(s_t))   (6) gamma^t (r_t + gamma V(s_{t+1}) - V(s_t)).

Forms (3)-(6) need a critic.  With the TRUE V^pi and Q^pi (derive's exact finite_values) every form is
unbiased; in practice the critic is ESTIMATED.  Here it is fitted the way practice does it, by regression
on sampled returns: from ``rollouts`` independent trajectories (their own seeded stream), V_hat_t(s) is the
mean of G_t over the visits of s at time t and Q_hat_t(s, a) the mean over the visits of (s, a) (the least
squares fit of a tabular critic); a pair never visited gets V_hat = 0 (an untrained critic) and Q_hat =
V_hat_t(s).  V_hat(s_T) = 0 (the episode is over).

``psi_study(seed, n, rollouts)`` samples n trajectories once (all forms see the same trajectories) and
returns, per form and critic, the per-trajectory variance (trace of the covariance over the S*A gradient
components) and the bias: the largest |mean - exact| over components and its z-score (in standard errors;
``BIASED_Z``: beyond it the form is reported biased).  ``psi_claims(study)`` compares the usual claims about
the ordering of the variances with what this study shows; ``psi_text(study, lang)`` writes the sentence the
blog prints under the figure, from these numbers only, so the text says what the figure shows.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..check_statements.montecarlo import mc_instance
from ..engine.evaluate import Env, policy_arrays
from ..engine.fields import EXACT
from ..engine.sampler import rewards, sample_trajectories
from ..engine.tables import tables_for
from ..engine.values import finite_values
from .i18n import tr

ROLLOUTS = 20     # trajectories the critic is fitted on (a small batch, as in one PPO iteration per state)
BIASED_Z = 5.0    # |mean - exact| beyond this many standard errors (largest component): reported biased
FORMS = ("(1) R(tau)", "(2) G_t", "(3) G_t - V(s_t)", "(4) Q(s_t,a_t)", "(5) A(s_t,a_t)", "(6) delta_t")


def _returns(r: np.ndarray, g: float) -> np.ndarray:
    """G_t = sum_{t'>=t} gamma^(t'-t) r_t' for each row of r (n, T): (n, T + 1) with G_T = 0."""
    n, T = r.shape
    G = np.zeros((n, T + 1))
    for t in range(T - 1, -1, -1):
        G[:, t] = r[:, t] + g * G[:, t + 1]
    return G


def fit_critic(inst, probs: np.ndarray, rollouts: int, rng) -> tuple:
    """(V_hat (T+1, S), Q_hat (T, S, A)): tabular Monte Carlo regression of the returns of ``rollouts`` trajectories."""
    T, S, A = inst.horizon, inst.n_states, inst.n_actions
    states, actions = sample_trajectories(inst, probs, rollouts, rng)
    G = _returns(rewards(inst, states, actions), float(inst.gamma))
    V, Q = np.zeros((T + 1, S)), np.zeros((T, S, A))
    for t in range(T):
        v_sum = np.bincount(states[:, t], G[:, t], minlength=S)
        v_cnt = np.bincount(states[:, t], minlength=S)
        V[t] = np.where(v_cnt > 0, v_sum / np.maximum(v_cnt, 1), 0.0)
        cell = states[:, t] * A + actions[:, t]
        q_sum = np.bincount(cell, G[:, t], minlength=S * A).reshape(S, A)
        q_cnt = np.bincount(cell, minlength=S * A).reshape(S, A)
        Q[t] = np.where(q_cnt > 0, q_sum / np.maximum(q_cnt, 1), V[t][:, None])
    return V, Q


def exact_gradient(inst, probs: np.ndarray, A_true: np.ndarray) -> np.ndarray:
    """grad J[s, b] = sum_t gamma^t Pr(s_t = s) pi(b|s) A^pi_t(s, b) (the tabular softmax policy gradient)."""
    tb = tables_for(inst, EXACT)
    P = np.asarray(tb.inst.P, dtype=float)        # (S, A, S')
    d = np.asarray(inst.rho0, dtype=float)
    g, out = float(inst.gamma), np.zeros_like(probs)
    for t in range(inst.horizon):
        out += g ** t * d[:, None] * probs * A_true[t]
        d = np.einsum("s,sa,sat->t", d, probs, P)
    return out.reshape(-1)


@lru_cache(maxsize=8)
def psi_study(seed: int = 0, n: int = 20000, rollouts: int = ROLLOUTS) -> dict:
    inst = mc_instance("finite", seed)
    tb = tables_for(inst, EXACT)
    probs_exact, _, _ = policy_arrays(Env(tb), "theta")
    V_ex, Q_ex, A_ex = finite_values(tb, probs_exact, None)
    probs = np.asarray(probs_exact, dtype=float)
    V_true, Q_true = np.asarray(V_ex[0], dtype=float), np.asarray(Q_ex[0], dtype=float)
    exact = exact_gradient(inst, probs, np.asarray(A_ex[0], dtype=float))
    V_fit, Q_fit = fit_critic(inst, probs, rollouts, np.random.default_rng([seed, 4]))
    states, actions = sample_trajectories(inst, probs, n, np.random.default_rng([seed, 2]))
    r = rewards(inst, states, actions)
    T, S, A, g = inst.horizon, inst.n_states, inst.n_actions, float(inst.gamma)
    G = _returns(r, g)
    disc = g ** np.arange(T)
    tt = np.arange(T)
    score = -probs[states[:, :-1]]                          # d log pi(a_t|s_t) / d theta[s_t, b], (n, T, A)
    np.put_along_axis(score, actions[..., None], np.take_along_axis(score, actions[..., None], 2) + 1, 2)

    def estimate(psi: np.ndarray) -> np.ndarray:            # psi (n, T) -> one gradient per trajectory (n, S*A)
        out = np.zeros((len(psi), S, A))
        for t in range(T):
            np.add.at(out, (np.arange(len(psi)), states[:, t]), psi[:, t, None] * score[:, t])
        return out.reshape(len(psi), -1)

    def forms(V, Q) -> list:
        v_now, v_next = V[tt, states[:, :-1]], V[tt + 1, states[:, 1:]]
        q = Q[tt, states[:, :-1], actions]
        return [disc * (G[:, :-1] - v_now), disc * q, disc * (q - v_now), disc * (r + g * v_next - v_now)]

    psis = [("none", G[:, :1] * np.ones((1, T))), ("none", disc * G[:, :-1])]
    psis += [("fitted", p) for p in forms(V_fit, Q_fit)] + [("true", p) for p in forms(V_true, Q_true)]
    rows = []
    for i, (critic, psi) in enumerate(psis):
        x = estimate(psi)
        se = x.std(axis=0, ddof=1) / np.sqrt(n)
        err = np.abs(x.mean(axis=0) - exact)
        z = float(np.max(np.where(se > 0, err / np.where(se > 0, se, 1), np.where(err > 1e-12, np.inf, 0.0))))
        form = i if i < 2 else 2 + (i - 2) % 4
        rows.append({"form": form + 1, "label": FORMS[form], "critic": critic, "variance": float(x.var(axis=0, ddof=1).sum()),
                     "max_abs_error": float(err.max()), "bias_z": z, "biased": z > BIASED_Z})
    critic_error = float(np.sqrt(np.mean((V_fit[:T] - V_true[:T]) ** 2)))
    return {"label": inst.label, "n": n, "rollouts": rollouts, "rows": rows, "critic_rms_error": critic_error}


def _row(study: dict, form: int, critic: str) -> dict:
    return next(r for r in study["rows"] if r["form"] == form and r["critic"] in (critic, "none"))


# The claims usually made about psi_t (Schulman et al. 2016, GAE paper, sec. 2; the blog's own "balance"),
# each as (English text, form a, form b): "the variance of (a) is smaller than that of (b)", fitted critics.
CLAIMS = (
    ("dropping the past rewards lowers the variance: (2) below (1)", 2, 1),
    ("subtracting the baseline lowers it further: (3) below (2)", 3, 2),
    ("the advantage has a lower variance than the action value: (5) below (4)", 5, 4),
    ("bootstrapping with the TD error lowers it below the return minus the baseline: (6) below (3)", 6, 3),
)


def psi_claims(study: dict) -> list:
    """[(claim, shown)]: does the figure (fitted critics) show each usual claim?"""
    return [(text, _row(study, a, "fitted")["variance"] < _row(study, b, "fitted")["variance"]) for text, a, b in CLAIMS]


def psi_text(study: dict, lang: str = "en") -> str:
    """What the figure shows, in words, from the study's numbers only."""
    fitted = sorted((r for r in study["rows"] if r["critic"] in ("none", "fitted")), key=lambda r: -r["variance"])
    order = " > ".join(f"({r['form']})" for r in fitted)
    biased = [f"({r['form']})" for r in study["rows"] if r["critic"] == "fitted" and r["biased"]]
    unbiased = [f"({r['form']})" for r in study["rows"] if r["critic"] in ("none", "fitted") and not r["biased"]]
    true_biased = [f"({r['form']})" for r in study["rows"] if r["critic"] == "true" and r["biased"]]
    sep = "、" if lang == "zh" else ", "
    out = [tr("With critics fitted on {m} trajectories (RMS error of V_hat: {e}), the variances order as {order}.",
              lang).format(m=study["rollouts"], e=f"{study['critic_rms_error']:.2g}", order=order)]
    if biased:
        out.append(tr("With the fitted critic, {forms} are biased: their mean is {z} or more standard errors away "
                      "from the exact gradient; {ok} are unbiased within the sampling error.", lang).format(
            forms=sep.join(biased), z=f"{BIASED_Z:g}", ok=sep.join(unbiased)))
    else:
        out.append(tr("With the fitted critic no form is detectably biased here (every mean within {z} standard "
                      "errors of the exact gradient).", lang).format(z=f"{BIASED_Z:g}"))
    if true_biased:  # never expected: the true critics give unbiased estimators (catalog pg.psi-*)
        out.append(tr("With the true critics {forms} deviate beyond {z} standard errors: a sampling accident or a bug.",
                      lang).format(forms=sep.join(true_biased), z=f"{BIASED_Z:g}"))
    shown = [tr(text, lang) for text, ok in psi_claims(study) if ok]
    not_shown = [tr(text, lang) for text, ok in psi_claims(study) if not ok]
    if shown:
        out.append(tr("The figure shows: {claims}.", lang).format(claims=("；" if lang == "zh" else "; ").join(shown)))
    if not_shown:
        out.append(tr("The figure does not show: {claims} (on this MDP, with this critic, it is not so; these are "
                      "tendencies, not theorems).", lang).format(claims=("；" if lang == "zh" else "; ").join(not_shown)))
    return ("" if lang == "zh" else " ").join(out)
