"""A correct GAE written from the definition: split each column into episodes, sum (gamma lam)^l delta."""
import numpy as np


def _one(r, v, nv, term, trunc, gamma, lam):
    T = len(r)
    out = np.zeros(T)
    start = 0
    for end in range(T):
        if term[end] or trunc[end] or end == T - 1:
            deltas = [r[k] + (0.0 if term[k] else gamma * nv[k]) - v[k] for k in range(start, end + 1)]
            for t in range(start, end + 1):
                out[t] = sum((gamma * lam) ** l * deltas[t - start + l] for l in range(end - t + 1))
            start = end + 1
    return out


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    args = [np.asarray(x) for x in (rewards, values, next_values, terminated, truncated)]
    if args[0].ndim == 1:
        return _one(*args, gamma, lam)
    return np.stack([_one(*(a[:, b] for a in args), gamma, lam) for b in range(args[0].shape[1])], axis=1)
