"""Issue 10: a language model's prompt x and response y on derive's token MDP (read_latex/notation_llm.py).

pi(y|x) = prod_t pi(a_t|s_t) (the chain rule; x = s_0, y = a_0..a_{T-1}), r(x, y) = R(tau),
E_{x ~ D, y ~ pi(.|x)} = E_{tau ~ pi}: read only with front matter family: token, stated in the notes.
Each test fails without the module (these spellings were refused before).
"""
from __future__ import annotations

import textwrap

import pytest

from derive.check_derivations import check_file
from derive.read_latex import LatexError, parse_math

TOKEN = {"family": "token"}


def read(tex, options=None):
    notes = []
    return parse_math(tex, options={**(options or {}), "notes": notes}), notes


def _check(tmp_path, name, text):
    f = tmp_path / name
    f.write_text(textwrap.dedent(text).lstrip("\n"))
    return [s["verdict"] for s in check_file(str(f), symbolic_budget=0)["steps"]]


def test_response_probability_is_the_chain_rule_product_and_stated():
    e, notes = read(r"\pi_\theta(y \mid x)", TOKEN)
    assert e == read(r"\prod_{t=0}^{T-1} \pi_\theta(a_t|s_t)")[0]
    assert any("family: token" in n and r"\prod_{t=0}^{T-1}" in n for n in notes)
    ref, _ = read(r"\pi_{\text{ref}}(y|x)", TOKEN)
    assert ref == read(r"\prod_{t=0}^{T-1} \pi'(a_t|s_t)")[0]


def test_reward_and_prompt_response_expectation_read_on_the_trajectory():
    assert read(r"r(x, y)", TOKEN)[0] == read(r"R(\tau)")[0]
    assert read(r"R(x,y)", TOKEN)[0] == read(r"R(\tau)")[0]
    e, notes = read(r"\mathbb{E}_{x\sim\mathcal{D}, y\sim\pi_\theta(\cdot|x)}[r(x, y)]", TOKEN)
    assert e == read(r"\mathbb{E}_{\tau\sim\pi_\theta}[R(\tau)]")[0]
    assert any(r"\rho_0" in n for n in notes)
    assert read(r"\mathbb{E}_{x\sim\mathcal{D},y\sim\pi_\theta(y|x)}[R(x,y)]", TOKEN)[0] == e


@pytest.mark.parametrize("tex", [r"\pi_\theta(y|x)", r"r(x, y)",
                                 r"\mathbb{E}_{x\sim\mathcal{D}, y\sim\pi_\theta(\cdot|x)}[1]"])
def test_outside_the_token_family_refused_naming_the_front_matter(tex):
    with pytest.raises(LatexError) as err:
        parse_math(tex)
    assert "family: token" in str(err.value)


def test_sequence_level_identities_judged_on_the_token_mdp(tmp_path):
    verdicts = _check(tmp_path, "llm.md", r"""
        ---
        family: token
        ---

        $$
        \nabla_\theta \mathbb{E}_{x\sim\mathcal{D}, y\sim\pi_\theta(\cdot|x)}[r(x, y)] = \mathbb{E}_{x\sim\mathcal{D}, y\sim\pi_\theta(\cdot|x)}\left[\nabla_\theta \log \pi_\theta(y|x)\, r(x, y)\right]
        $$

        $$
        \log\frac{\pi_\theta(y|x)}{\pi_{\text{ref}}(y|x)} = \sum_{t=0}^{T-1} \log\frac{\pi_\theta(a_t|s_t)}{\pi_{\text{ref}}(a_t|s_t)}
        $$

        $$
        \log\frac{\pi_\theta(y|x)}{\pi_{\text{ref}}(y|x)} = \log\frac{\pi_\theta(a_0|s_0)}{\pi_{\text{ref}}(a_0|s_0)}
        $$

        $$
        \frac{\pi_\theta(y \mid x)}{\pi_{\text{ref}}(y \mid x)} = \frac{P(\tau \mid \theta)}{P(\tau \mid \pi_{\text{ref}})}
        $$
        """)
    assert verdicts == ["holds", "holds", "fails", "holds"]


def test_response_given_the_prompt_is_conditioned_on_s0():
    e, notes = read(r"\mathbb{E}_{y\sim\pi_\theta(\cdot|x)}\left[\log\frac{\pi_\theta(y|x)}{\pi_{\text{ref}}(y|x)}\right]", TOKEN)
    want = read(r"\mathbb{E}_{\tau\sim\pi_\theta}\left[\log\frac{\prod_{t=0}^{T-1}\pi_\theta(a_t|s_t)}"
                r"{\prod_{t=0}^{T-1}\pi'(a_t|s_t)} \mid s_0\right]")[0]
    assert e == want and any("s_0" in n for n in notes)


def test_partition_function_is_the_weighted_sum_over_responses():
    """DPO eq. 4: Z(x) = \\sum_y \\pi_{ref}(y|x) \\exp(r(x, y)/\\beta) = E_{tau ~ pi_ref}[exp(R/beta) | s_0]."""
    e, notes = read(r"\sum_y \pi_{\text{ref}}(y|x) \exp\left(\frac{1}{\beta} r(x, y)\right)", TOKEN)
    assert e == read(r"\mathbb{E}_{\tau\sim\pi'}\left[\exp\left(\frac{1}{\beta} R(\tau)\right) \mid s_0\right]")[0]
    assert any(r"\sum_y" in n for n in notes)


@pytest.mark.parametrize("tex, words", [
    (r"\sum_y 1", "weighted by a response's probability"),
    (r"\sum_y f(y)", "y in a family: token file is the response"),
    (r"\mathbb{E}_{x\sim\mathcal{D}, y\sim\pi_\theta(\cdot|x)}[f(y)]", "y in a family: token file is the response"),
    (r"\pi^*_{ref}(y|x)", "DPO's optimum is written"),  # \pi^*(y|x): test_reader_llm_groups.py; \pi^*_\theta: R10
    (r"\pi_*(y \mid x)", "DPO's optimal policy"),
])
def test_token_family_refusals_name_the_construct(tex, words):
    with pytest.raises(LatexError) as err:
        parse_math(tex, options=TOKEN)
    assert words in str(err.value)


def test_kl_of_responses_given_the_prompt_judged(tmp_path):
    """Gibbs' inequality for the response distributions given the prompt; the reverse inequality fails."""
    verdicts = _check(tmp_path, "kl.md", r"""
        ---
        family: token
        ---

        $$
        \mathbb{E}_{y\sim\pi_\theta(\cdot|x)}\left[\log\frac{\pi_\theta(y|x)}{\pi_{\text{ref}}(y|x)}\right] \geq 0
        $$

        $$
        \mathbb{E}_{y\sim\pi_\theta(\cdot|x)}\left[\log\frac{\pi_\theta(y|x)}{\pi_{\text{ref}}(y|x)}\right] \leq 0
        $$
        """)
    assert verdicts == ["holds", "fails"]


def test_prompt_expectation_of_a_function_of_the_prompt(tmp_path):
    """E_{x ~ D}[g(x)] = E_{s_0 ~ rho_0}[g(s_0)]: read when the body depends on the prompt only (DPO's
    E_x[E_y[...] - log Z(x)]); a body using the response is refused, naming it."""
    e, notes = read(r"\mathbb{E}_{x\sim\mathcal{D}}\mathbb{E}_{y\sim\pi_\theta(y|x)}[R(x,y)]", TOKEN)
    assert any(r"x \sim \mathcal{D}" in n for n in notes)
    with pytest.raises(LatexError) as err:
        parse_math(r"\mathbb{E}_{x\sim\mathcal{D}}[R(x,y)]", options=TOKEN)
    assert "depends on the prompt s_0 only" in str(err.value)
    verdicts = _check(tmp_path, "prompt.md", r"""
        ---
        family: token
        ---

        $$
        \mathbb{E}_{x\sim\mathcal{D}}\mathbb{E}_{y\sim\pi_\theta(y|x)}[R(x,y)] = \mathbb{E}_{x\sim\mathcal{D}, y\sim\pi_\theta(\cdot|x)}[r(x, y)]
        $$

        $$
        \mathbb{E}_{x\sim\mathcal{D}}\left[\mathbb{E}_{y\sim\pi_{\text{ref}}(\cdot|x)}[r(x, y)]\right] = \mathbb{E}_{x\sim\mathcal{D}, y\sim\pi_\theta(\cdot|x)}[r(x, y)]
        $$
        """)
    assert verdicts == ["holds", "fails"]
