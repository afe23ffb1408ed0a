r"""Issue 10 (R3): readings of real authors' spellings: evaluation bars without their opening, J(\theta) with
a fixed start stated in the file's own words, J(\theta) defined by the prose in an episodic file."""
from __future__ import annotations

import pytest

from derive.read_latex import LatexError, parse_math


def _read(tex: str, **options):
    notes: list = []
    value = parse_math(tex, options={"notes": notes, **options})
    return value, notes


# ------------------------------------------------------------------ evaluation bars without their opening
@pytest.mark.parametrize("unopened, written", [
    (r"\nabla_\theta J(\theta)\big\vert_{\theta=\theta_{old}}",
     r"\big. \nabla_\theta J(\theta)\big|_{\theta=\theta_{old}}"),
    (r"\nabla_\theta J(\theta)|_{\theta=\theta_{old}}", r"\left. \nabla_\theta J(\theta) \right|_{\theta=\theta_{old}}"),
    (r"\frac{\nabla_\theta P(\tau;\theta)\big\vert_{\theta=\theta'}}{P(\tau;\theta')} R(\tau)",
     r"\frac{\left. \nabla_\theta P(\tau;\theta) \right|_{\theta=\theta'}}{P(\tau;\theta')} R(\tau)"),
    (r"\mathbb{E}_{\tau \sim \pi_{\theta'}}\big[\nabla_\theta \log P(\tau;\theta)\big\vert_{\theta=\theta'} R(\tau)\big]",
     r"\mathbb{E}_{\tau \sim \pi_{\theta'}}\big[\left. \nabla_\theta \log P(\tau;\theta) \right|_{\theta=\theta'} R(\tau)\big]"),
])
def test_unopened_bar_evaluates_what_precedes_it_in_its_group(unopened, written):
    value, notes = _read(unopened)
    assert value == _read(written)[0]
    assert any("without its opening" in n for n in notes)  # echoed in read as


def test_written_opening_has_no_note():
    _, notes = _read(r"\big. \nabla_\theta J(\theta)\big|_{\theta=\theta_{old}}")
    assert not any("without its opening" in n for n in notes)


@pytest.mark.parametrize("tex, says", [
    (r"J(\theta) + \nabla_\theta J(\theta)\big|_{\theta=\theta_{old}}", "sum or difference"),  # ambiguous scope
    (r"\big|_{\theta=\theta_{old}}", "evaluates nothing"),
])
def test_unopened_bar_refused_when_its_scope_is_not_clear(tex, says):
    with pytest.raises(LatexError, match=says):
        parse_math(tex, options={})


def test_plain_bar_without_equals_stays_a_conditioning_bar():
    value, _ = _read(r"\pi_\theta(a|s)")
    assert "EvalAt" not in repr(value)


# ------------------------------------------------------------------ a fixed start state in the file's own words
from derivation_helpers import check, verdicts  # noqa: E402
from derive.read_markdown.conventions_start import fixed_start  # noqa: E402


@pytest.mark.parametrize("words", [
    "We assume every episode starts in some particular (non-random) state $s_0$.",  # Sutton & Barto 13.2
    "The objective is the value of a fixed start state $s_0$.",
    "Here the initial state $s_0$ is fixed.",
    "Each rollout starts from a fixed state $s_0$.",
    "假设每个回合都从一个固定的初始状态 $s_0$ 开始。",
    "初始状态 $s_0$ 是固定的。",
])
def test_fixed_start_said_in_other_words(words):
    assert fixed_start(words)


@pytest.mark.parametrize("words", [
    "Starting from a random state $s_0$.",  # Lilian Weng's proof: J is then not v(s_0)
    "The start state is not fixed: $s_0 \\sim \\rho_0$.",
    "this is not a fixed start state",
    "a non-fixed start state",
    "Episodes start in a state drawn from $\\rho_0$.",
    "确定状态转移概率",  # deterministic transitions, not a start state
])
def test_no_fixed_start_when_the_words_do_not_say_it(words):
    assert fixed_start(words) is None


def test_j_read_in_an_episodic_file_that_says_its_start_is_fixed(tmp_path):
    rec = check(tmp_path, r"""
        ---
        setting: episodic
        ---
        The objective is the value of a fixed start state $s_0$:

        $$ J(\theta) = V^\pi(s_0) $$

        $$ \nabla_\theta J(\theta) = \nabla_\theta \sum_a \pi_\theta(a|s_0) Q^\pi(s_0, a) $$
        """)
    conv = " ".join(rec.get("conventions", []))
    assert 'inferred: start: fixed (the text says "fixed start state"' in conv
    assert verdicts(rec) == ["holds", "holds"]


def test_j_refused_when_the_start_is_random(tmp_path):
    rec = check(tmp_path, r"""
        ---
        setting: episodic
        ---
        Starting from a random state $s_0$:

        $$ J(\theta) = V^\pi(s_0) $$
        """)
    assert verdicts(rec) == ["unknown"] and "fixed start" in rec["steps"][0]["reason"]


# ------------------------------------------------------------------ a row that is only an ellipsis: elided
def test_ellipsis_row_is_elided_neither_holds_nor_fails(tmp_path):
    rec = check(tmp_path, r"""
        $$
        \begin{aligned}
        \sum_a \pi(a|s) Q^\pi(s,a) &= V^\pi(s) \\
        &= \cdots \\
        &= \sum_a \pi(a|s) Q^\pi(s,a) + 1
        \end{aligned}
        $$
        """)
    assert verdicts(rec) == ["holds", "elided", "elided"]  # the false end is not claimed by any written step
    assert rec["verdict"] == "unknown" and not rec["ok"] and "steps left out (elided) at steps 2, 3" in rec["note"]
    assert all(r"\cdots" in s["read_as"] and "steps left out" in s["read_as"] for s in rec["steps"][1:])


def test_ellipsis_row_with_an_unread_other_side_stays_unknown(tmp_path):
    rec = check(tmp_path, r"""
        $$ \mathcal{Z}(q) = \cdots $$
        """)
    assert verdicts(rec) == ["unknown"] and rec["steps"][0]["read_as"] is None


# ------------------------------------------------------------------ E_\pi[q_\pi(s, a) | S_t = s]: a is A_t
def test_free_action_under_a_state_condition_is_the_action_taken_there(tmp_path):
    value, notes = _read(r"\mathbb{E}_{\pi}[q_\pi(s, a) \mid S_t = s]")
    assert value == _read(r"\mathbb{E}_{\pi}[q_\pi(s, A_t) \mid S_t = s]")[0]
    assert any("A_t \\sim \\pi(\\cdot|s)" in n for n in notes)
    rec = check(tmp_path, r"""
        $$ \mathbb{E}_{\pi}[q_\pi(s, a) | S_t = s] = \sum_{a} \pi(a | s) q_\pi(s, a) $$
        """)
    assert verdicts(rec) == ["holds"]


@pytest.mark.parametrize("tex", [
    r"\mathbb{E}_{\pi}[q_\pi(s, a)]",  # no condition: nothing says where a is drawn
    r"\mathbb{E}_{\pi}[q_\pi(s, a) + q_\pi(s, A_t) \mid S_t = s]",  # a and A_t both written
    r"\mathbb{E}_{\pi}[\pi(a|s) q_\pi(s, a) \mid S_t = s]",  # \pi(a|s) of the free a: a sum over a may be meant
    r"\mathbb{E}_{\pi}[q_\pi(s, a) \mid S_t = s']",  # drawn at s', used at s
])
def test_free_action_refused_when_its_draw_is_not_clear(tex):
    with pytest.raises(LatexError, match="free action a"):
        parse_math(tex, options={})


# ------------------------------------------------------------------ a geometric series from a power k on
def test_series_of_powers_from_a_free_integer_k(tmp_path):
    value, notes = _read(r"\lambda^{k}+\lambda^{k+1}+\lambda^{k+2}+\dots")
    assert "Sum" in repr(value) and any(r"general term \lambda^{k + l}" in n for n in notes)
    rec = check(tmp_path, r"""
        $$ \sum_{n=k+1}^{\infty}\lambda^{n-1}=\lambda^{k}+\lambda^{k+1}+\lambda^{k+2}+\dots=\frac{\lambda^k}{1-\lambda} $$
        $$ \lambda^{k}+\lambda^{k+1}+\dots = \frac{\lambda^{k+1}}{1-\lambda} $$
        """)
    assert verdicts(rec) == ["holds", "holds", "fails"]


# ------------------------------------------------------------------ \int ... da_t: a timed differential
def test_integral_with_a_timed_differential(tmp_path):
    value, notes = _read(r"\int \pi_{\theta}(a_t|s_t)da_t")
    assert value == _read(r"\int_{a_t} \pi_{\theta}(a_t|s_t)")[0]
    assert any(r"read as \sum_{a_{t}}" in n for n in notes)
    with pytest.raises(LatexError, match="does not range over the space"):
        parse_math(r"\int_{\mathcal{S}} \pi_{\theta}(a_t|s_t)\,d a_t", options={})
    rec = check(tmp_path, r"""
        $$ \nabla_\theta \int \pi_{\theta}(a_t|s_t)da_t = 0 $$
        """)
    assert verdicts(rec) == ["holds"]
