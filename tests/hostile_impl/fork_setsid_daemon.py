"""Double-fork a setsid daemon that sleeps (it must not survive the check)."""
import os
import signal
import sys
import time

import numpy as np

from _correct import gae as good
from _correct import result_fd, zeros

CATEGORY = "fork"
EXPECT = "holds"


def _answer(rewards, values, next_values, terminated, truncated, gamma, lam):
    return good(rewards, values, next_values, terminated, truncated, gamma, lam)


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    if getattr(sys, "_started", False):
        return _answer(rewards, values, next_values, terminated, truncated, gamma, lam)
    sys._started = True
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            time.sleep(1000)
        os._exit(0)
    return good(rewards, values, next_values, terminated, truncated, gamma, lam)
