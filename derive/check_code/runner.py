"""Run the user's function on cases in a sandboxed child, reading plain-data answers with deadlines.

A ``Session`` owns one child (``sandbox.Child``: a fresh ``python -I -S`` running
``child.py``, in bubblewrap when available) for a whole check, the main run and the
shrinking rounds; a child that hangs or dies is killed, and the next run starts a new one.

For each case derive writes one request (the arrays as JSON numbers) and reads exactly one
answer, on a dedicated pipe, with ``poll`` and a deadline on the whole read, at most
``answer_cap`` bytes.  Nothing is unpickled; an answer is accepted only when it is a JSON
object with the id derive asked for, a valid shape and a list of numbers of that size.
Anything else ends the run with the case unanswered.  What the submission prints (stdout
and stderr) is captured separately, capped at ``OUTPUT_CAP`` bytes kept, the rest counted
and discarded, and never written to derive's stdout.
"""
from __future__ import annotations

import json
import math
import os
import select
import time
from dataclasses import dataclass, field

import numpy as np

from .sandbox import Child

OUTPUT_CAP = 8192
BASE_CAP = 1 << 16
MAX_MESSAGE = 600


@dataclass
class RunResult:
    status: str  # "ok" | "import-error" | "no-function" | "timeout" | "died" | "protocol"
    outcomes: dict = field(default_factory=dict)  # case index -> ("ok", ndarray) | ("error", message)
    message: str = ""
    stuck_case: int | None = None  # the case running when the time ran out / the process died


def _encode(arg):
    if isinstance(arg, np.ndarray):
        return {"shape": list(arg.shape), "data": arg.ravel().tolist()}
    return float(arg)


def _clip(text: str, n: int = MAX_MESSAGE) -> str:
    return text if len(text) <= n else text[:n] + "..."


class Session:
    """A child for ``func`` in the file ``path``, started on demand; ``run`` sends cases, ``close`` kills it."""

    def __init__(self, path: str, func: str, memory_mb=2048, cpu_seconds: float = 60.0):
        self.path, self.func, self.memory_mb, self.cpu_seconds = path, func, memory_mb, cpu_seconds
        self.child: Child | None = None
        self.isolation = None
        self.output = bytearray()
        self.output_bytes = 0
        self.next_id = 0
        self.fatal: RunResult | None = None  # an import error / a missing function: no use restarting
        self.survivors: list = []  # pids still alive after a clean-up (reported; none expected)

    # -------------------------------------------------------------- plumbing

    def _drain_output(self) -> bool:
        """Read what is available of the submission's output; False at end of file."""
        try:
            chunk = os.read(self.child.out_r, 65536)
        except BlockingIOError:
            return True
        except OSError:
            return False
        if not chunk:
            return False
        self.output_bytes += len(chunk)
        room = OUTPUT_CAP - len(self.output)
        if room > 0:
            self.output += chunk[:room]
        return True

    def _wait(self, want_read: bool, deadline: float) -> bool:
        """Wait until the result pipe is readable (or the request pipe writable); False at the deadline."""
        fd = self.child.resp_r if want_read else self.child.req_w
        out_open = True
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            poller = select.poll()  # poll, not select: no limit on descriptor numbers
            poller.register(fd, select.POLLIN if want_read else select.POLLOUT)
            if out_open:
                poller.register(self.child.out_r, select.POLLIN)
            ready = dict(poller.poll(min(left, 1.0) * 1000))
            if self.child.out_r in ready:
                out_open = self._drain_output()
            if fd in ready:
                return True  # readable, writable, or closed (the read or write then says which)

    def _send(self, data: bytes, deadline: float) -> str | None:
        while data:
            if not self._wait(False, deadline):
                return "timeout"
            try:
                n = os.write(self.child.req_w, data)
            except BlockingIOError:
                continue
            except OSError:
                return "died"
            data = data[n:]
        return None

    def _read_line(self, cap: int, deadline: float):
        """One line of at most ``cap`` bytes: (bytes, None) or (None, "timeout" | "died" | "too-long")."""
        buf = self._pending
        while b"\n" not in buf:
            if len(buf) > cap:
                return None, "too-long"
            if not self._wait(True, deadline):
                return None, "timeout"
            try:
                chunk = os.read(self.child.resp_r, min(65536, cap + 1 - len(buf)))
            except BlockingIOError:
                continue
            except OSError:
                return None, "died"
            if not chunk:
                return None, "died"
            buf += chunk
        line, _, rest = bytes(buf).partition(b"\n")
        if len(line) > cap:
            return None, "too-long"
        self._pending = bytearray(rest)
        return line, None

    def _start(self, deadline: float):
        self.child = Child(self.path, self.func, self.memory_mb, self.cpu_seconds)
        self.isolation = self.child.isolation
        self._pending = bytearray()
        line, err = self._read_line(BASE_CAP, deadline)
        if err:
            return err
        try:
            msg = json.loads(line)
        except ValueError:
            return "protocol"
        if msg == {"ready": True}:
            return None
        if isinstance(msg, dict) and msg.get("status") in ("import-error", "no-function") \
                and isinstance(msg.get("message"), str):
            self.fatal = RunResult(msg["status"], message=_clip(msg["message"], 2000))
            return "fatal"
        return "protocol"

    def _exit_note(self) -> str:
        proc = self.child.proc
        try:
            code = proc.wait(timeout=1)
        except Exception:  # noqa: BLE001 - still running (a survivor holds it): killed below
            code = None
        return f" with status {code}" if code is not None else ""

    def _stop(self) -> None:
        if self.child is not None:
            self.survivors += self.child.kill()
            while self._drain_output():
                pass
            self.child.close_output()
            self.child = None

    # -------------------------------------------------------------- the run

    def run(self, cases: list, seconds: float) -> RunResult:
        """Call the function on each argument tuple of ``cases``, within ``seconds`` in total."""
        if self.fatal is not None:
            return self.fatal
        deadline = time.monotonic() + seconds
        res = RunResult("ok")
        limit = f"no answer within {seconds:g} s (the time limit, --timeout)"
        if self.child is None:
            err = self._start(deadline)
            if err == "fatal":
                self._stop()
                return self.fatal
            if err:
                res.stuck_case = 0 if cases else None
                return self._fail(res, err, limit, "while importing the file")
        for i, args in enumerate(cases):
            rid = self.next_id
            self.next_id += 1
            req = (json.dumps({"id": rid, "args": [_encode(a) for a in args]}) + "\n").encode()
            err = self._send(req, deadline)
            size = int(np.prod(np.shape(args[0])))
            line = None
            if err is None:
                line, err = self._read_line(BASE_CAP + 32 * size, deadline)
            if err is None:
                outcome = _parse_answer(line, rid, np.shape(args[0]))
                if outcome is None:
                    err = "protocol"
            if err:
                res.stuck_case = i
                return self._fail(res, err, limit, "")
            res.outcomes[i] = outcome
        return res

    def _fail(self, res: RunResult, err: str, limit: str, where: str) -> RunResult:
        where = f" {where}" if where else ""
        if err == "timeout":
            res.status, res.message = "timeout", limit + where
        elif err == "died":
            res.status = "died"
            res.message = (f"the process running the function exited{self._exit_note()}{where} "
                           f"(os._exit, a crash, or the memory limit?)")
        elif err == "too-long":
            res.status, res.message = "protocol", f"the answer was longer than allowed{where}"
        else:
            res.status = "protocol"
            res.message = f"the answer was not a valid result message{where} (the result channel was tampered with?)"
        self._stop()
        return res

    def close(self) -> None:
        self._stop()

    def output_text(self) -> dict:
        return {"bytes": self.output_bytes, "text": self.output.decode("utf-8", "replace"),
                "truncated": self.output_bytes > len(self.output)}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _number(x) -> bool:
    return type(x) in (int, float)


def _parse_answer(line: bytes, rid: int, shape: tuple):
    """("ok", ndarray) | ("error", message) for a valid answer to request ``rid``; None otherwise."""
    try:
        msg = json.loads(line)
    except (ValueError, RecursionError):  # not JSON, nested too deep, an integer of more than 4300 digits
        return None
    if not isinstance(msg, dict) or msg.get("id") != rid or type(msg.get("id")) is not int:
        return None
    if msg.get("status") == "error":
        text = msg.get("message")
        return ("error", _clip(text)) if isinstance(text, str) else None
    if msg.get("status") != "ok":
        return None
    got = msg.get("shape")
    if not isinstance(got, list) or len(got) > 32 or not all(type(n) is int and n >= 0 for n in got):
        return None
    if tuple(got) != tuple(shape):
        return ("error", f"returned shape {tuple(got)}, expected {tuple(shape)} (the shape of rewards)")
    data = msg.get("data")
    if not isinstance(data, list) or len(data) != math.prod(got) or not all(_number(x) for x in data):
        return None
    try:
        return "ok", np.array(data, dtype=np.float64).reshape(got)
    except (OverflowError, ValueError):  # an integer too large for a float
        return None
