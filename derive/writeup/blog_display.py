"""The LaTeX a write-up shows for a catalog statement: ``statement_tex(entry)``.

A write-up shows a statement next to the verdict of checking it, so what it shows must be the
statement checked.  ``statement_tex`` returns ``entry.latex``: the LaTeX written in the entry's
catalog file (``Entry.tex``), else SymPy's printing of the two sides.  A mistake is shown with
``\\overset{?}{=}`` in place of its top-level ``=`` (the claim is refuted, not asserted).

There is no second copy: the hand-written displays the blog used (``NICE``: of 80, 50 did not read and 7
read as another statement) were rewritten until each read back exactly, then became the
catalog files' own LaTeX (tools/catalog_to_markdown.py) and were removed from here.  Where a
textbook spelling (a group of G samples, a "where k_1 = ..." clause, ``\\bar{R}``) is not what is
checked, the catalog spells out what is (G = 3, the ratio written out, ``\\epsilon = 7/37``).
tests/test_display_reads_back.py reads every shown statement back and compares it with its entry.
"""
from __future__ import annotations

from ..read_latex import split_relations

MAYBE = r"\overset{?}{=}"


def statement_tex(entry) -> str:
    """The statement's LaTeX as checked: ``entry.latex``; a mistake's ``=`` shown as ``\\overset{?}{=}``."""
    tex = entry.latex
    if entry.kind != "mistake" or entry.relation != "=":
        return tex
    rels = split_relations(tex)
    if len(rels) != 1 or rels[0].kind != "=" or rels[0].note:
        return tex  # already \overset{?}{=} (a note), or not one relation: shown as written
    r = rels[0]
    return f"{tex[:r.start].rstrip()} {MAYBE} {tex[r.end:].lstrip()}"
