"""Writing the outputs: ``write_blog(out_dir, ...)`` -> blog.md, blog.tex, blog.ipynb and the PNGs."""
from __future__ import annotations

import os
import time
from pathlib import Path

from . import markdown, tex, notebook, plots
from .badges import Unchecked, Verifier
from .blog import PROOFS, build_blog


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")


def compile_tex(tex_path: Path, timeout: float = 300) -> str:
    """Compile with xelatex when it exists: 'compiled', 'failed: FILE:LINE: first error' or 'skipped: ...'
    (pdf.py: auxiliary files kept out of the output directory)."""
    from .pdf import compile_pdf

    return str(compile_pdf(tex_path, timeout=timeout))


def write_blog(out_dir, seed: int = 0, samples: int = 20000, checks: bool = True, figures: bool = True,
               text: str | None = None, compile_pdf: bool = True, on_check=None) -> dict:
    """The blog's files in ``out_dir``; ``on_check(label)`` is called after each check and as each later phase
    starts ("figures", "files"): derive blog's progress display (cli/progress.py)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    timings = {}
    t0 = time.perf_counter()
    verifier = Verifier(seed, samples) if checks else Unchecked(seed, samples)
    verifier.on_check = on_check
    proof_base = os.path.relpath(PROOFS, out.resolve()).replace(os.sep, "/")
    doc = build_blog(verifier, proof_base=proof_base, **({"text": text} if text else {}))
    timings["checks"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    if on_check is not None:
        on_check("figures")
    fig_info = plots.make_all(out, seed, samples, lang=doc.lang) if figures else {}
    timings["figures"] = time.perf_counter() - t1
    if on_check is not None:
        on_check("files")
    _write(out / "blog.md", markdown.render(doc))
    _write(out / "blog.tex", tex.render(doc))
    _write(out / "blog.ipynb", notebook.render(doc, seed, samples))
    status = compile_tex(out / "blog.tex") if compile_pdf else "skipped: not requested"
    timings["total"] = time.perf_counter() - t0
    return {"files": sorted(p.name for p in out.iterdir() if p.suffix in (".md", ".tex", ".ipynb", ".png", ".pdf")),
            "pdf": status, "timings": timings, "figures": fig_info, "document": doc}
