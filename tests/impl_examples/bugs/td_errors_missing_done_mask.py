"""TD errors without (1 - terminated)."""
import numpy as np

KIND = "td-errors"
EXPECTED_BUG = "missing-done-mask"


def td_errors(rewards, values, next_values, terminated, gamma):
    return np.asarray(rewards) + gamma * np.asarray(next_values) - np.asarray(values)
