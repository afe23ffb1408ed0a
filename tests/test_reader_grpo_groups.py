"""Issue 10: GRPO's group of G completions at one prompt, read exactly for a given G (read_latex/notation_grpo_group.py).

With ``group: G`` (front matter, or a catalog entry's ``options: group=G``): ``a_i`` is the i-th of G i.i.d.
completions a_1..a_G ~ pi(.|s) (derive's a, a', a'', ...), ``\\sum_{i=1}^{G}`` is written out, ``G`` is the
number, ``\\operatorname{mean}_j`` / ``\\operatorname{std}_j`` are the group's mean and population std
(Shao et al. 2024, DeepSeekMath, sec. 4.1.2).  Every test fails before the module (these spellings were refused,
or read a_i as the action at time i).
"""
from __future__ import annotations

import sympy
import pytest

from derive.catalog import catalog
from derive.read_latex import LatexError, parse_math, split_relations
from derive.lang import nodes
from derive.lang.symbols import ActionVar, StateVar
from sympy.core.symbol import Str
from tests.derivation_helpers import check, read, verdicts

S = StateVar("s")
A = [ActionVar("a"), ActionVar("a'"), ActionVar("a''"), ActionVar("a'''")]


def f(a):
    return nodes.FreeFn(Str("f"), S, a)


def test_group_sum_is_written_out_over_the_completions_and_said_so():
    e, notes = read(r"\sum_{i=1}^{G} f(s, a_i)", group="3")
    assert e == f(A[0]) + f(A[1]) + f(A[2])
    assert any("judged for G = 3" in n and "i.i.d." in n for n in notes)
    assert read(r"\sum_{i=1}^{G} f(s, a_i)", group="2")[0] == f(A[0]) + f(A[1])
    assert read(r"\sum_{j=1}^{3} f(s, a_j)", group="3")[0] == f(A[0]) + f(A[1]) + f(A[2])  # the number itself


def test_G_is_the_number_and_a_digit_index_names_one_completion():
    assert read(r"\frac{1}{G}", group="4")[0] == sympy.Rational(1, 4)
    assert read(r"f(s, a_2) - f(s, a_G)", group="3")[0] == f(A[1]) - f(A[2])


def test_mean_and_population_std_of_the_group():
    xs = [f(a) for a in A[:3]]
    m = sum(xs) / 3
    assert read(r"\operatorname{mean}_j(f(s, a_j))", group="3")[0] == m
    e, notes = read(r"\operatorname{std}_j(f(s, a_j))", group="3")
    assert e == sympy.sqrt(sum((x - m) ** 2 for x in xs) / 3)  # divisor G, not G - 1
    assert any("divisor G, not G - 1" in n for n in notes)


def test_group_draws_are_G_iid_policy_draws_at_the_prompt():
    e = read(r"\mathbb{E}_{a_1, \ldots, a_G \sim \pi_\theta(\cdot \mid s)}[f(s, a_2)]", group="3")[0]
    assert e == nodes.Expect(f(A[1]), *(nodes.PolicyDraw(a, Str("theta"), S) for a in A[:3]))
    listed = read(r"\mathbb{E}_{a_1, a_2, a_3 \sim \pi_\theta(\cdot \mid s)}[f(s, a_2)]", group="3")[0]
    assert listed == e
    grpo = read(r"\mathbb{E}_{\{a_i\}_{i=1}^{G} \sim \pi_\theta(\cdot \mid s)}[f(s, a_2)]", group="3")[0]
    assert grpo == e  # GRPO's own spelling of the group (Shao et al. 2024, eq. 3)


@pytest.mark.parametrize("tex, message", [
    (r"f(s, a_i)", r"outside a group sum"),
    (r"\sum_{i=0}^{G} f(s, a_i)", r"i = 1..G"),
    (r"f(s, a_4)", r"G = 3 completions"),
    (r"\sum_{i=1}^{G} \sum_{i=1}^{G} f(s, a_i)", r"same index"),
    (r"\sum_{i=1}^{G} f(s, a_{i+1})", r"an expression of the group index is not read"),
    (r"\mathbb{E}_{a_1, a_2 \sim \pi_\theta(\cdot \mid s)}[f(s, a_1)]", r"all G = 3"),
])
def test_what_is_not_a_group_reading_is_refused_precisely(tex, message):
    with pytest.raises(LatexError, match=message):
        parse_math(tex, options={"group": "3"})


def test_without_the_group_size_nothing_changes():
    assert parse_math(r"f(s, a_1)") == nodes.FreeFn(Str("f"), S, nodes.At(1))  # a_1: the action at time 1
    with pytest.raises(LatexError, match="group: 3"):
        parse_math(r"\operatorname{mean}_j(f(s, a_j))")
    with pytest.raises(LatexError, match="must be one of 2, 3, 4"):
        parse_math(r"f(s, a_1)", options={"group": "9"})


BASELINE = r"""
    ---
    group: {g}
    ---
    $$
    \mathbb{{E}}_{{a_1, \ldots, a_G \sim \pi_\theta(\cdot \mid s)}}\left[ \frac{{1}}{{G}} \sum_{{i=1}}^{{G}} \nabla_\theta
    \log \pi_\theta(a_i \mid s) \left( f(s, a_i) - \operatorname{{mean}}_j(f(s, a_j)) \right) \right] = {rhs}
    \nabla_\theta\, \mathbb{{E}}_{{b \sim \pi_\theta(\cdot \mid s)}}\left[ f(s, b) \right]
    $$
    """


def test_the_step_is_judged_for_the_front_matters_G(tmp_path):
    """The mean baseline shrinks the gradient by (1 - 1/G): 1/2 is right for G = 2 and wrong for G = 3."""
    assert verdicts(check(tmp_path, BASELINE.format(g=2, rhs=r"\frac{1}{2}"), "g2.md")) == ["holds"]
    rec = check(tmp_path, BASELINE.format(g=3, rhs=r"\frac{1}{2}"), "g3.md")
    assert verdicts(rec) == ["fails"]
    assert "judged for G = 3" in str(rec["steps"][0])
    assert verdicts(check(tmp_path, BASELINE.format(g=3, rhs=r"\left(1 - \frac{1}{G}\right)"), "g3b.md")) == ["holds"]


def test_front_matter_group_must_be_a_small_number(tmp_path):
    p = tmp_path / "bad.md"
    p.write_text("---\ngroup: 12\n---\n\n$$f(s, a_1) = f(s, a_1)$$\n")
    from derive.check_derivations.files import check_file
    from derive.read_markdown.errors import InputError

    with pytest.raises(InputError, match="group: must be one of 2, 3, 4"):
        check_file(str(p), symbolic_budget=0)


def test_the_catalogs_grpo_displays_are_written_in_group_notation():
    """Each group entry fixes G by its options and its display (was 538 to 19,023 characters written out for
    G = 2, 3 or 4) reads back to exactly the entry's sides (tests/test_display_reads_back.py checks all)."""
    group = [e for e in catalog() if dict(e.options).get("group")]
    assert len(group) >= 10
    for e in group:
        group_notation = r"\sum_{i=1}^{G}" in e.tex or r"\operatorname{mean}_j" in e.tex  # a sum, or a mean over the group
        assert group_notation and "a''" not in e.tex and len(e.tex) < 1600, e.id
        rel = split_relations(e.tex)[0]
        lhs = parse_math(e.tex[:rel.start], options=dict(e.options))
        assert sympy.srepr(lhs) == sympy.srepr(e.lhs), e.id


def test_G_read_from_the_files_definition_and_said_so(tmp_path):
    rec = check(tmp_path, r"""
        Let $G := 3$ completions of the prompt $s$ be drawn from the policy.

        $$\frac{1}{G}\sum_{i=1}^{G} f(s, a_i) = \operatorname{mean}_j(f(s, a_j))$$

        $$\sum_{i=1}^{G} \left( f(s, a_i) - \operatorname{mean}_j(f(s, a_j)) \right) = f(s, a_1)$$
        """)
    assert verdicts(rec) == ["holds", "fails"]
    assert "group: 3 read from the file's definition G := 3" in str(rec["steps"][0])


def test_a_lone_G_names_the_group_size_option():
    with pytest.raises(LatexError, match="front matter group: 3"):
        parse_math(r"\frac{1}{G}\sum_{j=1}^G x_j")
    assert parse_math(r"G_t") == nodes.Ret(parse_math("t"))  # the return, as before


def test_rewards_and_the_group_normalised_advantage():
    """r_i = r(s, a_i); \\hat{A}_i = (r_i - mean_j r_j) / std_j r_j, 0 for an all-equal group (said in read as)."""
    r = [nodes.FreeFn(Str("r"), S, a) for a in A[:3]]
    assert read(r"r_2", group="3")[0] == r[1]
    e, notes = read(r"\hat{A}_1", group="3")
    written = read(r"\frac{r_1 - \operatorname{mean}_j(r_j)}{\operatorname{std}_j(r_j) + \mathbb{1}\left[ "
                   r"\operatorname{std}_j(r_j) = 0 \right]}", group="3")[0]
    assert sympy.srepr(e) == sympy.srepr(written)
    assert any("all G rewards are equal" in n for n in notes)
    assert read(r"\hat{A}_2^2", group="3")[0] == read(r"\hat{A}_2", group="3")[0] ** 2
    assert read(r"r_t", group="3")[0] == parse_math(r"r_t")  # a time index: the reward r_t, as before


def test_advantage_steps_judged(tmp_path):
    rec = check(tmp_path, r"""
        ---
        group: 3
        ---
        $$\sum_{i=1}^{G} \hat{A}_i = 0$$

        $$\sum_{i=1}^{G} \hat{A}_i^2 = G$$
        """)
    assert verdicts(rec) == ["holds", "fails"]  # fails for an all-equal group (every A_i = 0)
