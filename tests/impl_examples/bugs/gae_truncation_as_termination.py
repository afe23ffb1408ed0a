"""GAE with a classic bug: truncation-as-termination."""
import numpy as np

KIND = "gae"
EXPECTED_BUG = "truncation-as-termination"


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
        delta = r[t] + gamma * nv[t] * (1 - done[t]) - v[t]  # BUG: done, not terminated
        last = delta + gamma * lam * (1 - done[t]) * last
        adv[t] = last
    return adv
