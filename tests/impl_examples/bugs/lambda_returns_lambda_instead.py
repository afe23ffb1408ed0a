"""lambda-returns through a GAE with lambda where gamma*lambda belongs."""
import numpy as np

KIND = "lambda-returns"
EXPECTED_BUG = "lambda-instead-of-gamma-lambda"


def lambda_returns(rewards, values, next_values, terminated, truncated, gamma, lam):
    r = np.asarray(rewards, dtype=float)
    done = np.logical_or(terminated, truncated)
    adv = np.zeros_like(r)
    last = np.zeros_like(r[0])
    for t in reversed(range(len(r))):
        delta = r[t] + gamma * (1 - terminated[t]) * next_values[t] - values[t]
        last = delta + lam * (1 - done[t]) * last
        adv[t] = last
    return adv + values
