"""Hints for failing steps (issue 10, item 11): re-judged under nearby conventions; never change the verdict."""
from __future__ import annotations

import json
import textwrap

from derive.check_derivations.files import check_file
from derive.check_derivations.hints import MAX_TRIES, NEARBY, hints_for, wanted
from derive.check_derivations.report import human, to_json
from derive.read_markdown import read_derivation


def md(text):
    return textwrap.dedent(text).lstrip("\n")


def test_each_nearby_convention_gives_its_hint(tmp_path):
    p = tmp_path / "h.md"
    p.write_text(md(r"""
        The discount $\gamma$ and the true value $V^\pi(s)$ are written here.

        $$
        \sum_{t=0}^{T-1} r_t = \sum_{t=0}^{T-1} \gamma^t r_t
        $$

        $$
        \delta_t = r_t + \gamma V(s_{t+1}) - V(s_t)
        $$

        $$
        \sum_{t=0}^{T} \gamma^t r_t = R(\tau)
        $$

        $$
        G_t = \sum_{k=0}^{T-t-1} \gamma^k r_{t+k+1}
        $$

        $$
        \mathbb{E}_{\tau \sim \pi_\theta}\left[r_0(\theta)\right] = 1
        $$

        $$
        r_t = r_t
        $$
    """))
    rec = check_file(str(p), symbolic_budget=0)
    steps = rec["steps"]
    assert [s["verdict"] for s in steps] == ["fails", "fails", "unknown", "unknown", "fails", "holds"]
    assert any("gamma = 1" in h for h in steps[0]["hints"])
    assert any("delta: V" in h for h in steps[1]["hints"])
    assert any("horizon: last-index" in h for h in steps[2]["hints"])
    assert any("reward-index: t+1" in h for h in steps[3]["hints"])
    assert any("inverted" in h for h in steps[4]["hints"])
    assert steps[5]["hints"] == []
    assert all(h.startswith("holds if") for s in steps for h in s["hints"])
    out = json.loads(to_json([rec], False))
    assert out["results"][0]["steps"][0]["hints"] == steps[0]["hints"]
    assert "  hint: holds if gamma = 1" in human([rec])


def test_a_hint_never_changes_the_verdict_and_wrong_steps_get_none(tmp_path):
    p = tmp_path / "w.md"
    p.write_text("$$\n\\gamma r_t = 2 r_t\n$$\n")
    rec = check_file(str(p), symbolic_budget=0)
    assert rec["steps"][0]["verdict"] == "fails" and rec["steps"][0]["hints"] == []


def test_hints_only_for_failing_or_past_the_end_and_bounded(monkeypatch):
    d = read_derivation("$$\n\\gamma r_t = r_t\n$$\n")
    step = d.steps[0]
    assert hints_for(step, {"verdict": "holds"}, "finite") == []
    assert not wanted({"verdict": "unknown", "reason": "time limit"})
    assert wanted({"verdict": "unknown", "reason": "a_1 lies outside the trajectory a_0 .. a_0"})
    import derive.check_derivations.hints as hints
    from derive.check_statements.result import FAILS, MethodResult

    calls = []
    monkeypatch.setattr(hints, "check_exact", lambda *a, **k: calls.append(a) or MethodResult(FAILS, "x"))
    busy = read_derivation("$$\n\\delta_T + V(s_0) + r_T(\\theta) = \\gamma Q(s_0, a_0)\n$$\n").steps[0]
    assert hints_for(busy, {"verdict": "fails"}, "finite") == []
    assert 0 < len(calls) <= MAX_TRIES  # a bounded number of exact re-judgements per step
    monkeypatch.undo()
    assert hints_for(step, {"verdict": "fails"}, "finite") == [NEARBY[0].text]
    assert hints_for(step, {"verdict": "fails"}, "finite; gamma=1/2") == []  # the file fixes gamma
