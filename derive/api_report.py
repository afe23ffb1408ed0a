"""What the Python API returns: a derivation's ``Report``, its ``StepResult``s, parsed expressions and
equations, and a catalog entry's ``Verification``; each renders itself in Jupyter (``_repr_html_``,
``_repr_markdown_``, ``_repr_latex_``; api_display.py).

``Report.data`` is exactly one record of ``derive check FILE --json`` (check_derivations/report.py gives
the contract): the API adds no verdict of its own, it only gives the record attributes.
"""
from __future__ import annotations

import json

from .api_display import ShowAs as show


class StepResult:
    """One step: ``number``, ``line``, ``column``, ``relation``, ``verdict`` ("holds", "fails", "unknown",
    "approximation", "elided", "definition": a step ``X = e`` that defines a new X, read_markdown/first_use.py),
    ``lhs``/``rhs`` (the LaTeX as written), ``read_as`` (how derive read it, in
    LaTeX), ``reason``, ``counterexample`` (a dict or None), ``mistake`` and ``mistake_id`` (the catalog's
    name of the mistake, or None), ``hints``, ``justification``.  ``ok``: the step holds."""

    __slots__ = ("data",)

    def __init__(self, data: dict):
        self.data = data

    number = property(lambda self: self.data["step"])
    line = property(lambda self: self.data["line"])
    column = property(lambda self: self.data["col"])
    relation = property(lambda self: self.data["relation"])
    verdict = property(lambda self: self.data["verdict"])
    lhs = property(lambda self: self.data["lhs"])
    rhs = property(lambda self: self.data["rhs"])
    read_as = property(lambda self: self.data["read_as"])
    reason = property(lambda self: self.data.get("reason") or "")
    counterexample = property(lambda self: self.data.get("counterexample"))
    mistake = property(lambda self: self.data.get("mistake"))
    mistake_id = property(lambda self: self.data.get("mistake_id"))
    hints = property(lambda self: list(self.data.get("hints") or ()))
    justification = property(lambda self: self.data.get("justification") or "")

    @property
    def ok(self) -> bool:
        return self.verdict == "holds"

    def __repr__(self):
        return f"<step {self.number} (line {self.line}): {self.verdict}>"

    def _repr_markdown_(self):
        return show.steps_markdown([self.data])

    def _repr_html_(self):
        return show.steps_html([self.data])

    def _repr_latex_(self):
        return show.steps_latex([self.data])


class Report:
    """A derivation's report: ``ok`` (every step holds, or it fails exactly where ``expect: fails`` says),
    ``verdict``, ``note``, ``steps`` (``StepResult``), ``first_wrong_step`` (the number of the first failing
    step, or None), ``conventions``, ``definitions``, ``title``, ``file``; ``data`` the JSON record."""

    def __init__(self, data: dict):
        self.data = data
        self.steps = [StepResult(s) for s in data.get("steps", ())]

    ok = property(lambda self: bool(self.data["ok"]))
    verdict = property(lambda self: self.data["verdict"])
    note = property(lambda self: self.data.get("note", ""))
    title = property(lambda self: self.data.get("title", ""))
    file = property(lambda self: self.data["file"])
    conventions = property(lambda self: list(self.data.get("conventions", ())))
    definitions = property(lambda self: list(self.data.get("definitions", ())))

    @property
    def first_wrong_step(self):
        return next((s.number for s in self.steps if s.verdict == "fails"), None)

    def __bool__(self):
        return self.ok

    def __len__(self):
        return len(self.steps)

    def __iter__(self):
        return iter(self.steps)

    def __repr__(self):
        return f"<derive report {self.file}: {self.verdict}, {len(self.steps)} step(s), {'OK' if self.ok else 'NOT OK'}>"

    def __str__(self):
        from .check_derivations.report import human

        return human([self.data])

    def to_json(self) -> str:
        """The JSON of ``derive check FILE --json`` for this one file."""
        return json.dumps({"ok": self.ok, "results": [self.data]}, indent=1, ensure_ascii=False)

    def _repr_markdown_(self):
        return show.report_markdown(self.data)

    def _repr_html_(self):
        return show.report_html(self.data)

    def _repr_latex_(self):
        return show.steps_latex(self.data.get("steps", ()))


class Expression:
    """A formula read by derive: ``value`` (the expression in derive's language, a SymPy tree), ``latex``
    (printed back by SymPy: how derive read it), ``source`` (the LaTeX given), ``notes`` (readings stated)."""

    def __init__(self, value, source: str, notes=()):
        self.value, self.source, self.notes = value, source, list(notes)

    @property
    def latex(self) -> str:
        import sympy

        return sympy.latex(self.value)

    def __repr__(self):
        return f"<derive expression {self.latex}>"

    def _repr_latex_(self):
        return f"$${self.latex}$$"

    def _repr_markdown_(self):
        return show.math_markdown(self.latex, self.notes)

    def _repr_html_(self):
        return show.math_html(self.latex, self.notes)


class Equation(Expression):
    """An equation (or inequality) read by derive: ``lhs``, ``rhs`` (``Expression``), ``relation``."""

    def __init__(self, lhs: Expression, rhs: Expression, relation: str, source: str):
        super().__init__(None, source, lhs.notes + [n for n in rhs.notes if n not in lhs.notes])
        self.lhs, self.rhs, self.relation = lhs, rhs, relation

    @property
    def value(self):
        return (self.lhs.value, self.relation, self.rhs.value)

    @value.setter
    def value(self, _):
        pass

    def __repr__(self):
        return f"<derive equation {self.latex}>"

    @property
    def latex(self) -> str:
        from .lang.relations import RELATION_TEX

        return f"{self.lhs.latex} {RELATION_TEX.get(self.relation, self.relation)} {self.rhs.latex}"


class Verification:
    """A catalog entry checked by the three methods: ``id``, ``verdict``, ``expected``, ``ok`` (as expected),
    ``methods`` (each method's result as text), ``counterexample``; ``data`` the record of ``derive check ID
    --json``; ``entry`` the catalog ``Entry``."""

    def __init__(self, data: dict, entry):
        self.data, self.entry = data, entry

    id = property(lambda self: self.data["id"])
    verdict = property(lambda self: self.data["verdict"])
    expected = property(lambda self: self.data["expected"])
    ok = property(lambda self: bool(self.data["as_expected"]))
    methods = property(lambda self: dict(self.data["methods"]))
    counterexample = property(lambda self: self.data.get("counterexample"))

    def __bool__(self):
        return self.ok

    def __repr__(self):
        return f"<derive verification {self.id}: {self.verdict} (expected {self.expected})>"

    def _repr_markdown_(self):
        return show.verification_markdown(self.data, self.entry)

    def _repr_html_(self):
        return show.verification_html(self.data, self.entry)

    def _repr_latex_(self):
        return f"$${self.entry.latex}$$"
