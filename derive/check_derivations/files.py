"""Checking whole files: targets, per-file limits, verdicts and expectations.

* ``collect(targets)``: a FILE is itself, a DIR is every ``*.md`` below it
  (recursive, sorted by path).  A missing path is an ``InputProblem``.
* ``check_file(path)``: reads the derivation (``InputError`` and ``OSError``
  propagate: the caller reports them as input errors), then judges each step
  in a forked worker (``run_limited``; one worker kept for the file, ``kept_worker``)
  against one wall-clock budget for the whole file (``timeout`` seconds) and a memory limit.  When the budget is
  spent, the step being judged and every later step are "unknown" with the
  reason "time limit"; nothing is lost of the steps already judged.
* File verdict: "holds" if every step holds (and there is at least one),
  "fails" if some step fails, "unknown" otherwise.  OK: with ``expect: fails``
  the first failing step must be ``step: K`` (any failing step when K is not
  given); otherwise every step must hold.  A file under a ``mistakes/`` folder
  must say ``expect: fails``.
"""
from __future__ import annotations

import time
from pathlib import Path

from ..catalog.course_catalog import course_for
from ..read_markdown import load_derivation
from ..setting import Setting
from ..check_statements.exact import cached_instances
from ..check_statements.sandbox import Timeout, WorkerFailed, kept_worker, run_limited
from .hints import MAX_HINTED_STEPS, hints_for, wanted
from .judge import base_record, confirm_symbolic, judge_exact
from .mistakes import _mistakes
from .step_memo import recall, remember, step_key

DEFAULT_TIMEOUT = 120.0
DEFAULT_MEMORY_MB = 2048
SYMBOLIC_BUDGET = 3.0
HINT_SECONDS = 20.0  # at most, for the hints of one failing step


class InputProblem(Exception):
    """A target that cannot be checked at all: ``str(exc)`` is ``FILE:LINE:COL: message``."""


def collect(targets) -> list:
    """The Markdown files named by the targets, in order (directories expanded, sorted; a folder's README.md
    describes the folder and is skipped, unless named as a file)."""
    out = []
    for target in targets:
        p = Path(target)
        if p.is_dir():
            out.extend(sorted(str(f) for f in p.rglob("*.md") if f.is_file() and f.name.lower() != "readme.md"))
        elif p.is_file():
            out.append(str(p))
        elif p.exists():  # a FIFO, a socket or a device: never opened (reading it could block forever)
            raise InputProblem(f"{target}:1:1: not a regular file")
        else:
            raise InputProblem(f"{target}:1:1: no such file or directory")
    return out


def _unknown(step, reason):
    rec = base_record(step)
    rec["reason"] = reason
    rec["hints"] = []
    return rec


def setting_of(derivation) -> str:
    """The setting the steps of a derivation are judged in, as text: ``str(Setting.from_front(front))``
    (front matter setting, gamma, family, start, reward; derive/setting.py).  Raises ``ValueError`` on a
    combination derive cannot evaluate (the episodic setting with state rewards)."""
    return str(Setting.from_front(derivation.front))


def judge_steps(derivation, timeout=DEFAULT_TIMEOUT, memory_mb=DEFAULT_MEMORY_MB,
                symbolic_budget=SYMBOLIC_BUDGET, seed=0, on_step=None) -> list:
    """Every step's record, in order.  ``on_step(done, total)``, if given, is called as each step starts
    (done = the steps already judged): the command line's progress display (cli/progress.py)."""
    try:
        setting = setting_of(derivation)
    except ValueError as exc:  # a combination of conventions derive cannot evaluate exactly: every step unknown
        return [_unknown(step, f"not judged: {exc}") for step in derivation.steps]
    cached_instances(setting, seed, True)  # warm the caches the workers inherit
    # the catalog's mistakes (reading the catalog, about 1 s) only once a step fails (issue 14): the worker
    # reads them to name the mistake, and the parent then too, for the workers of the next files
    deadline = time.monotonic() + timeout
    records, out_of_time, hinted = [], False, 0
    for step in derivation.steps:
        if on_step is not None:
            on_step(len(records), len(derivation.steps))
        remaining = deadline - time.monotonic()
        if out_of_time or remaining <= 0:
            out_of_time = True
            records.append(_unknown(step, f"time limit ({timeout:g} s per file) reached before this step"))
            continue
        key = step_key(step, setting, seed, symbolic_budget, memory_mb)  # step_memo.py: judged before, same record
        known = recall(key)
        if known is not None and not (wanted(known) and hinted >= MAX_HINTED_STEPS):
            hinted += 1 if wanted(known) else 0
            records.append(known)
            continue
        try:
            rec = run_limited(judge_exact, (step, setting, seed), seconds=remaining, memory_mb=memory_mb)
        except Timeout:
            out_of_time = True
            records.append(_unknown(step, f"time limit ({timeout:g} s per file) reached while judging this step"))
            continue
        except WorkerFailed as exc:
            records.append(_unknown(step, f"the checker's worker failed: {str(exc).splitlines()[0]}"))
            continue
        if rec["verdict"] == "fails":
            _mistakes(setting)
        remaining = deadline - time.monotonic()
        clocked = symbolic_budget > 0 and remaining < symbolic_budget  # a clock, not the step, decided a part
        if symbolic_budget > 0 and remaining > 0.5:
            rec = confirm_symbolic(rec, step, setting, min(symbolic_budget, remaining))
            clocked = clocked or "symbolic: timed out" in (rec.get("reason") or "")
        rec["hints"] = []
        if wanted(rec) and hinted < MAX_HINTED_STEPS and deadline - time.monotonic() > 1:
            hinted += 1  # hints.py: re-judged exactly under nearby conventions; never changes the verdict
            try:
                rec["hints"] = run_limited(hints_for, (step, rec, setting, seed),
                                           seconds=min(HINT_SECONDS, deadline - time.monotonic()),
                                           memory_mb=memory_mb)
            except (Timeout, WorkerFailed):
                clocked = True
        elif wanted(rec):
            clocked = True  # no hints for want of time or of the file's hint allowance
        if not clocked:
            remember(key, rec)
        records.append(rec)
    return records


def file_verdict(steps) -> str:
    verdicts = [s["verdict"] for s in steps if s["verdict"] != "definition"]  # X = e, X new: not a claim (first_use.py)
    if "fails" in verdicts:
        return "fails"
    if verdicts and all(v == "holds" for v in verdicts):
        return "holds"
    return "unknown"


def expectation(path: str, front: dict, steps: list) -> tuple:
    """(ok, note) for a file's results against its front matter."""
    expect, k = front.get("expect", "holds"), front.get("step")
    first = next((s["step"] for s in steps if s["verdict"] == "fails"), None)
    if "mistakes" in Path(path).parts[:-1] and expect != "fails":
        return False, "files under mistakes/ must declare expect: fails"
    if not steps:
        return False, "no steps found (no display with a relation)"
    if expect == "fails":
        if first is None:
            return False, "expected a failing step" + (f" at step {k}" if k else "") + ", but none fails"
        if k is not None and first != int(k):
            return False, f"expected the first failure at step {k}, but it is at step {first}"
        return True, f"fails as expected at step {first}"
    if first is not None:
        return False, f"step {first} fails"
    claims = [s for s in steps if s["verdict"] != "definition"]  # definitions by first use (first_use.py)
    if claims and all(s["verdict"] == "holds" for s in claims):
        defined = [str(s["step"]) for s in steps if s["verdict"] == "definition"]
        return True, f"all {len(claims)} steps hold" + (f" (step{'s' if len(defined) > 1 else ''} {', '.join(defined)}: "
                                                         "a definition, not judged)" if defined else "")
    unknown = [str(s["step"]) for s in steps if s["verdict"] == "unknown"]
    approx = [str(s["step"]) for s in steps if s["verdict"] == "approximation"]  # check_derivations/approx.py
    elided = [str(s["step"]) for s in steps if s["verdict"] == "elided"]  # check_derivations/elided.py
    defined = [str(s["step"]) for s in steps if s["verdict"] == "definition"]  # check_derivations/first_use.py
    notes = [f"{what} at step{'s' if len(ks) > 1 else ''} {', '.join(ks)}"
             for what, ks in (("unknown", unknown), ("an approximation (not an identity)", approx),
                              ("steps left out (elided)", elided), ("only definitions", defined if not claims else []))
             if ks]
    return False, "; ".join(notes)


def check_file(path: str, timeout=DEFAULT_TIMEOUT, memory_mb=DEFAULT_MEMORY_MB,
               symbolic_budget=SYMBOLIC_BUDGET, seed=0, macros=None, on_step=None) -> dict:
    """The report of one file: {"file", "title", "setting", "expect", "verdict", "ok", "note", "steps"}.

    ``macros``: the definitions of a --macros FILE (``latex.macro_files.read_macro_file``); ``on_step``: as in
    ``judge_steps``."""
    return check_derivation(load_derivation(path, macros=macros), path, timeout, memory_mb, symbolic_budget, seed,
                            on_step)


def check_derivation(d, path: str, timeout=DEFAULT_TIMEOUT, memory_mb=DEFAULT_MEMORY_MB,
                     symbolic_budget=SYMBOLIC_BUDGET, seed=0, on_step=None) -> dict:
    """The report of a derivation already read (``check_file``'s record; the Python API reads text, derive/api.py)."""
    # front matter catalog: the course's own identities and mistakes; one worker per file, forked after them
    with course_for(path, d.front), kept_worker(memory_mb):
        steps = judge_steps(d, timeout, memory_mb, symbolic_budget, seed, on_step=on_step)
    ok, note = expectation(path, d.front, steps)
    return {"file": path, "title": d.front.get("title", ""), "setting": d.front.get("setting", "finite"),
            "expect": d.front.get("expect", "holds"), "expected_step": d.front.get("step"),
            "verdict": file_verdict(steps), "ok": ok, "note": note,
            "conventions": list(getattr(d, "conventions", [])), "definitions": list(getattr(d, "definitions", [])),
            "steps": steps}
