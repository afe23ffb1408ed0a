"""Double-fork, setsid and exec a sleeper with an empty environment and a marker in argv."""
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
            os.execve(sys.executable, [sys.executable, "-S", "-c", "import time; time.sleep(1000)", "hostile_impl-marker"], {})
        os._exit(0)
    return good(rewards, values, next_values, terminated, truncated, gamma, lam)
