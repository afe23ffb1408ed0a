"""Run the three methods on catalog entries (in parallel worker processes) and collect verdicts."""
from __future__ import annotations

import multiprocessing as mp
import os
import queue as queue_module

from .exact import check_exact
from .montecarlo import DEFAULT_SAMPLES, check_montecarlo
from .result import FAILS, HOLDS, NOT_ATTEMPTED, MethodResult, combine
from .sandbox import kept_worker
from .symbolic import TIME_BUDGET, check_symbolic

METHODS = ("exact", "symbolic", "montecarlo")


def check_entry(entry, seed: int = 0, samples: int = DEFAULT_SAMPLES, methods=METHODS,
                symbolic_budget: float = TIME_BUDGET, isolate: bool = True) -> dict:
    """All methods on one entry -> the JSON record of ``derive check --json``."""
    common = dict(setting=entry.setting, relation=entry.relation, ranges=entry.ranges)
    results: dict[str, MethodResult] = {}
    for name in METHODS:
        if name not in methods:
            results[name] = MethodResult(NOT_ATTEMPTED, "not requested")
            continue
        try:
            if name == "exact":
                results[name] = check_exact(entry.lhs, entry.rhs, seed=seed, full_support=entry.full_support, **common)
            elif name == "symbolic":
                results[name] = check_symbolic(entry.lhs, entry.rhs, budget=symbolic_budget, isolate=isolate, **common)
            else:
                results[name] = check_montecarlo(entry.lhs, entry.rhs, seed=seed, samples=samples,
                                                 full_support=entry.full_support, sample_side=entry.sample_side,
                                                 stream=entry.id, **common)
        except Exception as exc:  # a bug in derive must never look like a verdict
            results[name] = MethodResult(NOT_ATTEMPTED, f"internal error: {type(exc).__name__}: {exc}")
    verdict = combine(results)
    counterexample = results["exact"].data.get("counterexample")
    expected = "holds" if entry.kind == "identity" else "fails"
    return {
        "id": entry.id,
        "kind": entry.kind,
        "title": entry.title,
        "verdict": verdict,
        "expected": expected,
        "as_expected": verdict == expected,
        "methods": {name: r.text() for name, r in results.items()},
        "counterexample": counterexample,
        **({"mistake": entry.mistake} if entry.kind == "mistake" else {}),
    }


def _worker(tasks, queue, entries, kwargs):
    with kept_worker():  # one symbolic worker per catalog worker, forked once (sandbox.py), not once per entry
        while True:
            index = tasks.get()
            if index is None:
                break
            queue.put((index, check_entry(entries[index], **kwargs)))
    queue.put(None)


def check_entries(entries, jobs: int | None = None, progress=None, **kwargs) -> list:
    """check_entry on each entry, spread over ``jobs`` forked workers; results in input order."""
    entries = list(entries)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(entries)))
    if jobs == 1:
        out = []
        with kept_worker():
            for i, entry in enumerate(entries):
                out.append(check_entry(entry, **kwargs))
                if progress:
                    progress(i + 1, len(entries), out[-1])
        return out
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    tasks = ctx.Queue()
    for i in range(len(entries)):  # workers take the next entry when free (no static split)
        tasks.put(i)
    for _ in range(jobs):
        tasks.put(None)
    procs = [ctx.Process(target=_worker, args=(tasks, queue, entries, kwargs)) for _ in range(jobs)]
    for p in procs:
        p.start()
    results: dict = {}
    finished = 0
    while finished < jobs:
        try:
            item = queue.get(timeout=2)
        except queue_module.Empty:
            if not any(p.is_alive() for p in procs):
                break  # a worker died: its remaining entries are reported below
            continue
        if item is None:
            finished += 1
            continue
        index, record = item
        results[index] = record
        if progress:
            progress(len(results), len(entries), record)
    for p in procs:
        p.join()
    for i, entry in enumerate(entries):
        if i not in results:
            results[i] = _died(entry)
    return [results[i] for i in range(len(entries))]


def _died(entry) -> dict:
    msg = MethodResult(NOT_ATTEMPTED, "the worker process died").text()
    return {"id": entry.id, "kind": entry.kind, "title": entry.title, "verdict": "unknown",
            "expected": "holds" if entry.kind == "identity" else "fails", "as_expected": False,
            "methods": {m: msg for m in METHODS}, "counterexample": None}


__all__ = ["check_entry", "check_entries", "METHODS", "HOLDS", "FAILS"]
