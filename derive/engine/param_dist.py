"""Parameterised distributions over the sample space X: ``P_\\theta(x)``, ``p_\\theta(x)``.

Spinning Up's EGLP lemma (``\\mathbb{E}_{x \\sim P_\\theta}[\\nabla_\\theta \\log P_\\theta(x)] = 0``) and
the log-derivative trick (``\\nabla_\\theta \\mathbb{E}_{x \\sim p_\\theta}[f(x)]``) are about a
distribution over a sample space that depends on theta.  derive reads it as an exponential family on
the finite space X that shares theta with ``\\pi_\\theta`` (a softmax with features, as ``\\pi_\\theta``
is the softmax of a one-state bandit when X is the action set):

    P_\\theta(x) = h(x) exp(theta . phi(x)) / Z(theta),        Z(theta) = sum_y h(y) exp(theta . phi(y))

    grad_theta P_\\theta(x) = P_\\theta(x) (phi(x) - sum_y P_\\theta(y) phi(y))

On each random instance the value P_\\theta(.) at the instance's theta is a rational distribution with
full support (drawn like a free distribution, seeded by the name) and phi: X -> Q^{|S||A|} a seeded
rational feature table (theta has |S||A| components, those of \\pi_\\theta); the base measure h makes
every such value reachable.  Values and gradients are therefore exact rationals, carried by the
evaluator's dual numbers like the score of \\pi_\\theta (docs/conventions.md).
"""
from __future__ import annotations

PARAM_DISTS = (r"P_\theta", r"p_\theta")  # the names the reader gives them (FreeProb / FreeDraw)


def is_param_dist(name: str) -> bool:
    return name in PARAM_DISTS


def param_score(tables, name: str, probs):
    """d P_theta(x) / d theta[k] = P(x) (phi[x, k] - sum_y P(y) phi[y, k]), shape (|X|, |S||A|)."""
    key = ("param_score", name)
    if key in tables.memo:
        return tables.memo[key]
    n_x, n_theta = len(probs), tables.n_theta
    phi = tables.inst.free_function("phi:" + name, (n_x, n_theta))
    field = tables.field
    out = field.zeros((n_x, n_theta))
    for k in range(n_theta):
        mean = field.const(0)
        for y in range(n_x):
            mean = mean + probs[y] * field.const(phi[y][k])
        for x in range(n_x):
            out[x, k] = probs[x] * (field.const(phi[x][k]) - mean)
    tables.memo[key] = out
    return out


__all__ = ["PARAM_DISTS", "is_param_dist", "param_score"]
