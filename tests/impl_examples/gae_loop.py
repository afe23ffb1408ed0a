"""A correct GAE written the common way: a reversed Python loop over t, and over the batch."""
import numpy as np


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    r = np.atleast_2d(np.asarray(rewards, dtype=float).T).T  # (T, B)
    v = np.atleast_2d(np.asarray(values, dtype=float).T).T
    nv = np.atleast_2d(np.asarray(next_values, dtype=float).T).T
    term = np.atleast_2d(np.asarray(terminated).T).T
    trunc = np.atleast_2d(np.asarray(truncated).T).T
    T, B = r.shape
    adv = np.zeros((T, B))
    for b in range(B):
        last = 0.0
        for t in reversed(range(T)):
            not_term = 1.0 - term[t, b]
            delta = r[t, b] + gamma * nv[t, b] * not_term - v[t, b]
            episode_ends = term[t, b] or trunc[t, b] or t == T - 1
            last = delta + (0.0 if episode_ends else gamma * lam * last)
            adv[t, b] = last
    return adv.reshape(np.shape(rewards))
