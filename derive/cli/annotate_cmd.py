"""derive annotate POST.md: the same post with derive's badge after each display (docs/annotate.md).

    derive annotate POST.md [--out FILE] [--format md|html|tex|ipynb] [--lang en|zh] [--seed N]

The post is read and checked as ``derive check POST.md`` does; the output is written to ``--out``
(default: standard output).  Exit codes: 0 when the annotated post was written (whatever the
verdicts: they are in it), 2 for input errors (a missing or unreadable file, a bad option), printed
as ``FILE:LINE:COL: message``.  Progress (the step being judged) goes to stderr on a terminal.
"""
from __future__ import annotations

import sys
from pathlib import Path

from .progress import Progress
from .safe_text import clean

HELP = "write a Markdown post back with derive's verdict after each display (md, html with KaTeX, tex, ipynb)"
FORMATS = ("md", "html", "tex", "ipynb")
MAX_BYTES = 2_000_000  # a post larger than this is refused (the reader itself reads at most 200 000 characters)


def add_arguments(p):
    p.add_argument("post", metavar="POST.md", help="a Markdown post, notes or homework with derivations")
    p.add_argument("--out", metavar="FILE", default="-", help="output file (default: standard output)")
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="md (default), html (one standalone page, KaTeX bundled), tex (xelatex) or ipynb; "
                        "default: from the --out suffix, else md")
    p.add_argument("--lang", choices=("en", "zh"), default=None,
                   help="language of derive's notes (default: the post's language, detected from its prose)")
    p.add_argument("--seed", type=int, default=0, help="seed of the random instances (default 0)")
    p.add_argument("--timeout", type=float, default=120.0, help="wall-clock seconds for the post (default 120)")
    p.add_argument("--symbolic-budget", type=float, default=3.0, metavar="SECONDS",
                   help="SymPy confirmation budget per step (default 3; 0 skips it)")
    p.add_argument("--no-checks", action="store_true",
                   help="read the post and badge every display without judging the steps (fast)")
    p.add_argument("--macros", metavar="FILE", default=None,
                   help="user macros (.json/.js map as in KaTeX or MathJax, or .tex/.sty \\newcommand lines)")


def _format(args) -> str:
    if args.format:
        return args.format
    suffix = Path(args.out).suffix.lower().lstrip(".") if args.out != "-" else ""
    return {"htm": "html", "markdown": "md"}.get(suffix, suffix) if suffix in FORMATS + ("htm", "markdown") else "md"


def _read(path: str):
    """(text, error): the post exactly as stored (line ends kept)."""
    p = Path(path)
    try:
        if not p.is_file():
            return None, f"{path}:1:1: " + ("not a regular file" if p.exists() else "no such file")
        if p.stat().st_size > MAX_BYTES:
            return None, f"{path}:1:1: the file is too large ({p.stat().st_size} bytes; at most {MAX_BYTES})"
        with open(p, encoding="utf-8", newline="") as f:
            return f.read(), None
    except UnicodeDecodeError as exc:
        return None, f"{path}:1:1: not UTF-8 text ({exc.reason} at byte {exc.start})"
    except OSError as exc:
        return None, f"{path}:1:1: cannot read the file: {exc.strerror or exc}"


def run(args) -> int:
    from ..writeup.annotate import annotate_post
    from ..writeup.annotate_formats import WRITERS

    raw, error = _read(args.post)
    if error:
        print(clean(f"derive annotate: {error}"), file=sys.stderr)
        return 2
    macros = None
    if args.macros:
        from ..read_latex.macro_files import MacroFileError, read_macro_file

        try:
            macros = read_macro_file(args.macros)
        except MacroFileError as exc:
            print(clean(f"derive annotate: {args.macros}:{exc.line}:{exc.col}: {exc.message}"), file=sys.stderr)
            return 2
    if args.timeout <= 0 or args.symbolic_budget < 0:
        print("derive annotate: --timeout must be positive and --symbolic-budget at least 0", file=sys.stderr)
        return 2
    with Progress(None, "step", sys.stderr) as bar:
        def on_step(done: int, total: int) -> None:
            bar.set_total(total)
            bar.reach(done, f"step {done + 1}/{total}")

        try:
            ann = annotate_post(raw, args.post, lang=args.lang, seed=args.seed, timeout=args.timeout,
                                symbolic_budget=args.symbolic_budget, macros=macros,
                                on_step=on_step if bar.shown else None, checks=not args.no_checks)
            out = WRITERS[_format(args)](raw, ann, args.seed)
        except (RecursionError, MemoryError) as exc:  # never a traceback: the post is too deep or too large
            print(clean(f"derive annotate: {args.post}:1:1: the post is too large or too deeply nested to annotate "
                        f"({type(exc).__name__})"), file=sys.stderr)
            return 2
    if args.out == "-":
        sys.stdout.write(clean(out) if sys.stdout.isatty() else out)
        return 0
    try:
        with open(args.out, "w", encoding="utf-8", newline="") as f:
            f.write(out)
    except OSError as exc:
        print(clean(f"derive annotate: {args.out}:1:1: cannot write: {exc.strerror or exc}"), file=sys.stderr)
        return 2
    print(clean(f"wrote {args.out}"), file=sys.stderr)
    return 0
