"""Answer with strings and booleans in place of numbers on the result pipe."""
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
    os.write(fd, ('{"id": %d, "status": "ok", "shape": %s, "data": %s}\n' % (cid, list(np.shape(rewards)), ['"1"'] * np.size(rewards))).encode())
    time.sleep(30)
