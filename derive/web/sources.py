"""The files the page lists and opens: the catalog's statement files and the derivations in proofs/.

A file is opened by its name as listed (``gae.md``, ``mistakes/bellman.md``); a name that is not in the
listing is refused, so no request can read any other path (``..``, absolute paths, symbolic links out of
the folders are never listed)."""
from __future__ import annotations

from pathlib import Path

CATALOG = Path(__file__).resolve().parents[1] / "catalog" / "statements"
PROOFS = Path(__file__).resolve().parents[2] / "proofs"  # the repository's proofs/ (absent from a wheel)
FOLDERS = {"catalog": CATALOG, "proofs": PROOFS}
MAX_LISTED = 2000


def _title(path: Path) -> str:
    """The front matter ``title:`` (first 40 lines), else the file's name."""
    try:
        with path.open(encoding="utf-8") as fh:
            head = [next(fh, "") for _ in range(40)]
    except (OSError, UnicodeDecodeError):
        return path.stem
    for line in head:
        if line.startswith("title:"):
            return line[len("title:"):].strip().strip("\"'") or path.stem
    return path.stem


def listing(folder: str) -> list:
    """[{"name", "title"}] for the .md files under the folder (sorted by name), [] when it is absent."""
    root = FOLDERS[folder]
    if not root.is_dir():
        return []
    out = []
    for path in sorted(root.rglob("*.md")):
        if path.is_symlink() or not path.resolve().is_relative_to(root.resolve()):
            continue
        out.append({"name": path.relative_to(root).as_posix(), "title": _title(path)})
        if len(out) >= MAX_LISTED:
            break
    return out


def read_listed(folder: str, name: str) -> str | None:
    """The text of a listed file, or None when ``folder``/``name`` is not in the listing."""
    if folder not in FOLDERS or not isinstance(name, str):
        return None
    if name not in {f["name"] for f in listing(folder)}:
        return None
    return (FOLDERS[folder] / name).read_text(encoding="utf-8")
