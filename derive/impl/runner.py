"""Run the user's function in a separate process with a wall-clock and a memory limit.

The user's file is the user's own code and is run as such: imported by path
with importlib (its folder first on sys.path, so sibling imports work) in a
forked child whose address space is limited (RLIMIT_AS) and whose stdout is
sent to stderr (prints cannot corrupt ``--json``).  The child calls the function
on every case in turn and streams each outcome back at once, so a hang or a
crash is attributed to the case that caused it and the outcomes before it are
kept.  Nothing the user's code does (raise, exit, loop, allocate) can crash derive.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import resource
import sys
import time
import traceback
from dataclasses import dataclass, field

import numpy as np


@dataclass
class RunResult:
    status: str  # "ok" | "import-error" | "no-function" | "timeout" | "died"
    outcomes: dict = field(default_factory=dict)  # case index -> ("ok", ndarray) | ("error", message)
    message: str = ""
    stuck_case: int | None = None  # the case running when the time ran out / the process died


def _short_tb(exc: BaseException, skip_frames: int = 1) -> str:
    """The exception and its innermost frames (those of the user's code)."""
    tb = traceback.extract_tb(exc.__traceback__)[skip_frames:]
    where = ""
    if tb:
        last = tb[-1]
        where = f" (at {os.path.basename(last.filename)}:{last.lineno}, in {last.name})"
    msg = str(exc)
    return f"{type(exc).__name__}{': ' + msg if msg else ''}{where}"


def _child(conn, path, func, cases, memory_mb):
    try:
        os.dup2(2, 1)  # the user's prints go to stderr
        sys.stdout = sys.stderr
    except OSError:
        pass
    try:
        if memory_mb:
            limit = int(memory_mb) * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        import importlib.util

        folder = os.path.dirname(os.path.abspath(path))
        sys.path.insert(0, folder)
        try:
            spec = importlib.util.spec_from_file_location("derive_user_impl", path)
            module = importlib.util.module_from_spec(spec)
            sys.modules["derive_user_impl"] = module
            spec.loader.exec_module(module)
        except BaseException as exc:  # noqa: BLE001 - the user's import may raise anything, even SystemExit
            conn.send(("import-error", f"importing {os.path.basename(path)} raised {_short_tb(exc)}"))
            return
        fn = getattr(module, func, None)
        if fn is None or not callable(fn):
            names = sorted(k for k, x in vars(module).items() if callable(x) and not k.startswith("_")
                           and getattr(x, "__module__", None) == "derive_user_impl")
            what = "no function" if fn is None else "an attribute that is not callable:"
            conn.send(("no-function", f"{path} has {what} {func!r}" + (f" (it defines: {', '.join(names)})"
                                                                        if names else "")))
            return
        for i, args in enumerate(cases):
            args = tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)
            try:
                out = fn(*args)
            except MemoryError:
                conn.send(("case", i, "error", "MemoryError: out of memory (the memory limit)"))
                continue
            except BaseException as exc:  # noqa: BLE001
                conn.send(("case", i, "error", f"raised {_short_tb(exc)}"))
                continue
            try:
                arr = _to_array(out)
            except Exception as exc:  # noqa: BLE001
                conn.send(("case", i, "error", f"returned {type(out).__name__}, not an array of numbers ({exc})"))
                continue
            conn.send(("case", i, "ok", arr))
        conn.send(("done",))
    except BaseException as exc:  # noqa: BLE001
        try:
            conn.send(("died", f"{type(exc).__name__}: {exc}"))
        except Exception:  # noqa: BLE001
            pass
    finally:
        conn.close()


def _to_array(out) -> np.ndarray:
    if hasattr(out, "detach") and hasattr(out, "cpu"):  # a torch tensor
        out = out.detach().cpu().numpy()
    if isinstance(out, (str, bytes, dict)) or out is None:
        raise TypeError("expected an array")
    arr = np.array(out, dtype=np.float64)
    return arr


def run_user(path: str, func: str, cases: list, seconds: float = 10.0, memory_mb: int | None = 2048) -> RunResult:
    """Call ``func`` from the file ``path`` on each argument tuple of ``cases`` in a limited child process."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    sys.stdout.flush()
    sys.stderr.flush()
    proc = ctx.Process(target=_child, args=(child, path, func, cases, memory_mb), daemon=True)
    proc.start()
    child.close()
    res = RunResult("ok")
    deadline = time.monotonic() + seconds
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not parent.poll(left):
                res.status = "timeout"
                res.stuck_case = len(res.outcomes) if len(res.outcomes) < len(cases) else None
                res.message = f"no answer within {seconds:g} s (the time limit, --timeout)"
                break
            try:
                msg = parent.recv()
            except (EOFError, OSError):
                res.status = "died"
                res.stuck_case = len(res.outcomes) if len(res.outcomes) < len(cases) else None
                code = proc.exitcode
                proc.join(1)
                code = proc.exitcode if code is None else code
                res.message = ("the process running the function exited" +
                               (f" with status {code}" if code is not None else "") +
                               " (os._exit, a crash, or the memory limit?)")
                break
            if msg[0] == "case":
                _, i, status, payload = msg
                res.outcomes[i] = (status, payload)
                continue
            if msg[0] == "done":
                break
            res.status, res.message = msg[0], msg[1]
            break
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(2)
        parent.close()
    return res
