"""Read derive's ground-truth source file and exec it (hidden under bwrap)."""
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
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    src = open(os.path.join(root, "derive", "impl", "reference.py")).read()
    ns = {}
    exec(compile(src, "reference.py", "exec"), ns)
    return ns["gae"](rewards, values, next_values, terminated, truncated, gamma, lam)
