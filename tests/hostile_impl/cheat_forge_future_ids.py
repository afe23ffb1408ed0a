"""Forged answers for the next 100 ids at once (the parent reads one answer per request)."""
import os
import signal
import sys
import time

import numpy as np

from _correct import gae as good
from _correct import result_fd, zeros

CATEGORY = "cheat"
EXPECT = "unknown|fails"


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    fd, cid = result_fd()
    for k in range(cid, cid + 100):
        os.write(fd, ('{"id": %d, "status": "ok", "shape": [1], "data": [0.0]}\n' % k).encode())
    return good(rewards, values, next_values, terminated, truncated, gamma, lam)
