"""check_impl: run an implementation on generated rollouts, compare with the exact truth, shrink, name the bug.

Verdicts:

* **holds**: on every case of the suite (``rollouts.suite``) the output has the shape of
  ``rewards`` and equals the exact value within a float tolerance;
* **fails**: some case gives a wrong finite number.  The smallest failing case is shrunk
  (fewer batch columns, fewer steps, simpler gamma/lambda, rewards and values set to 0)
  while it still fails, re-running the function on the candidates; the report has that
  rollout, the expected and the received values, and the known bug (``bugs.BUGS``)
  whose reference buggy version gives the user's outputs on every case that ran;
* **unknown**: no wrong number, but the function raised, returned a wrong shape, NaN or a
  non-number, timed out, or the process died; the reason names the case.

The comparison tolerance is 1e-9 * (1 + T * (max |input| + 1)): float rounding of correct
code is many orders below it, every known bug is many orders above it on the suite.
"""
from __future__ import annotations

import os
import time
from dataclasses import replace
from fractions import Fraction

import numpy as np

from . import bugs as bugmod
from .rollouts import Rollout, shaped_values, suite
from .runner import Session
from .truth import KINDS, truth

DEFAULT_TIMEOUT = 10.0
DEFAULT_MEMORY = 2048
SHRINK_ROUNDS = 40


class SpecError(Exception):
    """A bad FILE.py:FUNCTION (exit 2)."""


def parse_target(target: str) -> tuple:
    """'path/to/file.py:function' -> (path, function); SpecError when malformed or missing."""
    path, sep, func = target.rpartition(":")
    if not sep or not path or not func:
        raise SpecError(f"expected FILE.py:FUNCTION, got {target!r}")
    if not func.isidentifier():
        raise SpecError(f"{func!r} is not a function name (expected FILE.py:FUNCTION)")
    if not os.path.exists(path):
        raise SpecError(f"{path}: no such file")
    if not os.path.isfile(path):
        raise SpecError(f"{path}: not a file")
    return path, func


# ------------------------------------------------------------ comparing


def _expected(kind: str, ro: Rollout) -> np.ndarray:
    cols = truth(kind, ro.cols(), ro.gamma, ro.lam)
    return cols


def _tolerance(ro: Rollout) -> float:
    big = max(abs(float(x)) for key in ("r", "v", "nv") for col in getattr(ro, key) for x in col)
    return 1e-9 * (1 + ro.T * (big + 1))


def _as_cols(arr: np.ndarray, ro: Rollout) -> np.ndarray:
    """(T, B) view of a received / buggy output shaped like the rollout's arrays."""
    return arr.reshape(ro.T, ro.B)


def judge(kind: str, ro: Rollout, outcome) -> dict:
    """{'status': 'ok' | 'wrong' | 'invalid' | 'error', ...} for one case's outcome."""
    if outcome is None:
        return {"status": "error", "reason": "not run"}
    status, payload = outcome
    if status == "error":
        return {"status": "error", "reason": payload}
    arr = payload
    if arr.shape != ro.shape:
        return {"status": "invalid", "reason": f"returned shape {tuple(arr.shape)}, expected {ro.shape} "
                                                f"(the shape of rewards)"}
    if not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))[0].tolist()
        return {"status": "invalid", "reason": f"returned {arr[tuple(bad)]} at index {bad}"}
    exp = _expected(kind, ro)
    got = _as_cols(arr, ro)
    tol = _tolerance(ro)
    worst = None
    for b in range(ro.B):
        for t in range(ro.T):
            err = abs(float(got[t, b]) - float(exp[b][t]))
            if err > tol and (worst is None or t < worst[0][0]):
                worst = ((t, b), err)
                break
    if worst is None:
        return {"status": "ok", "expected": exp}
    return {"status": "wrong", "expected": exp, "received": arr, "first": worst[0]}


# ------------------------------------------------------------ shrinking


def _episode_ends(ro: Rollout, b: int) -> list:
    return [t for t in range(ro.T) if ro.term[b][t] or ro.trunc[b][t] or t == ro.T - 1]


def _sub(ro: Rollout, cols=None, steps=None, **kw) -> Rollout:
    cols = list(range(ro.B)) if cols is None else cols
    steps = list(range(ro.T)) if steps is None else steps
    data = {k: [[getattr(ro, k)[b][t] for t in steps] for b in cols] for k in ("r", "v", "nv", "term", "trunc")}
    return replace(ro, **data, **kw)


def _set(ro: Rollout, key: str, b: int, t: int, value) -> Rollout:
    data = [list(col) for col in getattr(ro, key)]
    data[b][t] = value
    return replace(ro, **{key: data})


def candidates(ro: Rollout) -> list:
    """Simpler rollouts, simplest first: fewer columns, fewer steps, then simpler numbers."""
    out = []
    if ro.B > 1:
        out += [_sub(ro, cols=[b]) for b in range(ro.B)]
        out += [_sub(ro, cols=[c for c in range(ro.B) if c != b]) for b in range(ro.B)]
    if ro.T > 1:
        # whole episodes first, then single steps at either end
        for b in [0]:
            ends = _episode_ends(ro, b)
            starts = [0] + [e + 1 for e in ends[:-1]]
            for s, e in zip(starts, ends):
                if e - s + 1 < ro.T:
                    out.append(_sub(ro, steps=list(range(s, e + 1))))
            for s, e in zip(starts, ends):
                if e - s + 1 < ro.T:
                    out.append(_sub(ro, steps=[t for t in range(ro.T) if not s <= t <= e]))
        out.append(_sub(ro, steps=list(range(1, ro.T))))
        out.append(_sub(ro, steps=list(range(ro.T - 1))))
    for name, simple in (("gamma", (Fraction(0), Fraction(1), Fraction(1, 2))),
                         ("lam", (Fraction(0), Fraction(1), Fraction(1, 2)))):
        cur = getattr(ro, name)
        for x in simple:
            if x == cur:
                break
            out.append(replace(ro, **{name: x}))
    for b in range(ro.B):
        for t in range(ro.T):
            if ro.r[b][t] != 0:
                out.append(_set(ro, "r", b, t, Fraction(0)))
    for b in range(ro.B):
        for t in range(ro.T):
            # a state's value appears as values[t] and, inside an episode, as next_values[t - 1]
            if ro.v[b][t] != 0:
                c = _set(ro, "v", b, t, Fraction(0))
                if t > 0 and not (ro.term[b][t - 1] or ro.trunc[b][t - 1]):
                    c = _set(c, "nv", b, t - 1, Fraction(0))
                out.append(c)
            last = ro.term[b][t] or ro.trunc[b][t] or t == ro.T - 1
            if last and ro.nv[b][t] != 0:
                out.append(_set(ro, "nv", b, t, Fraction(0)))
    for b in range(ro.B):
        for t in range(ro.T):
            if ro.r[b][t] not in (0, 1):
                out.append(_set(ro, "r", b, t, Fraction(1)))
    return out


def shrink(kind: str, session: Session, ro: Rollout, deadline: float) -> tuple:
    """(smallest rollout found that still fails, its judgement, rounds): greedy, one run per round.

    Every round runs in ``session`` (the same sandboxed child while it lives); all rounds
    together stop at ``deadline`` (time.monotonic()), keeping the smallest failure found so far."""
    best, verdict = ro, None
    rounds = 0
    for rounds in range(1, SHRINK_ROUNDS + 1):
        cands = candidates(best)
        left = deadline - time.monotonic()
        if not cands or left <= 0:
            break
        res = session.run([c.args(kind) for c in cands], left)
        found = None
        for i, c in enumerate(cands):
            j = judge(kind, c, res.outcomes.get(i))
            if j["status"] == "wrong":
                found = (c, j)
                break
        if found is None:
            break
        best, verdict = found
    return best, verdict, rounds


# ------------------------------------------------------------ bug names


def name_bug(kind: str, rollouts: list, outputs: list) -> tuple:
    """(bug or None, partial): the first known bug equal to the user's outputs on every given rollout;
    else, as ``partial``, (bug, k, n) for the bug equal on the most of the n rollouts."""
    best_partial = None
    for bug in bugmod.BUGS[kind]:
        hits = 0
        for ro, out in zip(rollouts, outputs):
            ref = bugmod.bug_output(kind, bug, ro)
            if np.all(np.abs(ref - out) <= _tolerance(ro)):
                hits += 1
        if hits == len(rollouts):
            return bug, None
        if hits and (best_partial is None or hits > best_partial[1]):
            best_partial = (bug, hits, len(rollouts))
    return None, best_partial


# ------------------------------------------------------------ the check


def check_impl(target_or_path: str, func: str | None = None, kind: str = "gae", seed: int = 0,
               timeout: float = DEFAULT_TIMEOUT, memory_mb: int | None = DEFAULT_MEMORY) -> dict:
    """Check ``FILE.py:FUNCTION`` (or path, func) as an implementation of ``kind``: the JSON-ready report.

    Raises SpecError for a malformed target, a missing file or a missing function.
    """
    if kind not in KINDS:
        raise SpecError(f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
    if func is None:
        path, func = parse_target(target_or_path)
    else:
        path, func = parse_target(f"{target_or_path}:{func}")
    cases = suite(seed)
    report = {"verdict": "unknown", "kind": kind, "function": f"{path}:{func}", "cases": len(cases),
              "counterexample": None, "bug": None, "reason": ""}
    # one sandboxed child for the run and the shrinking: at most 2 x timeout in all (docs/implementations.md)
    with Session(path, func, memory_mb, cpu_seconds=2 * timeout) as session:
        try:
            _check(report, kind, cases, session, timeout)
        finally:
            session.close()
            report["sandbox"] = session.isolation
            report["submission_output"] = session.output_text()
            if session.survivors:  # never seen in the tests; said rather than hidden
                report["survivors"] = sorted(set(session.survivors))
    return report


def _check(report: dict, kind: str, cases: list, session: Session, timeout: float) -> None:
    res = session.run([c.args(kind) for c in cases], timeout)
    if res.status == "no-function":
        raise SpecError(res.message)
    if res.status == "import-error":
        report["reason"] = res.message
        return
    judged = [judge(kind, c, res.outcomes.get(i)) for i, c in enumerate(cases)]
    wrong = [i for i, j in enumerate(judged) if j["status"] == "wrong"]
    ran = [i for i, j in enumerate(judged) if j["status"] in ("ok", "wrong")]
    if wrong:
        first = min(wrong, key=lambda i: cases[i].size())
        small, sj, rounds = shrink(kind, session, cases[first], time.monotonic() + timeout)
        if sj is None:
            small, sj = cases[first], judged[first]
        bug, partial = name_bug(kind, [cases[i] for i in ran] + [small],
                                [res.outcomes[i][1] for i in ran] + [sj["received"]])
        report["verdict"] = "fails"
        report["bug"] = bug.name if bug else None
        report["counterexample"] = _counterexample(kind, small, sj, cases[first], bug)
        n = len(wrong)
        report["reason"] = f"wrong values on {n} of {len(cases)} cases"
        if bug is not None:
            report["bug_description"] = bug.description
        elif partial is not None:
            pb, k, m = partial
            report["reason"] += (f"; no single known bug explains them all (closest: {pb.name}, equal on "
                                 f"{k} of {m} rollouts)")
        else:
            report["reason"] += "; no known bug gives these outputs"
        problems = _problems(judged, cases)
        if problems:
            report["reason"] += "; also " + problems[0]
        return
    problems = _problems(judged, cases)
    if res.status in ("timeout", "died", "protocol"):
        label = cases[res.stuck_case].label if res.stuck_case is not None else "the cases"
        problems.insert(0, f"case '{label}': {res.message}")
    if problems:
        report["reason"] = problems[0] + (f" (and {len(problems) - 1} other problems)" if len(problems) > 1 else "")
        report["problems"] = problems
        return
    unchecked = [i for i, j in enumerate(judged) if j["status"] != "ok"]
    if unchecked:  # holds needs a checked result for every case (a run that stopped early is named above)
        report["reason"] = f"{len(unchecked)} of {len(cases)} cases have no checked result"
        return
    report["verdict"] = "holds"
    report["reason"] = (f"equal to the exact values on all {len(cases)} cases (1-D and (T, B), terminations, "
                        f"truncations, length-1 episodes, gamma and lambda 0 and 1)")


def _problems(judged: list, cases: list) -> list:
    """One line per distinct reason, naming the first case it happened on and how many others."""
    groups: dict = {}
    for i, j in enumerate(judged):
        if j["status"] in ("error", "invalid") and j.get("reason") != "not run":
            key = j["reason"].split(" at index")[0] if j["status"] == "invalid" else j["reason"]
            groups.setdefault(key, []).append(i)
    out = []
    for key, idx in groups.items():
        first = cases[idx[0]]
        more = f" (and {len(idx) - 1} more cases)" if len(idx) > 1 else ""
        reason = judged[idx[0]]["reason"]
        out.append(f"case '{first.label}' (shape {first.shape}){more}: {reason}")
    return out


def _counterexample(kind: str, ro: Rollout, j: dict, origin: Rollout, bug) -> dict:
    exp_cols = j["expected"]
    got = _as_cols(j["received"], ro)
    got_cols = [[float(got[t, b]) for t in range(ro.T)] for b in range(ro.B)]
    t, b = j["first"]
    out = {"case": origin.label, **ro.describe(kind),
           "expected": shaped_values([[float(x) for x in col] for col in exp_cols], ro.batched),
           "received": shaped_values(got_cols, ro.batched),
           "first_difference": {"index": [t, b] if ro.batched else [t], "expected": float(exp_cols[b][t]),
                                "expected_exact": str(exp_cols[b][t]), "received": float(got[t, b])}}
    if bug is not None:
        bo = _as_cols(bugmod.bug_output(kind, bug, ro), ro)
        out["bug_output"] = shaped_values([[float(bo[t, c]) for t in range(ro.T)] for c in range(ro.B)], ro.batched)
    return out
