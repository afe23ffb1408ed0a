"""derive writeup: a write-up (Markdown, LaTeX or notebook) of catalog ids or derivation files."""
from __future__ import annotations

import sys
from pathlib import Path

HELP = "write up catalog identities (by id) or derivation files: statement, steps, mistakes, checks"


def add_arguments(p):
    p.add_argument("targets", nargs="+", metavar="ID|FILE.md", help="catalog ids or derivation files")
    p.add_argument("--format", choices=("md", "tex", "ipynb"), default="md", help="output format (default md)")
    p.add_argument("--out", required=True, metavar="PATH", help="output file")
    p.add_argument("--seed", type=int, default=0, help="seed of the checks (default 0)")
    p.add_argument("--samples", type=int, default=20000, help="Monte Carlo samples (default 20000)")
    p.add_argument("--lang", choices=("en", "zh"), default="en",
                   help="language of derive's own text: en (default) or zh (Chinese; writeup/locale/zh.po)")


def run(args) -> int:
    from ..read_markdown import InputError, load_derivation
    from .check_cmd import select

    ids = [t for t in args.targets if not t.endswith(".md")]
    files = [t for t in args.targets if t.endswith(".md")]
    _, errors = select(ids) if ids else ([], [])
    for f in files:
        if not Path(f).is_file():
            errors.append(f"{f}:1:1: no such file")
            continue
        try:
            load_derivation(f)
        except InputError as exc:
            errors.append(str(exc) if str(exc).startswith(f) else f"{f}:{getattr(exc, 'line', 1)}:"
                          f"{getattr(exc, 'col', 1)}: {exc}")
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(f"{f}:1:1: {exc}")
    if errors:
        for e in errors:
            print(f"derive writeup: {e}", file=sys.stderr)
        return 2
    from ..writeup import markdown, notebook, tex
    from ..writeup.badges import Verifier
    from ..writeup.writeup import build_writeup

    from .progress import Progress

    verifier = Verifier(args.seed, args.samples)
    with Progress(None, "check", sys.stderr) as bar:  # a terminal only: each check as it is done
        verifier.on_check = bar.advance
        doc = build_writeup(args.targets, verifier, lang=args.lang)
    render = {"md": markdown.render, "tex": tex.render, "ipynb": lambda d: notebook.render(d, args.seed)}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render[args.format](doc), encoding="utf-8", newline="\n")
    print(f"wrote {out}")
    return 0
