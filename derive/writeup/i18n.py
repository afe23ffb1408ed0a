"""The language of a write-up: ``tr(text, lang)`` gives derive's English text in ``lang`` (``en`` or ``zh``).

derive writes its own text (badges, conditions, mistake names, step justifications, proof titles, figure
labels) in English; the Chinese write-ups take each string from a gettext catalog,
``derive/writeup/locale/zh.po``: ``msgid`` is the English text exactly as derive or the catalog file or the
proofs/ file writes it, ``msgstr`` its Chinese.  Why gettext and not per-entry ``title_zh`` fields:
docs/writeup-languages.md (a translation is keyed by the English it translates, so when the English
changes the old translation is no longer used and tests/test_blog_zh.py fails, instead of a stale Chinese
sentence silently stating something the check no longer checks).

The catalog is read with a small reader of the .po subset this file uses (``msgid "..."`` /
``msgstr "..."`` with continuation lines, C escapes ``\\\\ \\" \\n``), so no compiled .mo is needed
(Python's ``gettext`` module reads only .mo files).  A text with no translation comes back unchanged
(English) and is recorded in ``missing()``: the Chinese blog's test reads that list.

Formatted strings keep their ``{name}`` fields in both languages (``tr("exact: {n} random MDPs", "zh")``
-> ``"精确：{n} 个随机 MDP"``), as gettext's ``_("...").format(...)`` convention.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

LANGS = ("en", "zh")
LOCALE = Path(__file__).with_name("locale")

_missing: dict = {}


def _unquote(s: str) -> str:
    s = s.strip()
    if len(s) < 2 or s[0] != '"' or s[-1] != '"':
        raise ValueError(f"not a quoted .po string: {s[:40]!r}")
    out, i, body = [], 0, s[1:-1]
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(nxt, "\\" + nxt))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def quote(s: str) -> str:
    """A .po string literal for ``s`` (the inverse of the reader)."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def read_po(text: str) -> dict:
    """{msgid: msgstr} of a .po text; the header (empty msgid) and empty msgstr are left out."""
    out, key, cur, field = {}, None, [], None

    def close():
        if field == "msgstr" and key is not None:
            value = "".join(cur)
            if key and value:
                out[key] = value

    for no, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        if s.startswith("msgid "):
            close()
            key, cur, field = None, [_unquote(s[6:])], "msgid"
        elif s.startswith("msgstr "):
            if field != "msgid":
                raise ValueError(f"line {no}: msgstr without msgid")
            key, cur, field = "".join(cur), [_unquote(s[7:])], "msgstr"
        elif s.startswith('"'):
            cur.append(_unquote(s))
        else:
            raise ValueError(f"line {no}: not .po syntax: {s[:40]!r}")
    close()
    return out


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict:
    if lang == "en":
        return {}
    path = LOCALE / f"{lang}.po"
    return read_po(path.read_text(encoding="utf-8")) if path.exists() else {}


def tr(text: str, lang: str = "en") -> str:
    """``text`` in ``lang``: its translation, else ``text`` itself (recorded in ``missing(lang)``)."""
    if lang == "en" or not text:
        return text
    got = catalog(lang).get(text)
    if got is None:
        _missing.setdefault(lang, set()).add(text)
        return text
    return got


def missing(lang: str) -> set:
    """The texts asked for in ``lang`` that have no translation (since the process started, or since
    ``forget_missing()``)."""
    return set(_missing.get(lang, ()))


def forget_missing() -> None:
    """Start recording untranslated texts afresh (to see what one document asked for)."""
    _missing.clear()


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r} (languages: {', '.join(LANGS)})")
    return lang
