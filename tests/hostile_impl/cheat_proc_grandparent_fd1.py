"""Forge holds lines into derive's own stdout through /proc/<grandparent>/fd/1."""
import os
import signal
import sys
import time

import numpy as np

from _correct import gae as good
from _correct import result_fd, zeros

CATEGORY = "cheat"
EXPECT = "fails"
MODES = "bwrap"


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    try:
        gp = int(open("/proc/%d/stat" % os.getppid()).read().rsplit(")", 1)[1].split()[1])
        with open("/proc/%d/fd/1" % gp, "w") as fh:
            fh.write('{"verdict": "holds"}\nhostile: holds\n')
    except (OSError, ValueError, IndexError):
        pass
    return zeros(rewards)
