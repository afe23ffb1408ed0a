"""Forged answers: write zeros for the asked id through the caller's frame, then answer again."""
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
    msg = '{"id": %d, "status": "ok", "shape": %s, "data": %s}\n' % (cid, list(np.shape(rewards)), [0.0] * np.size(rewards))
    os.write(fd, msg.encode())
    return zeros(rewards)
