"""Returns that treat a truncation as a termination."""
import numpy as np

KIND = "returns"
EXPECTED_BUG = "truncation-as-termination"


def returns(rewards, next_values, terminated, truncated, gamma):
    out = np.zeros(np.shape(rewards))
    done = np.logical_or(terminated, truncated)
    T = len(rewards)
    g = np.where(done[-1], 0.0, next_values[-1])  # the end bootstraps
    for t in reversed(range(T)):
        g = rewards[t] + gamma * g * (1 - done[t]) if t < T - 1 else rewards[t] + gamma * g
        out[t] = g
    return out
