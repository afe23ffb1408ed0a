#!/usr/bin/env python
"""The golden verdicts: what derive decides on the catalog, proofs/ and tests/homework/, stored.

    python tools/golden.py --check            # compare with tests/fixtures/golden_verdicts.json (exit 1 on a difference)
    python tools/golden.py --write            # regenerate it: only on purpose, with the reason in the commit message
    python tools/golden.py --check --symbolic # also compare the symbolic verdicts of the catalog (slow; not in the tests)

What is recorded (deterministic fields only, no timings):

* the whole catalog, ``derive check --json --methods exact,montecarlo``: per entry its id, kind, combined
  verdict, the exact and Monte Carlo texts (verdict and detail: counts, max |z|, the counterexample's
  point and values) and the counterexample record;
* every file under proofs/ and tests/homework/, ``derive check DIR --json --symbolic-budget 0 --timeout
  1800`` (exact evaluation only; a time limit no file reaches, so the load of the machine cannot matter): per file its verdict, ok and note, per step its number, line, relation, verdict,
  reason, counterexample, named mistake and hints.  The echo of the reading (``read_as``, ``lhs``, ``rhs``)
  is left out: it is presentation, and the reader's own tests pin it.

The symbolic method is not in the stored file: its "timed out" depends on the machine's load.
``--symbolic`` runs it on the catalog and compares the first word of each symbolic verdict with a
second stored file, tests/fixtures/golden_symbolic.json (``--write --symbolic`` writes it); there a
change from "timed out" to "holds" or "fails" is reported as a difference too, to be judged by hand.

tests/test_golden_verdicts.py runs the same comparison (exact and Monte Carlo; marked slow).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "fixtures" / "golden_verdicts.json"
GOLDEN_SYMBOLIC = ROOT / "tests" / "fixtures" / "golden_symbolic.json"
DERIVATION_DIRS = ("proofs", "tests/homework")
STEP_FIELDS = ("step", "line", "relation", "verdict", "reason", "counterexample", "mistake_id", "hints")
FILE_FIELDS = ("verdict", "ok", "note")
FILE_TIMEOUT = 1800  # seconds per derivation file (derive's default, 120 s, was reached under heavy load)


def _derive_json(args: list) -> dict:
    """The --json report of ``python -m derive ARGS`` run from the repository root (exit 0 or 1)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    proc = subprocess.run([sys.executable, "-m", "derive", *args, "--json"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=1800)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"derive {' '.join(args)} exited with {proc.returncode}: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


def catalog_verdicts(methods: str = "exact,montecarlo") -> dict:
    """id -> the deterministic fields of the catalog's --json record."""
    out = {}
    for r in _derive_json(["check", "--methods", methods])["results"]:
        out[r["id"]] = {"kind": r["kind"], "verdict": r["verdict"],
                        **{m: r["methods"][m] for m in methods.split(",") if m != "symbolic"},
                        "counterexample": r["counterexample"]}
    return out


def symbolic_verdicts() -> dict:
    """id -> the first word(s) of the symbolic verdict of every catalog entry (holds, fails, ...)."""
    out = {}
    for r in _derive_json(["check", "--methods", "symbolic"])["results"]:
        out[r["id"]] = r["methods"]["symbolic"].split(":")[0]
    return out


def derivation_verdicts(dirs=DERIVATION_DIRS) -> dict:
    """file (relative to the repository) -> file verdict and per-step verdicts, exact only."""
    # a per-file time limit far above any file's need: the golden verdicts must not depend on the machine's load
    report = _derive_json(["check", *dirs, "--symbolic-budget", "0", "--timeout", str(FILE_TIMEOUT)])
    out = {}
    for r in report["results"]:
        rel = Path(r["file"]).resolve().relative_to(ROOT).as_posix()
        out[rel] = {**{k: r.get(k) for k in FILE_FIELDS},
                    "steps": [{k: s.get(k) for k in STEP_FIELDS} for s in r["steps"]]}
    return out


def compute() -> dict:
    return {"catalog": catalog_verdicts(), "derivations": derivation_verdicts()}


def differences(golden: dict, now: dict, limit: int = 40) -> list:
    """Readable lines: every changed record first (field by field), then the removed keys, then the new ones."""
    changed, removed, added = [], [], []
    for key in sorted(set(golden) | set(now)):
        if key not in now:
            removed.append(f"{key}: in the golden file, not produced now")
        elif key not in golden:
            added.append(f"{key}: new (not in the golden file)")
        elif golden[key] != now[key]:
            a, b = golden[key], now[key]
            fields = [f for f in sorted(set(a) | set(b)) if a.get(f) != b.get(f)] if isinstance(a, dict) else []
            detail = "; ".join(f"{f}: {json.dumps(a.get(f))[:200]} -> {json.dumps(b.get(f))[:200]}" for f in fields)
            changed.append(f"{key}: {detail or json.dumps(a)[:200] + ' -> ' + json.dumps(b)[:200]}")
    lines = changed + removed + added
    return lines[:limit] + ([f"... and {len(lines) - limit} more"] if len(lines) > limit else [])


def _dump(data: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="compare with the stored golden file")
    mode.add_argument("--write", action="store_true", help="regenerate the stored golden file")
    ap.add_argument("--symbolic", action="store_true", help="the catalog's symbolic verdicts instead (slow)")
    ap.add_argument("--save", metavar="PATH", help="with --check: also write what was computed now to PATH")
    args = ap.parse_args(argv)
    path = GOLDEN_SYMBOLIC if args.symbolic else GOLDEN
    now = {"symbolic": symbolic_verdicts()} if args.symbolic else compute()
    if args.write:
        _dump(now, path)
        print(f"wrote {path.relative_to(ROOT)}")
        return 0
    if args.save:
        _dump(now, Path(args.save))
    golden = json.loads(path.read_text(encoding="utf-8"))
    diff = [f"{part}: {line}" for part in sorted(set(golden) | set(now))
            for line in differences(golden.get(part, {}), now.get(part, {}))]
    print("\n".join(diff) if diff else f"same verdicts as {path.relative_to(ROOT)}")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
