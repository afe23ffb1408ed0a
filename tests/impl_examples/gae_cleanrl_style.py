"""A correct GAE in the CleanRL style: vectorised over the batch, next_nonterminal masks, loop over t."""
import numpy as np


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    rewards = np.asarray(rewards, dtype=np.float64)
    advantages = np.zeros_like(rewards)
    lastgaelam = np.zeros_like(rewards[0])
    dones = np.logical_or(terminated, truncated).astype(np.float64)
    next_nonterminal = 1.0 - np.asarray(terminated, dtype=np.float64)
    T = len(rewards)
    for t in reversed(range(T)):
        delta = rewards[t] + gamma * next_values[t] * next_nonterminal[t] - values[t]
        carry = 0.0 if t == T - 1 else 1.0 - dones[t]
        lastgaelam = delta + gamma * lam * carry * lastgaelam
        advantages[t] = lastgaelam
    return advantages
