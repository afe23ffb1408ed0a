"""A bounded fork bomb (64 processes) whose processes sleep."""
import os
import signal
import sys
import time

import numpy as np

from _correct import gae as good
from _correct import result_fd, zeros

CATEGORY = "fork"
EXPECT = "fails|unknown"

PID = os.getpid()


def _answer(rewards, values, next_values, terminated, truncated, gamma, lam):
    return zeros(rewards)


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    if getattr(sys, "_started", False):
        return _answer(rewards, values, next_values, terminated, truncated, gamma, lam)
    sys._started = True
    for _ in range(6):
        if os.fork() == 0:
            continue
    if os.getpid() != PID:
        time.sleep(1000)
        os._exit(0)
    return zeros(rewards)
