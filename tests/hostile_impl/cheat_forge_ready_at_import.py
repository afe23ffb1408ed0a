"""Write a forged 'ready' and a forged answer for id 0 on the result pipe at import, before derive asks."""
import os

from _correct import zeros

CATEGORY = "cheat"
EXPECT = "unknown|fails"

for _fd in range(3, 16):
    try:
        os.write(_fd, b'{"ready": true}\n{"id": 0, "status": "ok", "shape": [1], "data": [0.0]}\n')
    except OSError:
        pass


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    return zeros(rewards)
