"""Grading a class at once (``derive grade``): every submission checked in parallel, one row each.

Derivations (``*.md`` below SUBMISSIONS/, README.md skipped, as ``derive check DIR``): each file is
checked by ``check_derivations.check_file``, the command line's own check, with its time- and
memory-limited workers.  A row is

    file              the path relative to SUBMISSIONS/ (with /)
    steps             the number of steps; "error" when the file cannot be read (``error`` says why)
    first_wrong_step  the number of the first step that fails; empty when no step fails
    mistake           the catalog id of the mistake that step makes (``mistake_name``: its name), when named
    unknown           the number of steps derive could not judge ("unknown")

Implementations (``--impl --kind K``, ``*.py`` below DIR): each file by ``check_code.check_impl`` in its
sandbox; a row is file, verdict, the known bug (``bug``), the reason.

``run_pool`` spreads the submissions over N forked worker processes (a queue: a free worker takes the
next file); a worker that dies leaves its file "error", never a missing row.
"""
from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from .fork_pool import fork_map

CSV_HEADER = ("file", "steps", "first_wrong_step", "mistake", "unknown")
IMPL_CSV_HEADER = ("file", "verdict", "bug", "reason")
IMPL_FUNCTIONS = {"gae": "gae", "returns": "discounted_returns", "lambda-returns": "lambda_returns",
                  "td-errors": "td_errors"}  # docs/implementations.md: the reference names


def submissions(folder: str, impl: bool = False) -> list:
    """The files of SUBMISSIONS/, sorted: ``*.md`` (README.md skipped) or, with ``impl``, ``*.py``."""
    root = Path(folder)
    if impl:
        return sorted(str(p) for p in root.rglob("*.py") if p.is_file() and "__pycache__" not in p.parts)
    from .check_derivations import collect

    return collect([folder])


def derivation_row(path: str, root: str, options: dict) -> dict:
    """One derivation's row (see the module docstring), and its per-step report under ``report``."""
    from .check_derivations import check_file
    from .read_markdown import InputError

    name = Path(path).relative_to(root).as_posix() if Path(path).is_relative_to(root) else path
    row = {"file": name, "steps": "error", "first_wrong_step": None, "mistake": None, "mistake_name": None,
           "unknown": None, "error": None, "verdict": "error", "ok": False}
    try:
        rec = check_file(path, **options)
    except InputError as exc:
        row["error"] = f"{name}:{exc.line}:{exc.col}: {exc.message}"
        return row
    except (OSError, UnicodeDecodeError) as exc:
        row["error"] = f"{name}:1:1: cannot read the file: {exc}"
        return row
    steps = rec["steps"]
    first = next((s for s in steps if s["verdict"] == "fails"), None)
    row.update(steps=len(steps), unknown=sum(s["verdict"] == "unknown" for s in steps), verdict=rec["verdict"],
               ok=rec["ok"], title=rec.get("title", ""))
    if first is not None:
        row.update(first_wrong_step=first["step"], mistake=first.get("mistake_id"), mistake_name=first.get("mistake"),
                   line=first["line"], reason=first.get("reason", ""))
    return row


def impl_row(path: str, root: str, options: dict) -> dict:
    """One implementation's row: verdict, bug, reason (check_code/check.py ``check_impl``)."""
    from .check_code.check import SpecError, check_impl
    from .check_code.sandbox import SandboxError

    name = Path(path).relative_to(root).as_posix() if Path(path).is_relative_to(root) else path
    kind = options["kind"]
    func = options.get("function") or _function_of(path, IMPL_FUNCTIONS[kind])
    row = {"file": name, "function": func, "verdict": "error", "bug": None, "bug_name": None, "reason": ""}
    try:
        rep = check_impl(path, func, kind=kind, seed=options.get("seed", 0), timeout=options.get("timeout", 10.0),
                         memory_mb=options.get("memory_mb", 2048))
    except (SpecError, SandboxError) as exc:
        row["reason"] = str(exc)
        return row
    row.update(verdict=rep["verdict"], bug=rep.get("bug"), bug_name=rep.get("bug_description"),
               reason=rep.get("reason", ""))
    return row


def _function_of(path: str, default: str) -> str:
    """The function to call: the kind's reference name, else the file's only top-level function (read with
    ``ast``, never run)."""
    import ast

    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8", errors="replace"))
    except (SyntaxError, ValueError, OSError):
        return default
    names = [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    return default if default in names or len(names) != 1 else names[0]


def _row(func, item, root, options) -> dict:
    try:
        return func(item, root, options)
    except Exception as exc:  # a bug in derive: said in the row, never a silent grade
        return {"file": item, "error": f"internal error: {type(exc).__name__}: {exc}"}


def run_pool(func, items: list, root: str, options: dict, jobs: int | None = None, progress=None) -> list:
    """``func(item, root, options)`` for each item in ``jobs`` forked workers (default: the CPU count);
    rows in the order of ``items``.  ``progress(done, total, row)`` after each."""
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(items) or 1))
    if not items:
        return []
    return fork_map(lambda item: _row(func, item, root, options), items, jobs, progress,
                    missing=lambda item: {"file": item, "error": "the worker process died"})


def common_mistakes(rows: list, impl: bool = False) -> list:
    """[(id, name, count)] of the class's named mistakes (bugs with ``impl``), most common first, then by id."""
    key, name = ("bug", "bug_name") if impl else ("mistake", "mistake_name")
    counts = Counter(r[key] for r in rows if r.get(key))
    names = {r[key]: r.get(name) or "" for r in rows if r.get(key)}
    return [(k, names[k], n) for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def grade(folder: str, impl: bool = False, jobs: int | None = None, progress=None, **options) -> list:
    """The rows of every submission in ``folder`` (derivations, or implementations with ``impl``)."""
    items = submissions(folder, impl)
    if not impl:
        from .check_derivations import files  # noqa: F401  (imported once, before the workers fork)
    return run_pool(impl_row if impl else derivation_row, items, folder, options, jobs, progress)
