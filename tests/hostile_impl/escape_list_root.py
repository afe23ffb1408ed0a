"""List derive's folders and the home directory into the report."""
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
    found = []
    for p in ("/root", "/home", os.path.expanduser("~"), "/work"):
        try:
            found.append((p, os.listdir(p)[:20]))
        except OSError:
            pass
    raise RuntimeError("LISTING " + repr(found))
