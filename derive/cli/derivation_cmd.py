"""derive check FILE.md|DIR ...: judge every step of Markdown derivations.

Exit codes: 0 when every file is OK (all steps hold, or it fails exactly where
its front matter expects), 1 when a file is not OK, 2 for input errors (a
missing path, a file the reader rejects), printed as ``FILE:LINE:COL: message``.
The readable files are still checked and reported when another one has an
input error.
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..check_derivations import InputProblem, check_file, collect, human, to_json
from ..read_markdown import InputError
from .progress import Progress
from .safe_text import clean, clean_json


def is_derivation_target(target: str) -> bool:
    """A path that exists, or anything ending in .md, is a derivation target (not a catalog id)."""
    return target.endswith(".md") or Path(target).exists()


def _error_record(path, message):
    return {"file": path, "verdict": "error", "ok": False, "error": message, "steps": []}


def _check_one(path, args, on_step=None):
    try:
        return check_file(path, timeout=args.timeout, memory_mb=args.memory, seed=args.seed,
                          symbolic_budget=args.symbolic_budget, macros=getattr(args, "macro_defs", None),
                          on_step=on_step), False
    except InputError as exc:
        return _error_record(path, f"{path}:{exc.line}:{exc.col}: {exc.message}"), True
    except (OSError, UnicodeDecodeError) as exc:
        return _error_record(path, f"{path}:1:1: cannot read the file: {exc}"), True


def _step_shown(bar, path: str, single: bool):
    """The ``on_step`` callback of ``check_file`` that shows the step being judged (None without a bar)."""
    if not bar.shown:
        return None

    def on_step(done: int, total: int) -> None:
        if single:
            bar.set_total(total)
            bar.reach(done, f"step {done + 1}/{total}")
        else:
            bar.note(f"{clean(path)}: step {done + 1}/{total}")

    return on_step


def run(args) -> int:
    try:
        paths = collect(args.targets)
    except InputProblem as exc:
        print(clean(f"derive check: {exc}"), file=sys.stderr)
        return 2
    if not paths:
        print(clean(f"derive check: {args.targets[0]}:1:1: no .md files found"), file=sys.stderr)
        return 2
    if getattr(args, "macros", None):
        from ..read_latex.macro_files import MacroFileError, read_macro_file

        try:
            args.macro_defs = read_macro_file(args.macros)
        except MacroFileError as exc:
            print(clean(f"derive check: {args.macros}:{exc.line}:{exc.col}: {exc.message}"), file=sys.stderr)
            return 2
    results, input_error = [], False
    # progress (a terminal only, never with --json): one file's steps, or the files of several
    with Progress(None if len(paths) == 1 else len(paths), "step" if len(paths) == 1 else "file", sys.stderr,
                  enabled=not args.json) as bar:
        for path in paths:
            rec, bad = _check_one(path, args, on_step=_step_shown(bar, path, single=len(paths) == 1))
            input_error = input_error or bad
            if bad:
                bar.write(clean(f"derive check: {rec['error']}"))  # on stderr, above the bar
            if len(paths) > 1:
                bar.advance(clean(path))
            results.append(rec)
    ok = all(r["ok"] for r in results)
    print(clean_json(to_json(results, ok), sys.stdout) if args.json else clean(human(results)))  # no raw escape sequences
    return 2 if input_error else (0 if ok else 1)
