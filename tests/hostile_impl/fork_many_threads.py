"""Start 500 sleeping threads, then return zeros."""
import os
import signal
import sys
import time

import numpy as np

from _correct import gae as good
from _correct import result_fd, zeros

CATEGORY = "fork"
EXPECT = "fails|unknown"


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    import threading
    for _ in range(500):
        try:
            threading.Thread(target=time.sleep, args=(1000,), daemon=True).start()
        except RuntimeError:
            break
    return zeros(rewards)
