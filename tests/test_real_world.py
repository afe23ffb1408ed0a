"""The corpus of real, published derivations (tests/real_world/): read rate and no contradiction.

Every corpus file is a derivation transcribed exactly as its author wrote it, with the author's
verdict for each step (tests/real_world/README.md).  The slow tests run derive over the whole
corpus once (half of the files here, half in test_real_world_half2.py, split by estimated cost), in this process (bench/real_world.py, each step in derive's forked worker), and asserts

* no contradiction: no step derive decides (holds / FAILS) gets a verdict other than the author's,
  except the known ones listed in tests/real_world/config.json, each a bug to fix; a listed one
  that no longer contradicts gives a warning (remove it from the list);
* the share of the author's steps derive reads is at least the floor in config.json (the lead
  raises it as the readers improve).

The per-file time limit here is config.json's ``timeout_per_file`` (6 s, below derive's default of
120 s, to keep the test command short): a step past it is "unknown" and still counts as read (derive
printed its reading), and an unknown step never contradicts the author.

The fast tests check the corpus itself (expected blocks, sources, languages) and that the
measurement can fail: a file whose author verdict derive contradicts is reported as such.
"""
from __future__ import annotations

import importlib.util
import re
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "real_world"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_real_world", ROOT / "bench" / "real_world.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


rw = _bench()


# ---- the corpus itself (fast) ----

def test_corpus_size_sources_and_languages():
    files = rw.corpus_files(CORPUS)
    sources = {p.parent.name for p in files}
    assert len(files) >= 45, len(files)
    assert len(sources) >= 12, sorted(sources)
    chinese = [p for p in files if re.search(r"[\u4e00-\u9fff]", p.read_text(encoding="utf-8"))]
    assert len(chinese) >= 5, "the corpus must hold derivations written in Chinese"


@pytest.mark.parametrize("path", rw.corpus_files(CORPUS), ids=lambda p: p.relative_to(CORPUS).as_posix())
def test_every_file_names_its_source_and_the_authors_verdicts(path):
    text = path.read_text(encoding="utf-8")
    assert re.search(r"<!--\s*source:", text), "each file records its source in a <!-- source: ... --> comment"
    assert re.search(r"read 20\d\d-\d\d-\d\d", text), "and the date it was read"
    verdicts = rw.expected_verdicts(text, str(path))
    assert verdicts and all(v in rw.VERDICTS for v, _ in verdicts)
    assert all(note for v, note in verdicts if v == "fails"), "a fails step says what the error in the source is"


def test_expected_block_is_strict():
    ok = "<!-- expected:\n1: holds\n2: fails (typo: x)\n3: n/a (limit)\n-->"
    assert rw.expected_verdicts(ok) == [("holds", ""), ("fails", "(typo: x)"), ("n/a", "(limit)")]
    for bad in ("no block", "<!-- expected:\n1: holds\n3: holds\n-->", "<!-- expected:\n1: maybe\n-->"):
        with pytest.raises(rw.CorpusError):
            rw.expected_verdicts(bad)


def test_construct_names_the_command_or_keeps_the_message():
    assert rw.construct("could not read the step: 31:52: unknown or unsupported LaTeX command \\underE") == "\\underE"
    assert rw.construct("12:3: the relation \\approx is not supported") == "the relation \\approx is not supported"


def test_config_has_a_floor_and_explains_every_known_contradiction():
    cfg = rw.load_config(CORPUS)
    assert 0 < cfg["read_rate_floor"] <= 1
    for key, why in cfg["known_contradictions"].items():
        file, step = key.rsplit(":", 1)
        assert (CORPUS / file).is_file() and int(step) >= 1 and why.strip(), key


def test_a_contradiction_is_detected(tmp_path):
    """The measurement can fail: derive decides x = x holds, a file claiming 'fails' is contradicted."""
    d = tmp_path / "src"
    d.mkdir()
    f = d / "claim.md"
    f.write_text("<!-- source: test, read 2026-12-01 -->\n<!-- expected:\n1: fails (says the file)\n-->\n\n"
                 "$$\n\\gamma = \\gamma\n$$\n", encoding="utf-8")
    row = rw.measure_file(f, budget=0, root=tmp_path)
    assert row["read"] == 1 and row["decided"] == 1 and row["as_meant"] == 0
    assert [(c["file"], c["step"], c["derive"], c["author"]) for c in row["contradictions"]] == \
        [("src/claim.md", 1, "holds", "fails")]


def test_a_misread_structure_counts_as_unread(tmp_path):
    f = tmp_path / "two.md"
    f.write_text("<!-- source: test, read 2026-12-01 -->\n<!-- expected:\n1: holds\n-->\n\n"
                 "$$\n\\gamma = \\gamma = \\gamma\n$$\n", encoding="utf-8")
    row = rw.measure_file(f, budget=0, root=tmp_path)
    assert row["steps"] == 1 and row["read"] == 0 and "derive found 2 steps" in row["structure"]


# ---- the whole corpus (slow): half of its files here, the other half in test_real_world_half2.py ----
# (two modules, so that the README's `pytest -n 2` gives each half to its own worker)

def cost_estimate(path) -> int:
    """A rough cost of checking a corpus file: its GAE-style sums over lambda are the slow ones."""
    return 1 + path.read_text(encoding="utf-8").count("\\lambda")


def halves(files) -> tuple:
    """The files split in two of about equal cost (the costliest first, each to the lighter half)."""
    out, load = ([], []), [0, 0]
    for path in sorted(files, key=lambda p: (-cost_estimate(p), p.as_posix())):
        k = load.index(min(load))
        out[k].append(path)
        load[k] += cost_estimate(path)
    return tuple(sorted(h) for h in out)


def test_halves_cover_the_corpus_once():
    files = rw.corpus_files(CORPUS)
    first, second = halves(files)
    assert sorted(first + second) == sorted(files) and not set(first) & set(second)


def measure_half(half: int):
    """(config, measurement) of one of the two halves of the corpus (``halves``), ``half`` 0 or 1."""
    cfg = rw.load_config(CORPUS)
    files = halves(rw.corpus_files(CORPUS))[half]
    m = rw.measure(CORPUS, seed=0, budget=cfg.get("symbolic_budget", 0), timeout=cfg.get("timeout_per_file", 120),
                   files=files, judge_na=False, fast=True)  # verdicts only: n/a steps are read, not judged
    return cfg, m


@pytest.fixture(scope="module")
def measured():
    return measure_half(0)


@pytest.mark.slow
def test_no_verdict_contradicts_the_author(measured):
    cfg, m = measured
    known = cfg.get("known_contradictions", {})
    found = {rw.contradiction_key(c): c for c in m["contradictions"]}
    new = [rw._show(c) for k, c in found.items() if k not in known]
    assert not new, "derive contradicts the author (a bug):\n" + "\n".join(new)
    gone = [k for k in known if k not in found]
    if gone:  # others fix bugs in parallel: a fixed one is reported, not a failure
        warnings.warn(f"no longer contradicted (fixed, or no longer decided): remove from config.json: {gone}")


@pytest.mark.slow
def test_read_rate_floor(measured):
    cfg, m = measured
    assert m["read_rate"] >= cfg["read_rate_floor"], rw.report(m)
