"""How much of real, published RL derivations derive reads, and whether it ever contradicts them.

    python bench/real_world.py [DIR] [--json] [--files] [--seed N] [--symbolic-budget S]

The corpus (default ``tests/real_world/``, described in its README.md) holds derivations
transcribed exactly as their authors wrote them, one directory per public source.  Every
file states the verdict its author meant for each step in an HTML comment:

    <!-- expected:
    1: holds
    2: fails   (typo in the source: ...)
    3: n/a     (a sample estimate, not an identity)
    -->

Steps are the relations the author asserts, numbered in reading order.  derive's steps are
matched to them by number; when derive splits a file into a different number of steps than
the author wrote, none of that file's steps counts as read (the structure was misread).

Printed figures, all in one process (each step is judged in derive's usual forked worker):

* files, sources, steps (the author's), steps read (derive printed a ``read as``), read %;
* steps decided (derive said holds or FAILS), decided steps as the author meant them;
* contradictions: a step derive decided with a verdict other than the author's (a bug);
* n/a steps derive decided anyway (listed: a reading the author may not have meant);
* the constructs not read, counted over the unread steps, from derive's "unknown" reasons.
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from derive.check_derivations import judge as _judge  # noqa: E402
from derive.check_derivations.files import judge_steps  # noqa: E402
from derive.read_markdown import InputError, load_derivation  # noqa: E402

DEFAULT_DIR = ROOT / "tests" / "real_world"
CONFIG = "config.json"  # in the corpus directory: read-rate floor and the known contradictions (bugs)
VERDICTS = ("holds", "fails", "n/a")
_BLOCK = re.compile(r"<!--\s*expected:(.*?)-->", re.S)
_ROW = re.compile(r"^\s*(\d+)\s*:\s*(holds|fails|n/a)\b(.*)$")
_POS = re.compile(r"^(could not read the step: )?\d+:\d+: ")
_CMD = re.compile(r"(?:command|macro|environment)\s+(\\[A-Za-z]+|\S+)")


class CorpusError(ValueError):
    """A corpus file whose expected-verdict block is missing or malformed."""


def expected_verdicts(text: str, path: str = "") -> list:
    """The author's verdicts, in step order: [(verdict, note), ...] from the ``<!-- expected: -->`` block."""
    m = _BLOCK.search(text)
    if not m:
        raise CorpusError(f"{path}: no <!-- expected: ... --> block")
    rows = {}
    for line in m.group(1).splitlines():
        if not line.strip():
            continue
        r = _ROW.match(line)
        if not r:
            raise CorpusError(f"{path}: cannot read the expected-verdict line {line.strip()!r}")
        rows[int(r.group(1))] = (r.group(2), r.group(3).strip())
    if sorted(rows) != list(range(1, len(rows) + 1)):
        raise CorpusError(f"{path}: expected steps must be numbered 1..N without gaps, got {sorted(rows)}")
    return [rows[k] for k in sorted(rows)]


def corpus_files(root=DEFAULT_DIR) -> list:
    """Every derivation of the corpus (``*.md`` below root, README.md excluded), sorted."""
    return sorted(p for p in Path(root).rglob("*.md") if p.name.lower() != "readme.md")


def construct(reason: str) -> str:
    """The construct an "unknown" reason names: the LaTeX command when there is one, else the message."""
    msg = _POS.sub("", reason.strip()).strip()
    m = _CMD.search(msg)
    if m and "unknown" in msg:
        return m.group(1)
    msg = re.sub(r"\d+:\d+", "L:C", msg)
    return msg[:110]


@contextlib.contextmanager
def _verdicts_only(on: bool):
    """Skip what only presents a failure (shrinking the counterexample, naming the mistake): the verdict
    of every step is unchanged.  Used by the test to stay lean; the bench prints derive's full output."""
    if not on:
        yield
        return
    saved = {name: getattr(_judge, name, None) for name in ("shrink", "name_mistake")}
    _judge.shrink = lambda lhs, rhs, inst, relation="=", **kw: (inst, None, [])
    _judge.name_mistake = lambda *a, **kw: None
    try:
        yield
    finally:
        for name, fn in saved.items():
            if fn is not None:
                setattr(_judge, name, fn)


def _derive_steps(path, want, seed, budget, timeout, judge_na=True, fast=False):
    """(derive's step records, unread count, message): the file is read first; when its steps do not
    match the author's, nothing is judged.  With judge_na=False the author's n/a steps are only read."""
    try:
        d = load_derivation(str(path))
    except InputError as exc:
        return None, f"input error: {exc.message}"
    if len(d.steps) != len(want):
        return d.steps, ""
    judged = [s for s, (v, _) in zip(d.steps, want) if judge_na or v != "n/a"]
    with _verdicts_only(fast):
        records = judge_steps(dataclasses.replace(d, steps=judged), timeout=timeout,
                              symbolic_budget=budget, seed=seed) if judged else []
    by_number = {r["step"]: r for r in records}
    out = []
    for s in d.steps:
        rec = by_number.get(s.number)
        if rec is None:  # an n/a step, read but not judged
            rec = _judge.base_record(s)
            rec["reason"] = "not judged (the author's step is n/a)" if s.error is None else \
                f"could not read the step: {s.error.line}:{s.error.col}: {s.error.message}"
        out.append(rec)
    return out, ""


def _relative(path, root) -> str:
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return str(path)


def measure_file(path, seed=0, budget=3.0, timeout=120.0, root=DEFAULT_DIR, judge_na=True, fast=False) -> dict:
    """One file against its expected verdicts: counts, contradictions and unread constructs."""
    text = Path(path).read_text(encoding="utf-8")
    want = expected_verdicts(text, str(path))
    steps, err = _derive_steps(path, want, seed, budget, timeout, judge_na, fast)
    out = {"file": _relative(path, root), "source": Path(path).parent.name, "steps": len(want), "read": 0, "decided": 0,
           "as_meant": 0, "contradictions": [], "na_decided": [], "unread": Counter(), "undecided": Counter(),
           "derive_steps": None if steps is None else len(steps), "structure": ""}
    if steps is None or len(steps) != len(want):
        why = err or f"step structure: derive found {len(steps)} steps, the author wrote {len(want)}"
        out["structure"] = why
        out["unread"][why if err else "step structure differs from the author's"] += len(want)
        return out
    for (verdict, note), s in zip(want, steps):
        if s["read_as"] is None:
            out["unread"][construct(s["reason"] or "no reason given")] += 1
            continue
        out["read"] += 1
        if s["verdict"] not in ("holds", "fails"):
            if not s["reason"].startswith("not judged"):
                out["undecided"][construct(s["reason"] or s["verdict"])] += 1
            continue
        out["decided"] += 1
        where = {"file": out["file"], "step": s["step"], "line": s["line"], "derive": s["verdict"],
                 "author": verdict, "note": note, "read_as": s["read_as"]}
        if verdict == "n/a":
            out["na_decided"].append(where)
        elif s["verdict"] == verdict:
            out["as_meant"] += 1
        else:
            out["contradictions"].append(where)
    return out


def _show(c: dict) -> str:
    return (f"{c['file']}:{c['line']}: step {c['step']}: derive says {c['derive']}, the author meant "
            f"{c['author']}{' (' + c['note'] + ')' if c['note'] else ''}; read as: {c['read_as']}")


def measure(root=DEFAULT_DIR, seed=0, budget=3.0, timeout=120.0, files=None, judge_na=True, fast=False) -> dict:
    """The whole corpus: totals, per-file rows, contradictions and the unread-construct table."""
    rows = [measure_file(p, seed, budget, timeout, root, judge_na, fast) for p in (files or corpus_files(root))]
    total = {k: sum(r[k] for r in rows) for k in ("steps", "read", "decided", "as_meant")}
    unread, undecided = Counter(), Counter()
    for r in rows:
        unread.update(r["unread"])
        undecided.update(r["undecided"])
    total.update(files=len(rows), sources=len({r["source"] for r in rows}),
                 read_rate=total["read"] / total["steps"] if total["steps"] else 0.0,
                 contradictions=[c for r in rows for c in r["contradictions"]],
                 na_decided=[c for r in rows for c in r["na_decided"]],
                 unread=unread.most_common(), undecided=undecided.most_common(), rows=rows)
    return total


def load_config(root=DEFAULT_DIR) -> dict:
    """The corpus's config.json: {"read_rate_floor", "symbolic_budget", "timeout_per_file", "known_contradictions"}."""
    p = Path(root) / CONFIG
    return json.loads(p.read_text(encoding="utf-8")) if p.is_file() else {}


def contradiction_key(c: dict) -> str:
    return f"{c['file']}:{c['step']}"


def report(m: dict, per_file: bool = False, known: dict | None = None) -> str:
    lines = [f"real-world corpus: {m['files']} files from {m['sources']} sources",
             f"  steps {m['steps']}  read {m['read']} ({100 * m['read_rate']:.1f}%)  decided {m['decided']}"
             f"  decided as the author meant {m['as_meant']}  contradictions {len(m['contradictions'])}"]
    for c in m["contradictions"]:
        why = (known or {}).get(contradiction_key(c))
        lines.append(f"  CONTRADICTION{' (known: ' + why + ')' if why else ''} {_show(c)}")
    for c in m["na_decided"]:
        lines.append(f"  n/a but decided: {_show(c)}")
    if per_file:
        lines.append("per file (read/steps, decided, as meant):")
        for r in m["rows"]:
            extra = f"  [{r['structure']}]" if r["structure"] else ""
            lines.append(f"  {r['read']:>3}/{r['steps']:<3} {r['decided']:>3} {r['as_meant']:>3}  {r['file']}{extra}")
    lines.append("constructs not read (steps):")
    lines += [f"  {n:>4}  {what}" for what, n in m["unread"]]
    if m["undecided"]:
        lines.append("read but not decided (steps):")
        lines += [f"  {n:>4}  {what}" for what, n in m["undecided"]]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", nargs="?", default=str(DEFAULT_DIR))
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--files", action="store_true", help="one line per file")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--symbolic-budget", type=float, default=3.0)
    ap.add_argument("--timeout", type=float, default=120.0)
    args = ap.parse_args(argv)
    m = measure(args.dir, args.seed, args.symbolic_budget, args.timeout)
    if args.json:
        for r in m["rows"]:
            r["unread"], r["undecided"] = dict(r["unread"]), dict(r["undecided"])
        print(json.dumps(m, indent=1, sort_keys=True))
    else:
        print(report(m, args.files, load_config(args.dir).get("known_contradictions", {})))
    return 1 if m["contradictions"] else 0


if __name__ == "__main__":
    sys.exit(main())
