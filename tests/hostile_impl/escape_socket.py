"""Open connections to a socket on 127.0.0.1 (the test listens on port 47613)."""
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
    import socket
    for _ in range(3):
        try:
            s = socket.create_connection(("127.0.0.1", 47613), timeout=0.2)
            s.sendall(b"escaped")
            s.close()
        except OSError:
            pass
    return good(rewards, values, next_values, terminated, truncated, gamma, lam)
