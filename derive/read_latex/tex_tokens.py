"""TeX tokens for the macro expander (:mod:`derive.read_latex.macros`): ``lex`` splits text into control
sequences, characters, parameters ``#1``..``#9`` and comments, each with its file offset; ``MacroError``
is a macro problem at a file offset.
"""
from __future__ import annotations


class MacroError(Exception):
    """A macro problem at a file offset."""

    def __init__(self, message: str, offset: int):
        self.message = message
        self.offset = offset
        super().__init__(message)


class Tok:
    """One TeX token: kind "cs" (control sequence), "ch" (a character), "par" (#1..#9), "cm" (a comment).

    ``pos`` is the file offset of the token's first character (of the macro use, for a token that
    came out of a macro body; ``exact`` is then False); ``chain`` the macros it came out of; ``via``
    the outermost of them (for messages).
    """

    __slots__ = ("kind", "raw", "name", "pos", "exact", "chain", "via")

    def __init__(self, kind, raw, name, pos, exact=True, chain=(), via=None):
        self.kind, self.raw, self.name, self.pos, self.exact, self.chain, self.via = \
            kind, raw, name, pos, exact, chain, via

    def is_char(self, c: str) -> bool:
        return self.kind == "ch" and self.raw == c

    @property
    def blank(self) -> bool:
        return self.kind == "cm" or (self.kind == "ch" and self.raw.isspace())


def lex(text: str, origin=None) -> list:
    """The TeX tokens of ``text``; ``origin[i]`` is the file offset of ``text[i]`` (default: i)."""
    out = []
    i, n = 0, len(text)
    org = origin if origin is not None else range(n + 1)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n:
            j = i + 1
            while j < n and text[j].isascii() and text[j].isalpha():
                j += 1
            if j == i + 1:
                j = i + 2
            out.append(Tok("cs", text[i:j], text[i + 1:j], org[i]))
        elif c == "#" and i + 1 < n and text[i + 1] in "123456789":
            j = i + 2
            out.append(Tok("par", text[i:j], text[i + 1], org[i]))
        elif c == "%" and (i == 0 or text[i - 1] != "\\"):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(Tok("cm", text[i:j], None, org[i]))
        else:
            j = i + 1
            out.append(Tok("ch", c, None, org[i]))
        i = j
    return out


__all__ = ["MacroError", "Tok", "lex"]
