"""Correct lambda-returns, by the recursion G_t = r_t + gamma ((1 - lam) V(s_{t+1}) + lam G_{t+1})."""
import numpy as np


def lambda_returns(rewards, values, next_values, terminated, truncated, gamma, lam):
    rewards = np.asarray(rewards, dtype=float)
    out = np.zeros_like(rewards)
    T = len(rewards)
    nxt = np.zeros_like(rewards[0])
    for t in reversed(range(T)):
        cut = np.logical_or(np.logical_or(terminated[t], truncated[t]), t == T - 1)
        mix = np.where(cut, next_values[t], (1 - lam) * next_values[t] + lam * nxt)
        nxt = rewards[t] + gamma * (1.0 - terminated[t]) * mix
        out[t] = nxt
    return out
