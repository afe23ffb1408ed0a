"""Returns that run on past a truncation into the next episode."""
import numpy as np

KIND = "returns"
EXPECTED_BUG = "returns-run-past-truncation"


def returns(rewards, next_values, terminated, truncated, gamma):
    rewards = np.asarray(rewards, dtype=float)
    out = np.zeros_like(rewards)
    T = len(rewards)
    g = np.asarray(next_values[-1], dtype=float)
    for t in reversed(range(T)):
        g = rewards[t] + gamma * (1.0 - terminated[t]) * g
        out[t] = g
    return out
