"""Start an answer on the result pipe and never finish it."""
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
    os.write(fd, ('{"id": %d, "status": "ok", "shape": [' % cid).encode())
    time.sleep(1000)
