"""The lark parser of grammar.lark, its LALR tables cached on disk (issue 14: start-up time).

Building the LALR tables of grammar.lark takes about 0.2 s; loading them back takes about 0.01 s.
lark supports this itself: ``Lark.save(f)`` / ``Lark.load(f)`` (LALR only; lark.readthedocs.io, "Lark"
class reference; the same mechanism as its ``cache=`` option, whose key line would include the cache
path itself).  The file starts with a key line, the SHA-256 of the grammar text, the options, lark's
version and Python's version; a file whose key differs is ignored and the tables are built.

Where: the catalog's cache directory (docs/catalog.md): ``$DERIVE_CACHE_DIR`` (``off`` turns it off), else
``$XDG_CACHE_HOME/derive``, else ``~/.cache/derive``; one file per key, ``lark-<sha256 of grammar, options, lark and Python versions>.pickle``, so two versions of
derive never overwrite each other's tables (the newest ``KEEP`` files are kept).  Since lark unpickles the file, the cache is used only when
the directory and the file belong to this user and nobody else can write to them (mode without group or
other write bits); the directory is created with mode 0700.  A new file is written to a temporary name in
the same directory and renamed into place (atomic), so a concurrent run never reads half a file.
Anything that goes wrong (no home, a read-only or foreign directory, a full disk) falls back to building
the tables in memory, exactly as without a cache: the parser is the same either way.
"""
from __future__ import annotations

import hashlib
import os
import stat
import secrets
import sys
from pathlib import Path

import lark
from lark import Lark

KEEP = 4  # table files kept (the newest; a grammar edited in place makes a new one each time)


def cache_dir() -> Path | None:
    """The directory of derive's caches, as for the catalog (catalog/load.py): ``$DERIVE_CACHE_DIR`` (``off``,
    ``0``, ``no`` or empty turn caching off), else ``$XDG_CACHE_HOME/derive``, else ``~/.cache/derive``."""
    explicit = os.environ.get("DERIVE_CACHE_DIR")
    if explicit is not None and explicit.strip().lower() in ("", "off", "0", "no"):
        return None
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):  # the XDG spec: a relative path is invalid and ignored
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError, OSError):
            return None
    return Path(base) / "derive"


def _private(st) -> bool:
    """Owned by this user and not writable by group or others."""
    owner_ok = not hasattr(os, "getuid") or st.st_uid == os.getuid()
    return owner_ok and not (st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def _usable_dir() -> Path | None:
    d = cache_dir()
    if d is None:
        return None
    try:
        d.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.stat(d, follow_symlinks=False)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or not _private(st):
        return None
    return d


def cache_key(grammar: str, options: dict) -> str:
    """SHA-256 of the grammar, the options (sorted, the lexer class by its qualified name) and the versions."""
    def show(v):
        return f"{v.__module__}.{v.__qualname__}" if isinstance(v, type) else repr(v)

    text = "\n".join([grammar, *(f"{k}={show(v)}" for k, v in sorted(options.items())),
                      f"lark {lark.__version__}", f"python {sys.version_info[:2]}"])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cached_lark(grammar: str, **options) -> Lark:
    """``Lark(grammar, **options)``, its tables loaded from or saved to the disk cache when one is usable."""
    d = _usable_dir()
    if d is None:
        return Lark(grammar, **options)
    key = cache_key(grammar, options)
    path = d / f"lark-{key}.pickle"
    loaded = _load(path, key)
    if loaded is not None:
        return loaded
    parser = Lark(grammar, **options)
    _save(parser, d, path, key)
    return parser


def _load(path: Path, key: str) -> Lark | None:
    """The parser saved at ``path`` under ``key``; None when absent, foreign, of another key or unreadable."""
    try:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode) or not _private(st):  # never unpickle a file others could write
                return None
            if f.readline().rstrip(b"\n") != key.encode("ascii"):
                return None
            return Lark.load(f)
    except Exception:  # absent, truncated, written by another lark: build the tables instead
        return None


def _save(parser: Lark, d: Path, path: Path, key: str) -> None:
    """Write ``key`` and the tables to a fresh file in ``d`` (mode 0600), renamed into place (atomic)."""
    tmp = d / f".lark-{os.getpid()}-{secrets.token_hex(6)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(key.encode("ascii") + b"\n")
            parser.save(f)
        os.replace(tmp, path)
        old = sorted(d.glob("lark-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[KEEP:]:  # tables of earlier grammars
            stale.unlink()
    except Exception:  # a read-only or full disk: the parser in memory is all that is needed
        try:
            tmp.unlink()
        except OSError:
            pass
