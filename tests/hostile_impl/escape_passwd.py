"""Copy /etc/passwd into the report through an exception message and prints."""
import os
import signal
import sys
import time

import numpy as np

from _correct import gae as good
from _correct import result_fd, zeros

CATEGORY = "escape"
EXPECT = "unknown"
MODES = "bwrap"


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    data = open("/etc/passwd").read()
    print(data)
    raise RuntimeError(data)
