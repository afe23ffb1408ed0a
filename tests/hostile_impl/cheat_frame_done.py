"""Forged verdict: reach the result pipe through the caller's frame, send 'done', exit."""
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
    fd, cid = result_fd()
    os.write(fd, b'{"done": true}\n')
    os._exit(0)
