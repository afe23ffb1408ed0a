"""Issue 10 (R2): DPO's notation read as written (read_latex/notation_dpo.py).

sigma the logistic function; pi^*(y|x), pi_r(y|x) the optimum of the KL-regularised objective (Rafailov et al.
2023, eq. 4); r^*, R^* the latent reward; y_1, y_2, y_w, y_l free responses; p^*(y_1 \\succ y_2 | x) the
Bradley-Terry probability (eq. 1).  Every test fails before the module (these spellings were refused).
"""
from __future__ import annotations

import pytest

from derive.read_latex import LatexError, parse_math
from tests.derivation_helpers import check, read, verdicts

TOKEN = "---\nfamily: token\n---\n\n"


def test_sigma_is_the_logistic_function_and_said_so():
    e, notes = read(r"\sigma(0)")
    assert e == parse_math(r"\frac{1}{1 + e^{0}}")
    assert any("logistic function" in n for n in notes)


def test_sigma_steps_judged(tmp_path):
    rec = check(tmp_path, r"""
        $$\sigma(0) = \frac{1}{2}$$

        $$\sigma(\log 3) = \frac{3}{4}$$
        """)
    assert verdicts(rec) == ["holds", "holds"]
    assert read(r"\sigma(\log 3)")[0] != read(r"\frac{1}{4}")[0]


def test_sigma_defined_by_the_file_keeps_its_definition(tmp_path):
    rec = check(tmp_path, r"""
        $$\sigma(x) := x^2$$

        $$\sigma(3) = 9$$
        """)
    assert verdicts(rec) == ["holds"]


def test_sigma_with_a_comma_is_refused_naming_the_minus():
    with pytest.raises(LatexError) as err:
        parse_math(r"\sigma(a, b)")
    assert r"\sigma(a - b)" in str(err.value) and "one argument" in str(err.value)


def test_bradley_terry_and_dpo_eq_6_judged(tmp_path):
    """DPO eqs. 1 and 6: the preference under pi^* with Z cancelled; y_1 and y_2 swapped on one side fails."""
    rec = check(tmp_path, TOKEN + r"""
        $$p^*(y_1 \succ y_2 \mid x) = \frac{\exp\left(r^*(x, y_1)\right)}{\exp\left(r^*(x, y_1)\right) + \exp\left(r^*(x, y_2)\right)}$$

        $$p^*(y_1 \succ y_2 \mid x) = \frac{1}{1 + \exp\left(\beta\log\frac{\pi^*(y_2 \mid x)}{\pi_{\text{ref}}(y_2 \mid x)} - \beta\log\frac{\pi^*(y_1 \mid x)}{\pi_{\text{ref}}(y_1 \mid x)}\right)}$$

        $$p^*(y_1 \succ y_2 \mid x) = \frac{1}{1 + \exp\left(\beta\log\frac{\pi^*(y_1 \mid x)}{\pi_{\text{ref}}(y_1 \mid x)} - \beta\log\frac{\pi^*(y_2 \mid x)}{\pi_{\text{ref}}(y_2 \mid x)}\right)}$$
        """)
    assert verdicts(rec) == ["holds", "holds", "fails"]
    assert "Bradley-Terry" in rec["steps"][0]["read_as"] and "free response" in rec["steps"][0]["read_as"]


def test_reward_reparameterisation_eq_5_judged(tmp_path):
    """DPO eq. 5 with the file's Z(x) (a prose definition used as Z(x)); the sign of log Z flipped fails."""
    rec = check(tmp_path, TOKEN + r"""
        where $Z(x) = \sum_y \pi_{\text{ref}}(y \mid x)\exp\left(\frac{1}{\beta}r(x, y)\right)$ is the partition function.

        $$r(x, y) = \beta\log\frac{\pi_r(y \mid x)}{\pi_{\text{ref}}(y \mid x)} + \beta\log Z(x)$$

        $$r(x, y) = \beta\log\frac{\pi_r(y \mid x)}{\pi_{\text{ref}}(y \mid x)} - \beta\log Z(x)$$
        """)
    assert verdicts(rec) == ["holds", "fails"]
    assert r"\pi_r(y \mid x): the optimum" in rec["steps"][0]["read_as"]


def test_latent_reward_is_another_function_than_r(tmp_path):
    rec = check(tmp_path, TOKEN + r"""
        $$r^*(x, y) = r(x, y)$$

        $$R^*(x, y_w) = r^*(x, y_w)$$
        """)
    assert verdicts(rec) == ["fails", "holds"]


def test_pair_responses_under_a_policy_sum_to_one_over_the_pair_swap(tmp_path):
    """p^*(y_1 > y_2 | x) + p^*(y_2 > y_1 | x) = 1 for every pair; = 2 fails."""
    rec = check(tmp_path, TOKEN + r"""
        $$p^*(y_1 \succ y_2 \mid x) + p^*(y_2 \succ y_1 \mid x) = 1$$

        $$p^*(y_w \succ y_l \mid x) + p^*(y_l \succ y_w \mid x) = 2$$
        """)
    assert verdicts(rec) == ["holds", "fails"]


@pytest.mark.parametrize("tex, options, words", [
    (r"p^*(i \succ j)", {"family": "token"}, "not between two responses"),
    # p^*(y_1 \succ y_2 \mid x) without family: token and p(y_1 \succ y_2 \mid x) are read since R10 (the Bradley-Terry
    # probability with latent scores, notation_preference.py; tests/test_reader_r10.py)
    (r"\pi^*(y_1 \mid x)", {}, "family: token"),
    (r"1 \succ 0", {}, r"it reads the Bradley-Terry probability p^*(y_1 \succ y_2 \mid x)"),
    (r"p^*(1 \succ 0)", {"family": "token"}, "not between two responses"),
])
def test_refusals_name_the_construct_and_the_spelling(tex, options, words):
    with pytest.raises(LatexError) as err:
        parse_math(tex, options=options)
    assert words in str(err.value)


# ------------------------------------------------------------ optima over theta, KL of responses

def test_kl_of_responses_is_the_expected_log_ratio_and_gibbs_holds(tmp_path):
    """\\mathbb{D}_{KL}[\\pi_\\theta(y|x) \\| \\pi_{ref}(y|x)] = E_{y ~ pi_theta(.|x)}[log ratio]; >= 0; the ratio inverted fails."""
    rec = check(tmp_path, TOKEN + r"""
        $$\mathbb{D}_{KL}\left[\pi_\theta(y|x) \| \pi_{\text{ref}}(y|x)\right] = \mathbb{E}_{y\sim\pi_\theta(\cdot|x)}\left[\log\frac{\pi_\theta(y|x)}{\pi_{\text{ref}}(y|x)}\right]$$

        $$\mathbb{D}_\text{KL}(\pi_\theta(y|x) \Vert \pi_\text{ref}(y|x)) \geq 0$$

        $$\mathbb{D}_{KL}\left[\pi_\theta(y|x) \| \pi_{\text{ref}}(y|x)\right] = \mathbb{E}_{y\sim\pi_\theta(\cdot|x)}\left[\log\frac{\pi_{\text{ref}}(y|x)}{\pi_\theta(y|x)}\right]$$
        """)
    assert verdicts(rec) == ["holds", "holds", "fails"]
    assert "KL divergence of the responses" in rec["steps"][0]["read_as"]


@pytest.mark.parametrize("tex, options, words", [
    (r"\mathbb{D}_{KL}[\pi_\theta \| \pi_{ref}]", {"family": "token"}, "write the arguments (y|x)"),
    (r"\mathbb{D}[p \| q]", {}, "with the subscript KL"),
    (r"\mathbb{D}_{KL}[\pi_\theta(y|x) \| \pi_{ref}(y|x)]", {}, "no family: token"),
])
def test_kl_refusals_name_the_spelling(tex, options, words):
    with pytest.raises(LatexError) as err:
        parse_math(tex, options=options)
    assert words in str(err.value)


def test_free_distributions_kl_in_blackboard_spelling():
    assert read(r"\mathbb{D}_{KL}[q \| p]")[0] == read(r"D_{KL}(q \| p)")[0]


def test_optima_over_theta_judged_by_their_objectives(tmp_path):
    """DPO eq. 3 rewritten (the KL as an expectation): holds; a different objective is not a failure of the
    optima (unknown), and max = min is not attempted."""
    rec = check(tmp_path, TOKEN + r"""
        $$\max_\theta\mathbb{E}_{x\sim\mathcal{D},y\sim\pi_\theta(y|x)}[R(x,y)]-\beta\mathbb{D}_\text{KL}[\pi_\theta(y|x)\Vert\pi_\text{ref}(y|x)] = \max_\theta\mathbb{E}_{x\sim\mathcal{D},y\sim\pi_\theta(y|x)}[R(x,y)]-\beta\mathbb{E}_{y\sim\pi_\theta(y|x)}\left[\log\frac{\pi_\theta(y|x)}{\pi_\text{ref}(y|x)}\right]$$

        $$\max_\theta\mathbb{E}_{x\sim\mathcal{D},y\sim\pi_\theta(y|x)}[R(x,y)] = \max_\theta\mathbb{E}_{x\sim\mathcal{D},y\sim\pi_\theta(y|x)}[2 R(x,y)]$$

        $$\max_\theta\mathbb{E}_{x\sim\mathcal{D},y\sim\pi_\theta(y|x)}[R(x,y)] = \min_\theta\mathbb{E}_{x\sim\mathcal{D},y\sim\pi_\theta(y|x)}[-R(x,y)]$$
        """)
    assert verdicts(rec) == ["holds", "unknown", "unknown"]
    assert "maxima agree" in rec["steps"][0]["reason"] and "over the whole side" in rec["steps"][0]["read_as"]
    assert "may still agree" in rec["steps"][1]["reason"]
    assert "not attempted" in rec["steps"][2]["reason"] and rec["steps"][2]["read_as"]


def test_an_optimum_against_a_value_is_not_attempted(tmp_path):
    rec = check(tmp_path, TOKEN + r"""
        $$\max_\theta \mathbb{E}_{x\sim\mathcal{D},y\sim\pi_\theta(y|x)}[R(x,y)] = 0$$
        """)
    assert verdicts(rec) == ["unknown"] and "not attempted" in rec["steps"][0]["reason"]


# ------------------------------------------------------------ the preference data set, named losses

DPO_LOSS = (r"\log\sigma\left(\beta\log\frac{\pi_\theta(y_w|x)}{\pi_{ref}(y_w|x)} - "
            r"\beta\log\frac{\pi_\theta(y_l|x)}{\pi_{ref}(y_l|x)}\right)")


@pytest.mark.slow
def test_dpo_loss_rewritten_and_its_gradient_eq_7_judged(tmp_path):
    """DPO eq. 7 and its gradient (Rafailov et al. 2023, sec. 5): the loss regrouped holds; the gradient with
    sigma(r_l - r_w) holds, with sigma(r_w - r_l) it fails."""
    sig = (r"\sigma\left(\beta\log\frac{\pi_\theta(y_%s|x)}{\pi_{ref}(y_%s|x)} - "
           r"\beta\log\frac{\pi_\theta(y_%s|x)}{\pi_{ref}(y_%s|x)}\right)")
    grad = r"\left(\nabla_\theta\log\pi_\theta(y_w|x) - \nabla_\theta\log\pi_\theta(y_l|x)\right)"
    lhs = r"\nabla_\theta \left(-\mathbb{E}_{(x,y_w,y_l)\sim\mathcal{D}}\left[" + DPO_LOSS + r"\right]\right)"
    rec = check(tmp_path, TOKEN + r"""
        $$\mathcal{L}_{DPO}(\pi_\theta;\pi_{ref}) = -\mathbb{E}_{(y_w,y_l,x)\sim \mathcal{D}}\left[""" + DPO_LOSS + r"""\right] = -\mathbb{E}_{(y_w,y_l,x)\sim \mathcal{D}}\left[\log\sigma\left(\beta\left(\log\frac{\pi_\theta(y_w|x)}{\pi_\theta(y_l|x)} - \log\frac{\pi_{ref}(y_w|x)}{\pi_{ref}(y_l|x)}\right)\right)\right]$$

        $$""" + lhs + r" = -\beta\mathbb{E}_{(x,y_w,y_l)\sim\mathcal{D}}\left[" + sig % ("l", "l", "w", "w") + grad + r"""\right]$$

        $$""" + lhs + r" = -\beta\mathbb{E}_{(x,y_w,y_l)\sim\mathcal{D}}\left[" + sig % ("w", "w", "l", "l") + grad + r"""\right]$$
        """)
    assert verdicts(rec) == ["unknown", "holds", "holds", "fails"]
    first = rec["steps"][0]
    assert first["read_as"].startswith(r"\mathcal{L}_{DPO}(\pi_{\theta}; \pi_{ref}) =") and "a name the file" in first["reason"]
    assert "preference data set" in rec["steps"][1]["read_as"]


def test_data_expectation_is_a_distribution_on_pairs(tmp_path):
    rec = check(tmp_path, TOKEN + r"""
        $$\mathbb{E}_{(x,y_w,y_l)\sim\mathcal{D}}[1] = 1$$

        $$\mathbb{E}_{(x,y_w,y_l)\sim\mathcal{D}}[\pi_\theta(y_w|x)] = 1$$
        """)
    assert verdicts(rec) == ["holds", "fails"]


@pytest.mark.parametrize("tex, options, words", [
    (r"\mathcal{L}", {}, r"with a subscript, such as \mathcal{L}_{DPO}"),  # \mathcal{L}(\theta): a name since R10
    (r"\mathbb{E}_{(x,y_w,y_l)\sim\mathcal{D}}[1]", {}, "family: token"),
])
def test_named_and_data_refusals(tex, options, words):
    with pytest.raises(LatexError) as err:
        parse_math(tex, options=options)
    assert words in str(err.value)


# ------------------------------------------------------------ GRPO: one output of the group

TOK = r"(o_{i,t}|q,o_{i,<t})"
DRAW = r"\mathbb{E}_{o_{i,t}\sim\pi_\theta(\cdot|q,o_{i,<t})}"


def test_grpo_token_probability_is_the_policy_at_the_prefix_and_said_so():
    e, notes = read(r"\pi_\theta(o_{i,t} \mid q, o_{i,<t})", family="token")
    assert e == read(r"\pi_\theta(a_{t-1}|s_{t-1})")[0]
    assert any("tokens counted from 1" in n for n in notes)
    assert read(r"\pi_{\theta}(o_i|q)", family="token")[0] == read(r"\prod_{t=0}^{T-1} \pi_\theta(a_t|s_t)")[0]
    assert read(r"r_{i,t}(\theta)", family="token")[0] == read(r"r_{t-1}(\theta)")[0]


def test_grpo_k3_estimator_is_unbiased_per_token_and_judged(tmp_path):
    """Shao et al. 2024, eq. 4 (Schulman's k3): its expectation under pi_theta is the per-token KL; without the
    -1 it is not; E_{old}[r_{i,t}(theta)] = 1."""
    k3 = (r"\frac{\pi_{ref}%s}{\pi_{\theta}%s} - \log\frac{\pi_{ref}%s}{\pi_{\theta}%s}" % (TOK, TOK, TOK, TOK))
    kl = r"%s\left[\log\frac{\pi_{\theta}%s}{\pi_{ref}%s}\right]" % (DRAW, TOK, TOK)
    rec = check(tmp_path, TOKEN + r"""
        $$%s\left[%s - 1\right] = %s$$

        $$%s\left[%s\right] = %s$$

        $$\mathbb{E}_{o_{i,t}\sim\pi_{\theta_{old}}(\cdot|q,o_{i,<t})}\left[r_{i,t}(\theta)\right] = 1$$
        """ % (DRAW, k3, kl, DRAW, k3, kl))
    assert verdicts(rec) == ["holds", "fails", "holds"]


@pytest.mark.parametrize("tex, words", [
    (r"\frac{1}{|o_i|}", "|o_i| (the length of an output) is not read"),
    (r"\mathbb{E}[q \sim P(Q), \{o_i\}_{i=1}^G \sim \pi_{\theta_{old}}(O|q)]", r"\{o_i\}_{i=1}^G (GRPO's group"),
    (r"\hat{A}_{i,t}", "group-normalised advantage"),
    (r"\pi_\theta(o_{i,t}|q, o_{i,<t}) - \pi_\theta(o_{j,t}|q, o_{j,<t})", "two outputs of the group"),
    (r"o_i", "read only in \\pi_\\theta(o_i \\mid q)"),
])
def test_grpo_group_constructs_are_precise_unknowns(tex, words):
    with pytest.raises(LatexError) as err:
        parse_math(tex, options={"family": "token"})
    assert words in str(err.value)


def test_grpo_tokens_need_the_token_family():
    with pytest.raises(LatexError) as err:
        parse_math(r"\pi_\theta(o_{i,t} \mid q, o_{i,<t})")
    assert "family: token" in str(err.value)


def test_response_tokens_y_t_read_like_grpo_tokens(tmp_path):
    """pi_theta(y_t | x, y_{<t}): the next-token probability, a_{t-1} at s_{t-1}; its log-probabilities have mean 0 score."""
    assert read(r"\pi_\theta(y_t \mid x, y_{<t})", family="token")[0] == read(r"\pi_\theta(a_{t-1}|s_{t-1})")[0]
    rec = check(tmp_path, TOKEN + r"""
        $$\mathbb{E}_{y_t\sim\pi_\theta(\cdot|x,y_{<t})}\left[\nabla_\theta\log\pi_\theta(y_t|x,y_{<t})\right] = 0$$

        $$\mathbb{E}_{y_t\sim\pi_\theta(\cdot|x,y_{<t})}\left[\log\pi_\theta(y_t|x,y_{<t})\right] = 0$$
        """)
    assert verdicts(rec) == ["holds", "fails"]
    with pytest.raises(LatexError) as err:
        parse_math(r"\prod_{t=1}^{|y|}\pi_\theta(y_t|x,y_{<t})", options={"family": "token"})
    assert "|y| (the length of a response) is not read" in str(err.value)


def test_calligraphic_j_of_theta_is_the_objective():
    e, notes = read(r"\nabla_\theta \mathcal{J}(\theta)")
    assert e == read(r"\nabla_\theta J(\theta)")[0] and any("calligraphic" in n for n in notes)


def test_dpo_appendix_a1_chain_over_pi_and_learned_reward(tmp_path):
    """DPO appendix A.1 (max over pi in a token file, y ~ pi without arguments), and a learned reward r_phi."""
    rec = check(tmp_path, TOKEN + r"""
        $$\max_\pi \mathbb{E}_{x\sim\mathcal{D}, y\sim\pi}[r(x,y)] - \beta\mathbb{D}_{KL}[\pi(y|x)\|\pi_{ref}(y|x)] = \max_\pi \mathbb{E}_{x\sim\mathcal{D}}\mathbb{E}_{y\sim\pi(y|x)}\left[r(x,y) - \beta\log\frac{\pi(y|x)}{\pi_{ref}(y|x)}\right]$$

        $$\mathbb{E}_{(x,y_w,y_l)\sim\mathcal{D}}\left[\log\sigma(r_\phi(x,y_w) - r_\phi(x,y_l))\right] = \mathbb{E}_{(x,y_w,y_l)\sim\mathcal{D}}\left[-\log\left(1 + e^{r_\phi(x,y_l) - r_\phi(x,y_w)}\right)\right]$$

        $$r_\phi(x, y) = r(x, y)$$
        """)
    assert verdicts(rec) == ["holds", "holds", "fails"]
    assert "learned reward model" in rec["steps"][2]["read_as"]


# ------------------------------------------------------------ inferred family, undefined Z(x)

def test_language_model_notation_infers_the_token_family(tmp_path):
    """No front matter: pi(y|x) and no s_t, a_t, tau -> family: token, stated on the conventions line."""
    rec = check(tmp_path, r"""
        $$r(x, y) = \beta\log\frac{\pi_r(y \mid x)}{\pi_{\text{ref}}(y \mid x)} + \beta\log\sum_{y}\pi_{\text{ref}}(y|x)\exp\left(\frac{1}{\beta}r(x, y)\right)$$
        """)
    assert verdicts(rec) == ["holds"]
    assert any("inferred: family: token" in c for c in rec["conventions"])


def test_mdp_notation_keeps_the_random_family(tmp_path):
    rec = check(tmp_path, r"""
        $$\pi_\theta(y|x) = \pi_\theta(a_t|s_t)$$
        """)
    assert not any("family: token" in c for c in rec.get("conventions", []))
    assert verdicts(rec) == ["unknown"]


def test_undefined_partition_function_decides_only_what_holds_for_every_z(tmp_path):
    """RLHF book ch. 8 (add and subtract log Z): holds for every Z; pi_r against an arbitrary Z: not decided."""
    rec = check(tmp_path, TOKEN + r"""
        $$\log\frac{\pi(y|x)}{\pi_{\text{ref}}(y|x)} - \frac{1}{\beta}r(x,y) = \log\frac{\pi(y|x)}{\frac{1}{Z(x)}\pi_{\text{ref}}(y|x)} - \log Z(x) - \frac{1}{\beta}r(x,y)$$

        $$\pi_r(y|x) = \frac{1}{Z(x)}\pi_{\text{ref}}(y|x)\exp\left(\frac{1}{\beta}r(x,y)\right)$$
        """)
    assert verdicts(rec) == ["holds", "unknown"]
    assert "for every value of" in rec["steps"][0]["reason"] and "Z(x) not bound by a definition" in rec["steps"][0]["reason"]
    assert "not decided" in rec["steps"][1]["reason"] and "arbitrary positive function" in rec["steps"][1]["read_as"]


def test_data_set_written_with_in_and_chosen_rejected(tmp_path):
    """(x, y_w, y_l) \\in D (a sample of the data set); the RLHF book's chosen and rejected y_c, y_r."""
    rec = check(tmp_path, TOKEN + r"""
        $$\mathbb{E}_{(x,y_w,y_l)\in\mathcal{D}}[1] = 1$$

        $$\mathbb{E}_{(x,y_c,y_r)\sim\mathcal{D}}[\log\sigma(r_\phi(x,y_c) - r_\phi(x,y_r))] = -\mathbb{E}_{(x,y_c,y_r)\sim\mathcal{D}}[\log(1 + e^{r_\phi(x,y_r) - r_\phi(x,y_c)})]$$

        $$\mathbb{E}_{(x,y_c,y_r)\sim\mathcal{D}}[\pi(y_c|x)] = 1$$
        """)
    assert verdicts(rec) == ["holds", "holds", "fails"]


def test_optimum_next_to_another_reward_is_decided_only_when_it_holds_for_every_latent_reward(tmp_path):
    """pi^* with the file's r-based Z(x): the author's pi^* may be r's optimum, so the failure under r^* is not
    a verdict; eq. 6's Z-free form next to p^* is exact (test_bradley_terry_and_dpo_eq_6_judged)."""
    rec = check(tmp_path, TOKEN + r"""
        where $Z(x) = \sum_y \pi_{\text{ref}}(y \mid x)\exp\left(\frac{1}{\beta}r(x, y)\right)$ is the partition function.

        $$r(x, y) = \beta\log\frac{\pi^*(y \mid x)}{\pi_{\text{ref}}(y \mid x)} + \beta\log Z(x)$$

        $$\beta\log\frac{\pi^*(y_1 \mid x)}{\pi_{\text{ref}}(y_1 \mid x)} + \beta\log Z(x) - \beta\log Z(x) = \beta\log\frac{\pi^*(y_1 \mid x)}{\pi_{\text{ref}}(y_1 \mid x)}$$

        $$\pi^*(y \mid x) = \pi_{\text{ref}}(y \mid x)$$
        """)
    assert verdicts(rec) == ["unknown", "holds", "fails"]
    assert "not decided" in rec["steps"][0]["reason"] and "arbitrary latent reward" in rec["steps"][0]["reason"]


def test_bradley_terry_next_to_a_learned_reward_is_not_a_failure(tmp_path):
    """p^* is Bradley-Terry on r^*; an author writing it with r_phi may mean the model's own: not decided, never
    fails; with r^* it is exact both ways."""
    rec = check(tmp_path, TOKEN + r"""
        $$p^*(y_w \succ y_l|x) = \sigma(r_\phi(x,y_w) - r_\phi(x,y_l))$$

        $$p^*(y_w \succ y_l|x) = \sigma(r^*(x,y_w) - r^*(x,y_l))$$

        $$p^*(y_w \succ y_l|x) = \sigma(r^*(x,y_l) - r^*(x,y_w))$$
        """)
    assert verdicts(rec) == ["unknown", "holds", "fails"]
