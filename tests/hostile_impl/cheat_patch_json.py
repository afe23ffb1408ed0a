"""Patch json.dumps at import to always send a 'ready' message."""
import os
import signal
import sys
import time

import numpy as np

from _correct import gae as good
from _correct import result_fd, zeros

CATEGORY = "cheat"
EXPECT = "unknown"

import json
json.dumps = lambda *a, **k: '{"ready": true}'


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    return good(rewards, values, next_values, terminated, truncated, gamma, lam)
