"""Issue 10 (R7): the next constructs real authors write: \\rho^\\pi(s \\rightarrow s^{\\prime}, k) and its
equation-editor braces, reStructuredText's inline :math: role as a definition, the time-indexed baseline b_t, and
the message for an example's named states s_a, s_b, s_c."""
import pytest

from derive.lang import nodes
from derive.read_latex import LatexError, parse_math
from derive.read_markdown.blocks import mask_code, rst_math_roles

from derivation_helpers import check, read, verdicts


def _err(tex, **options):
    with pytest.raises(LatexError) as e:
        parse_math(tex, options=options)
    return str(e.value)


# ------------------------------------------------------------ k-step probability (kstep.py)


def test_kstep_with_prime_in_braces_and_rightarrow():
    plain, notes = read(r"\rho^\pi(s \to s', 1)", setting="discounted")
    braced, _ = read(r"\rho^\pi\left(s \rightarrow s^{\prime}, 1\right)", setting="discounted")
    assert braced == plain and isinstance(braced, nodes.Expect)
    assert any("k steps" in n for n in notes)
    two, _ = read(r"\rho^\pi(s' \to s'', 1)", setting="discounted")
    assert read(r"\rho ^{\pi}\left( s^{\prime}\rightarrow s^{\prime\prime},1 \right)", setting="discounted")[0] == two


def test_kstep_head_wrapped_in_braces_by_an_equation_editor():
    plain, _ = read(r"\gamma \sum_{s'} \rho^\pi(s \to s', 1) V^\pi(s')", setting="discounted")
    braced, _ = read(r"\gamma \sum_{s^{\prime}}{\rho ^{\pi}}\left( s\rightarrow s^{\prime},1 \right) V^\pi(s')",
                     setting="discounted")
    assert braced == plain
    # the braces also hold a factor before it: {\gamma^k \rho^\pi}(s \to x, k) is \gamma^k \rho^\pi(s \to x, k)
    a, _ = read(r"\sum_{x\in \mathcal{S}}\left(\sum_{k=0}^{\infty}\gamma ^k\rho ^{\pi}(s\rightarrow x,k)\right) V^\pi(x)",
                setting="discounted")
    b, _ = read(r"\sum_{x\in \mathcal{S}}{\sum_{k=0}^{\infty}{\gamma ^k\rho ^{\pi}}}(s\rightarrow x,k) V^\pi(x)",
                setting="discounted")
    assert a == b


# ------------------------------------------------------------ reStructuredText inline math (blocks.py)


def test_rst_math_role_keeps_offsets_and_is_not_a_code_span():
    text = "Let :math:`\\phi(s)=1`, we have"
    assert rst_math_roles(text) == "Let :math:$\\phi(s)=1$, we have"
    assert len(rst_math_roles(text)) == len(text)
    assert "\\phi" not in mask_code(text, 0)  # other readers (annotate) keep masking it
    assert "\\phi" in mask_code(text, 0, rst_roles=True)


def test_rst_math_role_defines_a_symbol_and_is_not_a_step(tmp_path):
    rec = check(tmp_path, r"""
        Let :math:`\phi(s)=\sum_{a} \pi(a \mid s) Q^\pi(s, a)`, we have,

        .. math::
            V^\pi(s) = \phi(s)

        :math:`V^\pi(s) = 2 \phi(s)`
        """)
    assert verdicts(rec) == ["holds"]  # the role alone on its line is inline (rst), not a display


# ------------------------------------------------------------ baseline b_t (notation_baseline.py)


def test_time_indexed_baseline_is_a_function_of_the_state():
    got, notes = read(r"b_t \nabla_\theta \log \pi_\theta(a_t|s_t)")
    want, _ = read(r"b(s_t) \nabla_\theta \log \pi_\theta(a_t|s_t)")
    assert got == want
    assert any("b(s_t)" in n and "does not depend on the action" in n for n in notes)


def test_time_indexed_baseline_judged(tmp_path):
    rec = check(tmp_path, r"""
        $$ \sum_{a_t} \nabla_\theta \pi_\theta(a_t | s_t) b_t = b_t \nabla_\theta \sum_{a_t} \pi_\theta(a_t|s_t) = 0 $$

        $$ \sum_{a_t} \pi_\theta(a_t | s_t) b_t = 0 $$
        """)
    assert verdicts(rec) == ["holds", "holds", "fails"]


def test_bare_b_outside_a_baseline_file_is_still_refused():
    assert "neither an action" in _err(r"b + 1")


# ------------------------------------------------------------ named states of an example (roles.py)


@pytest.mark.parametrize("tex, name", [(r"S_c", "S_c")])  # s_a, s_b are read since R8 (tests/test_reader_r8.py)
def test_named_state_of_an_example_message(tex, name):
    msg = _err(tex)
    assert name + ": a named state of an example is not read" in msg and "general state s" in msg


def test_time_letters_stay_time_indices():
    assert read(r"V(s_k)")[0] == parse_math(r"V(s_k)")
    assert "named state" not in _err(r"s_{\alpha}")


# ------------------------------------------------------------ an example's numbers (notation_example_numbers.py)


@pytest.mark.parametrize("tex, name", [(r"P_{2}", "P_2")])  # p_1 r_1 is read since R8 (tests/test_reader_r8.py)
def test_numbered_probability_of_an_example_message(tex, name):
    msg = _err(tex)
    assert name + ": a number of one example" in msg and "P(s'|s,a)" in msg


def test_parameterised_and_free_p_unchanged():
    assert isinstance(parse_math(r"p_\theta(\tau)"), nodes.TrajProb)
    assert "must be applied to arguments" in _err(r"p_\theta")


# ------------------------------------------------------------ a defined function applied with \left( \right) (definitions.py)


def test_defined_function_applies_to_sized_brackets(tmp_path):
    rec = check(tmp_path, r"""
        Let $\phi(s)=\sum_{a} \pi(a \mid s) Q^\pi(s, a)$, we have,

        $$ \phi \left( s^{\prime} \right) = V^\pi(s') $$

        $$ \phi \left( s \right) = 2 V^\pi(s) $$
        """)
    assert verdicts(rec) == ["holds", "fails"]
