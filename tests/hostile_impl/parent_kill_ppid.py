"""SIGKILL its parent process, then keep answering."""
import os
import signal
import sys
import time

import numpy as np

from _correct import gae as good
from _correct import result_fd, zeros

CATEGORY = "parent"
EXPECT = "holds|unknown"


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    if not getattr(sys, "_killed", False):
        sys._killed = True
        os.kill(os.getppid(), signal.SIGKILL)
        time.sleep(0.2)
    return good(rewards, values, next_values, terminated, truncated, gamma, lam)
