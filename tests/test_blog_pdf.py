"""The blog's PDF (issue 15 item 4): blog.tex typesets with xelatex, nothing runs off the page.

The slow test compiles the whole blog where xelatex exists (skipped with the reason elsewhere) and
counts overfull boxes (none wider than 10 pt), missing glyphs (none), displays shrunk to fit (none by
more than a quarter), the title (once) and the files left (no auxiliary file).  The quick tests feed
a broken .tex, check the long-display cutter (tex_breaks.py) and the error path of ``derive blog --pdf``.
"""
from __future__ import annotations

import re
import shutil

import pytest

from derive.cli import main
from derive.writeup import generate
from derive.writeup.doc import Document, Heading, Math, Para
from derive.writeup.pdf import compile_pdf, first_error
from derive.writeup.tex import escape, render
from derive.writeup.tex_breaks import LINE, estimate, fit, opened, rows_of, unpaired

needs_xelatex = pytest.mark.skipif(shutil.which("xelatex") is None,
                                   reason="xelatex is not installed (apt-get install texlive-xetex "
                                          "texlive-lang-chinese texlive-fonts-recommended fonts-noto-cjk)")
LONG = (r"\mathbb{E}_{\tau \sim \pi_\theta}\left[ \sum_{t=0}^{T-1} \gamma^t r_t + \gamma^T V(s_T) - V(s_0) "
        r"+ \sum_{t=0}^{T-1} \gamma^t \left( r_t + \gamma V(s_{t+1}) - V(s_t) \right) \right] = "
        r"\mathbb{E}_{\tau \sim \pi_\theta}\left[ \sum_{t=0}^{T-1} \gamma^t \left( r_t + \gamma V(s_{t+1}) "
        r"- V(s_t) \right) + \sum_{t=0}^{T-1} \gamma^t r_t \right] + \gamma^T \mathbb{E}[V(s_T)] - V(s_0)")


def _squash(tex: str) -> str:
    return re.sub(r"\s+", "", tex)


def test_first_error_names_the_line_not_a_log_tail():
    log = ("This is XeTeX\n(./doc.tex\nLaTeX2e <2022-11-01>\n./doc.tex:7: Undefined control sequence.\n"
           "l.7 \\nosuchcommand\n                {x}\nHere is how much of TeX's memory you used:\n")
    assert first_error(log, "doc.tex") == "doc.tex:7: Undefined control sequence. (at: \\nosuchcommand)"
    assert first_error("! Emergency stop.\nl.3 \\begin{document}\n", "a.tex") == \
        "a.tex:3: Emergency stop. (at: \\begin{document})"


@needs_xelatex
def test_a_broken_tex_fails_with_its_first_error(tmp_path):
    tex = tmp_path / "broken.tex"
    tex.write_text("\\documentclass{article}\n\\begin{document}\nfine\n\n\\nosuchcommand{x}\n\\end{document}\n",
                   encoding="utf-8")
    res = compile_pdf(tex)
    assert res.status == "failed"
    assert res.error.startswith("broken.tex:5: Undefined control sequence."), res.error
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.tex"]  # no .aux, .log or half PDF left


def test_blog_pdf_failure_exits_non_zero_with_the_error(tmp_path, monkeypatch, capsys):
    def fake(out, **kw):
        assert kw["compile_pdf"] is True
        return {"files": ["blog.tex"], "pdf": "failed: blog.tex:12: Undefined control sequence.",
                "timings": {"checks": 0.0, "figures": 0.0, "total": 0.0}}

    monkeypatch.setattr(generate, "write_blog", fake)
    assert main(["blog", "--out", str(tmp_path), "--no-checks", "--pdf"]) == 1
    assert "derive blog: no PDF: failed: blog.tex:12: Undefined control sequence." in capsys.readouterr().err
    monkeypatch.setattr(generate, "write_blog", lambda out, **kw: {**fake(out, **kw), "pdf": "skipped: no xelatex"})
    assert main(["blog", "--out", str(tmp_path), "--no-checks", "--pdf"]) == 2


def test_a_long_display_is_cut_into_rows_that_fit():
    assert estimate(LONG) > LINE
    body = fit(LONG)
    assert body.startswith("\\begin{aligned}") and body.count("\\\\") >= 1
    rows = [re.sub(r"^&(\\quad)?|&", "", r.strip()) for r in body.split("\n")[1:-1]]
    assert all(estimate(r.rstrip("\\ ")) <= LINE for r in rows)
    # the same formula: only layout (&, \\, \quad) and sized delimiters added
    flat = _squash(re.sub(r"\\begin\{aligned\}|\\end\{aligned\}|&|\\\\|\\quad", "", body))
    assert flat in (_squash(LONG), _squash(unpaired(LONG)))
    assert fit("a = b") == "a = b"  # what fits is left alone


def test_cuts_never_split_a_group_or_a_left_right_pair():
    for row in rows_of(LONG, 200):
        assert row.count("{") == row.count("}")
        assert len(re.findall(r"\\left(?![a-z])", row)) == len(re.findall(r"\\right(?![a-z])", row))
    wide = r"\frac{" + " + ".join(f"x_{{{i}}} y_{{{i}}} z_{{{i}}}" for i in range(40)) + "}{2}"
    assert opened(wide, 300).startswith(r"\frac{1}{2} \biggl( x_{0}")  # N/D as (1/D) N: the same number
    assert len(rows_of(wide, 300)) > 1


def test_tex_title_once_and_glyphs_the_fonts_lack():
    doc = Document("标题", [Heading(1, "标题"), Para("x ≡ y, a ∈ A"), Math(LONG)])
    tex = render(doc)
    assert tex.count("标题") == 1 and "\\maketitle" in tex
    assert "\\ensuremath{\\equiv}" in tex and "\\ensuremath{\\in}" in tex and "≡" not in escape("≡")
    assert "\\derivefit{\\begin{aligned}" in tex


@pytest.mark.slow
@needs_xelatex
def test_the_blog_compiles_without_overfull_boxes(tmp_path):
    res = generate.write_blog(tmp_path, seed=0, samples=200, checks=False, compile_pdf=False)
    tex = tmp_path / "blog.tex"
    pdf = compile_pdf(tex, keep_log=True)
    assert pdf.status == "compiled", pdf.error
    log = (tmp_path / "blog.log").read_text(encoding="utf-8", errors="replace")
    (tmp_path / "blog.log").unlink()
    assert [w for w in pdf.overfull if w > 10] == [], f"{len(pdf.overfull)} overfull boxes: {pdf.overfull}"
    assert pdf.missing == [], f"glyphs missing from the fonts: {pdf.missing}"
    shrunk = [(float(w), float(line)) for w, line in re.findall(r"derivefit: \d+: ([\d.]+)pt ?> ?([\d.]+)pt", log)]
    assert len(shrunk) == log.count("derivefit:")  # each shrunk display read
    assert all(w <= 1.25 * line for w, line in shrunk), f"displays shrunk by more than a quarter: {shrunk}"
    title = res["document"].title
    assert tex.read_text(encoding="utf-8").count(escape(title)) == 1
    assert (tmp_path / "blog.pdf").stat().st_size > 10000
    assert not [p.name for p in tmp_path.iterdir() if p.suffix in (".aux", ".log", ".out", ".toc", ".xdv")]
