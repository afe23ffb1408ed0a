"""Helpers shared by the reader tests: write a derivation file and judge it (exact only), read one formula."""
import textwrap

from derive.check_derivations.files import check_file
from derive.read_latex import parse_math


def md(text):
    """A test's indented Markdown, dedented."""
    return textwrap.dedent(text).lstrip("\n")


def check(tmp_path, text, name="f.md"):
    """The report record of derive check on text written to tmp_path/name (no SymPy confirmation)."""
    p = tmp_path / name
    p.write_text(md(text))
    return check_file(str(p), symbolic_budget=0)


def verdicts(rec):
    return [s["verdict"] for s in rec["steps"]]


def read(tex, **options):
    """(expression, notes) of one formula read with the given options."""
    notes = []
    return parse_math(tex, options={**options, "notes": notes}), notes


def pinned(path):
    """The golden record of a proofs/ or homework file (tests/fixtures/golden_verdicts.json), which
    tests/test_golden_verdicts.py recomputes live, step by step: a topic test asserts its files are pinned there
    as intended instead of judging them a second time."""
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    golden = json.loads((root / "tests" / "fixtures" / "golden_verdicts.json").read_text(encoding="utf-8"))
    rel = Path(path).resolve().relative_to(root).as_posix()
    assert rel in golden["derivations"], f"{rel} is not in the golden file (python tools/golden.py --write)"
    return golden["derivations"][rel]
