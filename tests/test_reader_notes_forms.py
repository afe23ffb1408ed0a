"""Issue 10 (R3): lecture-note and textbook notation that was refused (derive/read_latex/notation_notes.py)."""
import pytest
from sympy.core.symbol import Str

from derive.lang import nodes
from derive.lang.symbols import ActionVar, PointVar, StateVar
from derive.read_latex import LatexError, parse_math

from derivation_helpers import check, read, verdicts

s, a, s1 = StateVar("s"), ActionVar("a"), StateVar("s'")


def _err(tex, **options):
    with pytest.raises(LatexError) as e:
        parse_math(tex, options=options)
    return str(e.value)


# ------------------------------------------------------------ P(s', r | s, a)


def test_capital_joint_dynamics_is_sutton_barto_p():
    # Lilian Weng and JoyRL ch. 9 write S&B's p(s', r|s, a) with a capital P
    got, notes = read(r"\sum_{s', r} P(s',r \vert s,a)(r + V^\pi(s'))")
    want = parse_math(r"\sum_{s', r} p(s',r|s,a)(r + V^\pi(s'))")
    assert got == want and got.has(nodes.Rew(s, a, s1)) and got.has(nodes.Trans(s1, s, a))
    assert any("joint dynamics" in n for n in notes)


def test_capital_joint_dynamics_needs_the_sum_over_r():
    assert "reward r bound by a sum" in _err(r"\sum_{s'} P(s',r|s,a) V^\pi(s')")


# ------------------------------------------------------------ draws written with the density's argument


def test_state_drawn_from_a_density_at_the_drawn_state():
    got, notes = read(r"\mathbb{E}_{s \sim d^{\pi}(s), a \sim \pi_\theta(a|s)}[Q^{\pi}(s, a)]")
    assert got == parse_math(r"\mathbb{E}_{s \sim d^{\pi}, a \sim \pi_\theta(\cdot|s)}[Q^{\pi}(s, a)]")
    assert any(r"d^{\pi}(s)" in n for n in notes)


def test_density_at_another_variable_is_still_refused():
    assert "a state is drawn from" in _err(r"\mathbb{E}_{s \sim d^{\pi}(s')}[V^{\pi}(s)]")
    assert "point" in _err(r"\mathbb{E}_{x \sim p(y)}[f(x)]")


def test_expectation_subscript_names_a_density():
    got, notes = read(r"\mathbb{E}_{P(\tau;\theta)}[R(\tau)]")
    assert got == nodes.Expect(nodes.TrajReturn(), nodes.TrajDist(Str("theta")))
    assert any("density" in n for n in notes)
    got, _ = read(r"\mathbb{E}_{p(x)}\left[f(x) \frac{p(x)}{q(x)}\right]")
    assert got.args[1] == nodes.FreeDraw(PointVar("x"), Str("p"))
    got, _ = read(r"\mathbb{E}_{p_\theta(\tau)}[R(\tau)]")
    assert got == nodes.Expect(nodes.TrajReturn(), nodes.TrajDist(Str("theta")))


def test_generic_random_variables_stay_refused():
    # Spinning Up's generic A, B (not the advantage, not an action): never read
    assert "not a policy" in _err(r"\mathbb{E}_{A,B}[f(A,B)]")


def test_listed_trajectory_variables_drawn_under_a_policy():
    got, notes = read(r"\mathbb{E}_{s_t, a_t, s_{t'}, a_{t'}, s_{t'+1} \sim \pi_{\theta}}"
                      r"[\nabla_\theta \log \pi_\theta(a_t|s_t) R(s_{t'}, a_{t'}, s_{t'+1})]")
    assert got.args[1] == nodes.TrajDist(Str("theta"))
    assert any("joint marginal" in n for n in notes)


# ------------------------------------------------------------ Sutton & Barto's eta(s), mu(s); the start mu(s_0)


def test_mu_of_s0_is_the_start_distribution():
    got, notes = read(r"\nabla_\theta \log \mu(s_0)")
    assert got == parse_math(r"\nabla_\theta \log \rho_0(s_0)")
    assert any(r"\rho_0(s_0)" in n for n in notes)


def test_eta_and_mu_of_a_state_are_the_episode_visits(tmp_path):
    got, notes = read(r"\eta(s)")
    assert got.has(nodes.TrajDist(Str("theta"))) and any("expected number of visits" in n for n in notes)
    mu, notes = read(r"\mu(s)")
    assert str(mu) == str(got / parse_math("T")) and any("on-policy distribution" in n for n in notes)
    assert parse_math(r"\eta(\pi)") == nodes.J(Str("theta"))  # TRPO's eta(pi) is unchanged
    # S&B eq. 9.3 and the visits summing to the episode length: decided, and true
    rec = check(tmp_path, r"""
        $$\mu(s) = \frac{\eta(s)}{\sum_{s'} \eta(s')}$$

        $$\sum_{s} \eta(s) = T$$

        $$\sum_{s} \mu(s) \sum_a \pi(a|s) Q^\pi_0(s, a) = \sum_s \rho_0(s) V^\pi_0(s)$$
        """)
    assert verdicts(rec) == ["holds", "holds", "fails"]


def test_visits_are_refused_in_the_discounted_setting():
    assert "stationary distribution" in _err(r"\mu(s)", setting="discounted")
    assert "stationary distribution" in _err(r"\eta(s)", setting="discounted")


def test_sutton_barto_policy_with_its_parameter_after_the_state():
    got, notes = read(r"\nabla_\boldsymbol{\theta}\pi(a|s,\boldsymbol{\theta})")
    assert got == parse_math(r"\nabla_\theta \pi_\theta(a|s)")
    assert any("eq. 13.1" in n for n in notes)
    assert parse_math(r"\pi(a|s,\theta_{old})") == parse_math(r"\pi_{\theta_{old}}(a|s)")
    assert "a policy is written" in _err(r"\pi(a|s, x)")


def test_forall_tail_is_the_quantifier_not_mathematics(tmp_path):
    rec = check(tmp_path, r"""
        $$\sum_a \pi(a|s_t) Q^\pi(s_t, a) = V^\pi(s_t),\hspace{1cm}\forall s\in\mathcal{S}$$
        """)
    assert verdicts(rec) == ["holds"]


# ------------------------------------------------------------ rewards and the reward-to-go


def test_lower_case_reward_function_of_a_transition():
    got, notes = read(r"\sum_{a,s'}\pi(a|s)p(s'|s,a)r(s,a,s')")
    assert got == parse_math(r"\sum_{a,s'}\pi(a|s)P(s'|s,a)R(s,a,s')")
    assert any("R(s, a, s')" in n for n in notes)


def test_reward_to_go_hat_r(tmp_path):
    got, notes = read(r"\hat{R}_t")
    assert got == parse_math("G_t") and any("reward-to-go" in n for n in notes)
    rec = check(tmp_path, r"""
        $$\mathbb{E}_{\tau\sim\pi_\theta}\left[\sum_{t=0}^{T-1} \nabla_\theta \log \pi_\theta(a_t|s_t) \hat{R}_t\right] = \nabla_\theta J(\theta)$$
        """)
    assert verdicts(rec) == ["holds"]
    # a file that writes its own \hat{R}_t = ... (CS224R notes): derive's reading is not imposed on it
    rec = check(tmp_path, r"""
        $$\hat{R}_t = \sum_{t'=t}^{T-1} r(s_{t'}, a_{t'})$$
        """, name="own.md")
    assert verdicts(rec) == ["unknown"]
    # a file that writes gamma: with or without gamma^{t'-t}? unknown
    rec = check(tmp_path, r"""
        $$\hat{R}_t = r_t + \gamma G_{t+1}$$
        """, name="g.md")
    assert verdicts(rec) == ["unknown"]


# ------------------------------------------------------------ TRPO's r(s): MDPs with state rewards

TRPO_A = r"""
    ---
    setting: discounted{extra}
    ---
    $$A_\pi(s, a) = \mathbb{{E}}_{{s' \sim P(s'|s,a)}}\left[r(s) + \gamma V_\pi(s') - V_\pi(s)\right]$$
    """


def test_state_reward_is_inferred_and_judged_on_state_reward_mdps(tmp_path):
    rec = check(tmp_path, TRPO_A.format(extra=""))
    assert verdicts(rec) == ["holds"]
    assert any("reward: state" in c for c in rec["conventions"])
    # the same step on MDPs whose rewards depend on the action and next state: false, and derive says so
    rec = check(tmp_path, TRPO_A.format(extra="\n    reward: transition"), name="g.md")
    assert verdicts(rec) == ["unknown"]  # r(s) is not read without the state-reward class


def test_state_reward_class_is_not_inferred_next_to_an_action_reward(tmp_path):
    rec = check(tmp_path, r"""
        ---
        setting: discounted
        ---
        $$Q^\pi(s, a) = r(s) + \gamma \sum_{s'} P(s'|s,a) V^\pi(s')$$

        $$Q^\pi(s, a) = r(s, a) + \gamma \sum_{s'} P(s'|s,a) V^\pi(s')$$
        """)
    assert not any("reward: state (" in c for c in rec["conventions"])  # reward: state-action may be inferred
    assert verdicts(rec) == ["unknown", "holds"]


def test_state_reward_instances_keep_their_class():
    from derive.mdp import instances

    for inst in instances("finite; reward=state")[:6]:
        assert inst.state_rewards
        for s in range(inst.n_states):
            assert {inst.R[s][a][s2] for a in range(inst.n_actions) for s2 in range(inst.n_states)} == {inst.R[s][0][0]}


def test_state_reward_counterexample_shrinks_within_the_class(tmp_path):
    # a wrong step: r(s) is not the value; its counterexample must still have state rewards
    rec = check(tmp_path, r"""
        ---
        setting: discounted
        reward: state
        ---
        $$V^\pi(s) = r(s)$$
        """)
    assert verdicts(rec) == ["fails"] and any("reward: state" in c for c in rec["conventions"])
    R = rec["steps"][0]["counterexample"]["mdp"]["R[s][a][s']"]
    assert all(len({str(x) for a in row for x in a}) == 1 for row in R)


# ------------------------------------------------------------ OmniSafe's reward part, pi_{theta_0}


def test_omnisafe_reward_part_is_derive_value():
    got, notes = read(r"A^{R}_{\pi}(s_t, a_t) - V^R_{\pi}(s_0) + J^R(\pi')")
    assert got == parse_math(r"A^{\pi}(s_t, a_t) - V^{\pi}(s_0) + J(\pi')")
    assert any("constrained MDP" in n for n in notes)
    assert "not a policy" in _err(r"V^C_\pi(s)")  # the cost part is not derive's value


def test_pi_theta_zero_takes_a_policy_slot():
    got, notes = read(r"J(\pi_{\theta_0})")
    assert got == nodes.J(Str("old")) and any(r"\pi_{\theta_0}" in n for n in notes)


# ------------------------------------------------------------ a critic with its parameters


def test_critic_with_parameters_is_a_free_function(tmp_path):
    got, notes = read(r"V_{\omega}(S_{t+1}) - V_\phi(s)")
    assert got == nodes.FreeFn(Str("V_omega"), nodes.St(parse_math("t") + 1)) - nodes.FreeFn(Str("V_phi"), s)
    assert any("critic" in n for n in notes)
    # a baseline V_omega(s_t) does not change the policy gradient (finite horizon, gamma = 1)
    rec = check(tmp_path, r"""
        $$\nabla_\theta J(\theta) = \mathbb{E}_{\tau\sim\pi_\theta}\left[\sum_{t=0}^{T-1} (G_t - V_\omega(s_t)) \nabla_\theta \log \pi_\theta(a_t|s_t)\right]$$
        """)
    assert verdicts(rec) == ["holds"]
    assert "needs a policy" in _err(r"V_t(s)")


# ------------------------------------------------------------ an integral over the first state


@pytest.mark.parametrize("setting", ["finite", "discounted"])
def test_integral_over_the_first_state(tmp_path, setting):
    rec = check(tmp_path, rf"""
        ---
        setting: {setting}
        ---
        $$J(\pi)=\int_{{s_{{0}}}} \rho_{{0}}\left(s_{{0}}\right) V^{{\pi}}\left(s_{{0}}\right) d s_{{0}} = \mathbb{{E}}_{{s_{{0}} \sim \rho_{{0}}}} \left[V^{{\pi}}\left(s_{{0}}\right)\right]$$

        $$\int_{{s_0}} \rho_0(s_0) V^{{\pi}}(s_0)\, ds_0 = 2 J(\pi)$$
        """)
    assert verdicts(rec) == ["holds", "holds", "fails"]
    assert "a function of s_0 alone" in _err(r"\int_{s_0} \rho_0(s_0) r_0 \, ds_0")


# ------------------------------------------------------------ nabla, P and U as Chinese notes and Abbeel write them


def test_bigtriangledown_is_nabla_and_blackboard_p_is_p():
    assert parse_math(r"\bigtriangledown_{\theta}\log\mathbb{P}(\tau;\theta)") == \
        parse_math(r"\nabla_\theta \log P(\tau;\theta)")
    assert parse_math(r"\mathbb{E}_{s' \sim \mathbb{P}(\cdot|s,a)}[V^\pi(s')]") == \
        parse_math(r"\mathbb{E}_{s' \sim P(\cdot|s,a)}[V^\pi(s')]")
    assert "only supported as" in _err(r"\mathbb{Q}(x)")


def test_abbeel_utility_is_the_objective(tmp_path):
    got, notes = read(r"\bigtriangledown_\theta U(\theta)")
    assert got == parse_math(r"\nabla_\theta J(\theta)") and any("utility" in n for n in notes)
    assert "expected return" in _err("U")
    rec = check(tmp_path, r"""
        $$\nabla_{\theta}U(\theta) = \sum_{\tau}\mathbb{P}(\tau;\theta)\nabla_{\theta}\log\mathbb{P}(\tau;\theta)R(\tau)$$
        """)
    assert verdicts(rec) == ["holds"]


# ------------------------------------------------------------ n-step returns and TD errors, d_0, \text{log}


def test_n_step_return_and_td_error(tmp_path):
    got, notes = read(r"\delta_t^{(n)}", delta="V")
    assert got == nodes.KAdv(parse_math("n"), parse_math("t"), nodes.free_v("V"))
    assert any("n-step TD error" in n for n in notes)
    got, notes = read(r"G_t^{(n)}", delta="V")
    assert got == nodes.KAdv(parse_math("n"), parse_math("t"), nodes.free_v("V")) + nodes.FreeFn(Str("V"), nodes.St(parse_math("t")))
    rec = check(tmp_path, r"""
        $$\delta_t^{(n)} = G_t^{(n)}-V(s_t) = \sum_{k=0}^{n-1} \gamma^k r_{t+k} + \gamma^n V(s_{t+n}) - V(s_t)$$

        $$\delta_t^{(2)} = \delta_t + \gamma \delta_{t+1} = r_t + \gamma r_{t+1} + \gamma^2 r_{t+2} - V(s_t)$$
        """)
    assert verdicts(rec) == ["holds", "holds", "holds", "fails"]


def test_d_zero_is_the_start_distribution_and_text_log_is_log():
    got, notes = read(r"\sum_{s} d_0(s) V^{\pi_\theta}_0(s)")
    assert got == parse_math(r"\sum_{s} \rho_0(s) V^{\pi_\theta}_0(s)") and any(r"\rho_0(s)" in n for n in notes)
    assert parse_math(r"\text{log}\mathbb{P}(\tau;\theta)") == parse_math(r"\log P(\tau;\theta)")
    assert parse_math(r"\operatorname{log}(x) + \mathrm{exp}(x)") == parse_math(r"\log(x) + \exp(x)")
    assert "unknown name" in _err(r"\text{logit}(x)")


def test_bare_b_is_a_constant_baseline(tmp_path):
    from derive.read_latex.reading import Reading

    assert "b is neither" in _err(r"\sum_\tau \nabla_\theta P(\tau;\theta) b")  # no baseline in the text: refused
    got, notes = read(r"\sum_\tau \nabla_\theta P(\tau;\theta) b",
                      reading=Reading("the baseline b does not change the gradient"))
    from derive.lang import symbols as sy

    assert got.has(sy.scalar("b")) and any("constant baseline" in n for n in notes)
    assert not parse_math(r"\sum_b \pi(b|s)").has(sy.scalar("b"))  # bound by the sum: an action
    assert isinstance(parse_math("b(s)"), nodes.FreeFn)
    rec = check(tmp_path, r"""
        A constant baseline $b$:

        $$\sum_{\tau}\bigtriangledown_{\theta}\mathbb{P}(\tau;\theta)b = \bigtriangledown_{\theta}\left( \sum_{\tau}\mathbb{P}(\tau;\theta)b \right) = \bigtriangledown_{\theta}b = 0$$
        """)
    assert verdicts(rec) == ["holds", "holds", "holds"]


# ------------------------------------------------------------ the reward index shown by R_t + gamma V(s_{t+1})


def test_reward_index_inferred_from_the_td_error(tmp_path):
    rec = check(tmp_path, r"""
        $$\hat{A}_t^{(1)} = \delta_t = -V(s_t)+R_t+\gamma V(s_{t+1})$$
        """)
    assert verdicts(rec) == ["holds", "holds"]
    assert any("reward-index: t " in c for c in rec["conventions"])
    rec = check(tmp_path, r"""
        ---
        setting: discounted
        ---
        $$Q^{\pi}(s_t, a_t) - V^{\pi}(s_t) = \mathbb{E}_{\tau\sim\pi}\left[R_{t+1} + \gamma V^{\pi}(s_{t+1}) \mid s_t, a_t\right] - V^\pi(s_t)$$
        """, name="g.md")
    assert verdicts(rec) == ["holds"]
    assert any("reward-index: t+1" in c for c in rec["conventions"])


def test_markdown_escaped_underscores_do_not_hide_conventions(tmp_path):
    # mxxhcm's Hexo post: every _ escaped as \_; the sums to infinity and gamma still make it discounted
    rec = check(tmp_path, r"""
        $$\mathbb{E}\_{\tau \sim \pi}\left[\sum\_{t=0}^{\infty} \gamma^t (R\_{t+1} + \gamma V^{\pi}(s\_{t+1}) - V^{\pi}(s\_t))\right] = \mathbb{E}\_{\tau \sim \pi}\left[\sum\_{t=0}^{\infty} \gamma^t R\_{t+1}\right] - \mathbb{E}\_{s\_0 \sim \rho\_0}\left[V^{\pi}(s\_0)\right]$$
        """)
    assert any("discounted" in c for c in rec["conventions"]) and verdicts(rec) == ["holds"]


def test_forall_before_the_claim_is_not_dropped(tmp_path):
    rec = check(tmp_path, r"""
        $$\forall s,\ V^\pi(s_t) = 2 V^\pi(s_t)$$
        """)
    assert verdicts(rec) == ["unknown"]  # a quantifier first: the claim stays, unread, never silently dropped


def test_index_ranges_name_the_nearest_spelling():
    # read in an expectation's subscript since tests/test_reader_ranges.py; elsewhere the nearest spelling is named
    assert parse_math(r"\mathbb{E}_{s_{0:t},a_{0:t-1}}[b(s_t)]") == parse_math(r"\mathbb{E}_{\tau \sim \pi_\theta}[b(s_t)]")
    msg = _err(r"V^\pi(s_{0:t}) + b(s_t)")
    assert "index range" in msg and r"\mathbb{E}_{\tau \sim \pi_\theta}" in msg
    assert r"\frac{a}{b}" in _err("x:y")


def test_draw_spellings_of_textbooks():
    assert parse_math(r"\mathbb{E}_{s' \sim p(\cdot|s,a)}[V^\pi(s')]") == parse_math(r"\mathbb{E}_{s' \sim P(\cdot|s,a)}[V^\pi(s')]")
    assert parse_math(r"\mathbb{E}_{s_{t+1} \sim p(s_{t+1}|s_t,a_t)}[V^\pi(s_{t+1})]") == \
        parse_math(r"\mathbb{E}_{s_{t+1} \sim P(\cdot|s_t,a_t)}[V^\pi(s_{t+1})]")
    assert parse_math(r"\mathbb{E}_{s_0 \sim \rho_0(\cdot)}[V^\pi(s_0)]") == parse_math(r"\mathbb{E}_{s_0 \sim \rho_0}[V^\pi(s_0)]")
    got, notes = read(r"\mathbb{E}_{a \sim \pi(s)}[Q^\pi(s,a)]")
    assert got == parse_math(r"\mathbb{E}_{a \sim \pi(\cdot|s)}[Q^\pi(s,a)]") and any(r"\pi(s)" in n for n in notes)
    assert "a state is drawn from" in _err(r"\mathbb{E}_{s \sim \pi(s)}[V^\pi(s)]")  # a state is never drawn from pi


def test_expectation_in_roman_or_bold_type():
    want = parse_math(r"\mathbb{E}_{\tau\sim\pi}[R(\tau)]")
    for tex in (r"\mathrm{E}_{\tau\sim\pi}[R(\tau)]", r"\mathrm E_{\tau\sim\pi}[R(\tau)]", r"\mathbf{E}_{\tau\sim\pi}[R(\tau)]",
                r"\operatorname{E}_{\tau\sim\pi}[R(\tau)]"):
        assert parse_math(tex) == want, tex
    assert "unknown name" in _err(r"\mathrm{Ex}")


def test_substack_rows_are_a_list_of_draws():
    want = parse_math(r"\mathbb{E}_{s \sim d^\pi, a \sim \pi}[Q^\pi(s,a)]")
    assert parse_math(r"\mathbb{E}_{\substack{s \sim d^\pi \\ a \sim \pi}}[Q^\pi(s,a)]") == want
    assert parse_math(r"\underset{\substack{s \sim d^\pi \\ a \sim \pi}}{\mathbb{E}}[Q^\pi(s,a)]") == want
    assert parse_math(r"\mathbb{E}_{\substack{s \sim d^\pi}}[V^\pi(s)]") == parse_math(r"\mathbb{E}_{s \sim d^\pi}[V^\pi(s)]")
