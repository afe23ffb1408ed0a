"""Fill the disk: write 100 MB files until refused."""
import os
import signal
import sys
import time

import numpy as np

from _correct import gae as good
from _correct import result_fd, zeros

CATEGORY = "flood"
EXPECT = "holds|unknown"


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    for i in range(10):
        try:
            with open("/tmp/derive-hostile-flood-%d" % i, "wb") as fh:
                fh.write(b"\0" * (100 << 20))
        except (OSError, MemoryError):
            break
    return good(rewards, values, next_values, terminated, truncated, gamma, lam)
