"""Patch os.write at import so no result is ever sent (the missing cases must not be skipped)."""
import os
import signal
import sys
import time

import numpy as np

from _correct import gae as good
from _correct import result_fd, zeros

CATEGORY = "cheat"
EXPECT = "unknown"

_real = os.write
os.write = lambda fd, data: len(data) if fd > 2 else _real(fd, data)


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    return good(rewards, values, next_values, terminated, truncated, gamma, lam)
