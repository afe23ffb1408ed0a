"""The error of a malformed catalog file and where in the file it is (kept light: loading a cached
catalog imports no reader).

* ``CatalogError``: ``FILE:LINE:COL: message``;
* ``MAX_FILE``: the characters of one catalog file;
* ``HEADING``, ``lines``: an entry's heading ``## id`` and the lines of a file (markdown.py reads them);
* ``entry_line``: where the heading of an entry is, for errors found after reading (a duplicate id).
"""
from __future__ import annotations

import re
from pathlib import Path

MAX_FILE = 1_000_000  # characters of one catalog file (load.py bounds the bytes, markdown.py the text)
HEADING = re.compile(r"^## +(\S+)[ \t]*$")


class CatalogError(Exception):
    """A malformed catalog file: ``str(exc)`` is ``FILE:LINE:COL: message``."""

    def __init__(self, path, message: str, line: int = 1, col: int = 1):
        super().__init__(message)
        self.path = str(path)
        self.message = message
        self.line, self.col = line, col

    def __str__(self):
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


def lines(text: str):
    """(line number, offset of the line, line text without its newline)."""
    off = 0
    for no, line in enumerate(text.split("\n"), 1):
        yield no, off, line.rstrip("\r")
        off += len(line) + 1


def entry_line(path, eid: str) -> tuple:
    """(line, col) of the heading of entry ``eid`` in the catalog file at ``path`` ((1, 1) if not found)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return 1, 1
    for no, _off, line in lines(text):
        m = HEADING.match(line)
        if m and m.group(1) == eid:
            return no, 4
    return 1, 1
