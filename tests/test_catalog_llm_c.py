"""Issue 13, the LLM-era catalog: the topics llm-objectives (the GRPO family's losses as the papers write them) and
dpo (the KL-regularised optimum, the implicit reward, Z(x) cancelling in Bradley-Terry; on the token family).

The topic has at least 3 identities and 1 named mistake that corrects one of them; by the exact method every
identity holds (on many random MDPs) and every mistake is refuted with a counterexample; the topic has a proof
file in proofs/ that holds step by step and a wrong derivation in proofs/mistakes/ that fails at its wrong step.
Exact only (the catalog-wide Monte Carlo and symbolic checks are in tests/test_catalog.py).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from derive.catalog import catalog
from derive.check_statements.exact import check_exact

CAT = catalog()
PROOFS = Path(__file__).resolve().parent.parent / "proofs"
TOPICS = {  # topic -> (section, proof file, wrong derivation)
    "llm-objectives": ("2.30", "2.30-llm-objectives.md", "llm-objectives-sequence-mean-tokens-equal.md"),
    "dpo": ("2.31", "2.31-dpo.md", "dpo-implicit-reward-without-partition.md"),
}
ENTRIES = [e for e in CAT if e.topic in TOPICS]


def _exact(e):
    return check_exact(e.lhs, e.rhs, e.setting, e.relation, ranges=e.ranges, full_support=e.full_support)


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_topic_has_identities_a_mistake_and_proofs(topic):
    section, proof, wrong = TOPICS[topic]
    entries = [e for e in ENTRIES if e.topic == topic]
    identities = [e for e in entries if e.kind == "identity"]
    mistakes = [e for e in entries if e.kind == "mistake"]
    assert len(identities) >= 3 and len(mistakes) >= 1, topic
    for e in entries:
        assert e.section == section and e.references, e.id
        assert e.conditions or e.kind == "mistake", e.id
    for m in mistakes:
        assert m.mistake and m.corrects in {e.id for e in identities}, m.id
    assert (PROOFS / proof).is_file() and (PROOFS / "mistakes" / wrong).is_file()
    assert "expect: fails" in (PROOFS / "mistakes" / wrong).read_text(encoding="utf-8")


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_exact_verdict(entry):
    result = _exact(entry)
    if entry.kind == "identity":
        assert result.status == "holds", result.text()
        assert result.data["instances"] >= 10, result.text()  # checked on many random MDPs, not skipped
    else:
        assert result.status == "fails", result.text()
        ce = result.data["counterexample"]
        assert ce["lhs"] != ce["rhs"]


def test_length_normalised_gradient_needs_its_second_term():
    """Dropping the -J grad E[1/|o|] term of llm-objectives.length-normalised-gradient is refuted: the term is
    what a length that varies with the completion adds (the identity is not vacuous)."""
    e = CAT.get("llm-objectives.length-normalised-gradient")
    kept = [t for t in e.rhs.args if not t.could_extract_minus_sign()]
    assert len(e.rhs.args) == 2 and len(kept) == 1, e.rhs
    result = check_exact(e.lhs, kept[0], e.setting, e.relation, ranges=e.ranges, full_support=e.full_support)
    assert result.status == "fails", result.text()


def test_wrong_derivations_fail_at_their_step():
    """The wrong derivations of llm-objectives and dpo fail at step 2, and only there (judged live by
    tests/test_golden_verdicts.py; here: pinned so in the golden file)."""
    from derivation_helpers import pinned

    for v in TOPICS.values():
        rec = pinned(PROOFS / "mistakes" / v[2])
        assert rec["ok"] and rec["note"].startswith("fails as expected at step 2"), (v[2], rec["note"])
        assert [s["verdict"] for s in rec["steps"]][:2] == ["holds", "fails"], v[2]


def test_proofs_hold_step_by_step():
    """proofs/2.30-llm-objectives.md and proofs/2.31-dpo.md hold at every step (judged live by
    tests/test_golden_verdicts.py; here: pinned so in the golden file)."""
    from derivation_helpers import pinned

    for v in TOPICS.values():
        rec = pinned(PROOFS / v[1])
        assert rec["ok"] and all(s["verdict"] == "holds" for s in rec["steps"]), v[1]
