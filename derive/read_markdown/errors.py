"""Errors about a derivation file as a whole."""
from __future__ import annotations

from ..read_latex import LatexError


class InputError(LatexError):
    """A problem with the file as a whole (front matter, unclosed block, limits), with its line."""
