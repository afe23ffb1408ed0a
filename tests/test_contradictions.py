"""Silent misreadings of published derivations (issue 10): each was a verdict contradicting the author's
meaning in tests/real_world/.  A written prime, superscript or parameter is read or refused, never dropped;
a bare V, Q the file defines as the value of its policy is read so, and said."""
from __future__ import annotations


import pytest

from derive.read_latex import LatexError
from derive.lang import nodes as N
from derivation_helpers import check, read, verdicts


# ------------------------------------------------------------------ 1. primes


@pytest.mark.parametrize("written", [r"s^{\prime}", r"s^\prime", r"s^{'}", r"{s'}", r"s^{ \prime }"])
def test_a_prime_in_a_superscript_is_a_prime(written):
    tex = r"\sum_{%s} P(%s|s,a) V(%s)" % (written, written, written)
    assert read(tex)[0] == read(r"\sum_{s'} P(s'|s,a) V(s')")[0]
    assert read(tex)[0] != read(r"\sum_{s} P(s|s,a) V(s)")[0]


@pytest.mark.parametrize("written", [r"s^{\prime\prime}", r"s^{\prime \prime}", r"s^{''}", r"s^\prime^\prime"])
def test_two_primes_in_a_superscript_are_two_primes(written):
    assert read(r"V(%s)" % written)[0] == read(r"V(s'')")[0]
    assert read(r"V(%s)" % written)[0] != read(r"V(s')")[0]


def test_primed_action_and_the_sum_it_binds(tmp_path):
    rec = check(tmp_path, r"""
        ---
        title: primes
        setting: discounted
        ---
        $$
        V^{\pi}(s) = \sum_{a^{\prime}} \pi(a^{\prime}|s) Q^{\pi}(s, a^{\prime}) = \sum_{a^{'}} \pi(a^{'}|s) Q^{\pi}(s, a^{'})
        $$
        """)
    assert verdicts(rec) == ["holds", "holds"]


# ------------------------------------------------------ 2. written parameters


def test_gae_parameters_as_written_are_read_not_dropped():
    plain = read(r"\hat{A}_t^{\text{GAE}(\gamma,\lambda)}")[0]
    assert isinstance(plain, N.GAE)
    for value in ("0", "1"):
        for tex in (r"\hat A^{\text{GAE}(\gamma, %s)}_t" % value, r"\hat{A}_t^{GAE(\gamma,%s)}" % value):
            got = read(tex)[0]
            assert isinstance(got, N.SetParam) and got.args[0] == plain and str(got.args[2]) == value


@pytest.mark.parametrize("tex, words", [
    (r"\hat{A}_t^{GAE(0.99, \lambda)}", "first parameter"),
    (r"\hat{A}_t^{\mathrm{GAE}(\gamma, x)}", "must be \\lambda or a constant"),
    (r"\hat{A}^{\pi}_t", "unknown estimator"),
    (r"\delta_t^{\pi}", "names the value function"),
])
def test_a_superscript_derive_cannot_read_is_refused_not_dropped(tex, words):
    with pytest.raises(LatexError) as err:
        read(tex)
    assert words in str(err.value)


def test_gae_extreme_cases_judged_with_the_written_lambda(tmp_path):
    # GAE paper (Schulman et al. 2016) eqs. 17-18, with the notes' own delta^V: lambda = 0 is the TD error,
    # lambda = 1 the discounted sum; a wrong lambda fails.
    rec = check(tmp_path, r"""
        ---
        title: GAE extremes
        setting: discounted
        ---
        $$
        \hat A^{\text{GAE}(\gamma, 0)}_t = \delta^V_t
        $$
        $$
        \hat A^{\text{GAE}(\gamma, 1)}_t = \sum_{l=0}^{\infty} \gamma^l \delta_{t + l}^V
        $$
        $$
        \hat A^{\text{GAE}(\gamma, 1)}_t = \delta^V_t
        $$
        """)
    assert verdicts(rec) == ["holds", "holds", "fails"]
    assert any("writes \\delta^V" in c for c in rec["conventions"])


# --------------------------------------------- 3. a bare V, Q the file defines


QDEF = r"""
    ---
    title: Q by its definition
    setting: discounted
    ---
    $$
    Q_{\pi}(s, a)=\mathbb{E}_{\pi}\left[G_{t} \mid s_{t}=s, a_{t}=a\right]
    $$
    $$
    Q(s,a) = \mathbb{E}\left[G_{t} \mid s_{t}=s,a_{t}=a\right] = R(s,a)+\gamma \mathbb{E}[V(s_{t+1})|s_{t}=s,a_{t}=a]
    $$
    """


def test_bare_q_defined_as_the_value_is_read_as_q_pi_and_said(tmp_path):
    rec = check(tmp_path, QDEF)
    assert verdicts(rec) == ["holds", "holds", "holds"]
    said = " ".join(rec["conventions"])
    assert "bare Q(s,a) means Q^pi" in said and "line 9" in said
    assert "Q^{\\pi_{\\theta}}(s, a)" in rec["steps"][1]["read_as"]


def test_bare_q_without_the_definition_stays_free(tmp_path):
    # the same chain without the line tying Q to E[G_t | ...]: a free function, so the step fails
    text = QDEF.replace(r"Q(s,a) = \mathbb{E}\left[G_{t} \mid s_{t}=s,a_{t}=a\right] = ", "Q(s,a) = ")
    rec = check(tmp_path, text)
    assert verdicts(rec)[1] == "fails"
    assert "Q^pi" not in " ".join(rec["conventions"])
    assert any("holds if V means V^pi" in h for h in rec["steps"][1]["hints"])  # a hint, the verdict unchanged


def test_a_critic_keeps_bare_v_free(tmp_path):
    rec = check(tmp_path, r"""
        ---
        title: a critic
        setting: discounted
        ---
        $$
        V(s) = \mathbb{E}\left[G_{t} \mid s_{t}=s\right]
        $$
        $$
        \delta^V_t = r_t + \gamma V(s_{t+1}) - V(s_t)
        $$
        """)
    assert rec["steps"][0]["verdict"] == "fails"  # a free V is not the value: the author's claim is checked


def test_markov_reward_process_r_s_and_p_s_given_s(tmp_path):
    # Easy RL sec. 2.2: V(s) = R(s) + gamma sum_{s'} p(s'|s) V(s') for the process's V, R, p
    rec = check(tmp_path, r"""
        ---
        title: MRP Bellman
        setting: discounted
        ---
        $$
        V(s) = \mathbb{E}\left[G_{t} \mid s_{t}=s\right]
        $$
        $$
        V(s)=R(s)+\gamma \sum_{s^{\prime} \in S} p\left(s^{\prime} \mid s\right) V\left(s^{\prime}\right)
        $$
        $$
        V(s)=R(s)+\sum_{s^{\prime} \in S} p\left(s^{\prime} \mid s\right) V\left(s^{\prime}\right)
        $$
        """)
    assert verdicts(rec) == ["holds", "holds", "fails"]
    assert "Markov reward process" in rec["steps"][1]["read_as"]


def test_r_of_a_state_outside_a_reward_process_is_refused():
    with pytest.raises(LatexError) as err:
        read(r"R(s)")
    assert "Markov reward process" in str(err.value)


# ------------------------------------------------- equation labels, prose lambda


def test_an_equation_label_after_quad_is_not_a_factor(tmp_path):
    # rl-tutorial-obsidian: "... \quad\quad(2)" was read as 2 * (...), a silent misreading
    rec = check(tmp_path, r"""
        ---
        title: labels
        setting: discounted
        ---
        $$
        \begin{split}
        \sum_a \pi(a|s) Q^{\pi}(s,a) \quad\quad\quad(1) \\
        &= V^{\pi}(s) \qquad (2)
        \end{split}
        $$
        """)
    assert verdicts(rec) == ["holds"]  # read as 1 * X = 2 * V, it failed
    assert rec["steps"][0]["justification"] == "2"


def test_lambda_set_by_the_prose_before_a_display(tmp_path):
    # JoyRL eq. 10.8: "当 lambda = 1 时" (when lambda = 1), then the sum still written with lambda
    rec = check(tmp_path, r"""
        ---
        title: GAE with lambda = 1
        setting: discounted
        ---
        当 $\lambda = 1$ 时，GAE 退化为蒙特卡洛估计：
        $$
        A^{\mathrm{GAE}(\gamma, 1)}(s_t, a_t) = \sum_{l=0}^{\infty}(\gamma \lambda)^l \delta_{t+l} = \sum_{l=0}^{\infty}(\gamma)^l \delta_{t+l}
        $$

        Without it:
        $$
        \sum_{l=0}^{\infty}(\gamma \lambda)^l \delta_{t+l} = \sum_{l=0}^{\infty}(\gamma)^l \delta_{t+l}
        $$
        """)
    assert verdicts(rec) == ["holds", "holds", "fails"]
    assert "the text sets \\lambda = 1" in rec["steps"][1]["read_as"]


def test_k_step_advantages_written_without_a_hat():
    assert read(r"A_t^{(2)}")[0] == read(r"\hat{A}_t^{(2)}")[0]
    assert read(r"A^{\mathrm{GAE}(\gamma,\lambda)}(s_t, a_t)")[0] == read(r"\hat{A}^{\mathrm{GAE}(\gamma,\lambda)}_t")[0]
    with pytest.raises(LatexError):
        read(r"A^{\mathrm{GAE}(\gamma,\lambda)}(s_t, a_{t+1})")


# ------------------------------------------------------------ step structure


def test_prose_that_introduces_a_display_makes_it_a_definition(tmp_path):
    rec = check(tmp_path, r"""
        ---
        title: definitions in prose
        setting: discounted
        ---
        首先，用

        $$
        \delta_t=r_t+\gamma V(s_{t+1})-V(s_t)
        $$

        表示时序差分误差。Let $\rho_\pi$ be the (unnormalized) discounted visitation frequencies

        $$
        \rho_\pi(s) = P(s_0 = s) + \gamma P(s_1 = s) + \dots,
        $$

        with

        $$
        v_c = \frac{c}{1 - \gamma}
        $$

        其中
        $$
        u_c = 2
        $$

        $$
        \delta_t = r_t+\gamma V(s_{t+1})-V(s_t)
        $$
        """)
    assert len(rec["steps"]) == 1 and rec["steps"][0]["verdict"] == "holds"
    assert len(rec["definitions"]) == 4


def test_stated_reward_index_t_is_not_overridden_by_capital_letters(tmp_path):
    # rl-tutorial-obsidian: the episode is S_0, A_0, R_0, S_1, ... (front matter reward-index: t); the capital
    # S_t used to switch R_t to Sutton & Barto's R_t = derive's r_{t-1}
    rec = check(tmp_path, r"""
        ---
        title: capitals with reward-index t
        setting: discounted
        reward-index: t
        ---
        $$
        \mathbb{E}_\pi[G_t \mid S_t = s] = \mathbb{E}_\pi[R_t + \gamma G_{t+1} \mid S_t = s]
        $$
        """)
    assert verdicts(rec) == ["holds"]


def test_a_bare_r_next_to_the_mdp_is_not_a_free_constant(tmp_path):
    # JoyRL ch. 3: "\sum_{s'} p(s'|s,a)[r + \gamma V_\pi(s')]" (r: the reward) was judged "for all r" and FAILED
    rec = check(tmp_path, r"""
        ---
        title: bare r
        setting: discounted
        ---
        $$
        \sum_{a} \pi(a \mid s) \sum_{s'} p(s' \mid s, a)\left[R(s, a)+\gamma V^{\pi}(s')\right]
        = \sum_{a} \pi(a \mid s) \sum_{s'} p(s' \mid s, a)\left[r+\gamma V^{\pi}(s')\right]
        $$
        """)
    assert verdicts(rec) == ["unknown"] and "bare r next to MDP quantities" in rec["steps"][0]["reason"]


def test_rst_heading_underline_is_not_a_code_fence_and_aligned_colon_equals(tmp_path):
    # OmniSafe docs: "PPO-Clip\n~~~~~~~~" masked the rest of the file as a ~~~ code fence (0 steps found);
    # "\hat{A}_{\pi}:&= ..." is an aligned := (a definition), not a step
    rec = check(tmp_path, r"""
        ---
        title: rst
        setting: discounted
        ---
        PPO-Clip
        ~~~~~~~~

        .. math::
            :label: eq-1

            \hat{A}_t^{(2)}:&= \delta_t+\gamma\delta_{t+1} \\
            &= -V^{\pi}(s_t) + r_t + \gamma r_{t+1} + \gamma^2 V^{\pi}(s_{t+2})
        """)
    assert verdicts(rec) == ["holds"] and len(rec["definitions"]) == 1


@pytest.mark.parametrize("tex, words", [
    (r"\lim_{t \to \infty} \gamma^t", r"a limit is not read"),  # \lim of partial sums is read: tests/test_reader_approx.py
    (r"\rho(s \to x, k)", r"\to (k \to \infty, or a map"),
    (r"\phi(s)", r"write f(s) and define it"),
    (r"y_w \succ y_l", r"\succ (a preference"),
])
def test_standard_commands_derive_does_not_read_say_why(tex, words):
    # not "define it with \newcommand": these are standard LaTeX with a meaning derive does not check
    with pytest.raises(LatexError) as err:
        read(tex)
    assert words in str(err.value) and "newcommand" not in str(err.value)
