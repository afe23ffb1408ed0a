"""Issue 10 (R10): LLM-era notation as posts write it, without front matter.

Bradley-Terry preferences ``P(i > j)``, ``p(y_w \\succ y_l | x)`` (notation_preference.py, preference_tokens.py);
``\\mathcal{L}(\\theta)`` without a subscript as a loss's name (notation_objectives.py); RLOO's ``A_i^{RLOO}`` and
GRPO's advantage named ``A_i`` where the file defines it so (notation_group_advantage.py, conventions_llm.py).
Every test fails before R10's change (these spellings were refused).
"""
from __future__ import annotations

import pytest

from derive.lang.objectives import Arbitrary, Named
from derive.read_latex import LatexError, parse_math
from derive.read_markdown.conventions_llm import infer_advantage
from tests.derivation_helpers import check, read, verdicts

TOKEN = "---\nfamily: token\n---\n\n"


# ------------------------------------------------------------ Bradley-Terry preferences


@pytest.mark.parametrize("tex", [r"P(i > j)", r"p^*(i \succ j)", r"\Pr(A > B)", r"P(y_c > y_r \mid x)",
                                 r"\mathbb{P}(y_w \succ y_l \mid x)"])
def test_a_preference_is_read_as_bradley_terry_with_latent_scores(tex):
    e, notes = read(tex)
    assert isinstance(e, Arbitrary)
    assert any("Bradley-Terry" in n and "latent scores" in n for n in notes)


@pytest.mark.parametrize("tex", [r"P(x > 0)", r"P(X > Y)", r"P(i_1 > j)"])
def test_other_comparisons_inside_p_keep_their_refusal(tex):
    with pytest.raises(LatexError) as err:
        parse_math(tex)
    assert "the relation '>'" in str(err.value)


def test_preference_steps_decided_only_when_they_hold_for_every_score(tmp_path):
    rec = check(tmp_path, r"""
        $$P(i > j) + P(j > i) = 1$$

        $$P(i > j) = \frac{e^{r_i}}{e^{r_i} + e^{r_j}}$$

        $$P(i > j) = 2 P(j > i)$$
        """)
    assert verdicts(rec) == ["holds", "unknown", "unknown"]
    assert "not decided" in rec["steps"][1]["reason"]


def test_token_family_preferences(tmp_path):
    rec = check(tmp_path, TOKEN + r"""
        $$P^*(y_w > y_l \mid x) = \sigma(r^*(x, y_w) - r^*(x, y_l))$$

        $$P^*(y_w > y_l \mid x) = \sigma(r^*(x, y_l) - r^*(x, y_w))$$
        """)
    assert verdicts(rec) == ["holds", "fails"]
    e, notes = read(r"p(y_w \succ y_l \mid x)", family="token")  # no star: latent scores, not r^*
    assert isinstance(e, Arbitrary) and not e.args[1].name.startswith("p^*")


def test_a_preference_between_anything_else_is_refused_in_the_token_family():
    with pytest.raises(LatexError) as err:
        parse_math(r"P(i > j)", options={"family": "token"})
    assert "two responses" in str(err.value)


def test_starred_pi_theta_is_dpo_optimum():
    e, notes = read(r"\pi^*_\theta(y \mid x)", family="token")
    assert e == read(r"\pi^*(y \mid x)", family="token")[0]
    assert any("the parameterised family" in n for n in notes)


# ------------------------------------------------------------ a loss's name without subscript


@pytest.mark.parametrize("tex, name", [(r"\mathcal{L}(\theta)", r"\mathcal{L}(\theta)"),
                                       (r"\mathcal{L}(\pi_\theta; \pi_{ref})", r"\mathcal{L}(\pi_{\theta}; \pi_{ref})"),
                                       (r"\mathcal{J}(x, \theta)", r"\mathcal{J}(x, \theta)")])
def test_a_loss_written_without_subscript_is_a_name(tex, name):
    e, notes = read(tex)
    assert isinstance(e, Named) and e.args[0].name == name


def test_a_named_loss_is_read_not_judged(tmp_path):
    rec = check(tmp_path, r"""
        $$\mathcal{L}(\theta) = \log(1 + e^{r_\theta(y_r \mid x) - r_\theta(y_c \mid x)})$$
        """)
    assert verdicts(rec) == ["unknown"]
    assert rec["steps"][0]["reason"].startswith("not attempted")


def test_a_loss_the_file_defines_uses_its_definition(tmp_path):
    rec = check(tmp_path, r"""
        $$\mathcal{L}(\theta) := \log(1 + e^{-r})$$

        $$\mathcal{L}(\theta) = -\log \sigma(r)$$

        $$\mathcal{L}(\theta) = \log \sigma(r)$$
        """)
    assert verdicts(rec) == ["holds", "fails"]


# ------------------------------------------------------------ RLOO's A_i^{RLOO}, GRPO's A_i


def test_rloo_advantage_is_the_leave_one_out_difference(tmp_path):
    rec = check(tmp_path, r"""
        A group of completions $\{a_1, a_2, ..., a_G\}$ of a prompt $s$.

        $$A_i^\text{RLOO} = r_i - \frac{1}{G-1}\sum_{j=1, j\neq i}^G r_j$$

        $$\sum_{i=1}^G A_i^{\text{RLOO}} = 0$$

        $$A_1^{RLOO} = r_1 - r_2$$
        """)
    assert verdicts(rec) == ["holds", "holds", "fails"]


def test_a_i_is_grpo_advantage_where_the_file_defines_it_so(tmp_path):
    rec = check(tmp_path, r"""
        A group of completions $\{a_1, a_2, ..., a_G\}$ of a prompt $s$.

        $$J = \sum_{i=1}^G A_i$$

        $$A_i = \frac{r_i - \text{mean}(r_1, r_2, \cdots, r_G)}{\text{std}(r_1, r_2, \cdots, r_G)}$$

        $$\sum_{i=1}^G A_i = 0$$

        $$\sum_{i=1}^G A_i^2 = G$$

        $$\sum_{i=1}^G A_i = 1$$
        """)
    assert verdicts(rec)[-1] == "fails"
    assert verdicts(rec)[-3] == "holds"
    assert "advantage: group" in " ".join(rec.get("conventions", [])) or "advantage: group" in str(rec)


def test_token_advantage_of_a_group_is_the_output_advantage():
    e, notes = read(r"\hat{A}_{1,t}", group="3", family="token")
    assert e == read(r"\hat{A}_1", group="3")[0]
    assert any("outcome supervision" in n for n in notes)
    text = r"For each of the  \\( G \\) sequences, we compute the reward"
    from derive.read_markdown.conventions_llm import infer_group
    assert infer_group({}, text)[1] == "3"
    assert infer_group({}, "each of the states") is None


def test_a_i_without_the_definition_keeps_its_refusal():
    text = r"A group $\{a_1, a_2, ..., a_G\}$. $$\sum_{i=1}^G A_i = 0$$"
    assert infer_advantage({"group": "3"}, text) is None
    assert infer_advantage({}, r"$$A_i = \frac{r_i - \text{mean}(r)}{\text{std}(r)}$$") is None
    with pytest.raises(LatexError) as err:
        parse_math(r"\sum_{i=1}^G A_i", options={"group": "3"})
    assert "no meaning of its own" in str(err.value)
    assert parse_math(r"\sum_{i=1}^G A_i", options={"group": "3", "advantage": "group"}) \
        == parse_math(r"\sum_{i=1}^G \hat{A}_i", options={"group": "3"})


# ------------------------------------------------------------ log without its backslash


@pytest.mark.parametrize("bare, tex", [(r"log \pi_\theta(a|s)", r"\log \pi_\theta(a|s)"),
                                       (r"\nabla_\theta log[\pi_\theta(a|s)]", r"\nabla_\theta \log[\pi_\theta(a|s)]"),
                                       (r"log\pi_\theta(a|s) + log 2", r"\log\pi_\theta(a|s) + \log 2")])
def test_log_written_without_backslash_is_the_logarithm(bare, tex):
    assert parse_math(bare) == parse_math(tex)


@pytest.mark.parametrize("tex", [r"logit", r"l o g"])
def test_other_letter_runs_are_not_a_logarithm(tex):
    with pytest.raises(LatexError):
        parse_math(tex)
