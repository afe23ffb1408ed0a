"""The error of a malformed catalog file (kept light: loading a cached catalog imports no reader)."""
from __future__ import annotations


class CatalogError(Exception):
    """A malformed catalog file: ``str(exc)`` is ``FILE:LINE:COL: message``."""

    def __init__(self, path, message: str, line: int = 1, col: int = 1):
        super().__init__(message)
        self.path = str(path)
        self.message = message
        self.line, self.col = line, col

    def __str__(self):
        return f"{self.path}:{self.line}:{self.col}: {self.message}"
