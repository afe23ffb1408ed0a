"""Issue 10 (R2): bold type, expectations without brackets, strict inequalities, and the other forms of R2."""
import pytest

from derive.read_latex import LatexError, parse_math

from derivation_helpers import check, read, verdicts


def _err(tex, **options):
    with pytest.raises(LatexError) as e:
        parse_math(tex, options=options)
    return str(e.value)


# ------------------------------------------------------------ bold type (read_latex/bold.py)


def test_mathbf_theta_is_theta_with_a_note():
    got, notes = read(r"\nabla_{\mathbf{\theta}} \log \pi(a|s, \mathbf{\theta})")
    assert got == parse_math(r"\nabla_\theta \log \pi_\theta(a|s)")
    assert any(r"\mathbf{\theta} is read as \theta" in n and "bold type" in n for n in notes)


def test_bm_and_boldsymbol_and_symbf_are_the_symbol():
    for tex in (r"\bm{\gamma} V^{\pi}(s)", r"\boldsymbol{\gamma} V^{\pi}(s)", r"\symbf{\gamma} V^{\pi}(s)",
                r"\bm\gamma V^{\pi}(s)"):
        got, notes = read(tex)
        assert got == parse_math(r"\gamma V^{\pi}(s)"), tex
        assert any("bold type" in n for n in notes), tex


def test_bold_subscripted_symbol_keeps_its_subscript():
    # \mathbf{r}_t: the braces of a one-symbol argument go, so the subscript is r's own
    got, _ = read(r"\mathbf{r}_{t} + \gamma \mathbf{r}_{t+1}")
    assert got == parse_math(r"r_{t} + \gamma r_{t+1}")


def test_bold_indicator_and_bold_expectation_keep_their_meaning():
    got, notes = read(r"\mathbf{1}\{a_t = a\} + \mathbf{E}_{\tau\sim\pi}[r_t]")
    assert got == parse_math(r"\mathbb{1}\{a_t = a\} + \mathbb{E}_{\tau\sim\pi}[r_t]")
    assert not any("bold type" in n for n in notes)


def test_bold_without_argument_names_the_fix():
    msg = _err(r"\mathbf + 1")
    assert r"\mathbf{x}" in msg and r"\mathbf{1}" in msg


# ------------------------------------------------------------ E without brackets (expectation_unbracketed.py)


def test_plain_E_with_a_draw_and_no_brackets():
    # CS224R notes: J(\theta) = E_{\tau \sim p_\theta(\tau)} r(\tau)
    got, notes = read(r"E_{\tau \sim p_{\theta} (\tau)} r(\tau)")
    assert str(got) == str(parse_math(r"\mathbb{E}_{\tau \sim \pi_\theta}[r(\tau)]"))  # the sum's dummy t differs
    assert any("without brackets" in n for n in notes)


def test_unbracketed_expectation_body_is_the_rest_of_the_product():
    got, _ = read(r"\mathbb{E}_{a \sim \pi(\cdot|s)} \pi(a|s) Q^\pi(s,a) + 1")
    assert got == parse_math(r"\mathbb{E}_{a \sim \pi(\cdot|s)}[\pi(a|s) Q^\pi(s,a)] + 1")


def test_expectation_without_subscript_or_brackets_stays_refused():
    assert "brackets" in _err(r"\mathbb{E} r_t")
    assert "unknown symbol E" in _err(r"E r_t")  # a plain E needs a draw or a bracket to be an expectation


# ------------------------------------------------------------ strict inequalities (read_markdown/strict_steps.py)


def test_strict_inequalities_are_judged_exactly(tmp_path):
    rec = check(tmp_path, r"""
        ---
        title: strict
        ---

        $$
        \gamma^2 < \gamma + 1
        $$

        $$
        1 + \gamma^2 > \gamma^2
        $$

        $$
        \gamma^2 > \gamma
        $$
        """)
    assert verdicts(rec) == ["holds", "holds", "fails"]
    assert rec["steps"][0]["read_as"].startswith(r"\gamma^{2} < \gamma + 1")
    # gamma = 0 (or 1) makes the sides equal: equality refutes a strict inequality
    ce = rec["steps"][2]["counterexample"]
    assert ce["lhs"] == ce["rhs"]


def test_strict_inequality_between_free_scalars(tmp_path):
    rec = check(tmp_path, r"""
        ---
        title: strict scalars
        assume: x > 0
        ---

        $$
        x + 1 > x
        $$

        $$
        x^2 > x
        $$
        """)
    assert verdicts(rec) == ["holds", "fails"]


def test_neq_stays_unread_with_its_reason(tmp_path):
    rec = check(tmp_path, r"""
        ---
        title: neq
        ---

        $$
        \gamma + 1 \neq \gamma
        $$
        """)
    assert verdicts(rec) == ["unknown"]
    assert "not an identity" in rec["steps"][0]["reason"] and "j \\neq i" in rec["steps"][0]["reason"]


# ------------------------------------------------------------ A_t in a file about one policy (notation_one_policy.py)


def test_bare_advantage_in_a_one_policy_file_is_that_policys(tmp_path):
    rec = check(tmp_path, r"""
        ---
        title: one policy
        ---

        $$
        \nabla_\theta J(\theta) = \mathbb{E}_{\tau \sim \pi_\theta}\left[\sum_{t=0}^{T-1} \nabla_\theta \log \pi_\theta(a_t|s_t) A_t\right]
        $$
        """)
    assert verdicts(rec) == ["holds"]
    assert "A^{\\pi_\\theta}(s_t, a_t)" in rec["steps"][0]["read_as"]


def test_bare_advantage_with_a_second_policy_stays_unknown(tmp_path):
    rec = check(tmp_path, r"""
        ---
        title: two policies
        ---

        $$
        \mathbb{E}_{\tau \sim \pi_\theta}\left[\sum_{t=0}^{T-1} A_t\right] = \mathbb{E}_{\tau \sim \pi_{\theta_{old}}}\left[\sum_{t=0}^{T-1} \frac{\pi_\theta(a_t|s_t)}{\pi_{\theta_{old}}(a_t|s_t)} A_t\right]
        $$
        """)
    assert verdicts(rec) == ["unknown"]
    assert "more than one policy" in rec["steps"][0]["reason"]


def test_capital_action_of_sutton_barto_is_not_an_advantage():
    from derive.read_latex.reading import Reading

    got, notes = read(r"\pi(A_t|S_t)", reading=Reading(r"$S_t$ and $A_t$"))
    assert not any("advantage" in n for n in notes)


# ------------------------------------------------------------ E[X; \pi_\theta] (expectation_unbracketed.py)


def test_expectation_with_the_policy_after_a_semicolon():
    got, notes = read(r"\mathbb{E}\left( \sum_{t=0}^{T-1} \gamma^t r_t ; \pi_{\theta} \right)")
    assert str(got) == str(parse_math(r"\mathbb{E}_{\tau \sim \pi_\theta}\left[\sum_{t=0}^{T-1} \gamma^t r_t\right]"))
    assert any("after ';'" in n for n in notes)


def test_expectation_with_a_parameter_needs_trajectory_variables():
    assert "trajectory" in _err(r"\mathbb{E}[Q^\pi(s,a); \pi]")


# ------------------------------------------------------------ reward-model scores (notation_scores.py)


def test_reward_model_scores_are_free_reals_and_exp_algebra_is_judged(tmp_path):
    rec = check(tmp_path, r"""
        ---
        title: Bradley-Terry algebra
        ---

        $$
        \begin{aligned}
        \frac{\exp\left(r_\theta(y_c \mid x)\right)}{\exp\left(r_\theta(y_c \mid x)\right) + \exp\left(r_\theta(y_r \mid x)\right)} &= \frac{1}{1 + \exp\left(-(r_\theta(y_c \mid x) - r_\theta(y_r \mid x))\right)} \\
        &= \frac{1}{1 + \exp\left(r_\theta(y_c \mid x) - r_\theta(y_r \mid x)\right)}
        \end{aligned}
        $$
        """)
    assert verdicts(rec) == ["holds", "fails"]
    assert "60-digit" in rec["steps"][0]["reason"]
    assert "free real number" in rec["steps"][0]["read_as"]


def test_reward_model_score_with_family_token_keeps_the_token_reading():
    got, notes = read(r"r_\phi(x, y)", family="token")  # a function of the response (notation_dpo.py)
    assert not any("free real number" in n for n in notes) and "free real" not in str(type(got))


# ------------------------------------------------------------ P(s_0) (notation_start.py)


def test_capital_p_of_the_first_state_is_rho0():
    got, notes = read(r"P(s_0) \prod_{t=0}^{T-1} \pi_\theta(a_t | s_t) P(s_{t + 1} | s_t, a_t)")
    assert got == parse_math(r"\rho_0(s_0) \prod_{t=0}^{T-1} \pi_\theta(a_t | s_t) P(s_{t + 1} | s_t, a_t)")
    assert any(r"P(s_0) is the initial-state distribution" in n for n in notes)
    assert "P is written" in _err(r"P(s)")  # a one-argument P of another state keeps its message


# ------------------------------------------------------------ P(x), Q(x), X: importance sampling with capitals


def test_importance_sampling_with_capital_distributions(tmp_path):
    rec = check(tmp_path, r"""
        ---
        title: importance sampling, capitals
        ---

        \begin{align}
        \mathbb{E}_{P(X)}\big[f(X)\big]&=\int_{x}Q(x)\frac{P(x)}{Q(x)}f(x)\,dx \\ &=\mathbb{E}_{Q(X)}\left[\frac{P(X)}{Q(X)}f(X)\right] \\ &= \mathbb{E}_{x \sim Q}\left[f(x)\right]
        \end{align}
        """)
    assert verdicts(rec) == ["holds", "holds", "fails"]
    assert "free distributions p(x), q(x)" in rec["steps"][0]["read_as"]


def test_capital_distributions_need_a_file_without_lower_case_names():
    from derive.read_latex.reading import Reading

    with pytest.raises(LatexError):  # p(x) is written too: P(x) would collide with it
        parse_math(r"P(x) f(x)", options={"reading": Reading(r"$P(x)$ and $p(x)$")})
    assert "unknown symbol X" in _err(r"f(X)")


def test_bare_advantage_in_a_gae_file_stays_unknown(tmp_path):
    rec = check(tmp_path, r"""
        ---
        title: GAE recursion
        ---

        $$
        A_t = \delta_t + \gamma \lambda A_{t+1}
        $$
        """)
    assert verdicts(rec) == ["unknown"]
    assert r"\hat{A}_t" in rec["steps"][0]["reason"]
