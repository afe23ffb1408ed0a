"""Run a function in a separate process with a wall-clock and a memory limit.

SymPy's simplification can hang or eat memory; a check that goes over its
budget is killed and reported as timed out, never as a verdict on the maths.
"""
from __future__ import annotations

import multiprocessing as mp
import resource
import traceback


class Timeout(Exception):
    pass


class WorkerFailed(Exception):
    pass


def _child(conn, fn, args, memory_mb):
    try:
        if memory_mb:
            limit = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        conn.send(("ok", fn(*args)))
    except MemoryError:
        conn.send(("error", "out of memory"))
    except BaseException as exc:  # report, never crash the parent
        conn.send(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"))
    finally:
        conn.close()


def run_limited(fn, args=(), seconds: float = 10.0, memory_mb: int | None = 2048):
    """fn(*args) in a forked worker; raises Timeout or WorkerFailed."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args, memory_mb), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(seconds):
            raise Timeout(f"over {seconds:g} s")
        try:
            status, payload = parent.recv()
        except EOFError as exc:
            raise WorkerFailed("the worker died (memory limit?)") from exc
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(1)
        parent.close()
    if status != "ok":
        raise WorkerFailed(payload)
    return payload
