"""Announce a 100-byte message and send nothing (the old pickle framing attack)."""
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
    fd, cid = result_fd()
    os.write(fd, (100).to_bytes(4, "big"))
    time.sleep(1000)
