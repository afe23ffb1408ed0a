"""Returns with a missing (1 - done): G_t = r_t + gamma G_{t+1} straight through terminations."""
import numpy as np

KIND = "returns"
EXPECTED_BUG = "missing-done-mask"


def returns(rewards, next_values, terminated, truncated, gamma):
    rewards = np.asarray(rewards, dtype=float)
    out = np.zeros_like(rewards)
    T = len(rewards)
    g = np.zeros_like(rewards[0])
    for t in reversed(range(T)):
        cut = np.logical_or(truncated[t], t == T - 1)
        g = rewards[t] + gamma * np.where(cut, next_values[t], g)
        out[t] = g
    return out
