"""The writers of ``derive annotate``: one function per format, ``WRITERS[fmt](raw, annotation, seed) -> str``.

* md: the author's bytes with derive's blocks inserted (annotate_markdown.py);
* html: one standalone page, KaTeX bundled (annotate_html.py);
* tex: a xelatex document (annotate_tex.py, with derive/writeup/tex.py's preamble and escapes);
* ipynb: a notebook whose Markdown cells are the annotated post, cut at its headings (nbformat v4).
"""
from __future__ import annotations

import re

from . import annotate_markdown


def write_md(raw: str, ann, seed: int = 0) -> str:
    return annotate_markdown.render(raw, ann, seed)


def write_html(raw: str, ann, seed: int = 0) -> str:
    from .annotate_html import render

    return render(raw, ann, seed)


def write_tex(raw: str, ann, seed: int = 0) -> str:
    from .annotate_tex import render

    return render(raw, ann, seed)


def write_ipynb(raw: str, ann, seed: int = 0) -> str:
    """Markdown cells, one per section of the annotated post (fixed cell ids, sorted JSON: reproducible)."""
    import nbformat

    text = annotate_markdown.render(raw, ann, seed).replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    cells, current, fence = [], [], None
    for line in text.split("\n"):
        m = re.match(r"[ \t]{0,3}(```+|~~~+)", line)
        if m:
            fence = None if fence and m.group(1).startswith(fence) else (fence or m.group(1))
        if fence is None and re.match(r"#{1,6}\s", line) and any(x.strip() for x in current):
            cells.append("\n".join(current).strip("\n"))
            current = []
        current.append(line)
    if any(x.strip() for x in current):
        cells.append("\n".join(current).strip("\n"))
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"language_info": {"name": "python"}}
    nb.cells = [nbformat.v4.new_markdown_cell(c) for c in cells]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:03d}"
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


WRITERS = {"md": write_md, "html": write_html, "tex": write_tex, "ipynb": write_ipynb}
