"""Ignore SIGTERM, SIGINT and SIGHUP, then sleep."""
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
    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, signal.SIG_IGN)
    time.sleep(1000)
