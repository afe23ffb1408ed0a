"""The annotated post as Markdown: the author's bytes, with derive's blocks inserted between lines.

Every inserted block is a run of whole lines::

    <!-- derive:annotate -->
    <details><summary>✅ derive: 3 steps hold</summary>

    - **Step 1** (line 12): holds ...

    </details>

    <!-- /derive:annotate -->

placed after the line that closes a display (and, for the summary, after the front matter or at the
top).  The comment lines are HTML blocks that may interrupt a paragraph (CommonMark 4.6, kinds 2 and
6), and the blank line before the closing comment ends the ``<details>`` block, so the author's next
line is read as Markdown again.  A display inside a list item or a blockquote gets the same line
prefix (indentation, ``>`` markers).  The author's line ends are kept (CRLF files get CRLF blocks);
at the end of a file without a final newline the block starts with one, marked ``eof``.
``strip_annotations`` removes exactly what was inserted: ``strip_annotations(annotate(x)) == x``.
"""
from __future__ import annotations

import json
import re

from .annotate import Annotation, totals
from .annotate_text import code, html_escape, html_only, plural, short, t, TEXT

BEGIN, BEGIN_EOF, END = "<!-- derive:annotate -->", "<!-- derive:annotate eof -->", "<!-- /derive:annotate -->"
_STRIP_EOF = re.compile(r"\r?\n[ \t>]*<!-- derive:annotate eof -->.*?<!-- /derive:annotate -->\Z", re.S)
_STRIP = re.compile(r"(?:(?<=[\r\n\ufeff])|\A)[ \t>]*<!-- derive:annotate -->(?:\r?\n|\r).*?<!-- /derive:annotate -->(?:\r\n|\n|\r)",
                    re.S)
_PREFIX = re.compile(r"[ \t]*(?:>[ \t]?)*[ \t]*")
_LIST_MARK = re.compile(r"(?:[-*+]|\d{1,9}[.)])[ \t]+")


def strip_annotations(text: str) -> str:
    """The post without derive's inserted blocks (the inverse of ``render``)."""
    return _STRIP.sub("", _STRIP_EOF.sub("", text))


# ------------------------------------------------------------------ badges and fold-outs


def badge(d, lang: str, file_error: str = "") -> str:
    """The short badge of one display (plain text; author-derived parts escaped)."""
    if d.not_read:
        return t(lang, "not_read", reason=html_only(short(d.not_read)))
    if file_error and not d.steps:
        return t(lang, "post_not_read", reason=html_only(short(file_error)))
    if not d.steps:
        bad = [x for x in d.definitions if x.get("error")]
        if bad:
            return t(lang, "definition_error", reason=html_only(short(bad[0]["error"])))
        return t(lang, "definition") if d.definitions else t(lang, "nothing")
    verdicts = [s["verdict"] for s in d.steps]
    if all(s.get("unchecked") for s in d.steps):
        return t(lang, "unchecked", n=len(verdicts), **plural(len(verdicts), lang))
    failing = [str(s["step"]) for s in d.steps if s["verdict"] == "fails"]
    if failing:
        return t(lang, "fails" if len(failing) == 1 else "fails_many", steps=", ".join(failing))
    if all(v == "holds" for v in verdicts):
        return t(lang, "holds_all", n=len(verdicts), **plural(len(verdicts), lang))
    parts = []
    for v in ("holds", "unknown", "approximation", "elided", "definition"):  # definition: first_use.py
        n = verdicts.count(v)
        if n:
            parts.append(TEXT[lang]["part"][v].format(n=n, **plural(n, lang)))
    return t(lang, "mixed", parts=", ".join(parts) if lang == "en" else "，".join(parts))


def _mdp(ce: dict) -> list:
    mdp = (ce or {}).get("mdp") or {}
    out = [f"{k} = {json.dumps(mdp[k])}" for k in ("rho0", "P[s][a][s']", "R[s][a][s']") if k in mdp]
    if "theta" in mdp.get("policies", {}):
        out.append(f"pi_theta[s][a] = {json.dumps(mdp['policies']['theta'])}")
    out.extend(f"{k} = {json.dumps(v)}" for k, v in mdp.get("free functions", {}).items())
    return [x.replace('"', "") for x in out]


def step_lines(s: dict, lang: str) -> list:
    """The fold-out lines of one step: verdict, the author's reason, the reading, counterexample, hints."""
    verdict = TEXT[lang]["verdict"].get(s["verdict"], s["verdict"])
    lines = ["- " + t(lang, "step", n=s["step"], line=s["line"], verdict=verdict)]
    if s.get("justification"):
        lines.append("  " + t(lang, "because", text=html_escape(short(s["justification"]))) + "  ")
    if s.get("read_as"):
        lines.append(f"  {t(lang, 'read_as')} {code(short(s['read_as']))}  ")
    if s["verdict"] == "fails" and s.get("counterexample"):
        lines.append("  " + t(lang, "counterexample", text=html_escape(short(s.get("reason") or ""))) + "  ")
        mdp = _mdp(s["counterexample"])
        if mdp:
            lines.extend(["", "  ```text", *("  " + x for x in mdp), "  ```", ""])
    elif s.get("reason"):
        key = "checked" if s["verdict"] == "holds" else "why"
        lines.append("  " + t(lang, key, text=html_escape(short(s["reason"]))) + "  ")
    if s.get("mistake"):
        lines.append("  " + t(lang, "mistake", text=html_escape(short(s["mistake"]))) + "  ")
    for h in s.get("hints") or ():
        lines.append("  " + t(lang, "hint", text=html_escape(short(h))) + "  ")
    lines[-1] = lines[-1].rstrip()
    return lines


def fold_out(d, lang: str) -> list:
    """The lines inside a display's ``<details>``: its definitions, then its steps."""
    lines = []
    for x in d.definitions:
        if x.get("error"):
            lines.append("- " + t(lang, "def_error", line=x["line"], text=html_escape(short(x["error"]))))
        elif x.get("read_as"):
            lines.append("- " + t(lang, "def_read", line=x["line"]) + " " + code(short(x["read_as"])))
    for s in d.steps:
        lines.extend(step_lines(s, lang))
    return lines


def _details(summary: str, body: list, open_: bool = False) -> list:
    head = "<details open>" if open_ else "<details>"
    if not body:
        return [f"{head}<summary>{summary}</summary>", "</details>", ""]
    return [f"{head}<summary>{summary}</summary>", "", *body, "", "</details>", ""]


def display_block(d, lang: str, file_error: str = "") -> list:
    return _details(badge(d, lang, file_error), fold_out(d, lang))


def summary_block(ann: Annotation, seed: int = 0) -> list:
    lang, f = ann.lang, totals(ann)
    other = t(lang, "summary_other", n=f["other"]) if f["other"] else ""
    head = t(lang, "summary", displays=f["displays"], steps=f["steps"], holds=f["holds"], fails=f["fails"],
             unknown=f["unknown"], other=other, steps_unread=f["steps_not_read"], unread=f["displays_not_read"],
             ds="" if f["displays"] == 1 else "s", ss="" if f["steps"] == 1 else "s",
             us="" if f["displays_not_read"] == 1 else "s")
    items = [t(lang, "lang_detected" if ann.lang_detected else "lang_chosen")]
    if ann.file_error:
        items.append(t(lang, "post_error", reason=html_escape(short(ann.file_error))))
    if ann.conventions:
        items.append(t(lang, "conventions", text=html_escape("; ".join(ann.conventions))))
    items.extend(t(lang, "unread_item", n=d.index, line=d.line, reason=html_escape(short(d.not_read)))
                 for d in ann.displays if d.not_read)
    items.extend(t(lang, "unread_step", n=s["step"], line=s["line"], reason=html_escape(short(s.get("reason") or "")))
                 for d in ann.displays for s in d.steps if s["verdict"] == "unknown" and s.get("read_as") is None)
    items.append(t(lang, "seed", seed=seed))
    items.append(t(lang, "how"))
    return _details(head, ["- " + x for x in items], open_=True)


# ------------------------------------------------------------------ insertion


def _newline(raw: str) -> str:
    return "\r\n" if raw.count("\r\n") * 2 > raw.count("\n") else "\n"


def _prefix(lines: list, k: int) -> str:
    """The container prefix of the author's line ``lines[k]`` (indentation, blockquote markers): the
    indentation is kept up to 3 spaces, or when the line continues a list item (a list marker above it,
    before any line indented less), else an indented block would read as code."""
    line = lines[k] if k < len(lines) else ""
    prefix = _PREFIX.match(line).group(0)
    mark = _LIST_MARK.match(line, len(prefix))
    if mark:
        return prefix + " " * len(mark.group(0))  # a list item's content column
    indent = len(prefix) - len(prefix.lstrip(" \t"))
    if indent < 4 or _in_list(lines, k, indent):
        return prefix
    return prefix.rstrip(" \t") + (" " if prefix.strip() else "")


def _in_list(lines: list, k: int, indent: int) -> bool:
    for above in reversed(lines[:k]):
        if not above.strip():
            continue
        lead = len(above) - len(above.lstrip(" \t"))
        if _LIST_MARK.match(above, lead):
            return lead < indent
        if lead < indent:
            return False
    return False


def _chunk(lines: list, prefix: str, nl: str) -> str:
    body = [BEGIN, *lines, END]
    quote = prefix.rstrip()
    return "".join((prefix + x if x else quote) + nl for x in body)


def insertions(ann: Annotation, seed: int = 0) -> dict:
    """{line number after which to insert (0: the top): [lines]} for the summary and every display."""
    out: dict = {ann.front_end_line: summary_block(ann, seed)}
    for d in ann.displays:
        out.setdefault(d.end_line, []).extend(display_block(d, ann.lang, ann.file_error))
    return out


def render(raw: str, ann: Annotation, seed: int = 0) -> str:
    """The author's text ``raw`` (bytes as read, any line ends) with the inserted blocks."""
    nl = _newline(raw)
    bom = "\ufeff" if raw.startswith("\ufeff") else ""
    lines = re.split(r"(\r\n|\n|\r)", raw[len(bom):])  # [text, end, text, end, ..., text]
    texts, ends = lines[0::2], lines[1::2] + [""]
    plan = insertions(ann, seed)
    out = [bom]
    if 0 in plan:
        out.append(_chunk(plan[0], "", nl))
    for i, (text, end) in enumerate(zip(texts, ends), start=1):
        out.append(text + end)
        if i in plan and i != 0:
            block = plan[i]
            start_line = next((d.line for d in ann.displays if d.end_line == i), i)
            chunk = _chunk(block, _prefix(texts, start_line - 1), nl)
            if not end:  # the last line has no newline: the block brings its own, marked eof
                chunk = nl + chunk.replace(BEGIN, BEGIN_EOF, 1)[: -len(nl)]
            out.append(chunk)
    return "".join(out)
