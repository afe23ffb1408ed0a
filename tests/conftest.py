"""Shared test settings (issue 14: deterministic, no timed assertions, no flaky tests).

* Hypothesis runs derandomized (its examples are a fixed function of the test), with no example
  database (a failure found once is not replayed on another run) and no deadline (a per-example time
  limit is a timed assertion: it fails under load).  A test's own ``@settings`` still sets its example
  count.  ``HYPOTHESIS_PROFILE=explore`` gives random examples for a local fuzzing session.
"""
from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("derive-ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("explore", derandomize=False, database=None, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "derive-ci"))
