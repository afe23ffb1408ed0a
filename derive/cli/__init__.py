"""derive's command line: one module per command, gathered in a registry.

    derive list  [--json]
    derive check [ID ...] [--json] [--seed N] [--samples N] [--jobs N] [--methods M,...]
    derive check-impl FILE.py:FUNCTION --kind gae|returns|lambda-returns|td-errors [--json] [--seed N] [--timeout S]
    derive blog, derive writeup (write-ups with verification badges)
    derive grade SUBMISSIONS/ --out report.html [--csv grades.csv] [--jobs N] [--impl --kind gae]
    derive annotate POST.md [--out FILE] [--format md|html|tex|ipynb] [--lang en|zh]
    derive serve [--host 127.0.0.1] [--port 8000] (a local web page; the web extra)
"""
from __future__ import annotations

import argparse
import sys

from ..catalog.errors import CatalogError
from . import annotate_cmd, blog_cmd, check_cmd, grade_cmd, impl_cmd, list_cmd, serve_cmd, writeup_cmd

COMMANDS = {"list": list_cmd, "check": check_cmd, "check-impl": impl_cmd, "blog": blog_cmd, "writeup": writeup_cmd,
            "annotate": annotate_cmd, "grade": grade_cmd, "serve": serve_cmd}


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors: a message and exit code 2, never a traceback
        self.print_usage(sys.stderr)
        print(f"derive: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="derive", description="Verify reinforcement-learning identities exactly, "
                                                "symbolically and by Monte Carlo.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, module in COMMANDS.items():
        module.add_arguments(sub.add_parser(name, help=module.HELP, description=module.HELP))
    return parser


def _robust_streams() -> None:
    """Any encoding (PYTHONIOENCODING=ascii): characters it lacks are printed as escapes, never raise."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError, OSError):
            pass


def _closed_pipe() -> int:
    """stdout was closed by the reader (``derive check ... | head -1``): stop quietly, exit 1."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # the final flush at exit must not raise again
    except (OSError, ValueError):
        pass
    return 1


def main(argv=None) -> int:
    _robust_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        code = COMMANDS[args.command].run(args)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        return _closed_pipe()
    except CatalogError as exc:  # a malformed catalog file: FILE:LINE:COL, never a traceback
        print(f"derive: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("derive: interrupted", file=sys.stderr)
        return 130
