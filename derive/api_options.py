"""The Python API's errors and options: one exception type, and front matter keys given as arguments.

``DeriveError`` is the one exception the API raises for bad input (a file the reader rejects, an option
out of range, LaTeX it cannot read, an unknown catalog id); ``.line`` and ``.column`` are 1-based, in the
text given (the file, the cell, or the equation ``LHS = RHS`` of ``derive.equal``).

Options are the front matter keys of docs/notation.md ("Markdown derivations"): ``setting``, ``gamma``,
``assume``, and also ``delta``, ``family``, ``start``, ``reward``, ``horizon``, ``reward_index``
(``reward-index``), ``behaviour``, ``values``, ``group``.  They are validated by the front matter reader
itself (read_markdown/front_matter.py), so an option accepts exactly what the front matter accepts, and
they replace the file's own keys.
"""
from __future__ import annotations

import json

FRONT_OPTIONS = ("setting", "gamma", "assume", "delta", "family", "start", "reward", "horizon", "reward-index",
                 "behaviour", "values", "group")
RUN_OPTIONS = {"seed": 0, "timeout": 120.0, "memory_mb": 2048, "symbolic_budget": 3.0}  # files.py defaults


class DeriveError(ValueError):
    """Bad input: ``message``, ``line`` and ``column`` (1-based), ``path`` (the file, or ``"<input>"``).

    ``str(err)`` is ``PATH:LINE:COL: message``, as the command line prints it."""

    def __init__(self, message: str, line: int = 1, column: int = 1, path: str = "<input>"):
        self.message, self.line, self.column, self.path = message, int(line), int(column), path
        super().__init__(f"{path}:{self.line}:{self.column}: {message}")

    @property
    def col(self) -> int:
        return self.column

    def __reduce__(self):
        return (type(self), (self.message, self.line, self.column, self.path))


def split_options(options: dict, base_front: dict | None = None) -> tuple:
    """(front matter overrides, run options) from keyword arguments; raises DeriveError on an unknown key
    or a value the front matter would refuse.  ``base_front``: the file's own front matter (the setting a
    ``gamma`` is checked against)."""
    front, run = {}, dict(RUN_OPTIONS)
    for key, value in options.items():
        if value is None:
            continue
        name = key.replace("_", "-")
        if name in FRONT_OPTIONS:
            front[name] = value
        elif key in RUN_OPTIONS:
            run[key] = _number(key, value)
        else:
            raise DeriveError(f"unknown option {key!r} (known: "
                              f"{', '.join(k.replace('-', '_') for k in FRONT_OPTIONS + tuple(RUN_OPTIONS))})")
    return validate_front(front, base_front or {}), run


def _number(key: str, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise DeriveError(f"option {key} must be a number, not {value!r}")
    if key == "seed":
        if not isinstance(value, int) or not 0 <= value < 2 ** 63:
            raise DeriveError(f"option seed must be a non-negative integer, not {value!r}")
        return value
    if key == "memory_mb" and not 256 <= value <= 10_000_000:
        raise DeriveError(f"option memory_mb must be between 256 and 10000000, not {value!r}")
    if key in ("timeout",) and not 0 < value <= 86_400:
        raise DeriveError(f"option timeout must be between 0 and 86400 seconds, not {value!r}")
    if key == "symbolic_budget" and not 0 <= value <= 3600:
        raise DeriveError(f"option symbolic_budget must be between 0 and 3600 seconds, not {value!r}")
    return value


def validate_front(front: dict, base_front: dict) -> dict:
    """The overrides as the front matter reader reads them (``gamma`` against the setting in force)."""
    if not front:
        return {}
    from .read_markdown.errors import InputError
    from .read_markdown.front_matter import read_front_matter

    given = dict(front)
    if "gamma" in given and "setting" not in given and base_front.get("setting"):
        given["setting"] = base_front["setting"]
    try:
        text = "---\n" + json.dumps(given, ensure_ascii=False) + "\n---\n"  # JSON is YAML: one flow mapping
    except (TypeError, ValueError):
        raise DeriveError(f"options must be text or numbers: {front!r}") from None
    try:
        read, _ = read_front_matter(text, "<options>")
    except InputError as err:
        raise DeriveError(err.message.replace("front matter ", "option ", 1)) from None
    return {k: read[k] for k in given}


def text_or_path(source) -> tuple:
    """(text, path) for ``derive.check``'s argument: a ``pathlib.Path`` (or any ``os.PathLike``) is a file; a
    ``str`` is a file when it is one line that names an existing file or ends in ``.md``, else Markdown text."""
    import os

    if isinstance(source, os.PathLike):
        return None, os.fspath(source)
    if not isinstance(source, str):
        raise DeriveError(f"derive.check takes Markdown text or a path, not {type(source).__name__}")
    one_line = "\n" not in source and "$" not in source and len(source) < 4096
    if one_line and (source.strip().endswith(".md") or os.path.isfile(source)):
        return None, source.strip()
    return source, "<input>"
