"""R9 (issue 10): symbols a file uses without defining them, and relations between steps.

Definition by first use (read_markdown/first_use.py): ``X = e`` where X has no meaning yet defines X.
"""
from __future__ import annotations

from derive.check_derivations.files import expectation, file_verdict
from derive.check_derivations.judge import judge_exact
from derive.read_markdown import read_derivation
from derivation_helpers import check, md, verdicts

SETTING = "---\nsetting: discounted\n---\n"


def test_a_new_estimator_is_defined_by_its_first_use_and_bound_afterwards():
    d = read_derivation(md(SETTING + r"""
        $$ \hat{g} = \frac{1}{2} \left( V^\pi(s) + Q^\pi(s, a) \right) $$

        $$ 2 \hat{g} = V^\pi(s) + Q^\pi(s, a) $$
        """))
    first, second = d.steps
    assert first.relation == "defines" and first.error is None
    rec = judge_exact(first, "discounted")
    assert rec["verdict"] == "definition" and "not judged" in rec["reason"]
    assert rec["read_as"].startswith(r"\hat{g} = ") and r"\hat{g} is not defined before: this step defines it" \
        in rec["read_as"]
    assert second.relation == "=" and second.error is None  # \hat{g} now means its definition: a claim
    assert judge_exact(second, "discounted")["verdict"] == "holds"


def test_decorated_and_scripted_heads_with_arguments_are_defined():
    d = read_derivation(md(SETTING + r"""
        $$ L^{CLIP}(\theta) = V^\pi(s) $$

        $$ \bar{A}^R(s) = Q^\pi(s, a) - V^\pi(s) $$

        $$ B = \gamma V^\pi(s) $$

        $$ L^{CLIP}(\theta) + \bar{A}^R(s) - B = Q^\pi(s, a) - \gamma V^\pi(s) $$
        """))
    assert [s.relation for s in d.steps] == ["defines", "defines", "defines", "="]
    assert judge_exact(d.steps[3], "discounted")["verdict"] == "holds"


def test_a_known_symbol_written_with_equals_is_still_a_claim():
    d = read_derivation(md(SETTING + r"""
        $$ V^\pi(s) = 2 V^\pi(s) $$
        """))
    assert d.steps[0].relation == "=" and judge_exact(d.steps[0], "discounted", explain=False)["verdict"] == "fails"


def test_an_unreadable_right_side_is_unknown_with_its_reason():
    d = read_derivation(md(SETTING + r"""
        $$ \hat{g} = \frac{1}{2} \mathrm{zork}(s) $$
        """))
    err = d.steps[0].error
    assert err is not None and "this step would define it" in err.message and (err.line, err.col) == (5, 34)


def test_an_unknown_symbol_in_the_arguments_is_not_a_definition():
    d = read_derivation(md(SETTING + r"""
        $$ V^\pi(\hat{z}) = 1 $$
        """))
    assert d.steps[0].relation == "=" and d.steps[0].error is not None


def test_a_definition_does_not_count_against_the_file():
    steps = [{"step": 1, "verdict": "definition"}, {"step": 2, "verdict": "holds"}]
    assert file_verdict(steps) == "holds"
    ok, note = expectation("f.md", {}, steps)
    assert ok and "step 1: a definition" in note
    assert file_verdict(steps[:1]) == "unknown" and not expectation("f.md", {}, steps[:1])[0]


def test_the_report_shows_the_definition(tmp_path):
    rec = check(tmp_path, SETTING + r"""
        $$ \hat{g} = \frac{1}{2} V^\pi(s) $$

        $$ 2 \hat{g} = V^\pi(s) $$
        """)
    assert verdicts(rec) == ["definition", "holds"] and rec["verdict"] == "holds"


# ------------------------------------------------------------------ free quantities


def test_a_constant_used_without_a_definition_is_a_free_real_number():
    d = read_derivation(md(SETTING + r"""
        $$ K (V^\pi(s) + Q^\pi(s,a)) = K V^\pi(s) + K Q^\pi(s,a) $$
        """))
    s = d.steps[0]
    assert s.error is None and "K is not defined in this file: read as an arbitrary real number" in " ".join(s.notes)
    assert "K(...) is read as K times the bracket" in s.notes
    assert judge_exact(s, "discounted")["verdict"] == "holds"


def test_a_free_function_holds_for_every_function_and_a_failure_is_not_certain():
    d = read_derivation(md(SETTING + r"""
        $$ \sum_s d^\pi(s) \sum_x \phi(x) = \sum_x \phi(x) \sum_s d^\pi(s) $$

        $$ \sum_s \phi(s) = 2 \sum_s \phi(s) $$
        """))
    swap, doubled = (judge_exact(s, "discounted", explain=False) for s in d.steps)
    assert swap["verdict"] == "holds" and r"\phi is not defined in this file" in swap["read_as"]
    assert doubled["verdict"] == "unknown" and "fails for some value" in doubled["reason"] \
        and r"define it (\phi := ...)" in doubled["reason"]


def test_decorated_letters_in_pure_algebra():
    d = read_derivation(md(r"""
        $$ (\hat{c} + \bar{b})^2 = \hat{c}^2 + 2 \hat{c} \bar{b} + \bar{b}^2 $$
        """))
    rec = judge_exact(d.steps[0], "finite")
    assert rec["verdict"] == "holds" and r"\bar{b} is not defined in this file" in rec["read_as"]


def test_no_free_reading_in_scripts_for_e_or_for_a_function_of_a_value():
    d = read_derivation(md(SETTING + r"""
        $$ \frac{1}{N}\sum_{i=1}^{N} V^\pi(s) = V^\pi(s) $$

        $$ E[V^\pi(s)] = V^\pi(s) $$

        $$ \psi(V^\pi(s)) = \psi(V^\pi(s)) $$

        $$ \Psi_t V^\pi(s) = V^\pi(s) \Psi_t $$
        """))
    assert all(s.error is not None for s in d.steps)


def test_a_free_function_of_a_state_at_a_time_is_not_read_in_the_finite_horizon_setting():
    # derive's free functions of states are 0 at s_T: reading phi(s_t) so would check a special case only
    d = read_derivation(md(r"""
        $$ \sum_{t=0}^{T-1} \phi(s_{t+1}) = \sum_{t=1}^{T} \phi(s_t) $$
        """))
    assert d.steps[0].error is not None


def test_a_known_letter_with_a_name_as_subscript_is_defined_and_an_index_is_not():
    d = read_derivation(md(SETTING + r"""
        $$ J_{\text{PPO}}(\theta) = 2 V^\pi(s) $$

        $$ J_{\text{PPO}}(\theta) - V^\pi(s) = V^\pi(s) $$

        $$ J_t(\theta) = V^\pi(s) $$
        """))
    assert [s.relation for s in d.steps] == ["defines", "=", "="]
    assert judge_exact(d.steps[1], "discounted")["verdict"] == "holds" and d.steps[2].error is not None


def test_e_is_never_defined_by_first_use():
    d = read_derivation(md(SETTING + r"""
        $$ E = V^\pi(s) $$
        """))
    assert d.steps[0].relation == "=" and d.steps[0].error is not None
