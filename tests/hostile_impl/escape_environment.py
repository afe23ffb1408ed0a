"""Copy the environment into the report (derive's environment must not reach the child)."""
import os
import signal
import sys
import time

import numpy as np

from _correct import gae as good
from _correct import result_fd, zeros

CATEGORY = "escape"
EXPECT = "unknown"


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    print(dict(os.environ))
    raise RuntimeError(repr(dict(os.environ)))
