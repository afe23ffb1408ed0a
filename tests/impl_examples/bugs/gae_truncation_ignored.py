"""GAE with a classic bug: truncation-ignored."""
import numpy as np

KIND = "gae"
EXPECTED_BUG = "truncation-ignored"


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    r = np.asarray(rewards, dtype=np.float64)
    v = np.asarray(values, dtype=np.float64)
    nv = np.asarray(next_values, dtype=np.float64)
    term = np.asarray(terminated, dtype=np.float64)
    trunc = np.asarray(truncated, dtype=np.float64)
    done = np.maximum(term, trunc)
    T = len(r)
    adv = np.zeros_like(r)
    last = np.zeros_like(r[0])
    for t in reversed(range(T)):
        nxt = v[t + 1] if t + 1 < T else nv[t]  # BUG: only terminated is looked at
        delta = r[t] + gamma * nxt * (1 - term[t]) - v[t]
        last = delta + gamma * lam * (1 - term[t]) * last
        adv[t] = last
    return adv
