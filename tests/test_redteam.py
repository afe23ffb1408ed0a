"""The red-team corpus (tests/redteam/): no false accept, no false reject.

``correct/`` holds derivations whose every step is true (among them steps a naive checker
rejects: kinks of min/clip/|x| under a gradient, logs next to rationals, terms equal only in
expectation, expressions undefined on part of the domain).  ``wrong/`` holds derivations with
exactly one wrong step, declared in the front matter (``expect: fails``, ``step: K``): sign
errors, off-by-one indices, gamma vs gamma^2, lambda vs gamma*lambda, swapped min/max,
inverted ratios, a missing 1/(1 - gamma), an expectation over the wrong distribution, errors
that vanish at gamma = 0 or 1, on 1-state or 1-action MDPs, or at theta = theta_old.

Every file is read and its steps judged in this process by ``judge_exact`` (the exact method, or
the pure-algebra method for free scalars), which decides the verdict of ``derive check FILE.md``
(holds / FAILS / unknown); the shrinking, the mistake names, the hints and the SymPy confirmation
(whose "fails" would also fail a step) are left to the CLI run ``derive check tests/redteam`` to
keep this test lean.  Steps after a wrong file's declared step are not judged.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from derive.check_derivations.files import setting_of
from derive.check_derivations.judge import judge_exact
from derive.read_markdown import load_derivation

REDTEAM = Path(__file__).parent / "redteam"
CORRECT = sorted((REDTEAM / "correct").glob("*.md"))
WRONG = sorted((REDTEAM / "wrong").glob("*.md"))


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text().split("---")[1])


def test_corpus_is_balanced_and_declares_the_wrong_step():
    assert len(CORRECT) >= 45 and len(WRONG) >= 45
    for p in WRONG:
        f = front(p)
        assert f.get("expect") == "fails" and isinstance(f.get("step"), int), p.name
    for p in CORRECT:
        assert front(p).get("expect", "holds") == "holds", p.name


def verdicts(path: Path, upto: int | None = None) -> list:
    """[(step number, verdict, reason, counterexample)] for the steps of a file, up to step ``upto``."""
    d = load_derivation(path)
    out = []
    for step in d.steps[:upto]:
        rec = judge_exact(step, setting_of(d), 0, explain=False)
        out.append((step.number, rec["verdict"], rec["reason"], rec["counterexample"]))
    return out


def _text(vs) -> str:
    return "\n".join(f"  step {n}: {status}: {detail}" for n, status, detail, _ in vs)


@pytest.mark.slow  # the whole corpus: ~12 s of CPU, ~40 s on 2 busy cores
@pytest.mark.parametrize("path", CORRECT, ids=lambda p: p.stem)
def test_no_false_reject(path):
    """Every step of a correct derivation holds: none fails, none is left unknown."""
    vs = verdicts(path)
    assert vs, "no steps read"
    assert all(verdict == "holds" for _, verdict, _, _ in vs), _text(vs)


@pytest.mark.slow
@pytest.mark.parametrize("path", WRONG, ids=lambda p: p.stem)
def test_no_false_accept(path):
    """The declared wrong step fails with a counterexample; every step before it holds."""
    k = front(path)["step"]
    vs = verdicts(path, k)
    assert len(vs) == k, _text(vs)
    assert [verdict for _, verdict, _, _ in vs[:-1]] == ["holds"] * (k - 1), _text(vs)
    _, verdict, detail, ce = vs[-1]
    assert verdict == "fails", _text(vs)
    assert ce is not None and ce["lhs"] != ce["rhs"], detail
