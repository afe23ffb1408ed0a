"""Free real scalars, assumptions and cases (issue 10, item 9): pure-algebra steps judged at rational points."""
from __future__ import annotations


import pytest

from derive.read_markdown import read_derivation
from derive.read_latex import LatexError, parse_math
from derive.lang import nodes as N
from derive.lang.symbols import ScalarVar
from derive.check_statements.scalars import judge, read_assumptions, split_assumptions
from derivation_helpers import check, md

CLIP = r"\min(rA, \operatorname{clip}(r, 1-\epsilon, 1+\epsilon)A)"


def verdict(lhs, rhs, assume="", relation="="):
    pieces = [(assume, 1, 1)] if assume else []
    return judge(parse_math(lhs), parse_math(rhs), relation, read_assumptions(pieces, {}), seed=0)


# ------------------------------------------------------------------ reading


def test_bare_r_a_c_are_free_reals_and_the_notation_keeps_its_meanings():
    v = parse_math(CLIP + " + c")
    assert {s.name for s in v.free_symbols if isinstance(s, ScalarVar)} == {"r", "A", "c"}
    assert isinstance(parse_math("r_t"), N.Rt) and parse_math("c_1").name == "c_1"
    assert not any(isinstance(s, ScalarVar) for s in parse_math(r"r_t(\theta) A^\pi(s,a)").free_symbols)


def test_assumption_texts():
    assert split_assumptions(r"r > 0, 0 < \epsilon < 1 \text{ and } A \geq 0") == \
        ["r > 0", r"0 < \epsilon < 1", r"A \geq 0"]
    got = read_assumptions([(r"0 < \epsilon < 1, A \ne 0", 1, 1)], {})
    assert [op for _, op, _ in got] == ["<", "<", "!="]
    with pytest.raises(LatexError, match="comparison"):
        read_assumptions([("A", 3, 1)], {})


# ------------------------------------------------------------------ judging


def test_clip_case_analysis_holds_under_its_assumption_and_fails_without():
    assert verdict(CLIP, r"\min(r, 1+\epsilon) A", r"A \geq 0")[0] == "holds"
    assert verdict(CLIP, r"\max(r, 1-\epsilon) A", "A < 0")[0] == "holds"
    v, detail, ce = verdict(CLIP, r"\min(r, 1+\epsilon) A")  # no assumption: A < 0 refutes it
    assert v == "fails" and ce["point"]["A"].startswith("-")


def test_boundary_points_are_drawn():
    v, detail, ce = verdict(r"\max(r, 1+\epsilon)", r"r + (1 + \epsilon - r) \mathbb{1}[r < 1+\epsilon]")
    assert v == "holds"
    # wrong exactly at r = 1 + epsilon (a boundary point), right everywhere else
    v, detail, ce = verdict(r"\mathbb{1}[r > 1 + \epsilon]", r"\mathbb{1}[r \geq 1 + \epsilon]")
    assert v == "fails" and "lhs = 0, rhs = 1" in detail


def test_no_point_satisfies_the_assumptions_is_unknown():
    v, detail, _ = verdict("r", "2r", r"r > 2, r < 1")
    assert v == "unknown" and "no point satisfies the assumptions" in detail


def test_same_seed_same_verdict_and_point():
    assert verdict(CLIP, r"\min(r, 1+\epsilon) A") == verdict(CLIP, r"\min(r, 1+\epsilon) A")


def test_inequalities():
    assert verdict(CLIP, "rA", relation="<=")[0] == "holds"  # PPO's pessimistic bound
    assert verdict(CLIP, "rA", relation=">=")[0] == "fails"


def test_next_to_mdp_quantities_a_free_real_is_one_rational_per_mdp(tmp_path):
    rec = check(tmp_path, r"""
        $$
        \mathbb{E}_{\tau\sim\pi_\theta}\left[\nabla_\theta \log \pi_\theta(a_0|s_0)\, c\right] = 0
        $$

        $$
        \mathbb{E}_{\tau\sim\pi_\theta}\left[\nabla_\theta \log \pi_\theta(a_0|s_0)\, r_0\, c\right] = 0
        $$

        For $A \geq 0$:

        $$
        A r_t = r_t A
        $$
    """)
    assert [s["verdict"] for s in rec["steps"]] == ["holds", "fails", "unknown"]
    assert "c[]" in rec["steps"][1]["counterexample"]["mdp"]["free functions"]
    assert "only in pure algebra" in rec["steps"][2]["reason"]


# ------------------------------------------------------------------ cases


def test_cases_read_as_first_matching_row():
    v = parse_math(r"\begin{cases} 1-\epsilon & \text{if } r < 1-\epsilon \\ r & \text{if } 1-\epsilon \leq r "
                   r"\leq 1+\epsilon \\ 1+\epsilon & \text{otherwise} \end{cases}")
    assert judge(v, parse_math(r"\operatorname{clip}(r, 1-\epsilon, 1+\epsilon)"), "=", [], 0)[0] == "holds"
    with pytest.raises(LatexError, match="condition"):
        parse_math(r"\begin{cases} A & \text{if } A \\ 0 & \text{otherwise} \end{cases}")
    with pytest.raises(LatexError, match="last row"):
        parse_math(r"\begin{cases} A & \text{otherwise} \\ 0 & A > 0 \end{cases}")


# ------------------------------------------------------------------ end to end


def test_ppo_clip_case_analysis_end_to_end(tmp_path):
    rec = check(tmp_path, r"""
        ---
        assume: 0 < \epsilon < 1
        ---

        For $A \geq 0$:

        $$
        \begin{aligned}
        \min(rA, \operatorname{clip}(r, 1-\epsilon, 1+\epsilon)A)
        &= \begin{cases} (1+\epsilon) A & \text{if } r > 1+\epsilon \\ r A & \text{otherwise} \end{cases} \\
        &= \min(r, 1+\epsilon) A
        \end{aligned}
        $$

        A wrong one, if $A < 0$:

        $$
        \min(rA, \operatorname{clip}(r, 1-\epsilon, 1+\epsilon)A) = \min(r, 1+\epsilon) A
        $$

        Impossible: if $r > 2$ and $r < 1$,

        $$
        r = 2 r
        $$
    """)
    assert [s["verdict"] for s in rec["steps"]] == ["holds", "holds", "fails", "unknown"]
    assert "A \\geq 0" in rec["steps"][0]["reason"] and "no point satisfies" in rec["steps"][3]["reason"]
    assert rec["steps"][2]["counterexample"]["point"]["A"].startswith("-")


def test_assumption_in_front_matter_is_read(tmp_path):
    rec = check(tmp_path, r"""
        ---
        assume: A \geq 0, 0 < \epsilon < 1
        ---
        $$
        \min(rA, \operatorname{clip}(r, 1-\epsilon, 1+\epsilon)A) = \min(r, 1+\epsilon) A
        $$
    """)
    assert rec["steps"][0]["verdict"] == "holds"
    d = read_derivation(md("---\nassume: r > 0\n---\n$$r = r$$\n"))
    assert d.steps[0].assumptions == [("r > 0", 2, 8)]
    from derive.read_markdown import InputError

    with pytest.raises(InputError, match="assume"):
        read_derivation(md("---\nassume: 3\n---\n$$r = r$$\n"))


def test_a_condition_on_the_row_is_an_assumption():
    d = read_derivation(md(r"""
        $$
        \min(rA, \operatorname{clip}(r, 1-\epsilon, 1+\epsilon)A) = \max(r, 1-\epsilon) A, \quad \text{if } A < 0
        $$
    """))
    step = d.steps[0]
    assert step.error is None and step.assumptions == [("A < 0", 2, 59)]
    pieces = read_assumptions(step.assumptions, {}) + read_assumptions([(r"0 < \epsilon < 1", 1, 1)], {})
    assert judge(step.lhs, step.rhs, "=", pieces, 0)[0] == "holds"
