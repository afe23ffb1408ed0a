"""derive blog: write the blog back with its missing equations, each checked when generated."""
from __future__ import annotations

import sys
from pathlib import Path

HELP = "write the PPO blog back (Markdown, LaTeX, notebook, plots) with every missing equation, checked"


def add_arguments(p):
    p.add_argument("--out", required=True, metavar="DIR", help="output directory")
    p.add_argument("--seed", type=int, default=0, help="seed of the checks and the plots (default 0)")
    p.add_argument("--samples", type=int, default=20000, help="Monte Carlo samples (default 20000)")
    p.add_argument("--source", metavar="FILE", help="another copy of the blog text (default: the embedded copy)")
    p.add_argument("--no-checks", action="store_true", help="do not run the checks (badges say 'not checked')")
    p.add_argument("--pdf", action="store_true",
                   help="also write blog.pdf with xelatex (exit 1 with the first LaTeX error when it fails, 2 when "
                        "xelatex is not installed)")
    p.add_argument("--no-compile", action="store_true", help="do not run xelatex (the default; overrides --pdf)")


def run(args) -> int:
    from ..writeup.blog import missing_anchors
    from ..writeup.generate import write_blog

    text = None
    if args.source:
        try:
            text = Path(args.source).read_text(encoding="utf-8")
        except OSError as exc:
            print(f"{args.source}:1:1: {exc.strerror or exc}", file=sys.stderr)
            return 2
        missing = missing_anchors(text)
        if missing:
            print(f"derive blog: warning: {len(missing)} insertion points not found in {args.source}", file=sys.stderr)
    if args.samples < 2:
        print("derive blog: --samples must be at least 2", file=sys.stderr)
        return 2
    from .progress import Progress

    with Progress(None, "step", sys.stderr) as bar:  # a terminal only: the checks, then figures and files
        res = write_blog(args.out, seed=args.seed, samples=args.samples, checks=not args.no_checks,
                         text=text, compile_pdf=args.pdf and not args.no_compile, on_check=bar.advance)
    t = res["timings"]
    print(f"wrote {args.out}: " + ", ".join(res["files"]))
    print(f"pdf: {res['pdf']}")
    print(f"time: checks {t['checks']:.1f} s, figures {t['figures']:.1f} s, total {t['total']:.1f} s")
    if args.pdf and not args.no_compile and not str(res["pdf"]).startswith("compiled"):
        print(f"derive blog: no PDF: {res['pdf']}", file=sys.stderr)  # pdf.py: the first LaTeX error and its line
        return 2 if str(res["pdf"]).startswith("skipped") else 1
    return 0
