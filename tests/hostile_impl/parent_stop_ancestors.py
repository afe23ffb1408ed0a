"""SIGSTOP every ancestor it can find, then loop."""
import os
import signal
import sys
import time

import numpy as np

from _correct import gae as good
from _correct import result_fd, zeros

CATEGORY = "parent"
EXPECT = "unknown"
MODES = "bwrap"


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    pid = os.getppid()
    while pid > 1:
        try:
            nxt = int(open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()[1])
            os.kill(pid, signal.SIGSTOP)
        except (OSError, ValueError, IndexError):
            break
        pid = nxt
    while True:
        pass
