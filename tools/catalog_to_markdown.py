#!/usr/bin/env python
"""Write derive's catalog as Markdown + LaTeX: derive/catalog/statements/<file>.md.

Re-runnable: the entries come from ``derive.catalog.catalog()`` (the statement files themselves),
each file's prose before its first entry is kept, and each statement's display is chosen again, in
this order of preference:

  (a) the display in the file now, when it reads back to exactly the entry (hand-written LaTeX,
      macros of the file, kept);
  (b) ``sympy.latex`` of each side, joined by ``=`` or ``\\geq``, which reads back exactly
      (tests/test_latex_parser.py::test_catalog_round_trips).

The first conversion (from the Python catalog, issue 17) also tried, first of all, the write-ups'
hand-written displays (derive/writeup/blog_display.py ``NICE``) and took each one that read back;
NICE has since been removed: those displays are the files' own now.

Every candidate is read with the catalog loader (derive/catalog/markdown.py), with no
reader option and then with ``delta=V``; the first that gives an entry with the same
fingerprint (``Entry.fingerprint``: srepr of both sides, every field) is written.  At the
end every written file is read back and compared entry by entry; any difference, or an
entry no candidate reproduces, stops the script (exit 1) before anything is replaced.

Usage: python tools/catalog_to_markdown.py [--check]   (--check: write nothing, exit 1 if a
file would change)
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from sympy import latex

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from derive.catalog import FILES, STATEMENTS, catalog  # noqa: E402
from derive.catalog import references as refs  # noqa: E402
from derive.catalog.entry import RELATIONS
from derive.catalog.markdown import CatalogError, read_catalog_text  # noqa: E402
from derive.catalog.references import reference_keys  # noqa: E402

OPTION_CHOICES = ("", "delta=V")


def reference_text(ref: str) -> str:
    """'KEY' or 'KEY, where' for a reference string of the catalog."""
    keys = reference_keys()
    by_value = {v: k for k, v in keys.items()}
    if ref in by_value:
        return by_value[ref]
    best = max((v for v in keys.values() if v in refs.PAPERS and ref.startswith(v + ", ")), key=len, default=None)
    if best is None:
        raise SystemExit(f"reference {ref!r} is not in derive/catalog/references.py")
    return f"{by_value[best]}, {ref[len(best) + 2:]}"


def _one_line(entry, name, value) -> str:
    if "\n" in value or "$$" in value:
        raise SystemExit(f"{entry.id}: field {name} holds a newline or $$: {value!r}")
    return value


def fields_text(entry, options: str) -> list:
    """The '- key: value' lines of an entry (defaults left out)."""
    out = [f"- kind: {entry.kind}"]
    for name in ("title", "topic", "section"):
        out.append(f"- {name}: {_one_line(entry, name, getattr(entry, name))}")
    if entry.setting != "finite":
        out.append(f"- setting: {entry.setting}")
    for name in ("conditions", "note", "mistake", "corrects"):
        value = getattr(entry, name)
        if value:
            out.append(f"- {name}: {_one_line(entry, name, value)}")
    if entry.references:
        out.append("- references: " + "; ".join(reference_text(r) for r in entry.references))
    if entry.ranges:
        out.append("- ranges: " + "; ".join(f"{latex(lo)} \\le {latex(v)} \\le {latex(hi)}"
                                            for v, lo, hi in entry.ranges))
    if not entry.full_support:
        out.append("- full_support: false")
    if entry.sample_side != "auto":
        out.append(f"- sample_side: {entry.sample_side}")
    if options:
        out.append(f"- options: {options}")
    return out


def block(entry, tex: str, options: str) -> str:
    return "\n".join([f"## {entry.id}", ""] + fields_text(entry, options) + ["", "$$", tex, "$$", ""])


def written_displays(stem: str) -> dict:
    """id -> the display as written in derive/catalog/statements/<stem>.md now (macros not expanded)."""
    path = STATEMENTS / f"{stem}.md"
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    return {m.group(1): m.group(2).strip()
            for m in re.finditer(r"(?ms)^## (\S+)[ \t]*\n.*?^\$\$[ \t]*\n(.*?)\n\$\$[ \t]*$", text)}


def candidates(entry, written: dict):
    if written.get(entry.id):
        yield "file", written[entry.id]  # the display in the file now (a hand edit, macros, kept while it reads back)
    yield "sympy", f"{latex(entry.lhs)} {RELATIONS[entry.relation]} {latex(entry.rhs)}"


def choose(entry, preamble: str, written: dict | None = None):
    """(block text, source) of the first candidate display that reads back as the entry."""
    want = entry.fingerprint()
    for source, tex in candidates(entry, written or {}):
        for options in OPTION_CHOICES:
            text = block(entry, tex, options)
            try:
                got = read_catalog_text(preamble + "\n" + text, f"<{entry.id}>")
            except CatalogError:
                continue
            if len(got) == 1 and got[0].fingerprint() == want:
                return text, source
    raise SystemExit(f"{entry.id}: no display reads back as the entry (the file's nor sympy.latex)")


def _preamble(stem: str) -> str:
    path = STATEMENTS / f"{stem}.md"
    if path.exists():
        text = path.read_text(encoding="utf-8")
        cut = text.find("\n## ")
        return text if cut < 0 else text[:cut + 1]
    return f"# {stem}\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file would change")
    args = ap.parse_args(argv)
    cat = catalog()
    by_file = {stem: [] for stem in FILES}
    for entry in cat:
        by_file[cat.sources[entry.id]].append(entry)
    texts, counts = {}, {"file": 0, "sympy": 0}
    for stem, entries in by_file.items():
        preamble = _preamble(stem)
        written = written_displays(stem)
        blocks = []
        for entry in entries:
            text, source = choose(entry, preamble, written)
            counts[source] += 1
            blocks.append(text)
        texts[stem] = preamble.rstrip("\n") + "\n\n" + "\n".join(blocks)
        back = read_catalog_text(texts[stem], f"{stem}.md")
        if [e.fingerprint() for e in back] != [e.fingerprint() for e in entries]:
            raise SystemExit(f"{stem}.md: the file written does not read back as its entries; nothing written")
    changed = [s for s, t in texts.items() if not (STATEMENTS / f"{s}.md").exists()
               or (STATEMENTS / f"{s}.md").read_text(encoding="utf-8") != t]
    print(f"{len(cat)} entries in {len(texts)} files; displays: {counts['file']} kept from the file, "
          f"{counts['sympy']} from sympy.latex; {len(changed)} file(s) {'would change' if args.check else 'changed'}"
          + (f": {', '.join(changed)}" if changed else ""))
    if args.check:
        return 1 if changed else 0
    STATEMENTS.mkdir(parents=True, exist_ok=True)
    for stem in changed:
        (STATEMENTS / f"{stem}.md").write_text(texts[stem], encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
