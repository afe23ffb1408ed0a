"""derive grade (issue 16, item 4): a class's submissions at once, a CSV and a standalone HTML report."""
from __future__ import annotations

import csv
import io
import shutil
import sys
from pathlib import Path

import pytest

from derive.cli import main
from derive.grade import common_mistakes
from derive.grade_report import to_csv, to_html

ROOT = Path(__file__).resolve().parent.parent
HOMEWORK = ROOT / "tests" / "homework"

ROWS = [
    {"file": "a.md", "steps": 3, "first_wrong_step": None, "mistake": None, "unknown": 0, "verdict": "holds"},
    {"file": "b,c.md", "steps": 4, "first_wrong_step": 2, "mistake": "mistake.v-max-q", "mistake_name": "V = max Q",
     "unknown": 1, "verdict": "fails", "line": 7},
    {"file": "<script>alert(1)</script>.md", "steps": "error", "first_wrong_step": None, "mistake": None,
     "unknown": None, "error": "<script>alert(1)</script>.md:1:1: the front matter is never closed",
     "verdict": "error"},
    {"file": "d.md", "steps": 2, "first_wrong_step": 1, "mistake": "mistake.v-max-q", "mistake_name": "V = max Q",
     "unknown": 0, "verdict": "fails", "line": 3},
    {"file": "e.md", "steps": 2, "first_wrong_step": 1, "mistake": "mistake.inverted-ratio",
     "mistake_name": "inverted", "unknown": 0, "verdict": "fails", "line": 3},
]


def test_csv_has_exactly_the_header_and_an_empty_first_wrong_step_when_all_hold():
    assert to_csv(ROWS) == ("file,steps,first_wrong_step,mistake,unknown\n"
                            "a.md,3,,,0\n"
                            "\"b,c.md\",4,2,mistake.v-max-q,1\n"
                            "<script>alert(1)</script>.md,error,,,\n"
                            "d.md,2,1,mistake.v-max-q,0\n"
                            "e.md,2,1,mistake.inverted-ratio,0\n")


def test_csv_cells_never_run_as_spreadsheet_formulas():
    rows = [{"file": "=HYPERLINK(\"http://x\").md", "steps": 1, "first_wrong_step": None, "unknown": 0},
            {"file": "-1.md", "steps": 1, "first_wrong_step": None, "unknown": 0}]
    assert to_csv(rows).splitlines()[1:] == ["\"'=HYPERLINK(\"\"http://x\"\").md\",1,,,0", "'-1.md,1,,,0"]


def test_most_common_mistakes_first():
    assert common_mistakes(ROWS) == [("mistake.v-max-q", "V = max Q", 2), ("mistake.inverted-ratio", "inverted", 1)]


def test_html_report_is_standalone_and_escapes_every_user_string():
    html = to_html(ROWS, "class<1>/")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;.md" in html
    assert "class&lt;1&gt;/" in html and "src=" not in html and "http:" not in html and "https:" not in html
    assert html.index("mistake.v-max-q") < html.index("mistake.inverted-ratio")  # the common table, by count
    assert "<td>2</td><td>mistake.v-max-q</td>" in html


def test_bad_folders_exit_2(tmp_path, capsys):
    assert main(["grade", str(tmp_path / "missing"), "--out", str(tmp_path / "r.html")]) == 2
    assert "missing:1:1: not a folder" in capsys.readouterr().err
    assert main(["grade", str(tmp_path), "--out", str(tmp_path / "r.html")]) == 2
    assert "no .md files found" in capsys.readouterr().err
    assert main(["grade", str(tmp_path), "--impl", "--out", str(tmp_path / "r.html")]) == 2
    assert "--impl needs --kind" in capsys.readouterr().err


def _class(folder: Path) -> dict:
    """Six submissions with known first wrong steps (the generator's insertion, bench/grade_class.py)."""
    sys.path.insert(0, str(ROOT))
    from bench.grade_class import _front, _with_wrong_step

    folder.mkdir()
    for name in ("correct/bellman.md", "correct/td_error.md", "mistakes/v_max_q.md", "mistakes/inverted_ratio.md",
                 "mistakes/drops_gamma_t.md"):
        shutil.copy(HOMEWORK / name, folder / Path(name).name)
    front, body, _ = _front((HOMEWORK / "correct" / "td_error.md").read_text(encoding="utf-8"))

    class First:  # the first display: td_error.md has one display of 3 steps, so the wrong step is step 4
        def randrange(self, n):
            return 0

    body, step = _with_wrong_step(body, front, First())
    assert step == 4
    (folder / "td_error_wrong.md").write_text(body, encoding="utf-8")


@pytest.mark.slow
def test_grade_a_small_class(tmp_path, capsys):
    _class(tmp_path / "class")
    out, grades = tmp_path / "report.html", tmp_path / "grades.csv"
    assert main(["grade", str(tmp_path / "class"), "--out", str(out), "--csv", str(grades), "--jobs", "2"]) == 0
    assert grades.read_text(encoding="utf-8") == (
        "file,steps,first_wrong_step,mistake,unknown\n"
        "bellman.md,3,,,0\n"
        "drops_gamma_t.md,3,3,mistake.pg-drops-gamma-t,0\n"
        "inverted_ratio.md,2,2,mistake.inverted-ratio,0\n"
        "td_error.md,3,,,0\n"
        "td_error_wrong.md,4,4,,0\n"
        "v_max_q.md,2,2,mistake.v-max-q,0\n")
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "mistake.v-max-q" in html
    said = capsys.readouterr().out
    assert "submissions: 6, every step holds: 2, a step fails: 4, unreadable: 0" in said


@pytest.mark.slow
def test_grade_implementations_in_the_sandbox(tmp_path, capsys):
    folder = tmp_path / "impl"
    folder.mkdir()
    shutil.copy(ROOT / "tests" / "impl_examples" / "gae_loop.py", folder / "alice.py")
    shutil.copy(ROOT / "tests" / "impl_examples" / "bugs" / "gae_lambda_instead.py", folder / "bob.py")
    grades = tmp_path / "grades.csv"
    assert main(["grade", str(folder), "--impl", "--kind", "gae", "--out", str(tmp_path / "r.html"),
                 "--csv", str(grades), "--jobs", "2"]) == 0
    rows = list(csv.DictReader(io.StringIO(grades.read_text(encoding="utf-8"))))
    assert [(r["file"], r["verdict"], r["bug"]) for r in rows] == [
        ("alice.py", "holds", ""), ("bob.py", "fails", "lambda-instead-of-gamma-lambda")]
