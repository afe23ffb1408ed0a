"""Patch multiprocessing.connection.Connection.send at import (the old runner's channel)."""
import os
import signal
import sys
import time

import numpy as np

from _correct import gae as good
from _correct import result_fd, zeros

CATEGORY = "cheat"
EXPECT = "fails"

import multiprocessing.connection as mpc
mpc.Connection.send = lambda self, obj: None


def gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    return zeros(rewards)
