"""Derivations written in Markdown: reading them into numbered steps."""
from .reader import Derivation, InputError, Step, read_derivation

__all__ = ["read_derivation", "Derivation", "Step", "InputError"]
