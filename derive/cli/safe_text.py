"""Text from user files made safe to print on a terminal: no control characters, no escape sequences.

``clean(text)`` replaces every C0/C1 control character except newline and tab (ESC included, so
no ANSI/OSC escape sequence survives), DEL, and the bidirectional overrides U+202A-U+202E,
U+2066-U+2069 with ``\\xNN`` / ``\\uNNNN`` escapes.  Used on titles, prose, reasons, file names
and a submission's captured output before they reach the terminal (issue 11, item 6).
"""
from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match) -> str:
    c = ord(m.group(0))
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def clean(text: str, keep_newlines: bool = True) -> str:
    """``text`` with control characters escaped (newlines kept unless ``keep_newlines`` is False)."""
    out = _UNSAFE.sub(_escape, str(text))
    return out if keep_newlines else out.replace("\n", "\\n")


_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NON_ASCII = re.compile("[^\x00-\x7f]")


def _json_escape(m: re.Match) -> str:
    c = ord(m.group(0))
    if c > 0xFFFF:  # a surrogate pair, as JSON spells it
        c -= 0x10000
        return f"\\u{0xD800 + (c >> 10):04x}\\u{0xDC00 + (c & 0x3FF):04x}"
    return f"\\u{c:04x}"


def clean_json(text: str, stream=None) -> str:
    """JSON text with the characters json.dumps(ensure_ascii=False) leaves raw (DEL, C1 controls,
    bidirectional overrides) written as \\uNNNN escapes: the same JSON value, safe on a terminal.
    When ``stream`` cannot encode non-ASCII text (PYTHONIOENCODING=ascii), every non-ASCII character
    is escaped, so the output stays valid JSON."""
    unicode_ok = True
    if stream is not None:
        try:
            "\u03b3\U0001d400".encode(getattr(stream, "encoding", None) or "ascii")
        except (UnicodeEncodeError, LookupError):
            unicode_ok = False
    return (_UNSAFE_IN_JSON if unicode_ok else _NON_ASCII).sub(_json_escape, text)
