"""Bracket scanning on raw LaTeX text, shared by the reader's pre-passes (a leaf module).

Every scanner skips an escaped character (``\\{`` is not a group), so a backslash and the character
after it are passed over together.
"""
from __future__ import annotations

OPENERS = "{(["
CLOSERS = "})]"


def matching_brace(text: str, i: int) -> int:
    """The offset of the '}' that closes the '{' at text[i], or -1 when it is never closed."""
    depth, j, n = 0, i, len(text)
    while j < n:
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return -1


def brace_group(text: str, i: int):
    """(offset of '{', offset after its '}') of a {...} group at or after i (spaces skipped), or None."""
    n = len(text)
    while i < n and text[i].isspace():
        i += 1
    if i >= n or text[i] != "{":
        return None
    close = matching_brace(text, i)
    return None if close < 0 else (i, close + 1)


# brackets spelt as macros (issue 10 R1): \lbrack ... \rbrack, \lbrace ... \rbrace, bare \{ ... \}
_MACRO_BRACKETS = (("\\lbrack", "["), ("\\rbrack", "]"), ("\\lbrace", "{"), ("\\rbrace", "}"), ("\\{", "{"),
                   ("\\}", "}"))


def _macro_bracket(text: str, i: int):
    """(the bracket character, the length) of a bracket macro at text[i] (a backslash), or None."""
    for spelling, c in _MACRO_BRACKETS:
        if text.startswith(spelling, i) and not (spelling[-1].isalpha() and text[i + len(spelling):i + len(spelling) + 1]
                                                 .isalpha()):
            return c, len(spelling)
    return None


def walk(text: str, start: int, end: int):
    """(offset, character, depth before it) for each unescaped character of text[start:end]; a bracket macro
    (``\\lbrack``, ``\\rbrace``, ``\\{``) is given as its bracket character."""
    depth, i = 0, start
    while i < end:
        c = text[i]
        if c == "\\":
            mb = _macro_bracket(text, i)
            if mb is not None and i + mb[1] <= end:
                yield i, mb[0], depth
                depth += (mb[0] in OPENERS) - (mb[0] in CLOSERS)
                i += mb[1]
                continue
            i += 2
            continue
        yield i, c, depth
        depth += (c in OPENERS) - (c in CLOSERS)
        i += 1


def bracket_depth(text: str, start: int, end: int) -> int:
    """The net nesting of (), [] and {} over text[start:end]: 0 when every bracket opened there is closed."""
    return sum((c in OPENERS) - (c in CLOSERS) for _, c, _ in walk(text, start, end))


def top_level_index(text: str, start: int, end: int, char: str) -> int:
    """The first offset in [start, end) of char outside every bracket, or -1."""
    return next((i for i, c, depth in walk(text, start, end) if c == char and depth == 0), -1)


class Nesting:
    """Open brackets as a stack, with braces as TeX's groups: a ``}`` closes its ``{`` and every
    ``(`` or ``[`` left open inside it (``\\frac{a}{\\pi(a|s}``: the typo stays inside the
    denominator); ``)`` or ``]`` closes the innermost ``(`` or ``[`` (``[0, 1)`` is balanced) and is
    ignored directly inside a brace group, which it cannot close."""

    def __init__(self):
        self.stack = []

    @property
    def depth(self) -> int:
        return len(self.stack)

    def open(self, c: str) -> None:
        self.stack.append(c)

    def close(self, c: str) -> None:
        if c == "}":
            while self.stack and self.stack.pop() != "{":
                pass
        elif self.stack and self.stack[-1] != "{":
            self.stack.pop()


def open_depth(text: str, start: int, end: int) -> int:
    """The brackets of text[start:end] still open at its end, counted with ``Nesting`` (0: all closed)."""
    nest = Nesting()
    for _, c, _ in walk(text, start, end):
        if c in OPENERS:
            nest.open(c)
        elif c in CLOSERS:
            nest.close(c)
    return nest.depth
