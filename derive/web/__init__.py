"""``derive serve``: a local web page to type a derivation and see each step judged as you type.

    derive serve [--host 127.0.0.1] [--port 8000]

app.py holds the Starlette application (the page, the catalog and proofs/ listings, ``POST /api/check``),
checks.py the check behind ``/api/check`` (derive.api, with the page's limits), sources.py the files
the page may open (only derive/catalog/statements/*.md and proofs/**.md, never an arbitrary path),
static/ the page itself (HTML, JavaScript, CSS; KaTeX is the copy vendored in derive/writeup/katex/).
Starlette and uvicorn are the ``web`` extra: ``pip install -e '.[web]'``.
"""
