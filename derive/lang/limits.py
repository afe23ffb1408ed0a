"""Bounds on what an expression of derive's language may hold, shared by the reader and the evaluator.

``MAX_EXPONENT``: the largest |integer exponent| (and numerator or denominator of a rational one)
that the LaTeX reader accepts (derive/read_latex/arithmetic.py) and the evaluator computes
(derive/engine/rules_algebra.py); exact rational arithmetic with a larger one could grow without bound.
"""
from __future__ import annotations

MAX_EXPONENT = 64

__all__ = ["MAX_EXPONENT"]
