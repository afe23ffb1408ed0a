"""Proofs linked to catalog entries by id: front matter ``proves: [...]`` (issue 17, item 3)."""
from __future__ import annotations

import pytest

from derive.catalog import catalog
from derive.cli import main
from derive.read_markdown import load_derivation
from derive.writeup.badges import Unchecked
from derive.writeup.doc import Chain, Para
from derive.writeup.proof_links import PROOFS, proof_for, proofs_by_id, states_entry
from derive.writeup.writeup import entry_section

BODY = "\n$$\n\\gamma = \\gamma\n$$\n"


def _check(tmp_path, capsys, front: str):
    f = tmp_path / "p.md"
    f.write_text(f"---\ntitle: t\n{front}\n---\n{BODY}", encoding="utf-8")
    code = main(["check", str(f), "--symbolic-budget", "0"])
    out = capsys.readouterr()
    return f, code, out.out + out.err


def test_an_unknown_id_is_an_input_error_at_its_line_and_column(tmp_path, capsys):
    f, code, text = _check(tmp_path, capsys, "proves: [pg.reinforce, pg.reinforc]")
    assert code == 2 and "Traceback" not in text
    assert f"{f}:3:24: front matter proves: no catalog entry 'pg.reinforc' (nearest: pg.reinforce" in text


def test_an_unknown_id_in_a_block_list_is_placed_on_its_own_line(tmp_path, capsys):
    f, code, text = _check(tmp_path, capsys, "proves:\n  - pg.reinforce\n  - no.such-entry")
    assert code == 2 and f"{f}:5:5: front matter proves: no catalog entry 'no.such-entry'" in text


@pytest.mark.parametrize("value", ["{a: 1}", "[]", "[1.5]"])
def test_proves_must_be_a_list_of_ids(tmp_path, capsys, value):
    f, code, text = _check(tmp_path, capsys, f"proves: {value}")
    assert code == 2 and f"{f}:3:" in text and "proves" in text and "Traceback" not in text


def test_known_ids_are_accepted(tmp_path, capsys):
    _, code, text = _check(tmp_path, capsys, "proves: pg.reinforce")
    assert code == 0, text


def test_each_named_id_finds_its_proof():
    links = proofs_by_id()
    assert len(links) >= 60  # the proofs/ folder names most identities of the blog
    for entry_id, names in links.items():
        assert entry_id in catalog().entries
        entry = catalog().get(entry_id)
        assert proof_for(entry) in names
        own = [n for n in names if n.startswith(entry.section + "-") or n.startswith(entry.section + ".")]
        if own:
            assert proof_for(entry) == own[0]  # the entry's own blog section first
    assert proof_for(catalog().get("pg.reinforce")) == "2.5.2-sample-estimate.md"
    assert proof_for(catalog().get("values.bellman-q")) == "2.6.5-bellman.md"


def test_a_mistake_is_not_proved_by_a_file_that_shows_it_wrong():
    """2.8.1's first chain starts at E[delta^V_t] and its second ends at A: the old srepr search
    (first lhs of the file, last rhs) linked the mistake td-error-any-v to it."""
    assert proof_for(catalog().get("mistake.td-error-any-v")) is None
    assert proof_for(catalog().get("values.td-error-expectation")) == "2.6.6-advantage-td-error.md"


def test_the_writeup_of_an_id_shows_the_proof_that_names_it():
    blocks = entry_section("values.q-from-v", Unchecked())
    assert [b.source for b in blocks if isinstance(b, Chain)] == ["proofs/2.6.5-bellman.md"]
    blocks = entry_section("mistake.td-error-any-v", Unchecked())
    assert not any(isinstance(b, Chain) and "2.8.1" in b.source for b in blocks)
    assert any(isinstance(b, Para) and "names this id" in b.text for b in blocks)


@pytest.mark.slow
def test_every_named_proof_contains_its_entry():
    """A link by id is a claim: the file's steps (or one chain of them, its relations composed: =, >=, <=)
    state the entry, either way round (proof_links.states_entry)."""
    wrong = []
    by_file: dict = {}
    for entry_id, names in proofs_by_id().items():
        for name in names:
            by_file.setdefault(name, []).append(entry_id)
    for name, ids in sorted(by_file.items()):
        d = load_derivation(str(PROOFS / name))
        for entry_id in ids:
            if not states_entry(d, catalog().get(entry_id)):
                wrong.append((name, entry_id))
    assert not wrong, wrong
