"""The Starlette application of ``derive serve``.

    GET  /                       the page (static/index.html)
    GET  /static/...             its JavaScript and CSS;  GET /katex/...  the vendored KaTeX (derive/writeup/katex)
    GET  /api/files              {"catalog": [{"name", "title"}], "proofs": [...]}
    GET  /api/file?folder=F&name=N   {"folder", "name", "text"} of a listed file (404 otherwise)
    POST /api/check              {"text", "options"} -> the JSON of ``derive check --json`` (checks.py)

Limits (checks.Limits): the body is read up to ``max_body`` bytes (413 beyond), at most ``max_checks``
checks are admitted at once (503 beyond), each check has the workers' time and memory limits.
"""
from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .checks import Limits, run_check
from .sources import FOLDERS, listing, read_listed

STATIC = Path(__file__).resolve().parent / "static"
KATEX = Path(__file__).resolve().parents[1] / "writeup" / "katex"
NO_STORE = {"Cache-Control": "no-store"}


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=NO_STORE)


async def _body(request: Request, limit: int) -> bytes | None:
    """The request body, or None once it is longer than ``limit`` bytes (it is not read further)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def create_app(limits: Limits | None = None) -> Starlette:
    limits = limits or Limits()

    async def index(request: Request):
        return FileResponse(STATIC / "index.html", headers=NO_STORE)

    async def files(request: Request):
        return JSONResponse({folder: listing(folder) for folder in FOLDERS}, headers=NO_STORE)

    async def one_file(request: Request):
        folder, name = request.query_params.get("folder", ""), request.query_params.get("name", "")
        text = read_listed(folder, name)
        if text is None:
            return _error(404, f"no listed file {name!r} in {folder!r} (GET /api/files lists them)")
        return JSONResponse({"folder": folder, "name": name, "text": text}, headers=NO_STORE)

    async def check(request: Request):
        body = await _body(request, limits.max_body)
        if body is None:
            return _error(413, f"the request is too large (more than {limits.max_body} bytes)")
        try:
            status, text = await run_in_threadpool(run_check, body, limits)
        except Exception as exc:  # derive's own bug: a short message, never a traceback
            return _error(500, f"derive failed on this input ({type(exc).__name__}); please report it")
        return Response(text, status_code=status, media_type="application/json", headers=NO_STORE)

    routes = [Route("/", index), Route("/api/files", files), Route("/api/file", one_file),
              Route("/api/check", check, methods=["POST"]),
              Mount("/static", StaticFiles(directory=STATIC), name="static"),
              Mount("/katex", StaticFiles(directory=KATEX), name="katex")]
    return Starlette(routes=routes)
