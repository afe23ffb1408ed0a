"""Stop itself with SIGSTOP."""
import os
import signal
import sys
import time

import numpy as np

from _correct import gae as good
from _correct import result_fd, zeros

CATEGORY = "hang"
EXPECT = "unknown"


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    os.kill(os.getpid(), signal.SIGSTOP)
    return zeros(rewards)
