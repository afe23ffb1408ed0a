"""lambda-returns that forget to add the values back (they return the advantages)."""
import numpy as np

KIND = "lambda-returns"
EXPECTED_BUG = "missing-values"


def lambda_returns(rewards, values, next_values, terminated, truncated, gamma, lam):
    r, v, nv = (np.asarray(x, dtype=float) for x in (rewards, values, next_values))
    term, trunc = np.asarray(terminated, dtype=float), np.asarray(truncated, dtype=float)
    adv = np.zeros_like(r)
    last = np.zeros_like(r[0])
    for t in reversed(range(len(r))):
        delta = r[t] + gamma * (1.0 - term[t]) * nv[t] - v[t]
        ends = np.maximum(term[t], trunc[t]) if t < len(r) - 1 else np.ones_like(r[t])
        last = delta + gamma * lam * (1.0 - ends) * last
        adv[t] = last
    return adv  # the bug: should be adv + v
