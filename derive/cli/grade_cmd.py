"""derive grade SUBMISSIONS/ --out report.html [--csv grades.csv] [--jobs N]: a class's homework at once.

Every ``*.md`` below SUBMISSIONS/ is checked as ``derive check`` checks it (derive/grade.py), N files at a
time; the report gives each file's steps, first wrong step, the mistake it makes and the unknown steps,
and the class's most common mistakes.  ``--impl --kind gae`` grades ``*.py`` implementations in the
check-impl sandbox instead.  Exit codes: 0 when the report is written, 2 for bad input (a missing folder,
no submissions, an output that cannot be written).
"""
from __future__ import annotations

import sys
from pathlib import Path

from .check_cmd import _megabytes, _positive
from .impl_cmd import KINDS, _seconds, _seed
from .progress import Progress
from .safe_text import clean

HELP = "grade a folder of submissions (derivations, or implementations with --impl): an HTML report and a CSV"


def add_arguments(p):
    p.add_argument("folder", metavar="SUBMISSIONS", help="the folder of submissions (*.md, or *.py with --impl)")
    p.add_argument("--out", metavar="REPORT.html", default="report.html", help="the HTML report (default report.html)")
    p.add_argument("--csv", metavar="GRADES.csv", default=None,
                   help="also write the grades: file,steps,first_wrong_step,mistake,unknown")
    p.add_argument("--jobs", type=_positive, default=None, help="files checked at once (default: the CPU count)")
    p.add_argument("--impl", action="store_true", help="grade implementations (*.py) instead of derivations")
    p.add_argument("--kind", choices=KINDS, default=None, help="with --impl: what the functions compute")
    p.add_argument("--function", default=None,
                   help="with --impl: the function to call (default: the kind's name, e.g. gae, or the file's only "
                        "function)")
    p.add_argument("--seed", type=_seed, default=0, help="seed of the random instances, 0 to 2**32 - 1 (default 0)")
    p.add_argument("--timeout", type=_seconds, default=None,
                   help="seconds per file (default 120 for derivations, 10 for implementations)")
    p.add_argument("--memory", type=_megabytes, default=2048, help="memory limit in MB per check (default 2048)")


def _write(path: str, text: str) -> str | None:
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        return f"derive grade: {path}:1:1: cannot write: {exc.strerror or exc}"
    return None


def run(args) -> int:
    from ..grade import grade
    from ..grade_report import to_csv, to_html, to_text

    folder = args.folder
    if not Path(folder).is_dir():
        print(clean(f"derive grade: {folder}:1:1: not a folder"), file=sys.stderr)
        return 2
    if args.impl and args.kind is None:
        print("derive grade: --impl needs --kind (one of " + ", ".join(KINDS) + ")", file=sys.stderr)
        return 2
    if args.impl:
        options = {"kind": args.kind, "function": args.function, "seed": args.seed,
                   "timeout": args.timeout or 10.0, "memory_mb": args.memory}
    else:
        options = {"seed": args.seed, "timeout": args.timeout or 120.0, "memory_mb": args.memory}
    from ..grade import submissions

    if not submissions(folder, args.impl):
        print(clean(f"derive grade: {folder}:1:1: no {'.py' if args.impl else '.md'} files found"), file=sys.stderr)
        return 2
    if args.impl:
        from ..check_code.sandbox import undumpable

        undumpable()
    with Progress(len(submissions(folder, args.impl)), "file", sys.stderr) as bar:
        rows = grade(folder, impl=args.impl, jobs=args.jobs, progress=lambda d, t, row: bar.advance(row["file"]),
                     **options)
    for problem in (_write(args.out, to_html(rows, folder, args.impl, args.kind)),
                    _write(args.csv, to_csv(rows, args.impl)) if args.csv else None):
        if problem:
            print(clean(problem), file=sys.stderr)
            return 2
    for r in rows:
        if r.get("error"):
            print(clean(f"derive grade: {r['error']}"), file=sys.stderr)
    print(clean(to_text(rows, args.impl)))
    print(clean(f"report: {args.out}" + (f", grades: {args.csv}" if args.csv else "")))
    return 0
