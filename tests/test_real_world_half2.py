"""The other half of the real-world corpus (the second of ``halves``): see test_real_world.py."""
from __future__ import annotations

import pytest

from test_real_world import measure_half, test_no_verdict_contradicts_the_author, test_read_rate_floor  # noqa: F401


@pytest.fixture(scope="module")
def measured():
    return measure_half(1)
