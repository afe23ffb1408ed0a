"""Write a forged holds message to every open descriptor."""
import os
import signal
import sys
import time

import numpy as np

from _correct import gae as good
from _correct import result_fd, zeros

CATEGORY = "cheat"
EXPECT = "unknown"


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    for fd in range(0, 64):
        try:
            os.write(fd, b'{"verdict": "holds"}\n{"ready": true}\n')
        except OSError:
            pass
    return zeros(rewards)
