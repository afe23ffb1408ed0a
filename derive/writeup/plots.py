"""The figures of the write-ups, computed with derive's engine (exact values) and sampler.

Each ``plot_*`` function returns a matplotlib Figure (Agg backend) plus a small
dict of the numbers it shows; ``save(fig, path)`` writes a PNG with no
timestamp or software metadata, so the same seed gives byte-identical files.

1. ``plot_convergence``: the Monte Carlo estimate of one policy-gradient
   component converging to the exact value, with a 95% confidence band.
2. ``plot_psi_variance``: the variance of the six psi_t estimators on one MDP, with a fitted critic
   (psi_study.py) beside the true one.
3. ``plot_gae_bias_variance``: bias and variance of GAE as lambda goes 0 -> 1
   with an imperfect critic V^pi + noise.
4. ``plot_ppo_clip``: min(r A, clip(r, 1-eps, 1+eps) A) against the ratio r.
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from ..catalog import catalog  # noqa: E402
from ..engine.evaluate import Env, evaluate, policy_arrays  # noqa: E402
from ..engine.fields import EXACT, FLOAT  # noqa: E402
from ..engine.sampler import rewards, sample_trajectories  # noqa: E402
from ..engine.tables import tables_for  # noqa: E402
from ..engine.values import finite_values  # noqa: E402
from ..mdp import random_instance  # noqa: E402
from ..engine.expectation import sample as sample_expectation  # noqa: E402
from ..check_statements.montecarlo import mc_instance  # noqa: E402
from ..check_statements.quantifiers import base_envs  # noqa: E402
from .i18n import tr  # noqa: E402
from .labels import instance_label  # noqa: E402,F401  (figure titles)
from .plot_fonts import rc_for  # noqa: E402

FIGURES = {
    "pg-convergence.png": "plot_convergence",
    "psi-variance.png": "plot_psi_variance",
    "gae-bias-variance.png": "plot_gae_bias_variance",
    "ppo-clip.png": "plot_ppo_clip",
}

# The six psi_t forms of 2.6.1, in the blog's order: (catalog id, short label).
PSI_FORMS = (
    ("pg.reinforce", "(1) R(tau)"),
    ("pg.psi-reward-to-go", "(2) G_t"),
    ("pg.psi-baseline", "(3) G_t - b(s_t)"),
    ("pg.psi-q", "(4) Q(s_t,a_t)"),
    ("pg.psi-advantage", "(5) A(s_t,a_t)"),
    ("pg.psi-td-error", "(6) delta_t"),
)


def _style(lang: str = "en"):
    plt.rcParams.update({"figure.dpi": 100, "savefig.dpi": 100, "font.size": 10, "axes.grid": True,
                         "grid.alpha": 0.3, "svg.hashsalt": "derive", "font.family": "sans-serif",
                         "font.sans-serif": ["DejaVu Sans"], "axes.unicode_minus": True})
    plt.rcParams.update(rc_for(lang))


def save(fig, path) -> None:
    """Write a PNG without metadata (no Software, no timestamp): byte-identical for the same figure."""
    fig.savefig(path, format="png", metadata={"Software": None})
    plt.close(fig)


def _floats(ten) -> np.ndarray:
    return np.asarray(ten.aligned(ten.axes), dtype=float)


def _exact_and_samples(entry, inst, n, rng):
    """(exact lhs as float array, sampled body of the rhs (n, components)) on one instance."""
    (eenv, _), = list(base_envs(tables_for(inst, EXACT), (entry.lhs, entry.rhs)))[:1]
    (fenv, _), = list(base_envs(tables_for(inst, FLOAT), (entry.lhs, entry.rhs)))[:1]
    exact = _floats(evaluate(entry.lhs, eenv).v).reshape(-1)
    samples = sample_expectation(entry.rhs, fenv, n, rng).v
    axes = ("n",) + tuple(a for a in samples.axes if a != "n")
    return exact, np.asarray(samples.aligned(axes), dtype=float).reshape(n, -1)


# ------------------------------------------------------------------ figure 1
def plot_convergence(seed: int = 0, n: int = 20000, entry_id: str = "pg.psi-reward-to-go", lang: str = "en"):
    """Running mean of one gradient component against the exact value (log x), with a 95% band."""
    _style(lang)
    inst = mc_instance("finite", seed)
    entry = catalog().get(entry_id)
    exact, x = _exact_and_samples(entry, inst, n, np.random.default_rng([seed, 1]))
    k = int(np.argmax(np.abs(exact)))  # the largest component: the clearest picture
    col = x[:, k]
    ns = np.unique(np.logspace(1, np.log10(n), 60).astype(int))
    csum, csq = np.cumsum(col), np.cumsum(col * col)
    mean = csum[ns - 1] / ns
    var = np.maximum(csq[ns - 1] / ns - mean ** 2, 0) * ns / np.maximum(ns - 1, 1)
    half = 1.96 * np.sqrt(var / ns)
    s_idx, a_idx = divmod(k, inst.n_actions)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    ax.fill_between(ns, mean - half, mean + half, color="tab:blue", alpha=0.25, label=tr("95% confidence band", lang))
    ax.plot(ns, mean, color="tab:blue", lw=1.5, label=tr("Monte Carlo estimate (running mean)", lang))
    ax.axhline(exact[k], color="black", ls="--", lw=1.2, label=tr("exact value = {v}", lang).format(v=f"{exact[k]:.4f}"))
    ax.set_xscale("log")
    ax.set_xlabel(tr("number of sampled trajectories N (log scale)", lang))
    ax.set_ylabel(tr("d J / d theta[{s}, {a}]  (return units per logit)", lang).format(s=s_idx, a=a_idx))
    ax.set_title(tr("Policy gradient by sampling ({id}):", lang).format(id=entry_id) + "\n"
                 + instance_label(inst.label, lang))
    ax.legend(loc="best", fontsize=9)
    fig.tight_layout()
    return fig, {"component": f"theta[{s_idx}, {a_idx}]", "exact": float(exact[k]), "estimate": float(mean[-1]),
                 "half_width": float(half[-1]), "n": int(ns[-1])}


# ------------------------------------------------------------------ figure 2
def plot_psi_variance(seed: int = 0, n: int = 20000, lang: str = "en"):
    """The variance of the six psi_t forms with critics FITTED on a few trajectories (psi_study.py), beside the
    ideal case of the true V^pi and Q^pi (light bars); forms whose mean misses the exact gradient are hatched."""
    from .psi_study import BIASED_Z, FORMS, psi_study

    _style(lang)
    study = psi_study(seed, n)
    rows = study["rows"]
    fig, ax = plt.subplots(figsize=(8, 4.4))
    x = np.arange(len(FORMS))
    for critic, dx, color, alpha, name in (("fitted", -0.2, "tab:blue", 1.0, "critic fitted on {m} trajectories"),
                                            ("true", 0.2, "tab:gray", 0.45, "ideal: the true V^pi, Q^pi")):
        got = [r for r in rows if r["critic"] in (critic, "none")]
        pos = [r["form"] - 1 + (dx if r["critic"] != "none" else 0) for r in got]
        if critic == "true":
            got, pos = got[2:], pos[2:]  # (1), (2) need no critic: drawn once
        bars = ax.bar(pos, [r["variance"] for r in got], width=0.4, color=color, alpha=alpha,
                      hatch=None, label=tr(name, lang).format(m=study["rollouts"]))
        for bar, r in zip(bars, got):
            if r["biased"]:
                bar.set_hatch("//")
                bar.set_edgecolor("tab:red")
            ax.annotate(f"{r['variance']:.3g}", (bar.get_x() + bar.get_width() / 2, r["variance"]), ha="center",
                        va="bottom", fontsize=7)
    from matplotlib.patches import Patch

    handles = ax.get_legend_handles_labels()[0] + [Patch(facecolor="white", edgecolor="tab:red", hatch="//", label=tr(
        "biased: mean {z}+ standard errors from the exact gradient", lang).format(z=f"{BIASED_Z:g}"))]
    ax.set_xticks(x)
    ax.set_xticklabels(FORMS, rotation=15)
    ax.set_xlabel(tr("psi_t in  sum_t grad log pi(a_t|s_t) gamma^t psi_t", lang))
    ax.set_ylabel(tr("variance of one-trajectory estimate\n(trace of covariance, (return/logit)^2)", lang))
    ax.set_title(tr("Six psi_t forms with an estimated critic", lang) + "\n"
                 + tr("{label}, N = {n} each", lang).format(label=instance_label(study["label"], lang), n=n))
    ax.legend(handles=handles, loc="upper right", fontsize=8)
    fig.tight_layout()
    return fig, {"rows": [dict(r, label=r["label"] + ("" if r["critic"] == "none" else f" [{r['critic']}]"))
                          for r in rows]}


# ------------------------------------------------------------------ figure 3
def gae_bias_variance(seed: int = 0, n: int = 100000, horizon: int = 8, noise: float = 0.5,
                      lambdas=None):
    """Bias and variance of GAE_0 against the exact A^pi_0(s_0, a_0) with the critic V^pi + noise.

    bias: sqrt(E[(E[GAE_0 | s_0, a_0] - A^pi_0(s_0, a_0))^2]) (conditional means from samples);
    variance: E[Var(GAE_0 | s_0, a_0)].  V^pi_t and A^pi_t are exact (derive's finite_values).
    """
    lambdas = np.linspace(0, 1, 11) if lambdas is None else np.asarray(lambdas, dtype=float)
    inst = random_instance(7000 + seed, 3, 2, horizon, "plain")
    tb = tables_for(inst, EXACT)
    probs, _, _ = policy_arrays(Env(tb), "theta")
    V, _, A = finite_values(tb, probs, None)
    V = np.asarray(V[0], dtype=float)            # (T+1, S), V[T] = 0
    A0 = np.asarray(A[0], dtype=float)[0]        # (S, A) at t = 0
    rng = np.random.default_rng([seed, 3])
    Vhat = V + rng.normal(0.0, noise, size=V.shape)
    Vhat[-1] = 0.0                               # the episode is over: V(s_T) = 0 for every critic
    states, actions = sample_trajectories(inst, np.asarray(probs, dtype=float), n, rng)
    r = rewards(inst, states, actions)
    g = float(inst.gamma)
    T = horizon
    tt = np.arange(T)
    delta = r + g * Vhat[tt + 1, states[:, 1:]] - Vhat[tt, states[:, :-1]]
    cell = states[:, 0] * inst.n_actions + actions[:, 0]
    counts = np.bincount(cell, minlength=inst.n_states * inst.n_actions)
    weight = counts / counts.sum()
    target = A0.reshape(-1)[cell]
    pi = np.asarray(probs, dtype=float)
    bias, action_bias, variance = [], [], []
    for lam in lambdas:
        gae = delta @ ((g * lam) ** tt)
        err = gae - target
        mean = np.bincount(cell, err, minlength=counts.size) / np.maximum(counts, 1)
        sq = np.bincount(cell, err * err, minlength=counts.size) / np.maximum(counts, 1)
        bias.append(float(np.sqrt(np.sum(weight * mean ** 2))))
        m = mean.reshape(inst.n_states, inst.n_actions)
        part = (m - (pi * m).sum(axis=1, keepdims=True)).reshape(-1)  # drop the state-only part (a baseline)
        action_bias.append(float(np.sqrt(np.sum(weight * part ** 2))))
        variance.append(float(np.sum(weight * (sq - mean ** 2))))
    return inst, lambdas, np.array(bias), np.array(action_bias), np.array(variance)


def plot_gae_bias_variance(seed: int = 0, n: int = 100000, lang: str = "en"):
    _style(lang)
    inst, lambdas, bias, action_bias, variance = gae_bias_variance(seed, n)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4.2))
    ax1.plot(lambdas, bias, "o-", color="tab:red", label=tr("bias: RMS of E[GAE_0 | s_0,a_0] - A^pi(s_0,a_0)", lang))
    ax1.plot(lambdas, action_bias, "s--", color="tab:orange",
             label=tr("action-dependent part of the bias\n(the part that biases the policy gradient)", lang))
    ax1.set_xlabel(tr("GAE lambda  (0: TD error, 1: return - V)", lang))
    ax1.set_ylabel(tr("bias (return units)", lang))
    ax1.set_title(tr("Bias falls as lambda -> 1", lang))
    ax1.set_ylim(bottom=0)
    ax1.legend(loc="best", fontsize=8)
    ax2.plot(lambdas, variance, "o-", color="tab:blue", label="E[Var(GAE_0 | s_0,a_0)]")
    ax2.set_xlabel(tr("GAE lambda  (0: TD error, 1: return - V)", lang))
    ax2.set_ylabel(tr("variance ((return units)^2)", lang))
    ax2.set_title(tr("Variance grows as lambda -> 1", lang))
    ax2.set_ylim(bottom=0)
    ax2.legend(loc="best", fontsize=8)
    fig.suptitle(tr("GAE with an imperfect critic V^pi + N(0, 0.5^2) noise: {label}, N = {n}", lang).format(label=instance_label(inst.label, lang), n=n))
    fig.tight_layout()
    return fig, {"lambda": lambdas.tolist(), "bias": bias.tolist(), "action_bias": action_bias.tolist(),
                 "variance": variance.tolist()}


# ------------------------------------------------------------------ figure 4
def plot_ppo_clip(eps: float = 0.2, lang: str = "en"):
    _style(lang)
    r = np.linspace(0.0, 2.0, 401)
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.8), sharex=True)
    for ax, A, color in ((axes[0], 1.0, "tab:green"), (axes[1], -1.0, "tab:red")):
        unclipped = r * A
        clipped = np.clip(r, 1 - eps, 1 + eps) * A
        ax.plot(r, unclipped, ":", color="gray", label=tr("r A (unclipped)", lang))
        ax.plot(r, np.minimum(unclipped, clipped), color=color, lw=2.2, label="min(r A, clip(r, 1-eps, 1+eps) A)")
        for x in (1 - eps, 1 + eps):
            ax.axvline(x, color="black", lw=0.8, ls="--")
        ax.axvline(1.0, color="black", lw=0.6, alpha=0.4)
        ax.set_xlabel(tr("probability ratio r = pi_theta(a|s) / pi_old(a|s)", lang))
        ax.set_ylabel(tr("per-sample objective L^CLIP", lang))
        ax.set_title(f"A = {A:+g}: " + tr("capped at (1+eps) A" if A > 0 else "floored below at (1-eps) A", lang))
        ax.legend(loc="upper left" if A > 0 else "lower left", fontsize=8)
    fig.suptitle(tr("PPO-Clip objective against the ratio (eps = {eps})", lang).format(eps=eps))
    fig.tight_layout()
    return fig, {"eps": eps}


def make_all(out_dir, seed: int = 0, samples: int = 20000, lang: str = "en") -> dict:
    """Write the four PNGs into ``out_dir``; return {file name: numbers shown}."""
    from pathlib import Path

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    info = {}
    for name, fn in FIGURES.items():
        func = globals()[fn]
        if fn == "plot_ppo_clip":
            fig, data = func(lang=lang)
        elif fn == "plot_gae_bias_variance":
            fig, data = func(seed, max(samples * 5, 1000), lang=lang)
        else:
            fig, data = func(seed, samples, lang=lang)
        save(fig, out / name)
        info[name] = data
    return info
