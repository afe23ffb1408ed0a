"""One worker kept for a run (derive/check_statements/sandbox.py) and judged steps remembered
(derive/check_derivations/step_memo.py): each call keeps its limits, and nothing changes a record."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from derive.check_derivations import check_file
from derive.check_derivations import files as files_module
from derive.check_derivations import step_memo
from derive.check_statements.sandbox import Timeout, WorkerFailed, kept_worker, run_limited

HOMEWORK = Path(__file__).parent / "homework"


def _pid():
    return os.getpid()


def _sleep(seconds):
    import time

    time.sleep(seconds)
    return "woke"


def _allocate(mb):
    return len(bytearray(mb * 1024 * 1024))


def _raise():
    raise ValueError("a bug in derive")


def test_calls_share_one_worker_and_keep_their_limits():
    with kept_worker(1024):
        first, second = run_limited(_pid, memory_mb=1024), run_limited(_pid, memory_mb=1024)
        assert first == second != os.getpid()  # one process, not the caller
        with pytest.raises(Timeout):
            run_limited(_sleep, (30,), seconds=0.5, memory_mb=1024)
        third = run_limited(_pid, memory_mb=1024)
        assert third != first  # the worker over its time was killed; a new one took over
        with pytest.raises(WorkerFailed, match="out of memory|died"):
            run_limited(_allocate, (4096,), memory_mb=1024)  # 4 GB against a 1 GB limit
        with pytest.raises(WorkerFailed, match="ValueError: a bug in derive"):
            run_limited(_raise, memory_mb=1024)
        assert run_limited(_sleep, (0,), memory_mb=1024) == "woke"
    assert run_limited(_pid) != first  # outside the context: a fresh fork per call, as before


def test_a_file_checked_again_gets_the_same_report_without_judging(monkeypatch):
    path = str(HOMEWORK / "mistakes" / "inverted_ratio.md")
    step_memo.forget()
    first = check_file(path, symbolic_budget=0)

    def must_not_run(*args, **kwargs):
        raise AssertionError("a remembered step was judged again")

    monkeypatch.setattr(files_module, "run_limited", must_not_run)
    assert check_file(path, symbolic_budget=0) == first
    # another seed is another key: judged again
    with pytest.raises(AssertionError, match="judged again"):
        check_file(path, symbolic_budget=0, seed=1)
    step_memo.forget()


def test_steps_cut_by_a_clock_are_not_remembered():
    path = str(HOMEWORK / "correct" / "td_error.md")
    step_memo.forget()
    cut = check_file(path, symbolic_budget=0, timeout=0.001)
    assert all("time limit" in s["reason"] for s in cut["steps"])
    assert len(step_memo._MEMO) == 0
    assert check_file(path, symbolic_budget=0)["verdict"] == "holds"
    step_memo.forget()
