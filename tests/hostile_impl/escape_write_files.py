"""Write files in the working directory, in /tmp and next to the submission."""
import os
import signal
import sys
import time

import numpy as np

from _correct import gae as good
from _correct import result_fd, zeros

CATEGORY = "escape"
EXPECT = "holds|unknown"


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    for p in ("derive-hostile-cwd.txt", "/tmp/derive-hostile-tmp.txt", os.path.join(os.path.dirname(__file__), "derive-hostile-here.txt")):
        try:
            with open(p, "w") as fh:
                fh.write("written")
        except OSError:
            pass
    return good(rewards, values, next_values, terminated, truncated, gamma, lam)
