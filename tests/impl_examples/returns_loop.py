"""Correct discounted returns: reversed loop, bootstrap at truncation and at the end of the arrays."""
import numpy as np


def returns(rewards, next_values, terminated, truncated, gamma):
    rewards = np.asarray(rewards, dtype=float)
    out = np.zeros_like(rewards)
    T = len(rewards)
    running = np.zeros_like(rewards[0])
    for t in reversed(range(T)):
        cut = np.logical_or(truncated[t], t == T - 1)
        following = np.where(cut, next_values[t], running)
        running = rewards[t] + gamma * (1.0 - terminated[t]) * following
        out[t] = running
    return out
