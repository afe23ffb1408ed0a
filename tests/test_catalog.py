"""The catalog: every identity holds, every mistake is refuted, and each method can fail."""
from __future__ import annotations

import re

import pytest
from sympy import Integer, latex

from derive.catalog import catalog
from derive.catalog.entry import Entry
from derive.lang.symbols import gamma
from derive.verify.exact import check_exact
from derive.verify.montecarlo import check_montecarlo
from derive.verify.runner import check_entry
from derive.verify.symbolic import check_symbolic

CAT = catalog()
IDENTITIES = [e for e in CAT if e.kind == "identity"]
MISTAKES = [e for e in CAT if e.kind == "mistake"]
BLOG_SECTIONS = {"2.2.2", "2.2.3", "2.3", "2.4", "2.5.1", "2.5.2", "2.6", "2.6.1", "2.6.2", "2.6.3", "2.6.4",
                 "2.6.5", "2.6.6", "2.7.1", "2.7.2", "2.7.3", "2.8.2", "2.8.3", "2.8.4"}


def exact(e: Entry):
    return check_exact(e.lhs, e.rhs, e.setting, e.relation, ranges=e.ranges, full_support=e.full_support)


def test_catalog_size_and_fields():
    assert len(IDENTITIES) >= 35
    assert len(MISTAKES) >= 20
    topics = {e.topic for e in CAT}
    for topic in ("trpo", "ppo", "kl", "grpo", "gpg", "token-mdp"):
        assert topic in topics
        assert sum(e.topic == topic and e.kind == "identity" for e in CAT) >= 3, topic
        assert sum(e.topic == topic and e.kind == "mistake" for e in CAT) >= 1, topic
    for e in CAT:
        assert re.fullmatch(r"[a-z0-9.\-]+", e.id), e.id
        assert e.title and e.topic and e.section and e.references, e.id
        assert e.latex and "\\" in e.latex or "=" in e.latex
        if e.kind == "mistake":
            assert e.corrects in CAT.entries, (e.id, e.corrects)
            assert CAT.get(e.corrects).kind == "identity"


def test_catalog_covers_the_blog_sections():
    assert BLOG_SECTIONS <= {e.section for e in IDENTITIES}


@pytest.mark.parametrize("entry", IDENTITIES, ids=lambda e: e.id)
def test_identity_holds_exactly(entry):
    result = exact(entry)
    assert result.status == "holds", result.text()
    from derive.mdp import instances

    total = len(instances(entry.setting))
    assert result.data["instances"] >= 0.75 * total  # most random MDPs give a defined instantiation


@pytest.mark.parametrize("entry", MISTAKES, ids=lambda e: e.id)
def test_mistake_is_refuted_with_a_counterexample(entry):
    result = exact(entry)
    assert result.status == "fails", result.text()
    ce = result.data["counterexample"]
    assert ce["lhs"] != ce["rhs"]
    assert {"states", "actions", "P[s][a][s']", "R[s][a][s']", "rho0"} <= set(ce["mdp"])


@pytest.mark.parametrize("entry", [e for e in IDENTITIES], ids=lambda e: e.id)
def test_identity_holds_by_monte_carlo_where_sampled(entry):
    result = check_montecarlo(entry.lhs, entry.rhs, entry.setting, entry.relation, ranges=entry.ranges,
                              stream=entry.id, samples=20_000)
    assert result.status in ("holds", "n/a"), result.text()


def test_monte_carlo_covers_the_sampling_estimators():
    sampled = [e.id for e in IDENTITIES if check_montecarlo(e.lhs, e.rhs, e.setting, e.relation, ranges=e.ranges,
                                                            stream=e.id, samples=2000).status != "n/a"]
    for required in ("pg.reinforce", "pg.psi-reward-to-go", "pg.psi-baseline", "pg.psi-q", "pg.psi-advantage",
                     "pg.psi-td-error", "gae.policy-gradient", "is.identity", "is.trajectory-expectation",
                     "ppo.clip-gradient-at-old", "values.td-error-expectation"):
        assert required in sampled


def test_monte_carlo_rejects_wrong_variants():
    refuted = []
    for e in MISTAKES:
        r = check_montecarlo(e.lhs, e.rhs, e.setting, e.relation, ranges=e.ranges, stream=e.id)
        if r.status == "fails":
            refuted.append(e.id)
    assert len(refuted) >= 8, refuted
    assert "mistake.pg-drops-gamma-t" in refuted


SYMBOLIC_FAST = ["pg.reinforce", "pg.psi-td-error", "values.bellman-v", "gae.recursion", "gae.lambda-return",
                 "is.trajectory-ratio", "trpo.pdl-trajectory"]
SYMBOLIC_MISTAKES = ["mistake.pg-drops-gamma-t", "mistake.bellman-missing-gamma", "mistake.gae-lambda-for-gamma-lambda"]


@pytest.mark.parametrize("entry_id", SYMBOLIC_FAST)
def test_symbolic_proves_identities(entry_id):
    e = CAT.get(entry_id)
    r = check_symbolic(e.lhs, e.rhs, e.setting, e.relation, ranges=e.ranges)
    assert r.status == "holds", r.text()


@pytest.mark.parametrize("entry_id", SYMBOLIC_MISTAKES)
def test_symbolic_refutes_mistakes(entry_id):
    e = CAT.get(entry_id)
    r = check_symbolic(e.lhs, e.rhs, e.setting, e.relation, ranges=e.ranges)
    assert r.status == "fails", r.text()


def test_symbolic_is_honest_about_piecewise():
    e = CAT.get("ppo.clip-positive-advantage")
    r = check_symbolic(e.lhs, e.rhs, e.setting, e.relation)
    assert r.status == "not attempted"


def test_symbolic_timeout_is_not_a_verdict():
    e = CAT.get("trpo.surrogate-matches-gradient")
    r = check_symbolic(e.lhs, e.rhs, e.setting, e.relation, budget=0.05)
    assert r.status == "timed out"
    record_methods = {"exact": exact(e), "symbolic": r}
    from derive.verify.result import combine

    assert combine(record_methods) == "holds"  # a timeout neither proves nor refutes


def corrupt(e: Entry) -> Entry:
    """The same statement with gamma replaced by gamma^2 on the right-hand side."""
    from dataclasses import replace

    return replace(e, id=e.id + ".corrupted", rhs=e.rhs.xreplace({gamma: gamma**2}))


@pytest.mark.parametrize("entry_id", ["pg.psi-reward-to-go", "values.bellman-v", "gae.recursion"])
def test_corrupted_identity_is_refuted_by_every_method(entry_id):
    bad = corrupt(CAT.get(entry_id))
    record = check_entry(bad, methods=("exact", "symbolic", "montecarlo"))
    assert record["verdict"] == "fails"
    assert record["methods"]["exact"].startswith("fails")
    assert record["methods"]["symbolic"].startswith("fails")
    if entry_id != "gae.recursion":  # no expectation there
        assert record["methods"]["montecarlo"].startswith("fails")


def test_corrupted_constant_is_refuted():
    e = CAT.get("trajectory.normalised")
    from dataclasses import replace

    r = exact(replace(e, rhs=Integer(2)))
    assert r.status == "fails"


def test_latex_is_textbook():
    text = CAT.get("pg.psi-reward-to-go").latex
    assert r"\nabla_{\theta}" in text and r"\mathbb{E}_{\tau \sim \pi_{\theta}}" in text and "G_{t}" in text
    assert latex(CAT.get("values.bellman-v").rhs).count(r"\sim") == 2
