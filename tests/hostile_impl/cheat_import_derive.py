"""Read the ground truth: import derive's reference GAE (hidden under bwrap; readable without it)."""
import os
import signal
import sys
import time

import numpy as np

from _correct import gae as good
from _correct import result_fd, zeros

CATEGORY = "cheat"
EXPECT = "unknown"
MODES = "bwrap"


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
    from derive.check_code.reference import gae as ref
    return ref(rewards, values, next_values, terminated, truncated, gamma, lam)
