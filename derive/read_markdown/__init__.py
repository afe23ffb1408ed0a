"""Derivations written in Markdown: reading them into numbered steps."""
from .reader import Derivation, InputError, Step, load_derivation, read_derivation

__all__ = ["read_derivation", "load_derivation", "Derivation", "Step", "InputError"]
