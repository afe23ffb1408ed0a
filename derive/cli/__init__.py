"""derive's command line: one module per command, gathered in a registry.

    derive list  [--json]
    derive check [ID ...] [--json] [--seed N] [--samples N] [--jobs N] [--methods M,...]
    derive check-impl FILE.py:FUNCTION --kind gae|returns|lambda-returns|td-errors [--json] [--seed N] [--timeout S]
"""
from __future__ import annotations

import argparse
import sys

from . import check_cmd, impl_cmd, list_cmd

COMMANDS = {"list": list_cmd, "check": check_cmd, "check-impl": impl_cmd}
from . import blog_cmd, writeup_cmd  # noqa: E402  (derive blog, derive writeup)
COMMANDS.update({"blog": blog_cmd, "writeup": writeup_cmd})


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


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return COMMANDS[args.command].run(args)
    except KeyboardInterrupt:
        print("derive: interrupted", file=sys.stderr)
        return 130
