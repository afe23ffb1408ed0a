"""Which proofs/ file derives which catalog entry, by id.

A proof names the catalog ids it derives in its front matter::

    ---
    title: The policy gradient (2.5.2)
    proves: [pg.reinforce]
    ---

(``derive check`` refuses an id that is not in the catalog: FILE:LINE:COL, exit 2).
``proofs_by_id()`` reads only the front matter of the files directly in the folder (not
``mistakes/``), and ``proof_for(entry)`` picks the file a write-up shows: one of the entry's
blog section when there is one, else the first by name.  Nothing here compares expressions:
that a proof holds is ``derive check proofs/``'s job, and that a named proof contains its
entry's statement is tested (tests/test_proof_links.py).
"""
from __future__ import annotations

from pathlib import Path

from ..read_markdown.errors import InputError
from ..read_markdown.front_matter import read_front_matter

PROOFS = Path(__file__).resolve().parents[2] / "proofs"


def proofs_by_id(folder: Path = PROOFS) -> dict:
    """{catalog id: [file names that name it in ``proves:``, sorted]}.

    A file whose front matter does not read (being edited) names nothing here; ``derive check``
    reports it.  Read again whenever a file of the folder changes (name, size, modification time)."""
    paths = sorted(Path(folder).glob("*.md"))
    stamp = tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in paths)
    key = (str(folder), stamp)
    if _MEMO.get("key") != key:
        _MEMO.update(key=key, links=_read(paths))
    return {k: list(v) for k, v in _MEMO["links"].items()}


_MEMO: dict = {}


def _read(paths) -> dict:
    out: dict = {}
    for path in paths:
        try:
            front, _ = read_front_matter(path.read_text(encoding="utf-8"), str(path))
        except (InputError, OSError, UnicodeDecodeError):
            continue
        for entry_id in front.get("proves", ()):
            out.setdefault(entry_id, []).append(path.name)
    return out


def proof_for(entry, folder: Path = PROOFS) -> str | None:
    """The proofs/ file a write-up shows for ``entry``: of its blog section first, else the first by name."""
    names = proofs_by_id(folder).get(entry.id, [])
    own = [n for n in names if n.startswith(entry.section + "-") or n.startswith(entry.section + ".")]
    return (own or names or [None])[0]
