"""Return an object equal to everything (__eq__ always True) with a zero __array__."""
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
    class Liar:
        def __eq__(self, other):
            return True
        def __array__(self, dtype=None, copy=None):
            return np.zeros(np.shape(rewards))
    return Liar()
