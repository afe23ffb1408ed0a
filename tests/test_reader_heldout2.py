"""What the held-out sources (tests/real_world/README.md, "Held-out sources") showed the reader missed, read
generally: the phrasings that introduce a display as a definition (English and Chinese), ... (issue 10, R6).

Each test writes a small derivation in the style of textbooks, notes and blogs (not a corpus file)."""
from derive.read_markdown import read_derivation

from derivation_helpers import md


def _read(text):
    d = read_derivation(md(text), "t.md")
    return d, [(s.lhs, s.relation, s.rhs) for s in d.steps]


# ------------------------------------------------------------- 1. displays the prose introduces as definitions

def test_first_person_define_as_follows_is_a_definition_not_a_step():
    d, steps = _read(r"""
        We define the one-step residual as follows:

        $$
        \delta_t^V = r_t + \gamma V(s_{t+1}) - V(s_t)
        $$

        Then

        $$
        \delta_t^V + V(s_t) = r_t + \gamma V(s_{t+1})
        $$
        """)
    assert len(steps) == 1
    assert [r["lhs"] for r in d.definitions] == [r"\delta_t^V"]
    assert "defines it" in d.definitions[0]["read_as"]


def test_we_must_define_then_a_full_stop_binds_a_new_symbol():
    d, steps = _read(r"""
        To start, we must define the advantage of the one-step estimate.

        $$
        g_t = r_t + \gamma V(s_{t+1}) - V(s_t)
        $$
        """)
    assert steps == [] and d.definitions[0]["read_as"].startswith("g_t :=")


def test_passive_defined_as_with_a_chain_of_new_notation_is_not_a_step():
    # "X is defined as: $$ X = A = B $$": the further '=' restates the definition; shown, not judged
    d, steps = _read(r"""
        The centred reward for completion $i$ is defined as:

        $$ \tilde{A}_i = r_i - \text{mean}(r) = r_i - \frac{1}{G}\sum_{j=1}^G r_j $$
        """)
    assert steps == []
    assert "restates the definition" in d.definitions[-1]["error"]


def test_chinese_defined_as_naming_the_symbol_is_a_definition():
    d, steps = _read(r"""
        多步TD残差$\delta_t^{(n)}$定义为：
        $$
        \delta_t^{(n)} = \sum_{k=0}^{n-1} \gamma^k r_{t+k} + \gamma^n V(s_{t+n}) - V(s_t)
        $$
        我们需要证明：
        $$
        \delta_t^{(n)} = \sum_{k=0}^{n-1} \gamma^k \delta_{t+k}
        $$
        """)
    assert len(steps) == 1 and d.definitions[0]["read_as"].startswith(r"\delta_t^{(n)} :=")


def test_chinese_where_clause_naming_the_left_side_is_a_definition():
    d, steps = _read(r"""
        其中，每个$g_t$的计算是单步的TD残差：
        $$
        g_t = r_t + \gamma V(s_{t+1}) - V(s_t)
        $$
        其中 $Z(s)$ 是配分函数, 定义如下

        $$
        Z(s) = \sum_a \pi(a|s)
        $$
        """)
    assert steps == [] and len(d.definitions) == 2


def test_a_model_defines_the_probability_is_a_definition_even_when_not_bound():
    d, steps = _read(r"""
        The Bradley-Terry model defines the probability that a judge prefers $i$ over $j$:

        $$P(i > j) = \frac{p_i}{p_i + p_j}.$$
        """)
    assert steps == [] and d.definitions[0]["read_as"] is None  # shown as "not bound", never judged


def test_imperative_define_and_chinese_define_x_as_are_definitions():
    for prose in ("Define the TD error of $V$ as", "定义 $g_t$ 为："):
        d, steps = _read(rf"""
            {prose}

            $$ g_t = r_t + \gamma V(s_{{t+1}}) - V(s_t) $$
            """)
        assert steps == [] and d.definitions[0]["read_as"].startswith("g_t :="), prose


def test_is_given_by_introduces_a_new_symbol_but_states_a_result_about_a_known_one():
    d, steps = _read(r"""
        The centred reward of completion $i$ is given by:

        $$ \tilde{A}_i = r_i - \frac{1}{G}\sum_{j=1}^G r_j $$

        The policy gradient is given by:

        $$ \nabla_\theta J(\theta) = \mathbb{E}_{\tau \sim \pi_\theta}\left[\sum_{t=0}^{T-1} \nabla_\theta \log \pi_\theta(a_t|s_t) R(\tau)\right] $$
        """)
    assert len(steps) == 1 and steps[0][0] is not None
    assert [r["lhs"] for r in d.definitions] == [r"\tilde{A}_i"]


def test_prose_that_uses_or_rewrites_a_definition_keeps_the_step():
    for prose in ("Using the advantage as defined above, we get:", "根据定义，可得：", "The return can be written as:",
                  "回报可以写为", "目标函数可表示为"):
        _, steps = _read(rf"""
            {prose}

            $$ G_t = \sum_{{l=0}}^{{T-t-1}} \gamma^l r_{{t+l}} $$
            """)
        assert len(steps) == 1, prose


def test_a_sentence_that_defines_in_words_before_a_full_stop_keeps_the_display_a_step():
    # "we define X, denoted $q$, as the expected return ... ." then a display: it restates, a (checkable) step
    _, steps = _read(r"""
        Similarly, we define the value of taking $a$ in $s$, denoted as $q(s,a)$, as the expected return from $s$.

        $$ q(s,a) = \mathbb{E}_\pi[G_t \mid s_t = s, a_t = a] $$
        """)
    assert len(steps) == 1


def test_a_known_quantity_described_as_defined_keeps_the_step_and_a_recursive_display_is_an_equation():
    _, steps = _read(r"""
        The reward function is defined as:

        $$ J(\theta) = \sum_{s} d^\pi(s) V^\pi(s) = \sum_s d^\pi(s) \sum_a \pi_\theta(a|s) Q^\pi(s,a) $$

        where $\eta(s)$ denotes the expected number of visits to $s$:

        $$ \eta(s) = \rho_0(s) + \sum_{\bar s} \eta(\bar s) \sum_a \pi(a|\bar s) P(s|\bar s, a) $$
        """)
    assert len(steps) == 3


# ------------------------------------------------------------- 5. the reward distribution p(r|s,a) over \mathcal{R}(s,a)

def test_reward_marginal_summed_over_the_reward_set_of_s_a():
    from derive.lang import nodes
    from derive.lang.symbols import ActionVar, StateVar

    from derivation_helpers import read

    value, notes = read(r"\sum_{r \in \mathcal{R}(s,a)} p(r|s, a)\, r")
    nxt, s, a = StateVar("s_next"), StateVar("s"), ActionVar("a")
    assert value == nodes.SumOver(nodes.Rew(s, a, nxt) * nodes.Trans(nxt, s, a), nxt)
    assert any(r"p(r \mid s, a) is the reward's distribution" in n for n in notes)


def test_reward_set_sum_without_the_reward_probability_is_refused():
    import pytest

    from derive.read_latex import LatexError
    from derivation_helpers import read

    with pytest.raises(LatexError, match=r"p\(s', r \\mid s, a\)"):
        read(r"\sum_{r \in \mathcal{R}(s,a)} r")


def test_zhao_elementwise_bellman_step_holds(tmp_path):
    from derivation_helpers import check, verdicts

    rec = check(tmp_path, r"""
        ---
        reward-index: t+1
        setting: discounted
        ---
        $$\mathbb{E}[R_{t+1} | S_t = s] = \sum_{a \in \mathcal{A}(s)} \pi(a|s) \sum_{r \in \mathcal{R}(s,a)} p(r|s, a) r$$
        """)
    assert verdicts(rec) == ["holds"]


# ------------------------------------------------------------- 5. a behaviour policy the prose names

_IS = r"""
    When trajectories are sampled from a different behavior policy $\mu$, the weight is

    $$\frac{P_{\pi_\theta}(\tau)}{P_\mu(\tau)} = \prod_{t=0}^{T-1} \frac{\pi_\theta(a_t|s_t)}{\mu(a_t|s_t)}$$
    """


def test_behaviour_policy_named_in_the_prose_is_inferred_and_stated(tmp_path):
    from derivation_helpers import check, verdicts

    d = read_derivation(md(_IS), "t.md")
    assert d.front.get("behaviour") == "\\mu"
    assert any("inferred: behaviour: \\mu" in c for c in d.conventions)
    assert verdicts(check(tmp_path, _IS)) == ["holds"]


def test_mu_not_named_a_behaviour_policy_is_not_declared():
    d = read_derivation(md(_IS.replace("a different behavior policy $\\mu$", "another distribution")), "t.md")
    assert "behaviour" not in d.front
    d = read_derivation(md(r"""
        Here $\mu$ is the behaviour policy, but the display never uses it as one.

        $$ \mu = \frac{1}{2} $$
        """), "t.md")
    assert "behaviour" not in d.front


# ------------------------------------------------------------- 4. Sutton & Barto's R_{t+1}, stated on the conventions line

def test_sutton_barto_capitals_state_reward_index_t_plus_1(tmp_path):
    from derivation_helpers import check, verdicts

    text = r"""
        $$ \mathbb{E}_\pi[G_t \mid S_t = s] = \mathbb{E}_\pi[R_{t+1} + \gamma G_{t+1} \mid S_t = s] $$
        """
    d = read_derivation(md(text), "t.md")
    assert d.front.get("reward-index") == "t+1"
    assert any(c.startswith("inferred: reward-index: t+1 (the file writes Sutton & Barto's capital") for c in d.conventions)
    assert verdicts(check(tmp_path, text)) == ["holds"]


def test_lower_case_rewards_next_to_capitals_are_not_given_the_convention():
    d = read_derivation(md(r"""
        $$ \mathbb{E}_\pi[G_t \mid S_t = s] = \mathbb{E}_\pi[r_t + \gamma G_{t+1} \mid S_t = s] + R_{t+1} - R_{t+1} $$
        """), "t.md")
    # not Sutton & Barto's t+1; its recursion r_t + \gamma G_{t+1} states derive's own (conventions_reward.py, R3)
    assert d.front.get("reward-index") != "t+1"


# ------------------------------------------------------------- 2. \mathbb{P(...)}: the font over the whole call

def test_blackboard_p_over_the_whole_call_reads_as_the_probability():
    from derivation_helpers import read

    wrapped, _ = read(r"\frac{\mathbb{P(\tau;\theta)}}{\mathbb{P(\tau|\theta_{\text{old}})}}")
    plain, _ = read(r"\frac{\mathbb{P}(\tau;\theta)}{\mathbb{P}(\tau|\theta_{\text{old}})}")
    assert wrapped == plain


def test_blackboard_p_call_without_its_closing_brace_is_an_error():
    import pytest

    from derive.read_latex import LatexError
    from derivation_helpers import read

    with pytest.raises(LatexError):
        read(r"\mathbb{P(\tau;\theta)")
