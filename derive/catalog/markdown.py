"""Read catalog files: Markdown + LaTeX statements, read by the same LaTeX reader as homework.

Format (docs/catalog.md).  One file holds one topic's entries, in order::

    # Policy gradient            <- prose before the first entry: free text, and
                                    \\newcommand definitions used by the entries below
    ## pg.reinforce              <- one entry: its id
    - kind: identity             <- fields, one "- key: value" line each
    - title: REINFORCE
    - topic: policy-gradient
    - section: 2.2.2
    - references: SB, eq. 13.8; SPINNING_UP

    $$
    \\nabla_\\theta J(\\theta) = \\mathbb{E}_{\\tau \\sim \\pi_\\theta}\\left[ ... \\right]
    $$

Fields: ``kind`` (identity | mistake), ``title``, ``topic``, ``section`` are required;
``setting`` (default ``finite``; e.g. ``discounted``, ``finite; gamma=1``), ``conditions``,
``note``, ``mistake`` (required for a mistake: its name, with why it is wrong), ``corrects``
(the id of the identity a mistake gets wrong), ``references`` (``;``-separated cite keys of
derive/catalog/references.py, each optionally followed by ``, where``: ``GAE_PAPER, eq. 16``),
``ranges`` (``;``-separated ``lo \\le n \\le hi`` in LaTeX), ``full_support`` (true | false),
``sample_side`` (auto | lhs | rhs | none), ``options`` (reader options, ``delta=V``).
The statement is one display with exactly one top-level ``=`` or ``\\geq``.  Anything else in an
entry is an error naming FILE:LINE:COL (``CatalogError``), never a traceback.
"""
from __future__ import annotations

import re
from pathlib import Path

from sympy import Integer

from ..read_markdown.display import new_table, read_display, scan_prose
from ..read_markdown.errors import InputError
from ..read_latex import LatexError, parse_math
from ..read_latex.errors import position
from ..read_latex.parser import OPTION_VALUES
from ..read_latex.presentation import strip_presentation
from ..read_latex.relations import split_relations
from .entry import KINDS, RELATIONS, Entry
from .errors import HEADING, MAX_FILE, CatalogError
from .errors import lines as text_lines
from .references import GITHUB, cite, reference_keys

MAX_ENTRIES = 2_000  # entries of one file
SAMPLE_SIDES = ("auto", "lhs", "rhs", "none")
TEXT_FIELDS = ("title", "topic", "section", "setting", "conditions", "note", "mistake", "corrects")
REQUIRED = ("kind", "title", "topic", "section")
FIELDS = ("kind",) + TEXT_FIELDS + ("references", "ranges", "full_support", "sample_side", "options")

_ID = re.compile(r"[a-z0-9][a-z0-9.\-_]*")
_FIELD = re.compile(r"^- ([a-z_]+):(?: (.*))?$")


def read_catalog_text(text: str, path="<catalog>") -> list:
    """The entries of one catalog file, in order (``CatalogError`` on anything malformed)."""
    if len(text) > MAX_FILE:
        raise CatalogError(path, f"the file is too long ({len(text)} characters; at most {MAX_FILE})")
    if "\x00" in text:
        line, col = position(text, text.index("\x00"))
        raise CatalogError(path, "a NUL character", line, col)
    lines = list(text_lines(text))
    starts = [i for i, (_, _, s) in enumerate(lines) if s.startswith("## ")]
    if len(starts) > MAX_ENTRIES:
        raise CatalogError(path, f"too many entries ({len(starts)}; at most {MAX_ENTRIES})")
    table = new_table({})
    pre_end = lines[starts[0]][1] if starts else len(text)
    try:
        scan_prose(table, text, text, 0, pre_end)  # \newcommand ... before the first entry
    except InputError as err:
        raise CatalogError(path, err.message, err.line, err.col) from None
    entries = []
    for k, first in enumerate(starts):
        last = starts[k + 1] if k + 1 < len(starts) else len(lines)
        entries.append(_entry(text, lines[first:last], table, path))
    return entries


def _entry(text: str, lines: list, table, path) -> Entry:
    no, off, head = lines[0]
    m = HEADING.match(head)
    if not m or not _ID.fullmatch(m.group(1)):
        raise CatalogError(path, "an entry heading is '## ID' (lower-case letters, digits, '.', '-', '_')", no, 4)
    eid = m.group(1)
    fields, where, display = {}, {}, None
    i = 1
    while i < len(lines):
        no, off, line = lines[i]
        stripped = line.strip()
        if not stripped:
            i += 1
            continue
        fm = _FIELD.match(line)
        if fm and display is None:
            key = fm.group(1)
            if key not in FIELDS:
                raise CatalogError(path, f"unknown field {key!r} (fields: {', '.join(FIELDS)})", no, 3)
            if key in fields:
                raise CatalogError(path, f"field {key!r} given twice (first on line {where[key][0]})", no, 3)
            fields[key] = (fm.group(2) or "").strip()
            where[key] = (no, len("- ") + len(key) + 3)
            i += 1
            continue
        if stripped.startswith("$$") and display is None:
            display, i = _display(text, lines, i, path)
            continue
        what = "a second display" if stripped.startswith("$$") else "text"
        raise CatalogError(path, f"{what} in entry {eid}: an entry is '- key: value' lines and one $$ display "
                                 "(prose goes before the first entry)", no, 1)
    if display is None:
        raise CatalogError(path, f"entry {eid} has no $$ display (its statement, lhs = rhs)", lines[0][0], 1)
    for key in REQUIRED:
        if not fields.get(key):
            raise CatalogError(path, f"entry {eid} needs the field {key!r}", lines[0][0], 1)
    return _build(eid, fields, where, display, text, table, path)


def _display(text: str, lines: list, i: int, path):
    """(content start, content end) of the $$ display opening on lines[i], and the next line index."""
    no, off, line = lines[i]
    start = off + line.index("$$") + 2
    close = text.find("$$", start)
    if close < 0 or close >= _end_of(lines):
        raise CatalogError(path, "this $$ display is not closed", no, line.index("$$") + 1)
    line_after = text.find("\n", close)
    line_after = len(text) if line_after < 0 else line_after
    if text[close + 2:line_after].strip():
        cl, cc = position(text, close + 2)
        raise CatalogError(path, "text after the closing $$ (write it as a field)", cl, cc)
    j = i
    while j < len(lines) and lines[j][1] <= close:
        j += 1
    return (start, close), j


def _end_of(lines: list) -> int:
    no, off, line = lines[-1]
    return off + len(line) + 1


def _build(eid, fields, where, display, text, table, path) -> Entry:
    def fail(key, message):
        line, col = where.get(key, (1, 1))
        raise CatalogError(path, f"{eid}: {message}", line, col)

    kind = fields["kind"]
    if kind not in KINDS:
        fail("kind", f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    options = _options(fields.get("options", ""), fail)
    lhs, rhs, relation, tex = _statement(text, display, table, options, path, eid)
    refs = _references(fields.get("references", ""), fail)
    ranges = _ranges(fields.get("ranges", ""), options, fail)
    full = fields.get("full_support", "true")
    if full not in ("true", "false"):
        fail("full_support", f"full_support is true or false, not {full!r}")
    side = fields.get("sample_side", "auto")
    if side not in SAMPLE_SIDES:
        fail("sample_side", f"sample_side is one of {', '.join(SAMPLE_SIDES)}, not {side!r}")
    text_fields = {k: fields.get(k, "") for k in TEXT_FIELDS}
    text_fields["setting"] = text_fields["setting"] or "finite"
    if kind == "mistake" and not text_fields["mistake"]:
        fail("kind", "a mistake needs the field 'mistake' (its name, with why it is wrong)")
    try:
        return Entry(eid, kind, text_fields["title"], text_fields["topic"], text_fields["section"], lhs, rhs,
                     setting=text_fields["setting"], relation=relation, conditions=text_fields["conditions"],
                     references=refs, note=text_fields["note"], mistake=text_fields["mistake"],
                     corrects=text_fields["corrects"], ranges=ranges, full_support=full == "true",
                     sample_side=side, options=tuple(sorted(options.items())), tex=tex)
    except (ValueError, AssertionError) as exc:  # an unknown setting (setting.Setting.parse)
        fail("setting", f"setting {text_fields['setting']!r}: {exc}")


def _options(value: str, fail) -> dict:
    out = {}
    for item in filter(None, (p.strip() for p in value.split(","))):
        key, _, val = (s.strip() for s in item.partition("="))
        if key not in OPTION_VALUES or val not in OPTION_VALUES[key]:
            fail("options", f"options: {item!r} is not a reader option (e.g. delta=V; the options: "
                            f"{', '.join(k + '=' + '|'.join(vs) for k, vs in OPTION_VALUES.items())})")
        out[key] = val
    return out


def _references(value: str, fail) -> tuple:
    keys = reference_keys()
    out = []
    for item in filter(None, (p.strip() for p in value.split(";"))):
        key, _, place = item.partition(",")
        key, place = key.strip(), place.strip()
        if key not in keys:
            fail("references", f"unknown cite key {key!r}: references are constants of "
                               "derive/catalog/references.py (e.g. SB, GAE_PAPER, TRL_3256), optionally ', where'")
        ref = keys[key]
        if place and ref in GITHUB:
            fail("references", f"{key} is a GitHub thread ({ref}): it takes no place")
        out.append(cite(ref, place) if place else ref)
    return tuple(out)


def _ranges(value: str, options, fail) -> tuple:
    out = []
    for item in filter(None, (p.strip() for p in value.split(";"))):
        rels = split_relations(item)
        if len(rels) != 2 or any(r.kind != "<=" for r in rels):
            fail("ranges", f"a range is 'lo \\le n \\le hi', not {item!r}")
        parts = (item[:rels[0].start], item[rels[0].end:rels[1].start], item[rels[1].end:])
        try:
            lo, var, hi = (parse_math(p, options=dict(options)) for p in parts)
        except LatexError as err:
            fail("ranges", f"range {item!r}: {err.message}")
        if not getattr(var, "is_Symbol", False) or not var.is_integer:
            fail("ranges", f"range {item!r}: the middle is an integer variable (t, k, n, t')")
        out.append((var,) + tuple(int(b) if isinstance(b, Integer) else b for b in (lo, hi)))
    return tuple(out)


def _statement(text: str, span, table, options, path, eid):
    """(lhs, rhs, relation, tex) of the display text[span[0]:span[1]]."""
    start, end = span
    try:
        disp = read_display(table, text, text, start, end)
    except InputError as err:
        raise CatalogError(path, err.message, err.line, err.col) from None
    if disp.errors:
        _at, off, message = disp.errors[0]
        raise CatalogError(path, message, *position(text, off))
    body = strip_presentation(disp.text)
    rels = split_relations(body)
    if len(rels) != 1 or rels[0].kind not in RELATIONS:
        at = rels[1].start if len(rels) > 1 else rels[0].start if rels else len(body) - len(body.lstrip())
        line, col = position(text, disp + at)
        raise CatalogError(path, f"{eid}: the statement is one 'lhs = rhs' (or lhs \\geq rhs); found "
                                 f"{len(rels)} top-level relation(s)"
                                 + (f" ({', '.join(r.kind for r in rels)})" if rels else ""), line, col)
    rel = rels[0]
    sides = []
    for a, b in ((0, rel.start), (rel.end, len(body))):
        try:
            sides.append(parse_math(body[a:b].rstrip(), options=dict(options)))
        except LatexError as err:
            k = a + _offset_in(body[a:b].rstrip(), err.line, err.col)
            line, col = position(text, disp + k)
            raise CatalogError(path, f"{eid}: {err.message}", line, col) from None
    written = text[start:end] if not disp.changed else disp.text  # macros expanded: shown without the file's macros
    return sides[0], sides[1], rel.kind, written.strip()


def _offset_in(s: str, line: int, col: int) -> int:
    """The offset in s of (line, col), both from 1."""
    off = 0
    for _ in range(max(0, line - 1)):
        nl = s.find("\n", off)
        if nl < 0:
            break
        off = nl + 1
    return min(len(s), off + max(0, col - 1))


def read_catalog_file(path) -> list:
    """The entries of the catalog file at ``path`` (``CatalogError`` if unreadable or malformed)."""
    try:
        if Path(path).stat().st_size > 4 * MAX_FILE:  # bounded before reading
            raise CatalogError(path, f"the file is too long (at most {MAX_FILE} characters)")
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise CatalogError(path, f"cannot read the file: {exc.strerror or exc}") from None
    return read_catalog_text(text, path)
