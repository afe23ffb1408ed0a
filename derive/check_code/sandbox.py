"""Start and stop the process that runs a submission: bubblewrap when it works, else rlimits.

Isolations (``ISOLATIONS``; chosen once per process by ``isolation()``, forced with the
environment variable ``DERIVE_SANDBOX=bwrap|rlimit``; ``auto`` or unset probes bwrap):

* ``bwrap``: bubblewrap with every namespace unshared (no network, a new PID namespace),
  ``--die-with-parent``, ``--new-session``, ``--clearenv``, uid/gid 65534 with no
  capabilities, a read-only view of only /usr, the Python installation, the folders
  NumPy is imported from and the submission's folder, a private 64 MB tmpfs /tmp as the
  working directory, and derive's own package hidden;
* ``rlimit``: a fresh interpreter in a new session (its own process group), in a private
  temporary working directory that is deleted afterwards.

In both, the child (``child.py``, run as ``python -I -S -c``) sets RLIMIT_AS (``--memory``),
RLIMIT_FSIZE, RLIMIT_NOFILE, RLIMIT_CPU and RLIMIT_CORE before any user code, and RLIMIT_NPROC
unless derive runs as root (the kernel does not apply it to root).  The environment is
replaced by PATH, LANG, thread-count variables and a random marker ``DERIVE_SANDBOX_RUN``.
``Child.kill`` kills the process group (bwrap: the sandbox, whose PID namespace dies with
it), then sweeps /proc for any process that still carries the marker or the session.
"""
from __future__ import annotations

import json
import math
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

MARKER = "DERIVE_SANDBOX_RUN"
CHILD_SOURCE = Path(__file__).with_name("child.py")
FSIZE = 16 << 20
NOFILE = 64
NPROC_EXTRA = 32
TMPFS_BYTES = 64 << 20
_probe_cache: dict = {}


def _python_paths() -> list:
    """The folders the child needs to import NumPy (and the user's own imports from site-packages)."""
    import numpy

    paths = [os.path.dirname(os.path.dirname(os.path.realpath(numpy.__file__)))]
    for key in ("purelib", "platlib"):
        p = sysconfig.get_paths().get(key)
        if p and os.path.isdir(p):
            paths.append(os.path.realpath(p))
    return list(dict.fromkeys(paths))


def _derive_package() -> str:
    return os.path.dirname(os.path.dirname(os.path.realpath(__file__)))


def _env(token: str) -> dict:
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", MARKER: token,
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _bwrap_prefix(user_dir: str, token: str, tmpfs_size: bool = True) -> list:
    """The bubblewrap command line up to (excluding) the program."""
    args = [shutil.which("bwrap") or "bwrap", "--unshare-all", "--die-with-parent", "--new-session",
            "--cap-drop", "ALL", "--uid", "65534", "--gid", "65534", "--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/lib", "/lib64", "/sbin"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    args += ["--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache"]
    # the private /tmp comes first: a Python, NumPy or submission folder that lives under /tmp (a venv or a
    # clone there) is then bound on top of it instead of being hidden by it
    args += ["--proc", "/proc", "--dev", "/dev"]
    args += (["--size", str(TMPFS_BYTES)] if tmpfs_size else []) + ["--tmpfs", "/tmp"]
    binds = [os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix),
             os.path.dirname(os.path.realpath(sys.executable)), *_python_paths()]
    binds = [b for b in dict.fromkeys(binds) if not _under(b, "/usr")]
    binds = [b for b in binds if not any(o != b and _under(b, o) for o in binds)]  # nested ones come along
    for b in binds:
        args += ["--ro-bind", b, b]
    pkg = _derive_package()
    user = ["--ro-bind", user_dir, user_dir] if user_dir != "/" else []  # a file at / shows only itself
    if _under(user_dir, pkg):  # a submission inside derive's package (its own reference.py) sees its folder
        args += ["--tmpfs", pkg] + user
    else:
        args += user + (["--tmpfs", pkg] if any(_under(pkg, b) for b in binds + [user_dir]) else [])
    args += ["--chdir", "/tmp", "--clearenv"]
    for k, v in _env(token).items():
        args += ["--setenv", k, v]
    return args + ["--"]


def _probe_bwrap() -> tuple:
    """(works, note): run a trivial Python in the sandbox once."""
    if shutil.which("bwrap") is None:
        return False, "bubblewrap (bwrap) is not installed"
    last = ""
    for size in (True, False):
        cmd = _bwrap_prefix(os.path.dirname(CHILD_SOURCE), "probe", size) + [
            os.path.realpath(sys.executable), "-I", "-S", "-c", "print('ok')"]
        try:
            out = subprocess.run(cmd, capture_output=True, timeout=10, env=_env("probe"), stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return False, f"bwrap could not start ({type(exc).__name__})"
        if out.returncode == 0 and out.stdout.strip() == b"ok":
            return True, "" if size else "nosize"
        last = out.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        last = last[0][:200]
    return False, f"bwrap is installed but does not work here ({last or 'no output'}; user namespaces disabled?)"


def isolation() -> tuple:
    """(name, note): "bwrap" or "rlimit", and why bwrap is not used when it is not."""
    want = os.environ.get("DERIVE_SANDBOX", "auto").strip().lower() or "auto"
    if want not in ("auto", "bwrap", "rlimit"):
        raise SandboxError(f"DERIVE_SANDBOX={want!r}: expected auto, bwrap or rlimit")
    if want == "rlimit":
        return "rlimit", "rlimit forced by DERIVE_SANDBOX=rlimit"
    if "bwrap" not in _probe_cache:
        _probe_cache["bwrap"] = _probe_bwrap()
    ok, note = _probe_cache["bwrap"]
    if ok:
        return "bwrap", ""
    if want == "bwrap":
        raise SandboxError(f"DERIVE_SANDBOX=bwrap but {note}")
    return "rlimit", note + "; install it for the stronger sandbox (apt-get install bubblewrap)"


def undumpable() -> None:
    """prctl(PR_SET_DUMPABLE, 0) on derive's process: without CAP_SYS_PTRACE (not root), another process
    of the same user can no longer ptrace it or open its /proc/PID/fd (its stdout); signals still reach it."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE
    except Exception:  # noqa: BLE001 - not Linux: nothing to do
        pass


class SandboxError(Exception):
    """The requested isolation is not available (exit 2)."""


def _nproc_limit():
    if os.geteuid() == 0:
        return None
    uid = str(os.getuid())
    count = 0
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/status") as fh:
                    count += any(line.startswith("Uid:") and line.split()[1] == uid for line in fh)
            except OSError:
                pass
    return count + NPROC_EXTRA


class Child:
    """One running child: pipes to it, its captured output, and how to kill all of it."""

    def __init__(self, path: str, func: str, memory_mb, cpu_seconds: float):
        self.isolation, note = isolation()
        self.token = os.urandom(12).hex()
        self.workdir = None
        req_r, self.req_w = os.pipe()
        self.resp_r, resp_w = os.pipe()
        self.out_r, out_w = os.pipe()
        user = os.path.realpath(path)
        cfg = {"path": user, "func": func, "memory_mb": memory_mb, "req_fd": req_r, "resp_fd": resp_w,
               "extra_path": _python_paths(), "fsize": FSIZE, "nofile": NOFILE,
               "cpu": int(math.ceil(cpu_seconds)) + 2, "nproc": _nproc_limit()}
        prog = [os.path.realpath(sys.executable), "-I", "-S", "-u", "-c", CHILD_SOURCE.read_text(), json.dumps(cfg)]
        if self.isolation == "bwrap":
            cmd, cwd = _bwrap_prefix(os.path.dirname(user), self.token, note != "nosize") + prog, None
            if os.path.dirname(user) == "/":
                cmd[cmd.index("--chdir"):cmd.index("--chdir")] = ["--ro-bind", user, user]
        else:
            self.workdir = tempfile.mkdtemp(prefix="derive-impl-")
            cmd, cwd = prog, self.workdir
        try:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out_w, stderr=out_w,
                                         pass_fds=(req_r, resp_w), env=_env(self.token), cwd=cwd,
                                         start_new_session=True)
        finally:
            for fd in (req_r, resp_w, out_w):
                os.close(fd)
        for fd in (self.req_w, self.resp_r, self.out_r):
            os.set_blocking(fd, False)
        self.closed = False

    def kill(self) -> list:
        """Kill the child and everything it started; close the pipes; delete the working directory.
        The pids still alive after that (none expected)."""
        if self.closed:
            return []
        self.closed = True
        pid = self.proc.pid
        freeze_and_kill(pid, self.token)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        left = sweep(self.token, pid)
        for fd in (self.req_w, self.resp_r):
            try:
                os.close(fd)
            except OSError:
                pass
        if self.workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
        return left

    def close_output(self) -> None:
        try:
            os.close(self.out_r)
        except OSError:
            pass


def _table() -> dict:
    """pid -> (ppid, session, state) for every process in /proc."""
    out = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as fh:
                    stat = fh.read().decode("ascii", "replace")
                fields = stat[stat.rfind(")") + 2:].split()
                out[int(name)] = (int(fields[1]), int(fields[4]), fields[0])
            except (OSError, ValueError, IndexError):
                pass
    return out


def descendants(root: int, table: dict | None = None) -> set:
    """Every process below ``root`` in the process tree (the child's orphans are re-parented to its
    supervisor, a subreaper, so they stay below it while it lives)."""
    table = _table() if table is None else table
    kids: dict = {}
    for pid, (ppid, _, _) in table.items():
        kids.setdefault(ppid, []).append(pid)
    out, todo = set(), [root]
    while todo:
        for k in kids.get(todo.pop(), []):
            if k not in out:
                out.add(k)
                todo.append(k)
    return out


def freeze_and_kill(root: int, token: str, rounds: int = 50) -> None:
    """SIGSTOP the child, its descendants, its session and every process with its marker until no new
    one appears (a stopped process cannot fork), then SIGKILL them all and the process group."""
    found = {root}
    _signal(root, signal.SIGSTOP)
    for _ in range(rounds):
        table = _table()
        new = (descendants(root, table) | {p for p, (_, sid, _) in table.items() if sid == root}
               | set(survivors(token))) - found - {os.getpid()}
        if not new:
            break
        for p in new:
            _signal(p, signal.SIGSTOP)
        found |= new
    for p in found:
        _signal(p, signal.SIGKILL)
    try:
        os.killpg(root, signal.SIGKILL)
    except OSError:
        pass


def _signal(pid: int, sig) -> None:
    try:
        os.kill(pid, sig)
    except OSError:
        pass


def _proc_info(name: str):
    """(state, session id, environ bytes) of /proc/NAME, or None."""
    try:
        with open(f"/proc/{name}/stat", "rb") as fh:
            stat = fh.read().decode("ascii", "replace")
        fields = stat[stat.rfind(")") + 2:].split()
        with open(f"/proc/{name}/environ", "rb") as fh:
            env = fh.read(1 << 16)
        return fields[0], int(fields[4]), env
    except (OSError, ValueError, IndexError):
        return None


def survivors(token: str, session: int | None = None) -> list:
    """Live processes (not zombies) carrying the marker ``token`` or in the given session."""
    needle = f"{MARKER}={token}".encode()
    out = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        info = _proc_info(name)
        if info is None or info[0] in ("Z", "X"):
            continue
        if needle in info[2] or (session is not None and info[1] == session):
            out.append(int(name))
    return out


def sweep(token: str, session: int | None = None, seconds: float = 5.0) -> list:
    """SIGKILL every survivor until none is left (or ``seconds`` pass); the pids that remained."""
    end = time.monotonic() + seconds
    left = survivors(token, session)
    while left and time.monotonic() < end:
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.02)
        left = survivors(token, session)
    return left
