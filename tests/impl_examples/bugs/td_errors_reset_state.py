"""TD errors that take the next value from values[t + 1] (the reset state after an episode boundary)."""
import numpy as np

KIND = "td-errors"
EXPECTED_BUG = "reset-state-bootstrap"


def td_errors(rewards, values, next_values, terminated, gamma):
    values = np.asarray(values, dtype=float)
    nxt = np.concatenate([values[1:], np.asarray(next_values)[-1:]], axis=0)
    return np.asarray(rewards) + gamma * (1 - np.asarray(terminated)) * nxt - values
