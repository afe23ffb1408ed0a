"""A catalog entry: one identity (or one classic mistake) in derive's language."""
from __future__ import annotations

from dataclasses import dataclass, field

from sympy import Integer, latex

from ..lang.relations import RELATION_TEX
from ..setting import Setting

KINDS = ("identity", "mistake")
RELATIONS = {k: RELATION_TEX[k] for k in ("=", ">=")}  # what a catalog statement may assert


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str
    title: str
    topic: str
    section: str  # the blog's own numbering (2.2.2, 2.6.5, ...) or a new section (2.9.1 PPO, ...)
    lhs: object
    rhs: object
    setting: str = "finite"  # the text of a derive.setting.Setting (Setting.parse(entry.setting))
    relation: str = "="
    conditions: str = ""
    references: tuple = ()
    note: str = ""
    mistake: str = ""  # for mistakes: the name teachers give it, with why it is wrong
    corrects: str = ""  # for mistakes: the id of the identity it gets wrong
    ranges: tuple = ()  # declared ranges of free integers: ((symbol, lo, hi), ...)
    full_support: bool = True
    sample_side: str = "auto"  # which side Monte Carlo samples: auto, lhs, rhs, none
    options: tuple = ()  # reader options the statement was read with: (("delta", "V"),)
    tex: str = ""  # the statement's LaTeX as written in its catalog file (what write-ups show)

    def __post_init__(self):
        for side in ("lhs", "rhs"):
            value = getattr(self, side)
            if isinstance(value, int):
                object.__setattr__(self, side, Integer(value))
        assert self.kind in KINDS, self.kind
        # raises on an unknown setting; kept in its canonical text ("finite; gamma=1; family=token")
        object.__setattr__(self, "setting", str(Setting.parse(self.setting)))
        assert self.relation in RELATIONS, self.relation
        if self.kind == "mistake":
            assert self.mistake, f"{self.id}: a mistake needs its name"

    @property
    def latex(self) -> str:
        """The statement's LaTeX: as written in the catalog file, else printed by SymPy."""
        if self.tex:
            return self.tex
        return f"{latex(self.lhs)} {RELATIONS[self.relation]} {latex(self.rhs)}"

    def fingerprint(self) -> dict:
        """Every field of the statement as text (``srepr`` for expressions): equal fingerprints, same entry.

        ``tex`` and ``options`` say how the statement was written, not what it states: left out.
        """
        from sympy import srepr

        out = {}
        for name in ("id", "kind", "title", "topic", "section", "setting", "relation", "conditions", "note",
                     "mistake", "corrects", "full_support", "sample_side"):
            out[name] = getattr(self, name)
        out["references"] = list(self.references)
        out["lhs"], out["rhs"] = srepr(self.lhs), srepr(self.rhs)
        out["ranges"] = [[srepr(x) for x in r] for r in self.ranges]
        return out

    def _repr_markdown_(self) -> str:  # Jupyter (derive/api_display.py)
        from ..api_display import entry_markdown

        return entry_markdown(self)

    def _repr_html_(self) -> str:
        from ..api_display import entry_html

        return entry_html(self)

    def _repr_latex_(self) -> str:
        return f"$${self.latex}$$"

    def summary(self) -> dict:
        out = {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "topic": self.topic,
            "section": self.section,
            "latex": self.latex,
            "setting": self.setting,
            "conditions": self.conditions,
            "references": list(self.references),
        }
        if self.note:
            out["note"] = self.note
        if self.kind == "mistake":
            out["mistake"] = self.mistake
            out["corrects"] = self.corrects
        return out


@dataclass
class Catalog:
    entries: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)  # id -> the catalog file it was read from

    def add(self, entry: Entry, source: str = "") -> Entry:
        if entry.id in self.entries:
            raise ValueError(f"duplicate catalog id {entry.id}")
        self.entries[entry.id] = entry
        self.sources[entry.id] = source
        return entry

    def __iter__(self):
        return iter(self.entries.values())

    def __len__(self):
        return len(self.entries)

    def get(self, id_: str) -> Entry:
        return self.entries[id_]

    def __getitem__(self, id_: str) -> Entry:
        return self.entries[id_]

    def _repr_html_(self) -> str:  # Jupyter: a table of the entries (derive/api_display.py)
        from ..api_display import catalog_html

        return catalog_html(self)
