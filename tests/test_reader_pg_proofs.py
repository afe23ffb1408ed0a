"""Issue 10 (R4): step structure of real layouts, and the policy-gradient-theorem proofs."""
import pytest

from derive.read_markdown import read_derivation
from derive.read_latex import LatexError, split_relations

from derivation_helpers import check, md, read, verdicts


def _steps(text):
    return read_derivation(md(text), path="f.md").steps


# ------------------------------------------------------------------ step structure


def test_unclosed_parenthesis_inside_a_brace_group_stays_inside_it():
    # trunghng's REINFORCE post prints \pi(A_t|S_t,\theta} (the closing parenthesis is missing):
    # braces are TeX's groups, so the typo must not swallow the next row's "=" (4 steps, not 3)
    steps = _steps(r"""
        $$
        \begin{aligned}
        x &= \frac{\nabla\pi(a|s)}{\pi(a|s} \\
        &= y \\
        &= z
        \end{aligned}
        $$
        """)
    assert [(s.lhs_tex, s.rhs_tex) for s in steps] == [
        ("x", r"\frac{\nabla\pi(a|s)}{\pi(a|s}"), (r"\frac{\nabla\pi(a|s)}{\pi(a|s}", "y"), ("y", "z")]


def test_relations_inside_brackets_are_still_not_steps():
    # a half-open interval and an open parenthesis spanning rows keep their meaning
    assert [r.kind for r in split_relations(r"f(x) = \mathbb{1}[x \in [0, 1)] = g(x)")] == ["=", "="]
    assert split_relations(r"\frac{a}{(b = c}") == []
    assert [r.start for r in split_relations(r"\frac{a}{(b} = c")] == [13]


# ------------------------------------------------------------------ the episodic setting (derive/episodic.py)


def _conv(rec):
    return " ".join(rec.get("conventions", []))


def test_episodic_instances_are_undiscounted_and_every_row_can_end_the_episode():
    from fractions import Fraction

    from derive.mdp import instances, parse_setting

    assert parse_setting("episodic") == ("episodic", Fraction(1))
    for inst in instances("episodic")[:6]:
        assert inst.episodic and inst.gamma == 1 and inst.horizon is None
        for s in range(inst.n_states):
            for a in range(inst.n_actions):
                assert 0 <= sum(inst.P[s][a]) < 1  # the rest of the row ends the episode


def test_lilian_weng_grad_v_recursion_is_decided_in_the_inferred_episodic_setting(tmp_path):
    rec = check(tmp_path, r"""
        $$
        \begin{aligned}
        \nabla_\theta V^\pi(s)
        &= \nabla_\theta \Big(\sum_{a \in \mathcal{A}} \pi_\theta(a \vert s)Q^\pi(s, a) \Big) \\
        &= \sum_{a \in \mathcal{A}} \Big( \nabla_\theta \pi_\theta(a \vert s)Q^\pi(s, a) + \pi_\theta(a \vert s) \sum_{s'} P(s' \vert s,a) \nabla_\theta V^\pi(s') \Big)
        \end{aligned}
        $$

        $$ Q^\pi(s,a) = \sum_{s'} P(s'|s,a)(R(s,a,s') + V^\pi(s')) $$

        $$ Q^\pi(s,a) = \sum_{s'} P(s'|s,a)(R(s,a,s') + \frac{1}{2} V^\pi(s')) $$
        """)
    assert "inferred: episodic" in _conv(rec)
    assert verdicts(rec) == ["holds", "holds", "holds", "fails"]
    assert "episodic, gamma = 1, termination q(s,a)" in rec["steps"][3]["counterexample"]["first_found_on"]


def test_sutton_barto_theorem_with_eta_and_a_fixed_start_read_from_the_prose(tmp_path):
    rec = check(tmp_path, r"""
        We assume that every episode starts in some particular (non-random) state $s_0$.

        $$ \nabla_\theta V^\pi(s_0) = \sum_s \sum_{k=0}^{\infty} \Pr(s_0 \to s, k, \pi) \sum_a \nabla_\theta \pi(a|s) q_\pi(s,a) = \sum_s \eta(s) \sum_a \nabla_\theta \pi(a|s) q_\pi(s,a) $$

        $$ \nabla_\theta J(\theta) = \sum_s \mu(s) \sum_a \nabla_\theta \pi(a|s) q_\pi(s,a) $$

        $$ \sum_s \mu(s) = \sum_s d^\pi(s) = 1 $$
        """)
    conv = _conv(rec)
    assert "inferred: episodic" in conv and "inferred: start: fixed" in conv
    assert verdicts(rec) == ["holds", "holds", "fails", "holds", "holds"]  # mu: only proportional (S&B eq. 13.5)
    assert "d^\\pi(s) in the episodic setting" in rec["steps"][3]["read_as"]


def test_kstep_probability_spellings_and_state_letter_x():
    from derive.lang import nodes

    e, notes = read(r"\Pr(s \to x, k, \pi)", setting="episodic")
    f, _ = read(r"P(s\to x,k,\pi)", setting="episodic")
    g, _ = read(r"\rho^\pi(s \to x, k)", setting="episodic")
    assert e == f == g and isinstance(e, nodes.Expect)
    assert any("k steps" in n for n in notes)
    summed, _ = read(r"\sum_{x \in \mathcal{S}} \rho^\pi(s \to x, k) V^\pi(x)", setting="episodic")
    assert {str(v) for v in summed.free_symbols} == {"k", "s"}  # x bound, as a state
    first, _ = read(r"\Pr(s_0 \to x, k, \pi)", setting="episodic", start="fixed")
    assert not any(isinstance(d, nodes.Given) for d in first.args[1:])
    free, _ = read(r"\rho^\pi(s_0 \to x, k)", setting="episodic")  # no fixed start: for every s_0 (issue 12, I2)
    assert nodes.Given(nodes.St(0), nodes.St(0)) in free.args[1:]
    with pytest.raises(LatexError, match="bound as a point of X"):
        read(r"\sum_x \rho^\pi(s \to x, k)", setting="episodic")


def test_episodic_refuses_what_it_cannot_evaluate_exactly(tmp_path):
    rec = check(tmp_path, r"""
        ---
        setting: episodic
        ---
        $$ \mathbb{E}_{\tau \sim \pi}\Big[\sum_{t=0}^{\infty} \delta_t \Big| s_0 = s\Big] = - V^\pi(s) $$

        $$ \nabla_\theta J(\theta) = \sum_s d^\pi(s) \sum_a \nabla_\theta \pi_\theta(a|s) Q^\pi(s,a) $$

        $$ V^\pi(s) = \mathbb{E}_{\tau\sim\pi}\Big[\sum_{t=0}^{\infty} r_t \Big| s_0 = s\Big] $$
        """)
    assert verdicts(rec) == ["unknown", "unknown", "holds"]
    assert "0 after the end" in rec["steps"][0]["reason"]
    assert "fixed start" in rec["steps"][1]["reason"]


def test_markdown_escaped_prime_is_a_prime():
    steps = _steps(r"""
        $$ \sum_{s\'} P(s\'|s,a) = \sum_{s'} P(s'|s,a) $$
        """)
    assert steps[0].error is None and steps[0].lhs == steps[0].rhs


def test_a_comma_before_a_quantifier_tail_is_punctuation_in_the_middle_of_a_chain():
    # trunghng: "\nabla v_\pi(s) &= \nabla[...],\hspace{1cm}\forall s\in\mathcal{S} \\ &= ..."
    steps = _steps(r"""
        $$
        \begin{aligned}
        f(x) &= g(x, y),\hspace{1cm}\forall s\in\mathcal{S} \\
        &= h(x), \quad \text{where } h(x) = 2 \\
        &= f(x)
        \end{aligned}
        $$
        """)
    def bare(tex):
        return tex.replace("\\quad", "").strip()

    assert [(bare(s.lhs_tex), bare(s.rhs_tex)) for s in steps] == [
        ("f(x)", "g(x, y)"), ("g(x, y)", "h(x)"), ("h(x)", "f(x)")]
    assert all(s.error is None for s in steps)


def test_a_small_type_column_after_one_ampersand_is_the_rows_note():
    # Lilian Weng: "=& ... & \scriptstyle{P(s',r \vert s,a) \text{ or } r \text{ is not a func of }\theta}"
    steps = _steps(r"""
        $$
        \begin{aligned}
        & f(x) \\
        =& g(x) & \scriptstyle{h(x) \text{ does not depend on } x} \\
        =& h(x) & \scriptstyle{\text{; by definition}}
        \end{aligned}
        $$
        """)
    assert [(s.lhs_tex, s.rhs_tex) for s in steps] == [("f(x)", "g(x)"), ("g(x)", "h(x)")]
    assert steps[0].justification.startswith("h(x) does not depend on")


def test_episodic_with_state_rewards_is_refused_not_misjudged(tmp_path):
    # episodic instances pay 0 on the transition that ends an episode; r(s) would be paid there too: refuse
    from derive.check_derivations.files import check_file

    f = tmp_path / "ep.md"
    f.write_text("---\nsetting: episodic\nreward: state\n---\n"
                 "$$V^\\pi(s) = r(s) + \\sum_a \\pi(a|s) \\sum_{s'} P(s'|s,a) V^\\pi(s')$$\n", encoding="utf-8")
    rep = check_file(str(f), symbolic_budget=0)
    assert [s["verdict"] for s in rep["steps"]] == ["unknown"]
    assert "episodic setting with state rewards" in rep["steps"][0]["reason"]
