"""Run the three methods on catalog entries (in parallel worker processes) and collect verdicts."""
from __future__ import annotations

import os

from ..fork_pool import fork_map
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
    # one symbolic worker per catalog worker, forked once (sandbox.py), not once per entry
    return fork_map(lambda entry: check_entry(entry, **kwargs), entries, jobs, progress, missing=_died,
                    worker_context=kept_worker)


def _died(entry) -> dict:
    msg = MethodResult(NOT_ATTEMPTED, "the worker process died").text()
    return {"id": entry.id, "kind": entry.kind, "title": entry.title, "verdict": "unknown",
            "expected": "holds" if entry.kind == "identity" else "fails", "as_expected": False,
            "methods": {m: msg for m in METHODS}, "counterexample": None}


__all__ = ["check_entry", "check_entries", "METHODS", "HOLDS", "FAILS"]
