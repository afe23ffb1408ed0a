"""Close stdout and stderr, then hang."""
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
    os.close(1)
    os.close(2)
    time.sleep(1000)
