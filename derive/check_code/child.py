"""The child side of ``derive check-impl``: a standalone script, never imported by derive.

derive runs it as ``python -I -S -c <this source> <config JSON>`` in a fresh interpreter
(``derive/check_code/sandbox.py``), inside bubblewrap when available.  It imports only the
standard library, NumPy and the user's file: derive's ground truth, reference
implementations and judging are not on its path and never cross to it.

Two processes:

* the **supervisor** (the process derive starts) sets the resource limits, becomes a
  child subreaper (``PR_SET_CHILD_SUBREAPER``) and forks the worker; when the worker
  ends it kills every process the worker left behind (orphans are re-parented to it);
* the **worker** imports the user's file and answers requests, one at a time.

Protocol, on two dedicated pipes (not stdout/stderr, which derive captures as the
submission's output): derive writes one JSON line per request,
``{"id": k, "args": [{"shape": [...], "data": [...]} | number, ...]}``; the worker writes one
JSON line per answer, ``{"id": k, "status": "ok", "shape": [...], "data": [...]}`` or
``{"id": k, "status": "error", "message": "..."}``.  The first line the worker writes is
``{"ready": true}`` or ``{"status": "import-error" | "no-function", "message": ...}``.
derive trusts none of it: it checks the id, the size, the shape and every number, and
compares them with the exact values it computed itself.
"""
import json
import os
import signal
import sys

MAX_ELEMENTS = 100_000  # an answer with more numbers is reported by its shape only
MAX_REQUEST = 1 << 22
MAX_MESSAGE = 2000


def _limits(cfg):
    import resource

    def setl(name, value):
        lim = getattr(resource, name, None)
        if lim is None or value is None:
            return
        try:
            resource.setrlimit(lim, (value, value))
        except (ValueError, OSError):
            pass

    if cfg.get("memory_mb"):
        setl("RLIMIT_AS", int(cfg["memory_mb"]) << 20)
    setl("RLIMIT_FSIZE", cfg.get("fsize"))
    setl("RLIMIT_NOFILE", cfg.get("nofile"))
    setl("RLIMIT_CPU", cfg.get("cpu"))
    setl("RLIMIT_CORE", 0)
    if cfg.get("nproc"):
        setl("RLIMIT_NPROC", cfg["nproc"])


def _subreaper():
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except Exception:  # noqa: BLE001 - best effort; derive kills the session and scans /proc anyway
        pass


def _children(pid):
    out = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                stat = fh.read().decode("ascii", "replace")
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 1 and fields[1] == str(pid):
            out.append(int(name))
    return out


def _reap_all():
    """Kill and reap every descendant (they are all our children, being a subreaper)."""
    for _ in range(200):
        kids = _children(os.getpid())
        if not kids:
            break
        for k in kids:
            try:
                os.kill(k, signal.SIGKILL)
            except OSError:
                pass
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break


def _short_tb(exc, path):
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == path] or \
        traceback.extract_tb(exc.__traceback__)[-1:]
    where = ""
    if frames:
        last = frames[-1]
        where = f" (at {os.path.basename(last.filename)}:{last.lineno}, in {last.name})"
    try:
        msg = str(exc)
    except Exception:  # noqa: BLE001
        msg = "<unprintable>"
    text = f"{type(exc).__name__}{': ' + msg if msg else ''}"
    if len(text) > MAX_MESSAGE:
        text = text[:MAX_MESSAGE] + "..."
    return text + where


def _send(fd, obj):
    data = (json.dumps(obj, separators=(",", ":")) + "\n").encode()
    while data:
        n = os.write(fd, data)
        data = data[n:]


def _read_line(fd, buf):
    while b"\n" not in buf[0]:
        chunk = os.read(fd, 65536)
        if not chunk:
            return None
        buf[0] += chunk
        if len(buf[0]) > MAX_REQUEST:
            return None
    line, _, rest = buf[0].partition(b"\n")
    buf[0] = rest
    return line


def _to_array(np, out):
    if hasattr(out, "detach") and hasattr(out, "cpu"):  # a torch tensor
        out = out.detach().cpu().numpy()
    if isinstance(out, (str, bytes, dict)) or out is None:
        raise TypeError("expected an array")
    return np.array(out, dtype=np.float64)


def _worker(cfg):
    req, resp = cfg["req_fd"], cfg["resp_fd"]
    path, func = cfg["path"], cfg["func"]
    sys.path[:0] = [os.path.dirname(path)]
    sys.path.extend(cfg.get("extra_path", []))
    import importlib.util

    import numpy as np

    try:
        spec = importlib.util.spec_from_file_location("derive_user_impl", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules["derive_user_impl"] = module
        spec.loader.exec_module(module)
    except BaseException as exc:  # noqa: BLE001 - the user's import may raise anything, even SystemExit
        _send(resp, {"status": "import-error", "message": f"importing {os.path.basename(path)} raised "
                                                         f"{_short_tb(exc, path)}"})
        return
    fn = getattr(module, func, None)
    if fn is None or not callable(fn):
        names = sorted(k for k, x in vars(module).items() if callable(x) and not k.startswith("_")
                       and getattr(x, "__module__", None) == "derive_user_impl")[:20]
        what = "no function" if fn is None else "an attribute that is not callable:"
        _send(resp, {"status": "no-function", "message": f"{path} has {what} {func!r}" +
                     (f" (it defines: {', '.join(names)})" if names else "")})
        return
    _send(resp, {"ready": True})
    buf = [b""]
    while True:
        line = _read_line(req, buf)
        if line is None:
            return
        msg = json.loads(line)
        cid = msg["id"]
        args = tuple(np.array(a["data"], dtype=np.float64).reshape(a["shape"]) if isinstance(a, dict) else a
                     for a in msg["args"])
        try:
            out = fn(*args)
        except MemoryError:
            _send(resp, {"id": cid, "status": "error", "message": "MemoryError: out of memory (the memory limit)"})
            continue
        except BaseException as exc:  # noqa: BLE001
            _send(resp, {"id": cid, "status": "error", "message": f"raised {_short_tb(exc, path)}"})
            continue
        try:
            arr = _to_array(np, out)
        except BaseException as exc:  # noqa: BLE001
            _send(resp, {"id": cid, "status": "error", "message": f"returned {type(out).__name__[:80]}, not an "
                                                                  f"array of numbers ({_short_tb(exc, path)})"})
            continue
        data = arr.ravel().tolist() if arr.shape == np.shape(args[0]) and arr.size <= MAX_ELEMENTS else None
        _send(resp, {"id": cid, "status": "ok", "shape": list(arr.shape), "data": data})


def main():
    cfg = json.loads(sys.argv[1])
    _limits(cfg)
    _subreaper()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            _worker(cfg)
        except BaseException:  # noqa: BLE001 - a broken pipe, the user's sys.exit at a bad moment
            code = 3
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            except BaseException:  # noqa: BLE001
                pass
            os._exit(code)
    os.close(cfg["req_fd"])
    os.close(cfg["resp_fd"])
    status = 0
    while True:
        try:
            got, status = os.waitpid(pid, 0)
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        if got == pid:
            break
    _reap_all()
    code = os.waitstatus_to_exitcode(status) if status else 0
    os._exit(code & 0xFF if code >= 0 else 128 - code)


if __name__ == "__main__":
    main()
