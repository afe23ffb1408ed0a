"""The Python API (issue 16, item 1; docs/api.md): check, equal, verify, catalog, parse, DeriveError."""
from __future__ import annotations

import doctest
import json
import subprocess
import sys
from pathlib import Path

import pytest

import derive
from derive.api_report import Report, StepResult
from derive.cli import main

ROOT = Path(__file__).resolve().parent.parent
HOMEWORK = ROOT / "tests" / "homework"


def test_import_derive_stays_cheap():
    code = "import derive, sys; print(sorted(m for m in ('sympy', 'lark', 'numpy', 'derive.api') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_api_names_are_exported():
    for name in ("check", "equal", "verify", "catalog", "parse", "DeriveError", "Report"):
        assert name in dir(derive)
        assert getattr(derive, name) is not None
    with pytest.raises(AttributeError):
        derive.no_such_name  # noqa: B018


def test_catalog_is_callable_even_after_the_subpackage_import():
    import derive.catalog  # noqa: F401  (makes derive.catalog the subpackage)

    cat = derive.catalog()
    assert len(cat) > 50
    entry = cat["return.discounted-peel"]
    assert entry is cat.get("return.discounted-peel")
    assert "R(\\tau)" in entry._repr_latex_() and entry._repr_html_().startswith("<div")


@pytest.mark.parametrize("text, line, col, words", [
    ("---\nsetting: continuous\n---\n$$ a = a $$\n", 2, 1, "must be one of finite, discounted, episodic"),
    ("---\ntitle: x\n\n$$ a = a $$\n", 1, 1, "never closed"),
    ("---\nfoo: 1\n---\n$$ a = a $$\n", 2, 1, "unknown front matter key 'foo'"),
])
def test_bad_text_raises_derive_error_with_position(text, line, col, words):
    with pytest.raises(derive.DeriveError) as info:
        derive.check(text)
    err = info.value
    assert (err.line, err.column, err.path) == (line, col, "<input>")
    assert words in err.message and str(err).startswith(f"<input>:{line}:{col}: ")


def test_missing_file_and_bad_options_raise_derive_error(tmp_path):
    with pytest.raises(derive.DeriveError, match="no such file") as info:
        derive.check(str(tmp_path / "nope.md"))
    assert info.value.path.endswith("nope.md")
    with pytest.raises(derive.DeriveError, match="option gamma"):
        derive.check("$$ a = a $$", gamma="2")
    with pytest.raises(derive.DeriveError, match="option gamma: the episodic setting"):
        derive.check("$$ a = a $$", setting="episodic", gamma="1/2")
    with pytest.raises(derive.DeriveError, match="unknown option 'gama'"):
        derive.check("$$ a = a $$", gama="0.9")
    with pytest.raises(derive.DeriveError, match="option seed"):
        derive.check("$$ a = a $$", seed=-1)
    with pytest.raises(derive.DeriveError, match="Markdown text or a path"):
        derive.check(42)


def test_a_path_is_read_as_a_file_and_text_as_text(tmp_path):
    from derive.api_options import text_or_path

    f = tmp_path / "a.md"
    f.write_text("$$ a = a $$\n")
    assert text_or_path(str(f)) == (None, str(f)) and text_or_path(f) == (None, str(f))
    assert text_or_path("$$ a = a $$") == ("$$ a = a $$", "<input>")
    assert text_or_path("missing.md") == (None, "missing.md")


def test_parse_reads_expressions_and_one_equation():
    expr = derive.parse(r"\mathbb{E}[G_t]")
    assert expr.latex == r"\mathbb{E}_{\tau \sim \pi_{\theta}}\left[G_{t}\right]" and expr.notes
    eq = derive.parse(r"V^\pi(s) \geq Q^\pi(s,a)")
    assert eq.relation == ">=" and eq.lhs.latex == r"V^{\pi_{\theta}}(s)"
    assert eq._repr_latex_().startswith("$$V^{\\pi_{\\theta}}(s) \\geq")
    with pytest.raises(derive.DeriveError, match="not a chain of relations") as info:
        derive.parse("a = b = c")
    assert (info.value.line, info.value.column) == (1, 7)
    with pytest.raises(derive.DeriveError) as info:
        derive.parse("a\n + \\frac{1}{")
    assert info.value.line == 2


def test_equal_refuses_what_is_not_one_equation():
    with pytest.raises(derive.DeriveError, match="without \\$"):
        derive.equal("$a$", "a")
    with pytest.raises(derive.DeriveError, match="2 relations"):
        derive.equal("a = b", "b")
    with pytest.raises(derive.DeriveError) as info:
        derive.equal(r"\frac{1}{", "a")
    assert (info.value.line, info.value.column) == (1, 11)  # the '=' of "LHS = RHS", not of derive's own text


def _record(verdict="fails", lhs="a<b>&", mistake="<script>alert(1)</script>"):
    step = {"step": 1, "line": 3, "col": 4, "relation": "=", "verdict": verdict, "lhs": lhs, "rhs": "b",
            "read_as": "a = b [\\sum_t: over t = 0..T-1]", "reason": "on 1 state: lhs = 1, rhs = 2",
            "counterexample": {"mdp": {}}, "mistake": mistake, "mistake_id": "mistake.x", "justification": "",
            "hints": ["<b>hint</b>"]}
    return {"file": "<i>f</i>.md", "title": "", "setting": "finite", "expect": "holds", "expected_step": None,
            "verdict": verdict, "ok": False, "note": "step 1 fails", "conventions": ["c & d"], "definitions": [],
            "steps": [step]}


def test_report_renders_itself_with_every_user_string_escaped():
    report = Report(_record())
    html = report._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;i&gt;f&lt;/i&gt;.md" in html
    assert "&lt;b&gt;hint&lt;/b&gt;" in html and "c &amp; d" in html
    assert "\\(a = b\\)" in html and "read as:</b> \\sum_t: over t = 0..T-1" in html
    md = report._repr_markdown_()
    assert "$$ a = b $$" in md and "FAILS" in md and "<script>" not in md and "mistake: &lt;script&gt;" in md
    assert report._repr_latex_() == "$$\\begin{aligned}\\text{step 1: fails} && a<b>& = b\\end{aligned}$$"
    assert report.first_wrong_step == 1 and not report.ok and len(report) == 1
    assert isinstance(report.steps[0], StepResult) and report.steps[0].column == 4
    assert json.loads(report.to_json()) == {"ok": False, "results": [_record()]}


def test_py_typed_is_shipped():
    assert (ROOT / "derive" / "py.typed").is_file()
    assert '"derive" = ["py.typed"]' in (ROOT / "pyproject.toml").read_text()


@pytest.mark.slow
@pytest.mark.parametrize("path", [HOMEWORK / "correct" / "bellman.md", HOMEWORK / "mistakes" / "v_max_q.md"])
def test_report_data_is_the_cli_json(path, capsys):
    main(["check", str(path), "--json"])
    cli = json.loads(capsys.readouterr().out)["results"][0]
    assert derive.check(str(path)).data == cli
    text = derive.check(path.read_text(encoding="utf-8"))  # the same file given as text
    assert {**text.data, "file": str(path)} == cli


@pytest.mark.slow
def test_options_replace_the_front_matter():
    bellman = (HOMEWORK / "mistakes" / "bellman_missing_gamma.md").read_text(encoding="utf-8")
    report = derive.check(bellman)
    assert report.ok and report.first_wrong_step == 2  # expect: fails, step: 2
    assert derive.check(bellman, setting="finite").data["setting"] == "finite"


@pytest.mark.slow
def test_equal_judges_one_step():
    good = derive.equal(r"V^\pi(s)", r"\sum_a \pi(a|s) Q^\pi(s,a)", setting="discounted")
    assert good.ok and (good.line, good.column) == (1, 10)
    bad = derive.equal(r"V^\pi(s)", r"\max_a Q^\pi(s,a)", setting="discounted")
    assert bad.verdict == "fails" and bad.counterexample and bad.mistake_id == "mistake.v-max-q"


@pytest.mark.slow
def test_docs_api_examples():
    result = doctest.testfile(str(ROOT / "docs" / "api.md"), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 20 and result.failed == 0


def test_options_reach_the_reader_as_written_front_matter():
    from derive.api import _read
    from derive.api_options import split_options

    text = r"$$ V^\pi(s) = \sum_{s'} P(s'|s,a) [R(s,a,s') + V^\pi(s')] $$"
    assert any("inferred: episodic" in c for c in _read(text, "<input>", {}).conventions)  # no gamma written
    front, _ = split_options({"setting": "discounted", "assume": "r > 0"})
    d = _read(text, "<input>", front)
    assert d.front["setting"] == "discounted" and not any("inferred" in c for c in d.conventions)
    assert d.steps[0].assumptions[0][0] == "r > 0"
