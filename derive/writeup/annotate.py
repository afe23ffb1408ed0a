"""``derive annotate``: check every display of anyone's Markdown post and say so next to it.

The post is read exactly as ``derive check FILE`` reads it (derive/read_markdown) and its steps are
judged by the same checker (derive/check_derivations: ``judge_steps`` in forked, limited workers).
What differs is robustness to a post that was not written for derive:

* a display the reader rejects (``InputError`` at a position inside it) is not allowed to sink the
  whole post: that display is blanked (same length, so every other position is kept), recorded as
  "not read" with the reader's message, and the post is read again (at most ``MAX_REREADS`` times);
* every display found by the reader's own display finder (``read_markdown.blocks.find_blocks``) gets a
  record: its steps, its definitions, or the reason it was not checked.

``annotate_post`` returns an ``Annotation`` (displays, steps, conventions, language); the writers
(annotate_insert.py: Markdown; annotate_html.py; annotate_formats.py: tex, ipynb) only format it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..read_markdown import InputError, read_derivation
from ..read_markdown.blocks import find_blocks, mask_code
from ..read_markdown.front_matter import read_front_matter

MAX_REREADS = 50  # displays blanked one by one before the post is given up as unreadable
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


@dataclass
class Display:
    """One display of the post: offsets in the normalised text, its last line, and what derive made of it."""
    index: int  # 1-based, in file order
    start: int
    end: int
    line: int  # first line (1-based)
    end_line: int  # the line holding the closing delimiter: the badge goes after it
    steps: list = field(default_factory=list)  # the checker's step records (check_derivations/judge.py)
    definitions: list = field(default_factory=list)  # the reader's definition records
    not_read: str = ""  # the reader's message ("LINE:COL: message") when the display was not read


@dataclass
class Annotation:
    path: str
    text: str  # the normalised text (CRLF -> LF, no byte-order mark): offsets and lines refer to it
    displays: list
    lang: str  # "en" or "zh": the language derive writes in
    lang_detected: bool  # True when lang was detected from the prose (no --lang)
    conventions: list = field(default_factory=list)
    file_error: str = ""  # a problem of the whole post (front matter, size): no display could be read
    front_end_line: int = 0  # the last line of the front matter (0 when there is none)
    title: str = ""
    front: dict = field(default_factory=dict)  # the front matter as read (its macros: the HTML and TeX writers)
    macros: dict | None = None  # the --macros FILE definitions


def normalise(raw: str) -> str:
    """The reader's own normalisation (read_markdown/reader.py): LF line ends, no byte-order mark."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    return text[1:] if text.startswith("\ufeff") else text


def offset_of(text: str, line: int, col: int) -> int:
    """The offset of (line, col), both 1-based, in ``text`` (the inverse of read_latex.errors.position)."""
    start = 0
    for _ in range(max(line, 1) - 1):
        nl = text.find("\n", start)
        if nl < 0:
            return len(text)
        start = nl + 1
    return min(start + max(col, 1) - 1, len(text))


def detect_language(masked: str, blocks) -> str:
    """'zh' when the prose (code, front matter and displays blanked) has more Chinese characters than a
    fifth of its Latin letters, else 'en'.  A Chinese character carries about a word; a word about five letters."""
    chars = list(masked)
    for b in blocks:
        for i in range(b.start, min(b.end, len(chars))):
            chars[i] = " "
    prose = re.sub(r"\$[^$\n]*\$", " ", "".join(chars))  # inline math is not prose
    cjk, latin = len(_CJK.findall(prose)), len(_LATIN.findall(prose))
    return "zh" if cjk and cjk * 5 >= latin else "en"


def _body_start(text: str, path: str) -> tuple:
    """(offset of the body, last line of the front matter, error message or '')."""
    try:
        _, start = read_front_matter(text, path)
        return start, _line_before(text, start), ""
    except InputError as exc:  # the front matter is not derive's: blank up to its closing line, if any
        m = re.match(r"---[ \t]*\n(?:.*\n)*?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", text)
        start = m.end() if m else 0
        return start, _line_before(text, start), f"{exc.line}:{exc.col}: {exc.message}"


def _line_before(text: str, start: int) -> int:
    """The line (1-based) holding the character just before ``start``; 0 when start is 0."""
    return text.count("\n", 0, start - 1) + 1 if start > 0 else 0


def blocks_of(masked: str) -> tuple:
    """(the displays the reader finds, '') or ([], its message) when the display finder rejects the post (an
    unclosed ``$$``)."""
    try:
        return find_blocks(masked), ""
    except InputError as exc:
        return [], f"{exc.line}:{exc.col}: {exc.message}"


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def read_post(text: str, path: str, macros=None):
    """(derivation or None, {display offset: reason}, file error): the post read as ``derive check`` reads it,
    displays the reader rejects blanked one at a time (module docstring)."""
    body, _, front_error = _body_start(text, path)
    if front_error:
        return None, {}, front_error
    blocks, _ = blocks_of(mask_code(text, body))
    rejected, work = {}, text
    for _ in range(MAX_REREADS):
        try:
            return read_derivation(work, path, macros=macros), rejected, ""
        except InputError as exc:
            at = offset_of(text, exc.line, exc.col)
            block = next((b for b in blocks if b.start <= at < b.end and b.start not in rejected), None)
            if block is None:  # not inside a display, or the same display again: the whole post
                return None, rejected, f"{exc.line}:{exc.col}: {exc.message}"
            rejected[block.start] = f"{exc.line}:{exc.col}: {exc.message}"
            work = _blank(work, block.start, block.end)
        except (RecursionError, MemoryError, ValueError) as exc:  # a reader bug must not lose the post's badges
            return None, rejected, f"1:1: derive could not read the post ({type(exc).__name__}: {exc})"
    return None, rejected, f"more than {MAX_REREADS} displays could not be read"


def _display_of(displays, text: str, line: int, col: int, strict: bool = False):
    """The display holding (line, col), else (not ``strict``) the last one starting before it."""
    at = offset_of(text, line, col)
    best = None
    for d in displays:
        if d.start <= at < d.end:
            return d
        if d.start <= at:
            best = d
    return None if strict else best


def annotate_post(raw: str, path: str = "<input>", lang: str | None = None, seed: int = 0, timeout: float = 120.0,
                  memory_mb: int = 2048, symbolic_budget: float = 3.0, macros=None, on_step=None,
                  checks: bool = True) -> Annotation:
    """Read and check every display of the post ``raw`` (the file's text as read, any line ends).

    ``checks=False`` (``--no-checks``): the post is read and every step reported "unknown" with the reason
    "not checked", marked ``unchecked`` (the badges say so); nothing is judged."""
    text = normalise(raw)
    body, front_end, front_error = _body_start(text, path)
    masked = mask_code(text, body)
    blocks, blocks_error = blocks_of(masked)
    displays = [Display(i + 1, b.start, b.end, text.count("\n", 0, b.start) + 1,
                        text.count("\n", 0, max(b.end - 1, b.start)) + 1) for i, b in enumerate(blocks)]
    chosen = lang or detect_language(masked, blocks)
    ann = Annotation(path, text, displays, chosen, lang is None, front_end_line=front_end, macros=macros)
    if front_error or blocks_error:
        ann.file_error = front_error or blocks_error
        return ann
    derivation, rejected, error = read_post(text, path, macros)
    for d in displays:
        if d.start in rejected:
            d.not_read = rejected[d.start]
    if derivation is None:
        ann.file_error = error
        return ann
    ann.conventions = list(getattr(derivation, "conventions", []))
    ann.front = dict(derivation.front)
    ann.title = derivation.title
    for rec in getattr(derivation, "definitions", []):
        d = _display_of(displays, text, rec["line"], rec["col"], strict=True)  # "where $X = ...$" is prose
        if d is not None:
            d.definitions.append(rec)
    records = (_judge(derivation, path, seed, timeout, memory_mb, symbolic_budget, on_step) if checks
               else [_unchecked(step) for step in derivation.steps])
    for rec in records:
        d = _display_of(displays, text, rec["line"], rec["col"])
        if d is not None:
            d.steps.append(rec)
    return ann


def _unchecked(step) -> dict:
    from ..check_derivations.judge import base_record

    rec = base_record(step)
    rec.update(reason="not checked (--no-checks)", hints=[], unchecked=True)
    if step.error is not None:
        rec["reason"] = f"could not read the step: {step.error.line}:{step.error.col}: {step.error.message}"
    return rec


def _judge(derivation, path, seed, timeout, memory_mb, symbolic_budget, on_step) -> list:
    """The step records, exactly as ``check_derivations.files.check_file`` makes them."""
    if not derivation.steps:
        return []
    from ..catalog.course_catalog import course_for
    from ..check_derivations.files import judge_steps
    from ..check_statements.sandbox import kept_worker

    with course_for(path, derivation.front), kept_worker(memory_mb):
        return judge_steps(derivation, timeout, memory_mb, symbolic_budget, seed, on_step=on_step)


def totals(ann: Annotation) -> dict:
    """The summary's figures: displays, steps and their verdicts, displays not read."""
    steps = [s for d in ann.displays for s in d.steps]
    count = {v: sum(1 for s in steps if s["verdict"] == v) for v in ("holds", "fails", "unknown")}
    unread = [s for s in steps if s["verdict"] == "unknown" and s["read_as"] is None]
    return {"displays": len(ann.displays), "steps": len(steps), "holds": count["holds"], "fails": count["fails"],
            "unknown": count["unknown"], "other": len(steps) - sum(count.values()),
            "steps_not_read": len(unread),
            "displays_not_read": sum(1 for d in ann.displays if d.not_read or (ann.file_error and not d.steps))}
