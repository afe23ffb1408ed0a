"""Run a function in a separate process with a wall-clock and a memory limit.

SymPy's simplification can hang or eat memory; a check that goes over its
budget is killed and reported as timed out, never as a verdict on the maths.

Two ways (issue 14: start-up was paid once per check):

* outside ``kept_worker()``: each ``run_limited`` call forks a fresh worker;
* inside ``with kept_worker(memory_mb):`` one worker is forked at the first call (after the caller's
  imports and warm-up, which it inherits) and kept: later calls send it ``(fn, args)`` through a pipe,
  so its caches (instances, tables) survive from one check to the next.  Every call keeps its own
  wall-clock limit: a call over it kills the worker (the next call forks a new one).  The memory limit
  (RLIMIT_AS) is set once in the worker and holds for each call; a worker that ran out of memory or
  died is replaced.  A function or arguments that cannot be pickled run in a fresh fork, as outside.
"""
from __future__ import annotations

import contextlib
import gc
import multiprocessing as mp
import pickle
import resource
import traceback


class Timeout(Exception):
    pass


class WorkerFailed(Exception):
    pass


def _fork_frozen(start) -> None:
    """``start()`` (a fork) with the parent's objects moved to the collector's permanent generation first.

    The child's garbage collector then never walks the inherited objects: it neither spends time on them
    nor writes to their pages (each write copies a page of the parent), as the gc module's documentation
    recommends for a forking server (``gc.freeze``).  The parent unfreezes its objects right after."""
    gc.freeze()
    try:
        start()
    finally:
        gc.unfreeze()


def _limit_memory(memory_mb):
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _outcome(fn, args):
    try:
        return ("ok", fn(*args))
    except MemoryError:
        return ("error", "out of memory")
    except BaseException as exc:  # report, never crash the parent
        return ("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}")


def _child(conn, fn, args, memory_mb):
    _KEPT.clear()  # the parent's kept workers are not this process's: a nested call forks its own
    try:
        _limit_memory(memory_mb)
        conn.send(_outcome(fn, args))
    except MemoryError:
        conn.send(("error", "out of memory"))
    finally:
        conn.close()


def _serve(conn, memory_mb):
    """The kept worker: one call after another until the pipe closes; exits after running out of memory."""
    _KEPT.clear()
    try:
        _limit_memory(memory_mb)
        while True:
            try:
                payload = conn.recv_bytes()
            except EOFError:
                return
            if payload == _STOP:
                return
            fn, args = pickle.loads(payload)
            status, payload = _outcome(fn, args)
            conn.send((status, payload))
            if payload == "out of memory":
                return
    except MemoryError:
        return
    finally:
        conn.close()


_STOP = b"stop"  # the message that ends a kept worker (a pickled call is never these bytes)


class KeptWorker:
    """One forked process running calls in turn (module docstring)."""

    def __init__(self, memory_mb):
        self.memory_mb = memory_mb
        self.proc = self.conn = None

    def _start(self):
        ctx = mp.get_context("fork")
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_serve, args=(child, self.memory_mb), daemon=True)
        _fork_frozen(self.proc.start)
        child.close()

    def stop(self, kill: bool = False):
        if self.proc is not None:
            if not kill:
                # ask it to exit: closing our end is not enough, since a worker forked later holds a copy of it
                with contextlib.suppress(OSError):
                    self.conn.send_bytes(_STOP)
            self.conn.close()
            if kill:
                self.proc.kill()
            self.proc.join(1)
            if self.proc.is_alive():
                self.proc.kill()
                self.proc.join(1)
        self.proc = self.conn = None

    def call(self, payload: bytes, seconds: float):
        if self.proc is None or not self.proc.is_alive():
            self.stop()
            self._start()
        try:
            self.conn.send_bytes(payload)
            if not self.conn.poll(seconds):
                raise Timeout(f"over {seconds:g} s")
            status, result = self.conn.recv()
        except Timeout:
            self.stop(kill=True)
            raise
        except (EOFError, OSError) as exc:
            self.stop(kill=True)
            raise WorkerFailed("the worker died (memory limit?)") from exc
        if status != "ok":
            if result == "out of memory":
                self.stop()
            raise WorkerFailed(result)
        return result


_KEPT: dict = {}  # memory_mb -> the KeptWorker of the innermost kept_worker() context


@contextlib.contextmanager
def kept_worker(memory_mb: int | None = 2048):
    """Inside, run_limited(..., memory_mb=memory_mb) reuses one forked worker (module docstring)."""
    previous = _KEPT.get(memory_mb)
    worker = _KEPT[memory_mb] = KeptWorker(memory_mb)
    try:
        yield worker
    finally:
        worker.stop()
        if previous is None:
            del _KEPT[memory_mb]
        else:
            _KEPT[memory_mb] = previous


def run_limited(fn, args=(), seconds: float = 10.0, memory_mb: int | None = 2048):
    """fn(*args) in a forked worker; raises Timeout or WorkerFailed."""
    worker = _KEPT.get(memory_mb)
    if worker is not None:
        try:
            payload = pickle.dumps((fn, args), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # not picklable: a fresh fork inherits it instead
            payload = None
        if payload is not None:
            return worker.call(payload, seconds)
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args, memory_mb), daemon=True)
    _fork_frozen(proc.start)
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
