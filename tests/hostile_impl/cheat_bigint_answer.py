"""Answer with integers too large for a float (and too long to parse) on the result pipe."""
import time

import numpy as np

from _correct import result_fd

CATEGORY = "cheat"
EXPECT = "unknown"


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    import os

    fd, cid = result_fd()
    n = int(np.size(rewards))
    os.write(fd, ('{"id": %d, "status": "ok", "shape": %s, "data": [%s]}\n'
                  % (cid, list(np.shape(rewards)), ", ".join(["1" + "0" * 400] * n))).encode())
    time.sleep(30)
