"""A correct GAE (derive's conventions) that hostile submissions import as a sibling file."""
import numpy as np


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    r, v, nv = (np.asarray(x, dtype=float) for x in (rewards, values, next_values))
    term, trunc = np.asarray(terminated, dtype=float), np.asarray(truncated, dtype=float)
    adv = np.zeros_like(r)
    last = np.zeros_like(r[0])
    for t in reversed(range(len(r))):
        delta = r[t] + gamma * (1.0 - term[t]) * nv[t] - v[t]
        ends = np.maximum(term[t], trunc[t]) if t < len(r) - 1 else np.ones_like(r[t])
        last = delta + gamma * lam * (1.0 - ends) * last
        adv[t] = last
    return adv


def zeros(rewards, *args):
    return np.zeros(np.shape(rewards))


def result_fd():
    """The worker's result pipe, found the way an attacker would: the caller's frame, else /proc/self/fd."""
    import os
    import sys

    for depth in range(1, 6):
        try:
            loc = sys._getframe(depth).f_locals
        except ValueError:
            break
        if "resp" in loc:
            return loc["resp"], loc.get("cid")
    fds = sorted(int(x) for x in os.listdir("/proc/self/fd") if int(x) > 2)
    return (fds[-1] if fds else 4), None
