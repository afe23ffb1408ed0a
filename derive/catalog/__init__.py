"""The catalog of identities and classic mistakes, written in Markdown + LaTeX.

One file per topic under ``statements/`` (docs/catalog.md gives the format), in blog
order; each entry's statement is read by derive's LaTeX reader, as homework is
(markdown.py), and the parsed catalog is cached on disk (load.py).  A course adds its
own identities and named mistakes with ``derive check --catalog DIR`` (``use_course``).
"""
from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

from .entry import Catalog, Entry
from .errors import CatalogError, entry_line
from .load import load_files

STATEMENTS = Path(__file__).with_name("statements")
FILES = ("returns", "policy_gradient", "values", "actor_critic", "gae", "trust_region", "kl", "llm", "infinite",
         "optimality", "gamma_just", "traces", "group_baselines", "off_policy",
         "kl_penalty", "whitening", "ppo_practice", "truncation", "entropy", "llm_objectives", "dpo",
         "natural_gradient")

_course: tuple = ()  # catalog files of the course, added after the built-in catalog


def catalog() -> Catalog:
    """The built-in catalog, then the course's entries (``use_course``)."""
    return _catalog(_course)


@lru_cache(maxsize=4)
def _catalog(course: tuple) -> Catalog:
    cat = Catalog()
    for path, entries in load_files([STATEMENTS / f"{name}.md" for name in FILES]):
        for entry in entries:
            _add(cat, entry, path, Path(path).stem)
    for path, entries in load_files(course) if course else ():
        for entry in entries:
            _add(cat, entry, path, path, course=True)
    return cat


def _add(cat: Catalog, entry: Entry, path: str, source: str, course: bool = False) -> None:
    if entry.id in cat.entries:
        where = cat.sources[entry.id]
        raise CatalogError(path, f"id {entry.id} is already in the catalog ({where}); "
                                 f"{'a course entry' if course else 'every entry'} needs its own id",
                           *entry_line(path, entry.id))
    if course and entry.corrects and entry.corrects not in cat.entries:
        raise CatalogError(path, f"{entry.id}: corrects {entry.corrects!r} names no catalog entry (an identity of "
                                 "the catalog or of this course, written before it)", *entry_line(path, entry.id))
    cat.add(entry, source)


def use_course(paths) -> None:
    """Add the course's catalog files (after the built-in catalog) to ``catalog()``; () removes them.

    Reads them now, so a malformed file is a ``CatalogError`` here, not later.
    """
    global _course
    paths = tuple(str(p) for p in paths)
    _catalog(paths)
    _course = paths


def course_paths() -> tuple:
    """The course catalog files in use."""
    return _course


catalog.cache_clear = _catalog.cache_clear  # the name tests and callers used for the cached catalog()


class _CallableModule(type(sys.modules[__name__])):
    """This package called, ``derive.catalog()``, is ``catalog()`` (the Python API, docs/api.md): importing
    the subpackage makes it the attribute ``derive.catalog``, so the package itself must be the function."""

    def __call__(self):
        return catalog()


sys.modules[__name__].__class__ = _CallableModule

__all__ = ["catalog", "course_paths", "use_course", "Catalog", "CatalogError", "Entry", "FILES", "STATEMENTS"]
