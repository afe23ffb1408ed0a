"""Three forked helpers each holding 200 MB, sleeping."""
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
    for _ in range(3):
        if os.fork() == 0:
            try:
                block = bytearray(200 << 20)
            except MemoryError:
                pass
            time.sleep(1000)
            os._exit(0)
    return good(rewards, values, next_values, terminated, truncated, gamma, lam)
