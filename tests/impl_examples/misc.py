"""Misbehaving functions: derive must report each clearly, never crash."""
import os
import sys

import numpy as np


def raises(rewards, values, next_values, terminated, truncated, gamma, lam):
    raise RuntimeError("not implemented yet")


def wrong_shape(rewards, values, next_values, terminated, truncated, gamma, lam):
    return np.zeros(len(rewards) + 1)


def transposed(rewards, values, next_values, terminated, truncated, gamma, lam):
    return np.zeros(np.shape(rewards)).T


def nan(rewards, values, next_values, terminated, truncated, gamma, lam):
    return np.full(np.shape(rewards), np.nan)


def returns_none(rewards, values, next_values, terminated, truncated, gamma, lam):
    return None


def loops_forever(rewards, values, next_values, terminated, truncated, gamma, lam):
    while True:
        pass


def exits(rewards, values, next_values, terminated, truncated, gamma, lam):
    sys.exit(3)


def hard_exit(rewards, values, next_values, terminated, truncated, gamma, lam):
    os._exit(7)


def eats_memory(rewards, values, next_values, terminated, truncated, gamma, lam):
    return np.ones((1 << 40,))


def only_1d(rewards, values, next_values, terminated, truncated, gamma, lam):
    if np.ndim(rewards) != 1:
        raise ValueError("batched input not supported")
    from gae_loop import gae  # a sibling file (the child cannot import derive)
    return gae(rewards, values, next_values, terminated, truncated, gamma, lam)


def prints(rewards, values, next_values, terminated, truncated, gamma, lam):
    print("debug output on stdout")
    from gae_loop import gae  # a sibling file (the child cannot import derive)
    return gae(rewards, values, next_values, terminated, truncated, gamma, lam)


def two_bugs(rewards, values, next_values, terminated, truncated, gamma, lam):
    """lambda instead of gamma*lambda AND truncation as termination."""
    r = np.asarray(rewards, dtype=float)
    done = np.logical_or(terminated, truncated).astype(float)
    out = np.zeros_like(r)
    last = np.zeros_like(r[0])
    for t in reversed(range(len(r))):
        delta = r[t] + gamma * next_values[t] * (1 - done[t]) - values[t]
        last = delta + lam * (1 - done[t]) * last
        out[t] = last
    return out


not_a_function = 3
