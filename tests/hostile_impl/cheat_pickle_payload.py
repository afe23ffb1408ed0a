"""Send a pickle that would run code in derive if derive unpickled it (it creates a file in the parent's /tmp)."""
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
    import pickle
    class P:
        def __reduce__(self):
            return (os.system, ("touch /tmp/derive-hostile-pickle-ran",))
    fd, cid = result_fd()
    os.write(fd, pickle.dumps(P()) + b"\n")
    return good(rewards, values, next_values, terminated, truncated, gamma, lam)
