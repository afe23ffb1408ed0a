"""Compiling a write-up's .tex to PDF with xelatex (``derive blog --pdf``; issue 15 item 4).

``compile_pdf(tex_path)`` runs xelatex twice (``-halt-on-error -file-line-error``) with every auxiliary
file (.aux, .log, .out) in a temporary directory, so only ``NAME.pdf`` is left beside the .tex.  It
returns a ``PdfResult``: ``status`` "compiled", "failed" or "skipped"; on failure ``error`` is the
first LaTeX error with its line (``blog.tex:123: Undefined control sequence. \\foo``), never a log
tail; on success the log's figures: overfull boxes (``overfull``: their widths in pt) and characters
the fonts lack (``missing``: "Missing character" lines).

The Debian packages it needs (README, .ci/run): texlive-xetex texlive-lang-chinese
texlive-fonts-recommended fonts-noto-cjk (xeCJK, the Fandol and Noto CJK fonts, Latin Modern).
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

PACKAGES = "texlive-xetex texlive-lang-chinese texlive-fonts-recommended fonts-noto-cjk"
RUNS = 2  # the second run settles hyperref's bookmarks
_FILE_LINE = re.compile(r"^(?:\./)?([^\s:]+\.(?:tex|sty|cls|def)):(\d+): (.*)$", re.M)
_BANG = re.compile(r"^! (.*)$", re.M)
_LINE_NO = re.compile(r"^l\.(\d+) ?(.*)$", re.M)
_OVERFULL = re.compile(r"^Overfull \\hbox \(([\d.]+)pt too wide\)", re.M)
_MISSING = re.compile(r"^Missing character: There is no (.+?) in font", re.M)


@dataclass
class PdfResult:
    status: str  # "compiled", "failed" or "skipped"
    error: str = ""  # the first LaTeX error (failed) or why it was skipped
    overfull: list = field(default_factory=list)  # widths in pt of the overfull boxes (compiled)
    missing: list = field(default_factory=list)  # characters the fonts lack (compiled)

    def __str__(self) -> str:
        return self.status if self.status == "compiled" else f"{self.status}: {self.error}"


def first_error(log: str, tex_name: str) -> str:
    """The first error of a xelatex log as ``FILE:LINE: message`` (the offending input appended)."""
    m = _FILE_LINE.search(log)
    bang = _BANG.search(log)
    if m and (bang is None or m.start() <= bang.start()):
        message, line = m.group(3).strip(), m.group(2)
        after = _LINE_NO.search(log, m.end())
        context = after.group(2).strip() if after else ""
        return f"{Path(m.group(1)).name}:{line}: {message}" + (f" (at: {context[-60:]})" if context else "")
    if bang:
        after = _LINE_NO.search(log, bang.end())
        where = f"{tex_name}:{after.group(1)}: " if after else f"{tex_name}: "
        context = after.group(2).strip() if after else ""
        return where + bang.group(1).strip() + (f" (at: {context[-60:]})" if context else "")
    return f"{tex_name}: xelatex failed without an error message in its log"


def compile_pdf(tex_path, timeout: float = 300, keep_log: bool = False) -> PdfResult:
    """Compile ``tex_path`` (module docstring).  ``keep_log`` copies the log beside the PDF (for debugging)."""
    tex_path = Path(tex_path)
    exe = shutil.which("xelatex")
    if exe is None:
        return PdfResult("skipped", f"xelatex is not installed (Debian: apt-get install {PACKAGES})")
    with tempfile.TemporaryDirectory(prefix="derive-pdf-") as tmp:
        log_path = Path(tmp) / (tex_path.stem + ".log")
        for _ in range(RUNS):
            try:
                run = subprocess.run([exe, "-interaction=nonstopmode", "-halt-on-error", "-file-line-error",
                                      f"-output-directory={tmp}", tex_path.name], cwd=tex_path.parent or ".",
                                     capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
            except subprocess.TimeoutExpired:
                return PdfResult("failed", f"{tex_path.name}: xelatex did not finish within {timeout:g} s")
            log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else \
                run.stdout.decode("utf-8", errors="replace")
            if run.returncode != 0:
                return PdfResult("failed", first_error(log, tex_path.name))
        pdf = Path(tmp) / (tex_path.stem + ".pdf")
        if not pdf.exists():
            return PdfResult("failed", f"{tex_path.name}: xelatex wrote no PDF")
        shutil.move(str(pdf), str(tex_path.with_suffix(".pdf")))
        if keep_log:
            shutil.copyfile(log_path, tex_path.with_suffix(".log"))
        return PdfResult("compiled", overfull=[float(w) for w in _OVERFULL.findall(log)],
                         missing=sorted(set(_MISSING.findall(log))))
