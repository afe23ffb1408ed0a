"""Issue 10 (R2, second round): control notation x_t/u_t, stochastic rewards p(r|s,a), the policy's one-step
distributions p(s'|s), partial derivatives in theta, integrals over (s_t, a_t) with differentials, the state's
marginal p_theta(s_t), a sum's scope with a free index, and the messages for \\det, \\cup, \\partial."""
import pytest

from derive.read_latex import LatexError, parse_math
from derive.read_latex.notation_control import NOTE as CONTROL_NOTE, uses_control_notation
from derive.read_latex.reading import Reading

from derivation_helpers import check, read, verdicts


def _err(tex, **options):
    with pytest.raises(LatexError) as e:
        parse_math(tex, options=options)
    return str(e.value)


# ------------------------------------------------------------ control notation (notation_control.py)


def test_control_notation_reads_x_and_u_as_state_and_action():
    tex = r"\pi_\theta(\mathrm{u}_t | \mathrm{x}_t) p(\mathrm{x}_{t+1} | \mathrm{x}_t, \mathrm{u}_t) r(x_t, u_t)"
    got, notes = read(tex)
    assert got == parse_math(r"\pi_\theta(a_t | s_t) p(s_{t+1} | s_t, a_t) r(s_t, a_t)")
    assert CONTROL_NOTE in notes


def test_control_notation_bare_letters_in_a_control_file():
    reading = Reading(r"$$V(x_t) = \sum_{u} \pi(u|x_t) Q(x_t, u)$$ with $u_t$")
    got, notes = read(r"\sum_{u} \pi(u|x) Q^\pi(x, u)", reading=reading)
    assert got == parse_math(r"\sum_{a} \pi(a|s) Q^\pi(s, a)")
    assert CONTROL_NOTE in notes


def test_control_notation_needs_both_letters_and_no_s_a():
    assert uses_control_notation(r"x_t, u_t, x_{t+1}")
    assert uses_control_notation(r"\mathbf{x}_k, \mathbf{u}_k")  # Bertsekas' x_k, u_k, bold
    assert not uses_control_notation(r"\frac{1}{N}\sum_i f(x_i)")  # samples x_i: no action u
    assert not uses_control_notation(r"x_t, u_t and s_t")  # the letters would collide
    # a sample point x stays a point of the sample space
    got, notes = read(r"\sum_x p(x) f(x)")
    assert CONTROL_NOTE not in notes


def test_control_notation_is_off_for_language_models():
    msg = _err(r"\pi_\theta(u_t | x_t)", family="token", reading=Reading("x_t u_t"))
    assert "control notation" in msg and "a_t" in msg  # u is not renamed, and the message says where it is read


# ------------------------------------------------------------ stochastic rewards (reward_draws.py)


def test_reward_drawn_from_p_r_given_s_a(tmp_path):
    rec = check(tmp_path, r"""
        $$\mathbb{E}_{r \sim p(r \mid s, a)}[r] = \sum_{s'} P(s'|s,a) R(s,a,s')$$

        $$\mathbb{E}_{r \sim p(\cdot \mid s, a)}[r^2] = \sum_{s'} P(s'|s,a) R(s,a,s')$$
        """)
    assert verdicts(rec) == ["holds", "fails"]


def test_reward_drawn_from_p_r_given_s_is_averaged_over_the_policy(tmp_path):
    rec = check(tmp_path, r"""
        $$
        \begin{aligned}
        \mathbb{E}_{r\sim p(r\mid s)}[r] &= \mathbb{E}_{a\sim\pi(a\mid s)}\Big[\mathbb{E}_{r\sim p(r\mid s,a)}[r]\Big] \\
        &= \sum_{r} p_\pi(r \mid s)\, r
        \end{aligned}
        $$
        """)
    assert verdicts(rec) == ["holds", "holds"]
    assert r"p(r \mid s) is the reward's distribution" in rec["steps"][0]["read_as"]


def test_next_state_drawn_from_p_s_given_s(tmp_path):
    rec = check(tmp_path, r"""
        $$\mathbb E_{s'\sim p(s'\mid s)} [v_\pi(s')] = \mathbb E_{a\sim \pi(a\mid s)} \Big[ \mathbb E_{s'\sim p(s'\mid s,a)} [v_\pi(s')] \Big]$$

        $$\mathbb E_{s'\sim p_\pi(\cdot \mid s)} [v_\pi(s')] = \mathbb E_{s'\sim p(s'\mid s, a)} [v_\pi(s')]$$
        """)
    assert verdicts(rec) == ["holds", "fails"]


def test_policy_reward_distribution_with_a_condition_inside_is_refused():
    msg = _err(r"\mathbb{E}_{r \sim p(r|s,a)}[r \mid s_t]")
    assert "condition" in msg


# ------------------------------------------------------------ partial derivatives (partials.py)


def test_partial_derivative_in_theta_is_the_gradient():
    got, notes = read(r"\frac{\partial J(\theta)}{\partial \theta}")
    assert got == parse_math(r"\nabla_\theta J(\theta)")
    assert any("partial derivative" in n for n in notes)
    assert parse_math(r"\frac{\partial}{\partial\theta} \log \pi_\theta(a|s)") == parse_math(r"\nabla_\theta \log \pi_\theta(a|s)")
    assert parse_math(r"\partial_\theta J(\theta)") == parse_math(r"\nabla_\theta J(\theta)")


def test_partial_derivative_in_another_variable_says_what_is_read():
    msg = _err(r"\frac{\partial f(x)}{\partial x}")
    assert "policy parameter" in msg and r"\nabla_\theta" in msg


# ------------------------------------------------------------ \int over (s_t, a_t) (pair_integrals.py)


def test_integral_over_a_pair_against_its_joint_density():
    got, notes = read(r"\int_{(s_t, a_t)} \gamma^t Q^{\pi_\theta}(s_t, a_t) p_\theta(s_t, a_t) ds_t\, da_t")
    assert got == parse_math(r"\mathbb{E}_{\tau \sim \pi_\theta}[\gamma^t Q^{\pi_\theta}(s_t, a_t)]")
    assert any("joint" in n for n in notes)


def test_integral_over_a_pair_with_policy_times_state_marginal_in_control_notation():
    tex = (r"\int_{(\mathrm{x}_t, \mathrm{u}_t)} \nabla_\theta \log \pi_\theta(\mathrm{u}_t | \mathrm{x}_t) "
           r"Q^{\pi_\theta}(\mathrm{x}_t, \mathrm{u}_t) \pi_\theta(\mathrm{u}_t | \mathrm{x}_t) p_\theta(\mathrm{x}_t) "
           r"d\mathrm{x}_t d\mathrm{u}_t")
    got, _ = read(tex)
    assert got == parse_math(r"\mathbb{E}_{\tau \sim \pi_\theta}[\nabla_\theta \log \pi_\theta(a_t|s_t) Q^{\pi_\theta}(s_t, a_t)]")


def test_integral_over_a_pair_refuses_other_variables_and_other_differentials():
    assert "another variable" in _err(r"\int_{(s_t, a_t)} r_{t+1} p_\theta(s_t, a_t) ds_t da_t")
    assert "name different" in _err(r"\int_{(s_t, a_t)} Q(s_t, a_t) p_\theta(s_t, a_t) ds_t da_{t+1}")
    assert "joint density" in _err(r"\int_{(s_t, a_t)} Q(s_t, a_t) ds_t da_t")


# ------------------------------------------------------------ s_t ~ p_theta(s_t) (pair_integrals.py)


def test_state_marginal_draw_with_the_policy():
    got, notes = read(r"\mathbb{E}_{s_t \sim p_\theta(s_t), a_t \sim \pi_\theta(a_t | s_t)}[\gamma^t A^{\pi_\theta}(s_t, a_t)]")
    assert got == parse_math(r"\mathbb{E}_{\tau \sim \pi_\theta}[\gamma^t A^{\pi_\theta}(s_t, a_t)]")
    assert any("marginal" in n for n in notes)
    assert "another variable" in _err(r"\mathbb{E}_{s_t \sim p_\theta(s_t)}[Q(s_t, a_t)]")


# ------------------------------------------------------------ a sum's scope (sum_scope.py)


def test_index_bound_by_a_sum_and_free_after_it_is_unknown():
    msg = _err(r"\log \rho_0(s_0) + \sum_{t=0}^{T-1} \log \pi_\theta(a_t|s_t) + \log P(s_{t+1}|s_t, a_t)")
    assert "bound by a sum" in msg and "parentheses" in msg
    # other letters, and the parenthesised body, are read
    parse_math(r"\sum_{k=t}^{T-1} \gamma^{k-t} r_k")
    parse_math(r"\log \rho_0(s_0) + \sum_{t=0}^{T-1} (\log \pi_\theta(a_t|s_t) + \log P(s_{t+1}|s_t, a_t))")


# ------------------------------------------------------------ messages (commands.py)


def test_det_and_cup_name_why_they_are_not_read():
    assert "continuous" in _err(r"\det(\Sigma)")
    assert "trajectory" in _err(r"(s_0) \cup (a_0)")


# ------------------------------------------------------------ more one-step spellings (reward_draws.py, notation_sb1998.py)


def test_policy_next_state_distribution_with_a_policy_subscript():
    got, notes = read(r"\sum_{s'} p_{\pi}(s'\mid s) \cdot v_{\pi}(s')")
    want = parse_math(r"\sum_{s'} \left(\sum_{a} \pi(a|s) P(s'|s,a)\right) V^\pi(s')")
    assert str(got).replace("a_p", "a") == str(want)  # the bound action's name differs
    assert any(r"p(s' \mid s) is the next state's distribution" in n for n in notes)


def test_reward_given_the_transition_and_sb1998_transition_reward(tmp_path):
    rec = check(tmp_path, r"""
        $$\sum_{r,s'} r\, p(r|s',s,a) p(s'|s,a) = \sum_{s'} P^a_{ss'} R^a_{ss'}$$

        $$\sum_{s'} P^a_{ss'} R^a_{ss'} = \sum_{s'} P(s'|s,a) R(s,a,s')$$
        """)
    assert verdicts(rec) == ["holds", "holds"]
    assert "p(r \\mid s', s, a)" in rec["steps"][0]["read_as"] and "Sutton & Barto 1998" in rec["steps"][0]["read_as"]


# ------------------------------------------------------------ {\pi_\theta}(a|s) (brace_heads.py)


def test_symbol_in_braces_before_its_arguments_is_the_function():
    assert parse_math(r"\sum_{a}{\pi _{\theta}}(a\mid s)Q^{\pi}(s,a)") == parse_math(r"\sum_{a}\pi_{\theta}(a\mid s)Q^{\pi}(s,a)")
    assert parse_math(r"\sum_{s'}{P}\left( s'\mid s,a \right) V^\pi(s')") == parse_math(r"\sum_{s'}P(s'\mid s,a) V^\pi(s')")
    assert parse_math(r"{\gamma}(1-\lambda)") == parse_math(r"\gamma(1-\lambda)")  # still a product


# ------------------------------------------------------------ p(\tau;\theta), p(\tau|\pi), p_0 (notation_traj_p.py)


def test_lower_case_trajectory_probability_and_start_distribution():
    for tex in (r"p(\tau;\theta)", r"p(\tau; \pi_\theta)", r"p(\tau \mid \pi_\theta)"):
        assert parse_math(tex) == parse_math(r"P(\tau|\theta)"), tex
    got, notes = read(r"p_0(s_0) \pi_\theta(a_0|s_0)")
    assert got == parse_math(r"\rho_0(s_0) \pi_\theta(a_0|s_0)")
    assert any("initial-state" in n for n in notes)


def test_control_notation_is_stated_on_the_conventions_line(tmp_path):
    rec = check(tmp_path, r"""
        $$\mathbb{E}_{\mathrm{u}_t \sim \pi_\theta(\cdot|\mathrm{x}_t)}[Q^{\pi_\theta}(\mathrm{x}_t, \mathrm{u}_t)] = \sum_{u} \pi_\theta(u|\mathrm{x}_t) Q^{\pi_\theta}(\mathrm{x}_t, u)$$
        """)
    assert any("control notation" in c for c in rec["conventions"])
    assert verdicts(rec) == ["holds"]


def test_sample_mean_indexed_by_m_over_M_draws(tmp_path):
    # helpingstar/Math-RL eq. 3.24: \frac{1}{M} \sum_{m=1}^{M} with labels u_t^{(m)}, x_t^{(m)} (read_latex/sample_means.py)
    rec = check(tmp_path, r"""
        $$\mathbb{E}_{\tau\sim\pi_\theta}\left[\sum_{t=0}^{T-1} r_t\right] \approx \frac{1}{M} \sum_{m=1}^{M} \sum_{t=0}^{T-1} r_t^{(m)}$$
        """)
    assert verdicts(rec) == ["approximation"] and "unbiased sample mean" in rec["steps"][0]["reason"]


def test_next_state_and_reward_drawn_jointly():
    want = parse_math(r"\sum_{s', r} p(s', r|s,a)[r + \gamma V^\pi(s')]")
    for tex in (r"\mathbb{E}_{(s', r) \sim p(s', r \mid s, a)}[r + \gamma V^\pi(s')]",
                r"\mathbb{E}_{s', r \sim p(\cdot, \cdot \mid s, a)}[r + \gamma V^\pi(s')]",
                r"\mathbb{E}_{r, s' \sim p(\cdot, \cdot \mid s, a)}[r + \gamma V^\pi(s')]"):
        got, notes = read(tex)
        assert got == want, tex
        assert any("eq. 3.2" in n for n in notes), tex
