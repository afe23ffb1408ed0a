"""derive check: verify catalog entries by the three methods, or judge Markdown derivations.

Routing: when every target is an existing path or ends with .md, the targets
are derivations (``derivation_cmd``); when none is, they are catalog ids; a
mix is a usage error (exit 2).
"""
from __future__ import annotations

import difflib
import json
import sys

from ..catalog import catalog
from .derivation_cmd import is_derivation_target, run as run_derivations
from .progress import Progress
from .render import table
from .safe_text import clean_json

# the catalog's runner and Monte Carlo are imported when the catalog is checked, not for derivations (issue 14)
METHODS = ("exact", "symbolic", "montecarlo")  # check_statements/runner.py METHODS (tests/test_speed_r4.py)
DEFAULT_SAMPLES = 20000  # check_statements/montecarlo.py DEFAULT_SAMPLES (tests/test_speed_r4.py)

HELP = "verify catalog identities (exact, symbolic, Monte Carlo) and refute the catalog's mistakes"


def add_arguments(p):
    p.add_argument("targets", nargs="*", metavar="ID|FILE.md|DIR",
                   help="catalog ids (default: the whole catalog), or derivations: .md files and directories")
    p.add_argument("--json", action="store_true", help="print the JSON report")
    p.add_argument("--seed", type=int, default=0, help="seed of the random instances and samples (default 0)")
    p.add_argument("--samples", type=_positive, default=DEFAULT_SAMPLES,
                   help=f"Monte Carlo samples per statement (default {DEFAULT_SAMPLES})")
    p.add_argument("--jobs", type=_positive, default=None, help="worker processes (default: the CPU count)")
    p.add_argument("--methods", default=",".join(METHODS),
                   help="comma-separated subset of " + ",".join(METHODS))
    p.add_argument("--verbose", "-v", action="store_true", help="print every method's detail")
    p.add_argument("--timeout", type=_positive, default=120,
                   help="derivations: wall-clock seconds per file (default 120)")
    p.add_argument("--memory", type=_megabytes, default=2048,
                   help=f"derivations: memory limit in MB, at least {MIN_MEMORY_MB} (default 2048)")
    p.add_argument("--macros", metavar="FILE", default=None,
                   help="derivations: user macros from FILE (.json/.js map as in KaTeX or MathJax, or .tex/.sty "
                        "\\newcommand lines), read before each file's own")
    p.add_argument("--catalog", metavar="DIR", action="append", default=[],
                   help="add a course's own identities and named mistakes from the catalog files (.md) in DIR "
                        "(docs/catalog.md); without ids, only the course's entries are checked")
    p.add_argument("--symbolic-budget", type=float, default=3.0, metavar="SECONDS",
                   help="derivations: SymPy confirmation budget per step (default 3; 0 skips it)")


MIN_MEMORY_MB = 256  # below this the workers cannot even import SymPy: refused, not silently ineffective


def _megabytes(text: str) -> int:
    import argparse

    value = _positive(text)
    if value < MIN_MEMORY_MB:
        raise argparse.ArgumentTypeError(f"must be at least {MIN_MEMORY_MB} MB: {value}")
    return value


def _positive(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1 or value > 10_000_000:
        raise argparse.ArgumentTypeError(f"must be between 1 and 10000000: {value}")
    return value


def select(targets):
    """The entries named by ids (exit 2 with suggestions for unknown ids)."""
    cat = catalog()
    if not targets:
        return list(cat), None
    chosen, errors = [], []
    for target in targets:
        if target in cat.entries:
            chosen.append(cat.get(target))
            continue
        near = difflib.get_close_matches(target, list(cat.entries), n=3, cutoff=0.5)
        hint = f" (did you mean: {', '.join(near)}?)" if near else " (see: derive list)"
        errors.append(f"unknown id {target!r}{hint}")
    return chosen, errors


def route(targets) -> str:
    """'derivation', 'catalog', or 'mixed' for the command-line targets."""
    kinds = {is_derivation_target(t) for t in targets}
    if kinds == {True}:
        return "derivation"
    return "mixed" if kinds == {True, False} else "catalog"


def _use_course(args) -> bool:
    """Add the --catalog folders to the catalog (False, with the message printed, when one is malformed)."""
    if not getattr(args, "catalog", None):
        return True
    from ..catalog import CatalogError, use_course
    from ..catalog.course_catalog import files_of
    from .safe_text import clean

    try:
        use_course(files_of(args.catalog))
    except CatalogError as exc:
        print(clean(f"derive check: {exc}"), file=sys.stderr)
        return False
    return True


def run(args) -> int:
    if not _use_course(args):
        return 2
    mode = route(args.targets)
    if mode == "mixed":
        print("derive check: give either catalog ids or derivation files/directories, not both "
              f"(files: {', '.join(t for t in args.targets if is_derivation_target(t))})",
              file=sys.stderr)
        return 2
    if mode == "derivation":
        return run_derivations(args)
    methods = tuple(m.strip() for m in args.methods.split(",") if m.strip())
    if not methods:
        print(f"derive check: --methods {args.methods!r} names no method; choose from {', '.join(METHODS)}",
              file=sys.stderr)
        return 2
    bad = [m for m in methods if m not in METHODS]
    if bad:
        print(f"derive check: unknown method {bad[0]!r}; choose from {', '.join(METHODS)}", file=sys.stderr)
        return 2
    entries, errors = select(args.targets)
    if not args.targets and getattr(args, "catalog", None):  # a course checks its own entries
        from ..catalog import course_paths

        entries = [e for e in entries if catalog().sources[e.id] in course_paths()]
    if errors:
        for e in errors:
            print(f"derive check: {e}", file=sys.stderr)
        return 2
    from ..check_statements.runner import check_entries

    with Progress(len(entries), "entry", sys.stderr, enabled=not args.json) as bar:
        records = check_entries(entries, jobs=args.jobs, progress=lambda done, total, rec: bar.advance(rec["id"]),
                                seed=args.seed, samples=args.samples, methods=methods)
    ok = all(r["as_expected"] for r in records)
    if args.json:
        print(clean_json(json.dumps({"ok": ok, "results": records}, indent=1, ensure_ascii=False), sys.stdout))
    else:
        print(table(records, verbose=args.verbose))
    return 0 if ok else 1
