"""The timing helpers of bench/run.py: results, best-of and alternating timings, and end-to-end runs of
derive as a subprocess measured against ``python -c "import sympy"`` (wall and CPU seconds)."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def result(ratio, target, direction, **details) -> dict:
    if ratio is None or target is None:  # no measurement, or a row measured without a target
        meets = None
    else:
        meets = bool(ratio >= target) if direction == ">=" else bool(ratio <= target)
    return {"ratio": None if ratio is None else round(float(ratio), 4), "target": target,
            "direction": direction, "meets_target": meets, **details}


def best_of(fn, repeats: int) -> float:
    """Best wall time of ``repeats`` calls (seconds)."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def alternate(fns: dict, repeats: int) -> dict:
    """Best time of each function, calling them in turn ``repeats`` times (after one warm-up each)."""
    for fn in fns.values():
        fn()
    best = {k: float("inf") for k in fns}
    for _ in range(repeats):
        for k, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            best[k] = min(best[k], time.perf_counter() - t0)
    return best


_LAST_CPU = [0.0]  # CPU seconds (user + sys, the process and the workers it waited for) of the last _run


def _children_cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _run(args: list, timeout: float = 600) -> tuple:
    """(seconds, returncode, stderr tail) of a subprocess run from the repository root; its CPU seconds
    are left in ``_LAST_CPU[0]``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    cpu0 = _children_cpu()
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              stdin=subprocess.DEVNULL, timeout=timeout)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - t0, None, f"timed out after {timeout} s"
    seconds = time.perf_counter() - t0
    _LAST_CPU[0] = _children_cpu() - cpu0
    tail = proc.stderr.decode(errors="replace").strip().splitlines()[-3:]
    return seconds, proc.returncode, " | ".join(tail)


def _load() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def _vs_sympy_import(command: list, target: float, quick: bool, ok_codes=(0,), per: int = 1,
                     repeats: int | None = None) -> dict:
    """Wall time of ``command`` over that of ``python -c "import sympy"`` (best of 3 vs best of 1-2).

    ``ok_codes``: the exit statuses that count as a completed run; ``per``: the ratio is divided by it
    (per file of a corpus); ``repeats``: runs of the command (default 1 with --quick, else 2).  The details
    add the CPU seconds of both sides (user + sys, workers included) and their ratio, ``cpu_ratio``, which a
    machine shared with other work disturbs less than the wall times, and the load average at the start."""
    load = _load()
    import_best = import_cpu = float("inf")
    for _ in range(3):
        s, rc, err = _run([sys.executable, "-c", "import sympy"])
        if rc != 0:
            return result(None, target, "<=", reason=f"import sympy failed: {err}")
        import_best, import_cpu = min(import_best, s), min(import_cpu, _LAST_CPU[0])
    shown = "python -m " + " ".join(command[2:])
    check_best = check_cpu = float("inf")
    for _ in range(repeats or (1 if quick else 2)):
        s, rc, err = _run(command, timeout=3600)
        if rc not in ok_codes:
            return result(None, target, "<=", command=shown, reason=f"exit status {rc}: {err}",
                          seconds=round(s, 3), sympy_import_seconds=round(import_best, 3))
        check_best, check_cpu = min(check_best, s), min(check_cpu, _LAST_CPU[0])
    extra = {"files": per} if per != 1 else {}
    return result(check_best / import_best / per, target, "<=", command=shown, seconds=round(check_best, 3),
                  sympy_import_seconds=round(import_best, 3), cpu_seconds=round(check_cpu, 3),
                  sympy_import_cpu_seconds=round(import_cpu, 3),
                  cpu_ratio=round(check_cpu / import_cpu / per, 3) if import_cpu > 0 else None,
                  load_average=load, **extra)
