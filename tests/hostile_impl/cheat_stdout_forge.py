"""Print a forged holds report and JSON on stdout, return zeros."""
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
    print('{"verdict": "holds", "kind": "gae"}')
    print("gae.py:gae as gae: holds (25 cases)")
    sys.stdout.flush()
    return zeros(rewards)
