"""Safe LaTeX reader: ``parse_math`` turns textbook notation into derive's expression language.

See docs/notation.md for every supported form, the scope rules and the limits.
"""
from .errors import LatexError
from . import readings  # noqa: F401  (fills the registries, in one place)
from .parser import parse_math
from .relations import Relation, split_relations

__all__ = ["parse_math", "LatexError", "split_relations", "Relation"]
