"""Print 50 MB (only the first bytes are kept)."""
import os
import signal
import sys
import time

import numpy as np

from _correct import gae as good
from _correct import result_fd, zeros

CATEGORY = "flood"
EXPECT = "holds|unknown"


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    if not getattr(sys, "_flooded", False):
        sys._flooded = True
        chunk = "x" * (1 << 20) + "\n"
        for _ in range(50):
            sys.stdout.write(chunk)
    return good(rewards, values, next_values, terminated, truncated, gamma, lam)
