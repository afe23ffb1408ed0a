"""Loop forever at import."""
import os
import signal
import sys
import time

import numpy as np

from _correct import gae as good
from _correct import result_fd, zeros

CATEGORY = "hang"
EXPECT = "unknown"

while True:
    pass


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    return zeros(rewards)
