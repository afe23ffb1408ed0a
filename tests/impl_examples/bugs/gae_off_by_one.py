"""GAE with a classic bug: off-by-one-done-mask."""
import numpy as np

KIND = "gae"
EXPECTED_BUG = "off-by-one-done-mask"


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
        # BUG: the flags of step t + 1 (CleanRL indexing applied to per-step flags)
        nt = 1.0 - (term[t + 1] if t + 1 < T else 0.0)
        nd = 1.0 - (done[t + 1] if t + 1 < T else 0.0)
        delta = r[t] + gamma * nv[t] * nt - v[t]
        last = delta + gamma * lam * nd * last
        adv[t] = last
    return adv
