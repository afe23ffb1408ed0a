"""Load catalog files once: parsed entries cached on disk, keyed by what they were read from.

Reading the 163 statements with the LaTeX reader takes seconds; ``derive`` starts in a
fraction of that by unpickling the entries parsed the last time.  The cache key is the
SHA-256 of: every catalog file's path and bytes, derive's version, and the size and
modification time of every source file of the ``derive`` package (so a change to the
reader, or to a statement, is a new key; nothing stale is ever used).  The cache lives in
``$DERIVE_CACHE_DIR``, else ``$XDG_CACHE_HOME/derive``, else ``~/.cache/derive``;
``DERIVE_CACHE_DIR=off`` disables it.  A directory that is not the user's own, or is
writable by others, is not used (a pickle is code); an unreadable or damaged cache file is
ignored and rewritten.  The cache is an optimisation only: a missing cache gives the same
entries, parsed afresh.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import stat
import tempfile
from pathlib import Path

from .errors import MAX_FILE, CatalogError

PACKAGE = Path(__file__).resolve().parents[1]
KEEP = 8  # cache files kept (the built-in catalog and a few course catalogs)
FORMAT = 1  # bump when the pickled layout changes


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("derive")
    except Exception:  # not installed: the source stamp below still keys the cache
        return "source"


def _source_stamp(h) -> None:
    for p in sorted(PACKAGE.rglob("*")):
        if p.suffix in (".py", ".lark") and "__pycache__" not in p.parts:
            st = p.stat()
            h.update(f"{p.relative_to(PACKAGE)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())


def cache_dir() -> Path | None:
    """The cache directory, or None when caching is off or the place is not safe."""
    env = os.environ.get("DERIVE_CACHE_DIR")
    if env is not None and env.strip().lower() in ("", "off", "0", "no"):
        return None
    if env:
        d = Path(env)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        d = Path(base) / "derive"
    try:
        d.mkdir(parents=True, exist_ok=True, mode=0o700)
        st = d.stat()
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != os.getuid()) \
            or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return None
    return d


def _read_all(paths) -> list:
    out = []
    for path in paths:
        try:
            if Path(path).stat().st_size > 4 * MAX_FILE:  # bounded before reading: at most 4 bytes a character
                raise CatalogError(path, f"the file is too long (at most {MAX_FILE} characters)")
            data = Path(path).read_bytes()
        except OSError as exc:
            raise CatalogError(path, f"cannot read the file: {exc.strerror or exc}") from None
        out.append((str(path), data))
    return out


def _key(files) -> str:
    h = hashlib.sha256(f"derive-catalog {FORMAT} {_version()}\n".encode())
    for path, data in files:
        h.update(f"{path}\0{len(data)}\0".encode())
        h.update(data)
    _source_stamp(h)
    return h.hexdigest()


def _parse(files) -> list:
    from .markdown import read_catalog_text  # the LaTeX reader: imported only when a file must be read

    out = []
    for path, data in files:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CatalogError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        out.append((path, read_catalog_text(text, path)))
    return out


def load_files(paths) -> list:
    """[(path, [Entry, ...]), ...] for the catalog files, in order; from the cache when it is current."""
    files = _read_all(paths)
    d = cache_dir()
    if d is None:
        return _parse(files)
    target = d / f"catalog-{_key(files)[:40]}.pickle"
    try:
        with open(target, "rb") as fh:
            cached = pickle.load(fh)
        if [p for p, _ in cached] == [p for p, _ in files]:
            return cached
    except Exception:  # missing, damaged or from another layout: parse again
        pass
    parsed = _parse(files)
    _store(d, target, parsed)
    return parsed


def _store(d: Path, target: Path, parsed) -> None:
    try:
        fd, tmp = tempfile.mkstemp(dir=d, prefix=".catalog-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(parsed, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
        old = sorted(d.glob("catalog-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for p in old[KEEP:]:
            p.unlink()
    except OSError:  # a read-only or full disk: no cache, same entries
        pass


def course_files(directory) -> list:
    """The catalog files of a course folder: every ``*.md`` in it (not below), sorted by name."""
    d = Path(directory)
    if not d.is_dir():
        raise CatalogError(directory, "no such catalog directory (--catalog DIR: a folder of catalog .md files)")
    files = sorted(str(p) for p in d.glob("*.md") if p.is_file())
    if not files:
        raise CatalogError(directory, "the catalog directory holds no .md file")
    return files
