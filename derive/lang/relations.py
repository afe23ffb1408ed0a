"""The relations a statement or a step can assert, and the LaTeX each is printed with.

One table for the reader's results and every writer: the catalog (``=``, ``\\geq``), the checker's
"read as" lines (also ``\\leq``, ``\\approx``, ``\\propto``) and the write-ups.  ``means=`` is two
sample means compared draw by draw (derive/check_derivations/approx.py); it prints as ``=``.
"""
from __future__ import annotations

RELATION_TEX = {"=": "=", ">=": r"\geq", "<=": r"\leq", "approx": r"\approx", "propto": r"\propto",
                "means=": "=", ">": ">", "<": "<"}  # > and <: strict, judged exactly (read_markdown/strict_steps.py)

__all__ = ["RELATION_TEX"]
