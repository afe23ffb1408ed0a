"""Errors of the LaTeX reader, with 1-based line and column in the original file."""
from __future__ import annotations


class LatexError(ValueError):
    """Bad or unsupported input: ``message`` names the construct, ``line``/``col`` are 1-based."""

    def __init__(self, message: str, line: int = 1, col: int = 1):
        self.message = message
        self.line = int(line)
        self.col = int(col)
        super().__init__(f"line {self.line}, column {self.col}: {message}")

    def __reduce__(self):  # picklable (for worker processes)
        return (type(self), (self.message, self.line, self.col))


class ParseFail(Exception):
    """Internal: an error at an offset of the math text (converted to LatexError at the entry)."""

    def __init__(self, message: str, pos: int = 0):
        self.message = message
        self.pos = pos
        super().__init__(message)


def fail(message: str, pos: int = 0):
    raise ParseFail(message, pos)


def position(text: str, offset: int, line: int = 1, col: int = 1) -> tuple:
    """(line, col) in the file of ``text[offset]`` when ``text[0]`` sits at (line, col)."""
    offset = max(0, min(offset, len(text)))
    before = text.count("\n", 0, offset)
    if before == 0:
        return line, col + offset
    return line + before, offset - text.rfind("\n", 0, offset)
