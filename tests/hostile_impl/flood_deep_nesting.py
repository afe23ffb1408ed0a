"""Return a list nested 100000 deep."""
import os
import signal
import sys
import time

import numpy as np

from _correct import gae as good
from _correct import result_fd, zeros

CATEGORY = "flood"
EXPECT = "unknown"


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    x = [0.0]
    for _ in range(100000):
        x = [x]
    return x
