"""derive list: the catalog's identities and mistakes."""
from __future__ import annotations

import json

from ..catalog import catalog

HELP = "list the catalog's identities and classic mistakes"


def add_arguments(p):
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.add_argument("--topic", help="only this topic")


def run(args) -> int:
    entries = [e for e in catalog() if not args.topic or e.topic == args.topic]
    if args.json:
        print(json.dumps([e.summary() for e in entries], indent=1, ensure_ascii=False))
        return 0
    width = max(len(e.id) for e in entries) if entries else 10
    for e in entries:
        print(f"{e.id:<{width}}  {e.kind:<8}  {e.section:<6}  {e.topic:<20}  {e.title}")
    ident = sum(e.kind == "identity" for e in entries)
    print(f"\n{ident} identities, {len(entries) - ident} mistakes")
    return 0
