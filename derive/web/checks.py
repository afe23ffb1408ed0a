"""The check behind ``POST /api/check``: the request's JSON validated, then ``derive.check`` (derive/api.py).

Request: ``{"text": "<the Markdown>", "options": {...}}``; ``options`` takes the front matter keys of
docs/notation.md ("Markdown derivations": ``setting``, ``gamma``, ``assume``, ``delta``, ``family``,
``start``, ``reward``, ``horizon``, ``reward_index``, ``behaviour``, ``values``, ``group``) and ``seed``.
The answer (200) is the JSON that ``derive check FILE --json`` prints for that text, its file named
``<input>``.  Every check runs in the command line's time- and memory-limited workers (derive/api.py ->
check_derivations/files.py); the time and memory limits are the server's (``derive serve --timeout
--memory``), never the request's.  Bad input is a 400 whose ``error`` is the command line's message
(``<input>:LINE:COL: ...``); nothing the request holds can produce a traceback.
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field

from ..api_options import FRONT_OPTIONS

ALLOWED_OPTIONS = tuple(k.replace("-", "_") for k in FRONT_OPTIONS) + ("seed",)


@dataclass
class Limits:
    """The server's limits: request body bytes (413 above), seconds and MB of one check (the workers'),
    checks admitted at once (503 above; they run one after another, since the workers and the course
    catalog are process-wide)."""
    max_body: int = 200_000
    timeout: float = 30.0
    memory_mb: int = 2048
    max_checks: int = 2
    admitted: threading.BoundedSemaphore = field(init=False, repr=False)
    running: threading.Lock = field(init=False, repr=False, default_factory=threading.Lock)

    def __post_init__(self):
        self.admitted = threading.BoundedSemaphore(self.max_checks)


class BadRequest(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def parse_request(body: bytes) -> tuple:
    """(text, options) from the request body; raises BadRequest(400) with a message."""
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise BadRequest(400, f"the request body is not UTF-8 (byte {err.start})") from None
    except (json.JSONDecodeError, RecursionError) as err:
        where = f" (line {err.lineno}, column {err.colno})" if isinstance(err, json.JSONDecodeError) else ""
        raise BadRequest(400, f"the request body is not valid JSON{where}: send "
                              '{"text": "<the Markdown>", "options": {...}}') from None
    if not isinstance(data, dict):
        raise BadRequest(400, 'the request body must be a JSON object {"text": ..., "options": {...}}')
    extra = sorted(set(data) - {"text", "options"})
    if extra:
        raise BadRequest(400, f"unknown key {extra[0]!r} in the request (known: text, options)")
    text, options = data.get("text"), data.get("options", {})
    options = {} if options is None else options
    if not isinstance(text, str):
        raise BadRequest(400, '"text" must be the Markdown of the derivation, as a string')
    if not isinstance(options, dict):
        raise BadRequest(400, '"options" must be an object of front matter keys')
    for key in options:
        if key.replace("-", "_") not in ALLOWED_OPTIONS:
            raise BadRequest(400, f"unknown option {key!r} (known: {', '.join(ALLOWED_OPTIONS)})")
    return text, {k.replace("-", "_"): v for k, v in options.items()}


def _refuse_folders(text: str) -> None:
    """The page never reads folders on the server: a front matter ``catalog:`` is refused (400)."""
    from ..api import DeriveError, _front_of

    try:
        front = _front_of(text, "<input>")
    except DeriveError as err:
        raise BadRequest(400, str(err)) from None
    if front.get("catalog"):
        raise BadRequest(400, "<input>:1:1: the web page does not read catalog folders (front matter catalog:); "
                              "run derive check FILE.md on your own machine for a course catalog")


def _check_text(text: str, options: dict, limits: Limits):
    """``derive.check`` on text only: never ``api.check(text)``, which takes a one-line text naming a file
    as that file's path (the page reads no file on the server)."""
    from .. import api
    from ..api_options import split_options

    path = "<input>"
    base = api._front_of(text, path) if "gamma" in options and "setting" not in options else {}
    overrides, run = split_options(dict(options, timeout=limits.timeout, memory_mb=limits.memory_mb), base)
    return api.Report(api._judge(api._read(text, path, overrides), path, run))


def run_check(body: bytes, limits: Limits) -> tuple:
    """(status, JSON text): 200 with ``derive check --json``'s JSON, 400/503 with {"error": message}."""
    from .. import api
    from ..check_derivations.report import to_json
    from ..cli.safe_text import clean_json

    try:
        text, options = parse_request(body)
        _refuse_folders(text)
        if not limits.admitted.acquire(blocking=False):
            raise BadRequest(503, f"the server is busy: {limits.max_checks} checks are already running; "
                                  "try again in a moment")
        try:
            with limits.running:
                report = _check_text(text, options, limits)
        finally:
            limits.admitted.release()
    except BadRequest as err:
        return err.status, json.dumps({"error": err.message}, ensure_ascii=False)
    except api.DeriveError as err:
        return 400, json.dumps({"error": str(err)}, ensure_ascii=False)
    return 200, clean_json(to_json([report.data], report.ok))
