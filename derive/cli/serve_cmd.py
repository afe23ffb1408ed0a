"""derive serve: the local web page (derive/web/): an editor whose steps are judged as you type.

    derive serve [--host 127.0.0.1] [--port 8000] [--timeout S] [--memory MB] [--max-checks N]

Listens on localhost by default; another --host (e.g. 0.0.0.0) is said aloud, since anyone who reaches
the port can run checks.  Needs the ``web`` extra (Starlette, uvicorn): ``pip install -e '.[web]'``.
"""
from __future__ import annotations

import sys

from .check_cmd import MIN_MEMORY_MB, _megabytes, _positive

HELP = "a local web page: type a derivation and see each step judged as you type"


def add_arguments(p):
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
    p.add_argument("--timeout", type=_positive, default=30, help="wall-clock seconds per check (default 30)")
    p.add_argument("--memory", type=_megabytes, default=2048,
                   help=f"memory limit of a check's worker in MB, at least {MIN_MEMORY_MB} (default 2048)")
    p.add_argument("--max-checks", type=_positive, default=2,
                   help="checks admitted at once; more get 503 (default 2)")
    p.add_argument("--max-body", type=_positive, default=200_000,
                   help="largest request body in bytes; larger get 413 (default 200000)")


def _port(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be between 0 and 65535: {value}")
    return value


def run(args) -> int:
    try:
        import uvicorn

        from ..web.app import create_app
        from ..web.checks import Limits
    except ImportError as exc:
        print(f"derive serve: needs the web extra ({exc.name} is not installed): pip install 'derive[web]' "
              "(from a clone: pip install -e '.[web]')", file=sys.stderr)
        return 2
    limits = Limits(max_body=args.max_body, timeout=float(args.timeout), memory_mb=args.memory,
                    max_checks=args.max_checks)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"derive serve: listening on {args.host}: anyone who reaches port {args.port} can run checks",
              file=sys.stderr)
    print(f"derive serve: open http://{args.host}:{args.port}/ (Ctrl-C stops)", file=sys.stderr)
    try:
        uvicorn.run(create_app(limits), host=args.host, port=args.port, log_level="warning")
    except OSError as exc:
        print(f"derive serve: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0
