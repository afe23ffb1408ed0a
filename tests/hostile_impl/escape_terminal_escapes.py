"""Print terminal escape sequences (title change, clear screen) and raise with them."""
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
    sys.stdout.write("\x1b]0;pwned\x07\x1b[2J\x1b[31mred\r\n")
    sys.stdout.flush()
    raise RuntimeError("\x1b[2J\x1b]0;pwned\x07")
