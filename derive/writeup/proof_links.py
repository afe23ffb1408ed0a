"""Which proofs/ file derives which catalog entry, by id.

A proof names the catalog ids it derives in its front matter::

    ---
    title: The policy gradient (2.5.2)
    proves: [pg.reinforce]
    ---

(``derive check`` refuses an id that is not in the catalog: FILE:LINE:COL, exit 2).
``proofs_by_id()`` reads only the front matter of the files directly in the folder (not
``mistakes/``), and ``proof_for(entry)`` picks the file a write-up shows: one of the entry's
blog section when there is one, else the first by name.  That a proof holds is ``derive check
proofs/``'s job; that a named proof states its entry is ``states_entry`` (tested for every link in
tests/test_proof_links.py): some step, or some chain of consecutive steps (each step's left side the
previous step's right side), goes from the entry's one side to its other with a composed relation
that gives the entry's.  A chain composes as in an ordered field: only '=' gives '='; '=' with '>='
gives '>=', and with any '>' gives '>'; mixing the two directions ('>=' and '<=') proves no order
(a <= b >= c says nothing of a and c), so the chain proves nothing beyond its first break.  An
entry ``x >= y`` is proved by '=', '>=' or '>' from x to y, or by the reverse chain y <= ... <= x.
"""
from __future__ import annotations

from pathlib import Path

from sympy import srepr

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


# ----------------------------------------------------------- chains of relations

_ORDER = {"=": 0, ">=": 1, ">": 2, "<=": -1, "<": -2}  # sign: direction; magnitude 2: strict
_FLIP = {"=": "=", ">=": "<=", ">": "<", "<=": ">=", "<": ">"}
# what a composed relation implies: an entry's relation is proved by any of these
_IMPLIES = {"=": {"="}, ">=": {"=", ">=", ">"}, ">": {">"}, "<=": {"=", "<=", "<"}, "<": {"<"}}


def compose(first: str | None, second: str) -> str | None:
    """The relation of a R1 b R2 c between a and c; None when the two directions mix (no order follows)."""
    if first is None or first not in _ORDER or second not in _ORDER:
        return None
    x, y = _ORDER[first], _ORDER[second]
    if x * y < 0:
        return None  # a <= b >= c: nothing about a and c
    sign, strict = x or y, 2 in (abs(x), abs(y))
    if sign == 0:
        return "="
    return (">" if strict else ">=") if sign > 0 else ("<" if strict else "<=")


def stated_relations(derivation) -> dict:
    """{(srepr lhs, srepr rhs): {relation, ...}} for every step and every chain of consecutive steps.

    A chain continues while a step's left side is the previous step's right side and the composed
    relation is an order (``compose``); a step of another kind (an approximation, an elided row) or
    without two sides ends it."""
    out: dict = {}
    chains: list = []  # (start srepr, composed relation) of the chains ending at the previous right side
    last = None
    for s in derivation.steps:
        rel = s.relation or "="
        if s.lhs is None or s.rhs is None or rel not in _ORDER:
            chains, last = [], None
            continue
        lhs, rhs = srepr(s.lhs), srepr(s.rhs)
        if last != lhs:
            chains = []
        grown = [(start, compose(r, rel)) for start, r in chains]
        chains = [(start, r) for start, r in grown if r is not None] + [(lhs, rel)]
        for start, r in chains:
            out.setdefault((start, rhs), set()).add(r)
        last = rhs
    return out


def states_entry(derivation, entry) -> bool:
    """Whether some step or chain of ``derivation`` states ``entry`` (its relation, either way round)."""
    lhs, rhs = srepr(entry.lhs), srepr(entry.rhs)
    want = entry.relation or "="
    stated = stated_relations(derivation)
    forward = stated.get((lhs, rhs), set())
    backward = {_FLIP[r] for r in stated.get((rhs, lhs), set())}
    return bool((forward | backward) & _IMPLIES[want])
