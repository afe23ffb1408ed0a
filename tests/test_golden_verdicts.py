"""The verdicts are unchanged (issue 14): the catalog, proofs/ and tests/homework/ against a stored golden file.

tests/fixtures/golden_verdicts.json holds, for the whole catalog, each entry's combined verdict, its exact
and Monte Carlo verdict texts and its counterexample, and, for every file under proofs/ and
tests/homework/, its verdict and each step's verdict, reason, counterexample, named mistake and hints
(exact evaluation; tools/golden.py says what is left out and why).  A speed-up must leave all of it
byte-for-byte the same.  A change made on purpose (a new entry, a better message) is recorded with

    python tools/golden.py --write

and the reason goes in the commit message.  The symbolic verdicts are compared by hand with
``python tools/golden.py --check --symbolic`` (their timeouts depend on the machine's load).
"""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("_golden_tool", ROOT / "tools" / "golden.py")
golden_tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(golden_tool)

GOLDEN = json.loads(golden_tool.GOLDEN.read_text(encoding="utf-8"))
REGENERATE = "\nOn purpose? Regenerate with `python tools/golden.py --write` and give the reason in the commit message."


def test_the_golden_file_covers_what_it_says():
    assert len(GOLDEN["catalog"]) >= 160
    assert {r["kind"] for r in GOLDEN["catalog"].values()} == {"identity", "mistake"}
    files = set(GOLDEN["derivations"])
    assert any(f.startswith("proofs/mistakes/") for f in files) and any(f.startswith("tests/homework/mistakes/") for f in files)
    assert sum(f.startswith("proofs/") for f in files) >= 30 and sum(f.startswith("tests/homework/") for f in files) >= 15


def test_differences_are_reported_field_by_field():
    # the comparison itself can fail: a changed verdict, a missing and a new entry are each named
    old = {"a": {"verdict": "holds", "exact": "holds: 22"}, "b": {"verdict": "fails"}}
    new = {"a": {"verdict": "fails", "exact": "holds: 22"}, "c": {"verdict": "holds"}}
    lines = golden_tool.differences(old, new)
    assert lines == ['a: verdict: "holds" -> "fails"', "b: in the golden file, not produced now",
                     "c: new (not in the golden file)"]
    assert golden_tool.differences(old, old) == []


@pytest.mark.slow
def test_catalog_verdicts_are_the_golden_ones():
    now = golden_tool.catalog_verdicts()
    diff = golden_tool.differences(GOLDEN["catalog"], now)
    assert not diff, "\n".join(diff) + REGENERATE
    assert all(r["verdict"] == ("holds" if r["kind"] == "identity" else "fails") for r in now.values())
    # an identity holds on most of the random MDPs (a defined instantiation), not on a few; a mistake's exact
    # counterexample is a whole MDP where the two sides differ (formerly per-entry tests in test_catalog.py)
    from derive.catalog import catalog
    from derive.mdp import instances

    for entry_id, r in now.items():
        entry = catalog().get(entry_id)
        if r["kind"] == "identity":
            used = int(re.match(r"holds: (\d+) random MDPs", r["exact"]).group(1))
            assert used >= 0.75 * len(instances(entry.setting)), (entry_id, r["exact"])
        else:
            ce = r["counterexample"]
            assert ce["lhs"] != ce["rhs"], entry_id
            assert {"states", "actions", "P[s][a][s']", "R[s][a][s']", "rho0"} <= set(ce["mdp"]), entry_id


@pytest.mark.slow
def test_derivation_verdicts_are_the_golden_ones():
    # also every proof and homework file is OK: this replaces tests/test_proofs.py's former test_all_proofs_pass
    now = golden_tool.derivation_verdicts()
    diff = golden_tool.differences(GOLDEN["derivations"], now)
    assert not diff, "\n".join(diff) + REGENERATE
    assert all(r["ok"] for r in now.values()), [f for f, r in now.items() if not r["ok"]]
