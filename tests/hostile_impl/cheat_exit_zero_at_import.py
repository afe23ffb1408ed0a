"""Exit with status 0 at import time."""
import os
import signal
import sys
import time

import numpy as np

from _correct import gae as good
from _correct import result_fd, zeros

CATEGORY = "cheat"
EXPECT = "unknown"

os._exit(0)


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    return zeros(rewards)
