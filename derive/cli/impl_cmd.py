"""derive check-impl FILE.py:FUNCTION --kind gae|returns|lambda-returns|td-errors: check an implementation.

Exit codes (as for derive check): 0 the implementation holds, 1 it fails or the
verdict is unknown (an exception, a wrong shape, NaN, a timeout), 2 for a bad
FILE.py:FUNCTION (malformed, a missing file, no such function).
"""
from __future__ import annotations

import argparse
import json
import sys

HELP = "check an implementation of GAE, returns, lambda-returns or TD errors against the exact definitions"

KINDS = ("gae", "returns", "lambda-returns", "td-errors")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"must be between 0 and 3600 seconds: {value}")
    return value


def _megabytes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if not 64 <= value <= 1_000_000:
        raise argparse.ArgumentTypeError(f"must be between 64 and 1000000 MB: {value}")
    return value


def add_arguments(p):
    p.add_argument("target", metavar="FILE.py:FUNCTION", help="the implementation to check")
    p.add_argument("--kind", required=True, choices=KINDS, help="what the function computes (signatures: "
                   "docs/implementations.md)")
    p.add_argument("--json", action="store_true", help="print the JSON report")
    p.add_argument("--seed", type=int, default=0, help="seed of the generated rollouts (default 0)")
    p.add_argument("--timeout", type=_seconds, default=10.0,
                   help="wall-clock seconds for each run of the function over the cases (default 10)")
    p.add_argument("--memory", type=_megabytes, default=2048, help="memory limit of the process running "
                   "the function, in MB (default 2048)")


def run(args) -> int:
    from ..impl.check import SpecError, check_impl

    try:
        report = check_impl(args.target, kind=args.kind, seed=args.seed, timeout=args.timeout,
                            memory_mb=args.memory)
    except SpecError as exc:
        print(f"derive check-impl: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(render(report))
    return 0 if report["verdict"] == "holds" else 1


def _fmt(x) -> str:
    if isinstance(x, list):
        return "[" + ", ".join(_fmt(y) for y in x) + "]"
    if isinstance(x, float):
        return f"{x:.10g}"
    return str(x)


def render(report: dict) -> str:
    verdict = {"holds": "holds", "fails": "FAILS", "unknown": "unknown"}[report["verdict"]]
    lines = [f"{report['function']} as {report['kind']}: {verdict} ({report['cases']} cases)",
             f"  {report['reason']}"]
    ce = report.get("counterexample")
    if ce:
        lines.append(f"  smallest counterexample (shrunk from case '{ce['case']}'), shape {tuple(ce['shape'])}:")
        params = f"gamma = {_fmt(ce['gamma'])}" + (f", lam = {_fmt(ce['lam'])}" if "lam" in ce else "")
        lines.append(f"    {params}")
        for key in ("rewards", "values", "next_values", "terminated", "truncated", "expected", "received",
                    "bug_output"):
            if key in ce:
                label = "known bug gives" if key == "bug_output" else key
                lines.append(f"    {label:<15} = {_fmt(ce[key])}")
        fd = ce["first_difference"]
        lines.append(f"    first difference at index {fd['index']}: expected {_fmt(fd['expected'])} "
                     f"(= {fd['expected_exact']}), received {_fmt(fd['received'])}")
    if report.get("bug"):
        lines.append(f"  bug: {report['bug']}: {report.get('bug_description', '')}")
    for p in report.get("problems", [])[1:]:
        lines.append(f"  also: {p}")
    return "\n".join(lines)
