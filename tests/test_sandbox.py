"""derive check-impl as an autograder sandbox (issue 11), and hostile command-line input.

* every file of tests/hostile_impl/ (cheats, escapes, hangs, forks, floods, parent attacks) ends
  with an allowed verdict (``EXPECT``), never "holds" for a cheat, through the command line,
  with derive's stdout a valid JSON report of its own; afterwards no process of any submission
  remains (a /proc scan for the submissions' paths and markers in argv); the secret in derive's environment never reaches the report;
* under bubblewrap, no file is written outside the sandbox and no socket is reached (skipped
  with the reason when bwrap does not work here); the rlimit fallback is run too
  (DERIVE_SANDBOX=rlimit), except for the attacks only bubblewrap defends against (``MODES``);
* the answer parser accepts only a well-formed answer to the request it made;
* usage errors (--seed -1, --memory 1, DERIVE_SANDBOX=bogus) exit 2 without a traceback; a closed
  pipe and an ASCII-only stdout do not raise.

The full corpus is ``slow``; a quick subset runs by default.
"""
from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from derive.check_code import sandbox
from derive.check_code.runner import _parse_answer

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).resolve().parent / "hostile_impl"
FILES = sorted(p for p in HOSTILE.glob("*.py") if not p.name.startswith("_"))
SECRET = "hunter2-derive-secret"
PORT = 47613
QUICK = ["cheat_frame_done", "cheat_pickle_payload", "fork_setsid_daemon", "escape_write_files"]
QUICK_RLIMIT = ["cheat_patch_os_write", "fork_bomb_bounded", "hang_partial_message"]
CLI_FILES = {"cheat_stdout_forge", "cheat_proc_ppid_fd1", "cheat_proc_grandparent_fd1", "escape_environment",
             "cheat_frame_done"}
OUTSIDE = [Path("/tmp/derive-hostile-tmp.txt"), HOSTILE / "derive-hostile-here.txt"]
PICKLE_RAN = Path("/tmp/derive-hostile-pickle-ran")


def _meta(path: Path) -> dict:
    src = path.read_text()
    modes = re.search(r'^MODES = "(.*)"', src, re.M)
    return {"category": re.search(r'^CATEGORY = "(.*)"', src, re.M).group(1),
            "expect": set(re.search(r'^EXPECT = "(.*)"', src, re.M).group(1).split("|")),
            "modes": modes.group(1).split("|") if modes else ["bwrap", "rlimit"]}


def _bwrap_works() -> tuple:
    ok, note = sandbox._probe_bwrap()
    return ok, note


BWRAP, BWRAP_NOTE = _bwrap_works()


def _cli(path: Path, mode: str, cwd: Path, *extra, json_out=True):
    env = dict(os.environ, DERIVE_SANDBOX=mode, HOSTILE_SECRET=SECRET)
    args = [sys.executable, "-m", "derive", "check-impl", f"{path}:gae", "--kind", "gae", "--timeout", "2",
            "--memory", "1024", *extra] + (["--json"] if json_out else [])
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, timeout=90)


def _become_subreaper() -> bool:
    """Make this test process a child subreaper (Linux prctl PR_SET_CHILD_SUBREAPER): a submission's
    orphaned or double-forked daemon is then re-parented to it instead of to init, so the survivor scan
    can tell this test's processes from those of another test run on the same machine."""
    import ctypes

    try:
        return ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


SUBREAPER = _become_subreaper()


def _parent(pid: int):
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return int(fh.read().rsplit(b")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def _is_ours(pid: int) -> bool:
    """Whether ``pid`` descends from this process (its ancestry reaches os.getpid())."""
    me, seen = os.getpid(), set()
    while pid and pid not in seen:
        seen.add(pid)
        pid = _parent(pid)
        if pid == me:
            return True
    return False


def _hostile_processes() -> list:
    """Live processes started for a hostile submission: its path (bwrap's binds, the child's config) or
    the marker 'hostile_impl-marker' (exec'd daemons) in argv.

    Scoped to this test process's descendants when it is a subreaper (every orphan of a submission is
    then re-parented here): a hostile file run by another test session at the same time is not counted
    (issue 14: that made the scan flaky).  Without a subreaper every such process counts."""
    out = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                state = fh.read().rsplit(b")", 1)[1].split()[0]
            with open(f"/proc/{name}/cmdline", "rb") as fh:
                cmd = fh.read()
        except (OSError, IndexError):
            continue
        if state in (b"Z", b"X"):
            continue
        if b"hostile_impl" in cmd:  # not derive's marker alone: other tests may be checking code right now
            if SUBREAPER and not _is_ours(int(name)):
                continue
            which = re.search(rb"hostile_impl/(\w+)\.py", cmd)
            out.append((int(name), state.decode(), which.group(1).decode() if which else cmd[:80]))
    return out


class _Listener:
    """A TCP listener on 127.0.0.1:PORT that counts connections (None when the port is taken)."""

    def __init__(self):
        self.count = 0
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self.sock.bind(("127.0.0.1", PORT))
        except OSError:
            self.sock.close()
            self.sock = None
            return
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.stop = False
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
                self.count += 1
                conn.close()
            except OSError:
                continue

    def close(self):
        if self.sock is not None:
            self.stop = True
            self.thread.join()
            self.sock.close()


class _Done:
    """A finished run: derive's exit code, stdout and stderr (the CLI's, or an in-process report as JSON)."""

    def __init__(self, returncode, stdout, stderr=b""):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def _in_process(path: Path) -> _Done:
    from derive.check_code.check import check_impl

    rep = check_impl(str(path), "gae", "gae", timeout=2, memory_mb=1024)
    return _Done(0 if rep["verdict"] == "holds" else 1, json.dumps(rep).encode())


CORPUS_LOCK = Path("/tmp/derive-hostile-corpus.lock")


def _run_corpus(names, mode, tmp_path, monkeypatch):
    """Run the named files, one corpus run at a time on this machine: the hostile files write fixed
    paths (``OUTSIDE``, ``PICKLE_RAN``, /tmp/derive-hostile-flood-*) and the listener takes a fixed port,
    so two runs at once (pytest -n 2, or another test session) would see each other's traces. An
    exclusive flock on ``CORPUS_LOCK`` (released by the kernel if the holder dies) serialises them."""
    import fcntl

    with open(CORPUS_LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return _run_corpus_locked(names, mode, tmp_path, monkeypatch)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _run_corpus_locked(names, mode, tmp_path, monkeypatch):
    """Run the named files: through the command line those that attack derive's stdout or environment,
    the others in this process (4 at a time: most hostile files sleep), then check everything."""
    paths = [p for p in FILES if p.stem in names and mode in _meta(p)["modes"]]
    for p in OUTSIDE + [PICKLE_RAN]:
        p.unlink(missing_ok=True)
    monkeypatch.setenv("DERIVE_SANDBOX", mode)
    monkeypatch.setenv("HOSTILE_SECRET", SECRET)
    listener = _Listener()
    cwd = tmp_path / "cwd"
    cwd.mkdir()

    def one(p):
        return p, (_cli(p, mode, cwd) if p.stem in CLI_FILES else _in_process(p))

    try:
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(one, paths))
    finally:
        listener.close()
    left = _hostile_processes()
    outside = [str(p) for p in OUTSIDE if p.exists()]
    pickle_ran = PICKLE_RAN.exists()
    for p in OUTSIDE + [PICKLE_RAN] + list(Path("/tmp").glob("derive-hostile-flood-*")):
        p.unlink(missing_ok=True)  # the rlimit fallback does not stop writes: clean up after it
    problems = []
    for path, proc in results:
        meta = _meta(path)
        name = path.stem
        if proc.returncode not in (0, 1) or b"Traceback" in proc.stderr:
            problems.append(f"{name}: exit {proc.returncode}: {proc.stderr[-300:]!r}")
            continue
        try:
            rep = json.loads(proc.stdout)
        except ValueError:
            problems.append(f"{name}: stdout is not derive's JSON report: {proc.stdout[:200]!r}")
            continue
        if rep["verdict"] not in meta["expect"]:
            problems.append(f"{name}: verdict {rep['verdict']} not in {meta['expect']}: {rep['reason'][:200]}")
        if meta["category"] == "cheat" and rep["verdict"] == "holds":
            problems.append(f"{name}: a cheat got holds")
        if rep.get("survivors"):
            problems.append(f"{name}: derive reports processes it could not kill: {rep['survivors']}")
        if rep.get("sandbox") != mode:
            problems.append(f"{name}: sandbox {rep.get('sandbox')} instead of {mode}")
        if SECRET.encode() in proc.stdout + proc.stderr:
            problems.append(f"{name}: derive's environment leaked into the report")
        if b"\x1b" in proc.stdout + proc.stderr:
            problems.append(f"{name}: a raw escape character reached derive's output")
        if len(proc.stdout) > 200_000:
            problems.append(f"{name}: report of {len(proc.stdout)} bytes")
        if mode == "bwrap" and b"root:x:0:0" in proc.stdout:
            problems.append(f"{name}: /etc/passwd reached the report")
    assert not problems, "\n".join(problems)
    assert not left, f"processes survived: {left}"
    assert not pickle_ran, "derive unpickled the child's message"
    assert not any(cwd.iterdir()), f"files written in derive's working directory: {list(cwd.iterdir())}"
    assert not (Path.cwd() / "derive-hostile-cwd.txt").exists(), "a file was written in derive's working directory"
    if mode == "bwrap":
        assert not outside, f"files written outside the sandbox: {outside}"
        if listener.sock is not None:
            assert listener.count == 0, "a submission reached a socket on 127.0.0.1"
    return results


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def test_survivor_scan_sees_our_orphans_only():
    """A double-forked daemon of this process (re-parented to it) is found; the scan is not blind."""
    import signal
    import time

    code = ("import os, subprocess, sys\n"
            "subprocess.Popen([sys.executable, '-S', '-c', 'import time; time.sleep(60)', 'hostile_impl-marker'],"
            " start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n")
    subprocess.run([sys.executable, "-S", "-c", code], check=True, timeout=60)  # its parent has exited
    found = []
    try:
        for _ in range(100):  # wait for the daemon to exec (no time limit asserted: at most 100 polls)
            found = [pid for pid, _, _ in _hostile_processes() if b"sleep(60)" in _cmdline(pid)]
            if found:
                break
            time.sleep(0.05)
        assert found, "an orphaned daemon of this test was not found"
        if SUBREAPER:
            assert all(_parent(pid) == os.getpid() for pid in found)
    finally:
        for pid in found:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0) if SUBREAPER else None


def test_corpus_is_large_and_labelled():
    assert len(FILES) >= 40
    cats = {_meta(p)["category"] for p in FILES}
    assert cats == {"cheat", "escape", "hang", "fork", "flood", "parent"}
    for p in FILES:
        m = _meta(p)
        assert m["expect"] <= {"holds", "fails", "unknown"}, p
        assert m["category"] != "cheat" or "holds" not in m["expect"], p


@pytest.mark.skipif(not BWRAP, reason=f"bubblewrap unusable here: {BWRAP_NOTE}")
def test_quick_hostile_subset_bwrap(tmp_path, monkeypatch):
    _run_corpus(QUICK, "bwrap", tmp_path, monkeypatch)


def test_quick_hostile_subset_rlimit(tmp_path, monkeypatch):
    _run_corpus(QUICK_RLIMIT, "rlimit", tmp_path, monkeypatch)


@pytest.mark.slow
@pytest.mark.skipif(not BWRAP, reason=f"bubblewrap unusable here: {BWRAP_NOTE}")
def test_full_hostile_corpus_bwrap(tmp_path, monkeypatch):
    _run_corpus([p.stem for p in FILES], "bwrap", tmp_path, monkeypatch)


@pytest.mark.slow
def test_full_hostile_corpus_rlimit(tmp_path, monkeypatch):
    _run_corpus([p.stem for p in FILES], "rlimit", tmp_path, monkeypatch)


# ------------------------------------------------------------ the answer parser


@pytest.mark.parametrize("line", [
    b'{"done": true}', b'{"id": 1, "status": "ok", "shape": [2], "data": [1.0, 2.0]}',
    b'{"id": 0, "status": "ok", "shape": [2], "data": [1.0]}',
    b'{"id": 0, "status": "ok", "shape": [2], "data": [true, 1.0]}',
    b'{"id": 0, "status": "ok", "shape": [2], "data": ["1", 1.0]}',
    b'{"id": 0, "status": "ok", "shape": [2]}', b'{"id": 0.0, "status": "ok", "shape": [2], "data": [1, 2]}',
    b'{"id": 0, "status": "error", "message": 3}', b'{"id": 0, "status": "holds"}', b'[0]', b'\x80\x04K.',
    b'{"id": true, "status": "ok", "shape": [2], "data": [1, 2]}', b'{"id": 0, "status": "ok", "shape": [-2]}',
    b'{"id": 0, "status": "ok", "shape": [2], "data": [1, 1' + b'0' * 400 + b']}',
    b'{"id": 0, "status": "ok", "shape": [2], "data": [1, 1' + b'0' * 5000 + b']}',
    b'{"id": 0, "status": "ok", "shape": [2], "data": ' + b'[' * 100000 + b']' * 100000 + b'}',
])
def test_answer_parser_refuses_forgeries(line):
    assert _parse_answer(line, 0, (2,)) is None


def test_answer_parser_accepts_a_real_answer():
    status, arr = _parse_answer(b'{"id": 5, "status": "ok", "shape": [2], "data": [1.5, NaN]}', 5, (2,))
    assert status == "ok" and arr[0] == 1.5 and np.isnan(arr[1])
    assert _parse_answer(b'{"id": 5, "status": "ok", "shape": [3], "data": null}', 5, (2,))[0] == "error"


# ------------------------------------------------------------ the report and the command line


def test_rlimit_fallback_is_reported_and_output_captured(monkeypatch, capsys):
    from derive.cli import main

    monkeypatch.setenv("DERIVE_SANDBOX", "rlimit")
    assert main(["check-impl", str(ROOT / "tests/impl_examples/misc.py") + ":prints", "--kind", "gae"]) == 0
    out = capsys.readouterr()
    assert "debug output on stdout" not in out.out and "  | debug output on stdout" in out.err
    assert "sandbox: rlimits and a new session only" in out.out and "apt-get install bubblewrap" in out.out


def test_escape_sequences_are_escaped_in_text_mode(monkeypatch, capsys):
    from derive.cli import main

    monkeypatch.setenv("DERIVE_SANDBOX", "rlimit")
    assert main(["check-impl", str(HOSTILE / "escape_terminal_escapes.py") + ":gae", "--kind", "gae"]) == 1
    out = capsys.readouterr()
    assert "\x1b" not in out.out + out.err and "\\x1b]0;pwned" in out.out + out.err


@pytest.mark.parametrize("args, fragment", [
    (["--seed", "-1"], "--seed"), (["--seed", "99999999999"], "--seed"), (["--memory", "1"], "--memory"),
    (["--timeout", "0"], "--timeout"),
])
def test_bad_options_exit_2_without_traceback(args, fragment, capsys):
    from derive.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["check-impl", "tests/impl_examples/gae_loop.py:gae", "--kind", "gae", *args])
    assert exc.value.code == 2 and fragment in capsys.readouterr().err


def test_unknown_sandbox_name_is_a_usage_error(monkeypatch, capsys):
    from derive.cli import main

    monkeypatch.setenv("DERIVE_SANDBOX", "bogus")
    assert main(["check-impl", str(ROOT / "tests/impl_examples/gae_loop.py") + ":gae", "--kind", "gae"]) == 2
    assert "DERIVE_SANDBOX='bogus'" in capsys.readouterr().err


def test_closed_pipe_does_not_raise():
    cmd = [sys.executable, "-m", "derive", "check-impl", "tests/impl_examples/misc.py:raises", "--kind", "gae"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader went away (as with `| head -1`)
    err = proc.stderr.read()
    assert proc.wait(timeout=90) == 1 and b"Traceback" not in err and b"BrokenPipe" not in err


def test_ascii_only_stdout_does_not_raise(monkeypatch, tmp_path):
    import io

    from derive.cli import main

    md = tmp_path / "u.md"
    md.write_text('---\ntitle: "\u03b3 \u00fcn\u00efcode"\n---\n# t\n')
    for args in (["check", str(md)], ["check", str(md), "--json"]):
        raw = io.BytesIO()
        monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding="ascii"))  # PYTHONIOENCODING=ascii
        main(args)
        sys.stdout.flush()
        text = raw.getvalue().decode("ascii")
        assert "\\u03b3" in text
        if "--json" in args:
            assert json.loads(text)["results"][0]["title"] == "\u03b3 \u00fcn\u00efcode"


# ------------------------------------------------------------ hostile Markdown and options (issue 11, item 6)


@pytest.mark.parametrize("gamma", ['"1e-999999999"', '"1e-99999999999999"', "9", "[1]", '"1/0"', '"0x1p-3"'])
def test_front_matter_gamma_is_bounded_before_conversion(gamma):
    from derive.read_markdown import InputError
    from derive.read_markdown.front_matter import read_front_matter

    with pytest.raises(InputError, match="front matter gamma"):  # at once: no Fraction of a huge exponent
        read_front_matter(f"---\ngamma: {gamma}\n---\n", "f.md")


@pytest.mark.parametrize("text", ["---\ngamma: 1\nsetting: discounted\n---\n", "---\nsetting: discounted\ngamma: 1\n---\n"])
def test_front_matter_validation_does_not_depend_on_key_order(text):
    from derive.read_markdown import InputError
    from derive.read_markdown.front_matter import read_front_matter

    with pytest.raises(InputError, match="below 1 when discounted"):
        read_front_matter(text, "f.md")
    front, _ = read_front_matter(text.replace("gamma: 1", "gamma: 0.5"), "f.md")
    assert front["gamma"] == "1/2" and front["setting"] == "discounted"


def test_control_characters_are_escaped_in_derivation_reports(tmp_path, capsys):
    from derive.cli import main

    bad = tmp_path / "t\x1b[2Jitle.md"
    bad.write_text('---\ntitle: "\\e]0;pwned\\a\\e[31mred\\x9b"\n---\n# Title \x1b[2J\n\nprose \x9b31m\n')
    main(["check", str(bad)])
    out = capsys.readouterr()
    assert "\x1b" not in out.out + out.err and "\x9b" not in out.out + out.err
    assert "\\x1b]0;pwned\\x07" in out.out
    main(["check", str(bad), "--json"])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x9b" not in out
    assert json.loads(out)["results"][0]["title"] == "\x1b]0;pwned\x07\x1b[31mred\x9b"


def test_clean_keeps_text_and_escapes_controls():
    from derive.cli.safe_text import clean, clean_json

    assert clean("gamma \u03b3 = 0.9\n\tok") == "gamma \u03b3 = 0.9\n\tok"
    assert clean("a\x1b[31mb\x07\u202ec") == "a\\x1b[31mb\\x07\\u202ec"
    assert clean("a\nb", keep_newlines=False) == "a\\nb"
    assert json.loads(clean_json(json.dumps({"t": "a\x9bb\u202e"}, ensure_ascii=False))) == {"t": "a\x9bb\u202e"}
    assert "\x9b" not in clean_json(json.dumps("a\x9b", ensure_ascii=False))

    class Ascii:
        encoding = "ascii"

    text = json.dumps({"t": "a\U0001d400\u03b3\x9b"}, ensure_ascii=False)  # PYTHONIOENCODING=ascii: still JSON
    assert clean_json(text, Ascii()).isascii() and json.loads(clean_json(text, Ascii())) == json.loads(text)


def test_fifo_named_md_is_not_a_regular_file(tmp_path, capsys):
    from derive.cli import main

    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    assert main(["check", str(fifo)]) == 2  # returns at once: the FIFO is never opened
    assert "not a regular file" in capsys.readouterr().err


@pytest.mark.parametrize("args, fragment", [
    (["check", "--methods", ","], "names no method"), (["check", "--methods", " , "], "names no method"),
])
def test_empty_methods_is_a_usage_error(args, fragment, capsys):
    from derive.cli import main

    assert main(args) == 2 and fragment in capsys.readouterr().err


def test_check_memory_below_minimum_is_refused(capsys):
    from derive.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["check", "tests/homework/correct/td_error.md", "--memory", "1"])
    assert exc.value.code == 2 and "at least 256 MB" in capsys.readouterr().err
