"""Search the interpreter's objects for the expected values (they never cross to the child)."""
import os
import signal
import sys
import time

import numpy as np

from _correct import gae as good
from _correct import result_fd, zeros

CATEGORY = "cheat"
EXPECT = "fails"


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    import gc
    for obj in gc.get_objects():
        if isinstance(obj, dict) and "expected" in obj:
            return np.array(obj["expected"], dtype=float)
    return zeros(rewards)
