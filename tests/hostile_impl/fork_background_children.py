"""Start background children in new sessions on every case."""
import os
import signal
import sys
import time

import numpy as np

from _correct import gae as good
from _correct import result_fd, zeros

CATEGORY = "fork"
EXPECT = "holds"


def _answer(rewards, values, next_values, terminated, truncated, gamma, lam):
    return good(rewards, values, next_values, terminated, truncated, gamma, lam)


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    if getattr(sys, "_started", False):
        return _answer(rewards, values, next_values, terminated, truncated, gamma, lam)
    sys._started = True
    import subprocess
    subprocess.Popen([sys.executable, "-S", "-c", "import time; time.sleep(1000)", "hostile_impl-marker"], start_new_session=True)
    return good(rewards, values, next_values, terminated, truncated, gamma, lam)
