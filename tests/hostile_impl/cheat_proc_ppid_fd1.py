"""Forge holds lines into the parent's stdout through /proc/PPID/fd/1 (the parent is a supervisor)."""
import os
import signal
import sys
import time

import numpy as np

from _correct import gae as good
from _correct import result_fd, zeros

CATEGORY = "cheat"
EXPECT = "fails"


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    for target in ("/proc/%d/fd/1" % os.getppid(), "/proc/%d/fd/2" % os.getppid()):
        try:
            with open(target, "w") as fh:
                fh.write('{"verdict": "holds"}\nhostile: holds\n')
        except OSError:
            pass
    return zeros(rewards)
