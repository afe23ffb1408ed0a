"""Map a function over items in forked worker processes that take the next item when free.

Used by the catalog check (derive/check_statements/runner.py) and by ``derive grade`` (derive/grade.py):
``fork_map(fn, items, jobs)`` gives ``fn(item)`` for each item, in the order of ``items``; an item whose worker
died gets ``missing(item)``.  Forked workers inherit the caller's imports and objects (nothing is pickled on
the way in); results come back through a queue.
"""
from __future__ import annotations

import contextlib
import multiprocessing as mp
import queue as queue_module


def _worker(fn, tasks, results, items, worker_context):
    with worker_context():
        while True:
            index = tasks.get()
            if index is None:
                break
            results.put((index, fn(items[index])))
    results.put(None)


def fork_map(fn, items: list, jobs: int, progress=None, missing=None, worker_context=contextlib.nullcontext) -> list:
    """[fn(item) for item in items] over ``jobs`` forked processes (each inside ``worker_context()``);
    ``progress(done, total, result)`` after each result; ``missing(item)`` where a worker died (else None)."""
    ctx = mp.get_context("fork")
    tasks, results = ctx.Queue(), ctx.Queue()
    for i in range(len(items)):
        tasks.put(i)
    for _ in range(jobs):
        tasks.put(None)
    procs = [ctx.Process(target=_worker, args=(fn, tasks, results, items, worker_context)) for _ in range(jobs)]
    for p in procs:
        p.start()
    got: dict = {}
    finished = 0
    while finished < jobs:
        try:
            item = results.get(timeout=2)
        except queue_module.Empty:
            if not any(p.is_alive() for p in procs):
                break  # a worker died: its remaining items are given ``missing`` below
            continue
        if item is None:
            finished += 1
            continue
        got[item[0]] = item[1]
        if progress:
            progress(len(got), len(items), item[1])
    for p in procs:
        p.join()
    return [got[i] if i in got else (missing(items[i]) if missing else None) for i in range(len(items))]
