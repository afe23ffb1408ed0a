"""A course's own catalog: ``derive check --catalog DIR`` and the front matter key ``catalog:``.

A course folder holds catalog files in derive's format (docs/catalog.md); its identities are
checked like the built-in ones, and its mistakes name a student's failing step
(check_derivations/mistakes.py) when the step makes the same error, exactly as the built-in mistakes do
(the built-in ones are tried first, in catalog order).  ``catalog:`` in a derivation's front
matter names one folder or a list of folders, relative to the derivation file; they are added
to the ``--catalog`` folders for that file only.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

from . import course_paths, use_course
from .errors import CatalogError
from .load import course_files


def files_of(directories) -> tuple:
    """The catalog files of the course folders, in order (``CatalogError`` for a missing or empty folder)."""
    out = []
    for d in directories:
        for f in course_files(d):
            if f not in out:
                out.append(f)
    return tuple(out)


def _front_line(path: str) -> int:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return 1
    m = re.search(r"^catalog[ \t]*:", text, re.M)
    return 1 + text.count("\n", 0, m.start()) if m else 1


@contextmanager
def course_for(path: str, front: dict):
    """While judging the derivation at ``path``: the course catalog plus its front matter ``catalog:`` folders."""
    wanted = front.get("catalog")
    if not wanted:
        yield
        return
    from ..read_markdown.errors import InputError

    base = Path(path).parent
    before = course_paths()
    try:
        extra = files_of([str(base / d) for d in wanted])
        use_course(before + tuple(f for f in extra if f not in before))
    except CatalogError as exc:
        raise InputError(f"front matter catalog: {exc}", _front_line(path), 1) from None
    try:
        yield
    finally:
        use_course(before)
