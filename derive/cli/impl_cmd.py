"""derive check-impl FILE.py:FUNCTION --kind gae|returns|lambda-returns|td-errors: check an implementation.

Exit codes (as for derive check): 0 the implementation holds, 1 it fails or the
verdict is unknown (an exception, a wrong shape, NaN, a timeout), 2 for a bad
FILE.py:FUNCTION (malformed, a missing file, no such function) or a bad option.

The function runs in a sandbox (``derive/check_code/sandbox.py``; bubblewrap when it works,
else rlimits; ``DERIVE_SANDBOX=bwrap|rlimit`` forces one).  The report says which; what the
submission printed is captured and shown on stderr (text) or in ``submission_output`` (JSON),
with control characters escaped, never on derive's own stdout.
"""
from __future__ import annotations

import argparse
import json
import sys

from .safe_text import clean

HELP = "check an implementation of GAE, returns, lambda-returns or TD errors against the exact definitions"

KINDS = ("gae", "returns", "lambda-returns", "td-errors")
OUTPUT_LINES = 20  # lines of the submission's output shown in the text report (all kept ones are in --json)
SANDBOX_NOTE = {"bwrap": "bubblewrap (no network, read-only files, private /tmp, own PID namespace)",
                "rlimit": "rlimits and a new session only; install bubblewrap for isolation "
                          "(apt-get install bubblewrap)"}


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"must be between 0 and 3600 seconds: {value}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(f"must be between 0 and 2**32 - 1: {value}")
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
    p.add_argument("--seed", type=_seed, default=0, help="seed of the generated rollouts, 0 to 2**32 - 1 "
                   "(default 0)")
    p.add_argument("--timeout", type=_seconds, default=10.0,
                   help="wall-clock seconds for the run over the cases, and again for all the shrinking (default 10)")
    p.add_argument("--memory", type=_megabytes, default=2048, help="memory limit of the process running "
                   "the function, in MB (default 2048)")


def run(args) -> int:
    from ..check_code.check import SpecError, check_impl
    from ..check_code.sandbox import SandboxError, undumpable

    undumpable()  # a submission running as the same (non-root) user cannot open /proc/<derive>/fd/1
    try:
        report = check_impl(args.target, kind=args.kind, seed=args.seed, timeout=args.timeout,
                            memory_mb=args.memory)
    except (SpecError, SandboxError) as exc:
        print(f"derive check-impl: error: {clean(str(exc))}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        out = report.get("submission_output") or {}
        if out.get("bytes"):
            print(render_output(out), file=sys.stderr)
        print(render(report))
    return 0 if report["verdict"] == "holds" else 1


def render_output(out: dict) -> str:
    """The submission's captured prints, each line behind '| ', control characters escaped."""
    head = f"submission output ({out['bytes']} bytes" + (", first ones shown" if out.get("truncated") else "") + "):"
    body = clean(out.get("text", "")).rstrip("\n").split("\n")
    more = [f"  | ({len(body) - OUTPUT_LINES} more lines)"] if len(body) > OUTPUT_LINES else []
    return "\n".join([head] + [f"  | {line[:200]}" for line in body[:OUTPUT_LINES]] + more)


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
    if report.get("sandbox"):
        lines.append(f"  sandbox: {SANDBOX_NOTE.get(report['sandbox'], report['sandbox'])}")
    if report.get("survivors"):
        lines.append(f"  warning: processes of the submission still alive after clean-up: {report['survivors']}")
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
    return clean("\n".join(lines))
