"""Issue 13, the LLM-era catalog (first half): the topics kl-penalty, whitening, ppo-practice, truncation,
entropy.

Each topic has at least 3 identities and 1 named mistake that corrects one of them; by the exact
method every identity holds and every mistake is refuted with a counterexample; each topic has a
proof file in proofs/ and a wrong derivation in proofs/mistakes/ that fails at its wrong step.
Exact only (the catalog-wide Monte Carlo and symbolic checks are in tests/test_catalog.py).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from derive.catalog import catalog
from derive.catalog.references import reference_keys
from derive.check_derivations.judge import judge_exact
from derive.check_statements.exact import check_exact
from derive.read_markdown import load_derivation

CAT = catalog()
PROOFS = Path(__file__).resolve().parent.parent / "proofs"
TOPICS = {  # topic -> (section, proof file, wrong derivation)
    "kl-penalty": ("2.20", "2.20-kl-penalty.md", "kl-penalty-k1-as-loss.md"),
    "whitening": ("2.21", "2.21-whitening.md", "whitening-batch-mean-unbiased.md"),
    "ppo-practice": ("2.22", "2.22-ppo-practice.md", "ppo-log-surrogate-after-step.md"),
    "truncation": ("2.23", "2.23-truncation.md", "truncation-as-termination.md"),
    "entropy": ("2.24", "2.24-entropy.md", "entropy-sampled-log-prob-as-loss.md"),
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
    keys = set(reference_keys().values())
    for e in entries:
        assert e.section == section and e.references, e.id
        assert e.kind == "mistake" or e.conditions, e.id  # an identity states when it holds
        for ref in e.references:  # every reference is a constant of the one table (plus a place in it)
            assert any(ref == k or ref.startswith(k + ", ") for k in keys), (e.id, ref)
    for m in mistakes:
        assert m.mistake and m.corrects in {e.id for e in identities}, m.id
    assert (PROOFS / proof).is_file() and (PROOFS / "mistakes" / wrong).is_file()
    proved = set(load_derivation(PROOFS / proof).front.get("proves", []))
    assert proved and proved <= {e.id for e in identities}, proved


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


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_wrong_derivation_fails_at_its_wrong_step(topic):
    """The step marked WRONG fails with a counterexample (that the others hold is checked by
    `derive check proofs/`, tests/test_proofs.py's slow test)."""
    d = load_derivation(PROOFS / "mistakes" / TOPICS[topic][2])
    setting, wrong = d.front.get("setting", "finite"), int(d.front["step"])
    step = next(s for s in d.steps if s.number == wrong)
    assert step.error is None and "WRONG" in (step.justification or ""), step
    rec = judge_exact(step, setting, explain=False)  # no shrinking, no mistake naming: fast
    assert rec["verdict"] == "fails" and rec["counterexample"], rec["reason"]
