"""Every formula a write-up shows beside a verdict is the formula checked (issue 17).

Each shown statement is read back with derive's own reader (``parse_math``, the reader of
homework and of the catalog files) and compared, ``srepr`` for ``srepr``, with the sides of
the catalog entry whose verdict it stands next to.
"""
from __future__ import annotations

import re

import sympy

from derive.catalog import catalog
from derive.read_latex import LatexError, parse_math, split_relations
from derive.writeup.badges import Unchecked
from derive.writeup.blog import render_items
from derive.writeup.blog_added import PPO_SECTIONS
from derive.writeup.blog_content import INSERTS
from derive.writeup.blog_display import statement_tex
from derive.writeup.doc import Math

RELATION = {"=": "=", ">=": ">="}


def read_back(tex: str, entry) -> str | None:
    """None when ``tex`` reads as exactly the entry (relation and both sides), else what differs."""
    rels = split_relations(tex)
    if len(rels) != 1:
        return f"{len(rels)} top-level relations ({[r.spelling for r in rels]}), not one"
    rel = rels[0]
    if rel.kind != RELATION[entry.relation]:
        return f"relation {rel.kind!r}, the entry's is {entry.relation!r}"
    tried = [dict(entry.options)] if getattr(entry, "options", ()) else [None, {"delta": "V"}]
    why = ""
    for options in tried:
        try:
            lhs = parse_math(tex[:rel.start], options=options)
            rhs = parse_math(tex[rel.end:], options=options)
        except LatexError as err:
            why = f"does not read ({options}): {err}"
            continue
        if sympy.srepr(lhs) == sympy.srepr(entry.lhs) and sympy.srepr(rhs) == sympy.srepr(entry.rhs):
            return None
        why = f"reads as {lhs} = {rhs} ({options}), the entry is {entry.lhs} = {entry.rhs}"
    return why


def _sides(tex: str) -> tuple:
    rel = split_relations(tex)[0]
    return tex[:rel.start].strip(), rel.kind, tex[rel.end:].strip()


def test_a_writeup_shows_the_catalog_files_latex():
    """No second copy: a write-up shows the LaTeX written in the entry's catalog file (a mistake's = as ?=)."""
    for entry in catalog():
        assert entry.tex, f"{entry.id}: no LaTeX in its catalog file"
        shown = statement_tex(entry)
        if entry.kind == "mistake" and entry.relation == "=":
            assert r"\overset{?}{=}" in shown and _sides(shown) == _sides(entry.tex), entry.id
        else:
            assert shown == entry.tex, entry.id


def test_every_catalog_statement_a_writeup_shows_reads_back():
    """``statement_tex`` (what the blog and ``derive writeup`` show) for every entry, mistakes with \\overset{?}{=}."""
    bad = {}
    for entry in catalog():
        tex = statement_tex(entry)
        if entry.kind == "mistake" and entry.relation == "=":
            assert r"\overset{?}{=}" in tex, entry.id
        problem = read_back(tex, entry)
        if problem:
            bad[entry.id] = problem
    assert not bad, bad


def _blog_items():
    items = [item for group in INSERTS.values() for item in group]
    items += [item for _, _, group in PPO_SECTIONS for item in group]
    return [item for item in items if item[0] in ("eq", "mistake", "stated", "def")]


def test_every_formula_the_blog_shows_beside_a_verdict_is_its_entry():
    """The blog's displays: one with an entry's badge shows that entry; the others say they are not checked."""
    blocks = [b for b in render_items(_blog_items(), Unchecked()) if isinstance(b, Math)]
    checked = 0
    for b in blocks:
        if b.badge.startswith("⚠") or b.badge.startswith("≡"):
            assert any(k in b.badge for k in ("not yet verified", "definition", "尚未验证", "定义")), b.badge  # said so
            continue
        m = re.search(r"\[([^\]]+)\]$", b.badge)
        assert m, f"a display with a verdict names no entry: {b.badge!r}"
        entry = catalog().get(m.group(1))
        assert b.tex == statement_tex(entry), entry.id  # which reads back: the test above
        checked += 1
    assert checked >= 90  # the blog shows about a hundred catalog statements and mistakes


def test_a_display_that_says_something_else_is_caught():
    """The comparison can fail: a plausible display of the wrong statement is refused."""
    entry = catalog().get("values.v-from-q")
    assert read_back(r"V^{\pi}(s) = \mathbb{E}_{a \sim \pi(\cdot \mid s)}\left[ Q^{\pi}(s, a) \right]", entry) is None
    assert read_back(r"V^{\pi}(s) = \sum_a \pi(a \mid s)\, Q^{\pi}(s, a)", entry)  # same value, not the same statement
    assert read_back(r"V^{\pi}(s) = \max_a Q^{\pi}(s, a)", entry)


def test_markdown_and_latex_show_one_caption():
    """The badge and conditions under a display are composed once (doc.caption), escaped per format."""
    from derive.writeup import markdown, tex
    from derive.writeup.doc import caption

    b = Math(r"x = x", "✓ exact: 22 random MDPs · [pg.q_x]", "finite; t' < t")
    assert caption(b) == "✓ exact: 22 random MDPs · [pg.q_x] · 条件：finite; t' < t"
    assert markdown.block_md(b).endswith("*✓ exact: 22 random MDPs · \\[pg.q\\_x\\] · 条件：finite; t' < t*")
    assert tex.block_tex(b).endswith("{\\footnotesize " + tex.escape(caption(b)) + "}")
    assert caption(Math("x = x")) == "" and markdown.block_md(Math("x = x")) == "$$\nx = x\n$$"
