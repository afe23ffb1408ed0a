"""Issue 10 (R1): the steps of a file counted as its author writes them (tests/real_world/README.md, "The expected
block"): bracket macros, colour wrappers, aligned rows of separate statements, definitions announced by the prose
(and the steps that follow them in the same chain), justifications in the left column, and ``\\neq`` remarks.

Each test fails before the change it names (the file was split into another number of steps, a display was
dropped, or a bracket was an unknown command).  Reading only (``read_derivation``), no judging: quick.
"""
from __future__ import annotations

import pytest

from derive.read_latex import parse_math
from derive.read_markdown.reader import read_derivation
from tests.derivation_helpers import md

V = r"\sum_a \pi(a|s) \left[ r(s,a) + \gamma \sum_{s'} P(s'|s,a) V(s') \right]"


def steps(text):
    return read_derivation(md(text)).steps


def defs(text):
    return read_derivation(md(text)).definitions


# ------------------------------------------------------------------ brackets spelt as macros


@pytest.mark.parametrize("body", [
    r"E \lbrack r_{t+1} | S_t=s, S_{t+1}=s', A_t=a \rbrack",  # dlpt notes: the commas were split as steps
    r"E \lbrace r_{t+1} | S_t=s, S_{t+1}=s', A_t=a \rbrace",
    r"E \{ r_{t+1} | S_t=s, S_{t+1}=s', A_t=a \}",
])
def test_relations_inside_bracket_macros_are_not_steps(body):
    got = steps(f"""
        Text.

        $$
        R^a_{{ss'}} = {body}
        $$
        """)
    assert len(got) == 1 and got[0].lhs_tex == "R^a_{ss'}"


@pytest.mark.parametrize("tex", [
    r"\sum_a \pi(a|s) \lbrack r(s,a) + \gamma V(s) \rbrack",
    r"\sum_a \pi(a|s) \lbrace r(s,a) + \gamma V(s) \rbrace",
    r"\sum_a \pi(a|s) \{ r(s,a) + \gamma V(s) \}",
    r"\sum_a \pi(a|s) \lbrace{ r(s,a) + \gamma V(s) \rbrace}",  # the group closes after \rbrace (dlpt notes)
    r"\sum_a \pi(a|s) \Big\{ r(s,a) + \gamma V(s) \Big\}",
    r"\sum_a \pi(a|s) \bigl\lbrace r(s,a) + \gamma V(s) \bigr\rbrace",
])
def test_bracket_macros_are_read_as_brackets(tex):
    want = parse_math(r"\sum_a \pi(a|s) \left[ r(s,a) + \gamma V(s) \right]", options={})
    assert parse_math(tex, options={}) == want


# ------------------------------------------------------------------ colour and boxes around a relation


@pytest.mark.parametrize("display", [
    r"\color{red}{V(s) = XX}",  # MathJax's two-argument \color (pipimamaoyuan)
    r"{\color{red} V(s) = XX}",  # the LaTeX switch inside a group
    r"\bbox[yellow,5px]{V(s) = XX}",
    r"\colorbox{yellow}{$V(s) = XX$}",
    r"\fcolorbox{red}{yellow}{$V(s) = XX$}",
    r"{\displaystyle V(s) = XX}",  # Wikipedia's exports
])
def test_a_coloured_or_boxed_relation_is_read(display):
    got = steps(f"""
        Text.

        $${display.replace("XX", V)}$$
        """)
    assert len(got) == 1 and got[0].error is None, got and got[0].error
    assert got[0].lhs_tex == "V(s)"


# ------------------------------------------------------------------ aligned rows of separate statements


def test_rows_that_each_start_with_an_ampersand_are_separate_statements():
    got = steps(r"""
        ## Notation 2

        $$
        \begin{align}
        &R^a_{ss'} = E \lbrack r_{t+1} | S_t=s, S_{t+1}=s', A_t=a \rbrack \\
        &P^a_{ss'} = P(S_{t+1}=s' | S_t=s, A_t=a)
        \end{align}
        $$
        """)
    assert [(s.lhs_tex, s.line) for s in got] == [("R^a_{ss'}", 5), ("P^a_{ss'}", 6)]


def test_a_justification_in_the_left_column_is_a_note_not_a_side():
    got = steps(r"""
        Then:

        $$
        \begin{aligned}
        B&=\mathbb E\big[G_{t+1}|S_t=s \big ]
        \\
        (实例化\to)&=\mathbb E\big[G_{t+1}|S_t=s_a \big ]
        \\
        (抽象\to)&= P_{ss'}V(s')
        \end{aligned}
        $$
        """)
    assert len(got) == 3
    assert got[1].lhs_tex == r"\mathbb E\big[G_{t+1}|S_t=s \big ]" and got[1].justification == "实例化\\to"
    assert got[2].justification == "抽象\\to"


# ------------------------------------------------------------------ definitions announced by the prose


def test_a_multirow_chain_after_a_definition_keeps_its_steps():
    text = r"""
        The total reward is defined as:

        $$
        \begin{aligned}
        \tilde{G}_t &= r_t + \gamma r_{t+1} \\
        &= \sum_{k=0}^{1} \gamma^k r_{t+k}
        \end{aligned}
        $$
        """
    got = steps(text)
    assert len(got) == 1 and got[0].lhs_tex == r"r_t + \gamma r_{t+1}"
    assert [d["lhs"] for d in defs(text) if d.get("read_as")] == [r"\tilde{G}_t"]


def test_let_the_objective_be_keeps_the_steps_of_its_chain():
    got = steps(r"""
        Let the objective be the maximization of the expected return:

        $$ \tilde{J}(\theta)=\sum_{s} \rho(s) V(s)=\sum_{s} \rho(s) \sum_{a} \pi(a|s) Q(s, a) $$
        """)
    assert len(got) == 1 and got[0].lhs_tex == r"\sum_{s} \rho(s) V(s)"


def test_a_passive_one_line_definition_chain_stays_one_definition():
    text = r"""
        The advantage is defined as:

        $$ \tilde{A}_i = r_i - \text{mean}(r) = r_i - \frac{1}{G}\sum_{j=1}^G r_j $$
        """
    assert steps(text) == []
    assert any("restates the definition" in (d["error"] or "") for d in defs(text))


@pytest.mark.parametrize("sentence", [
    "则在给定的policy下获取一种trajectory的概率，表示为：",  # 表示为 + a new symbol
    "进而得到目标函数定义，其中一般采用采样来近似表示期望收益:",  # 定义 in the sentence + a new symbol
    "可以通过数学期望来定义 $\\bar{R}(\\tau)$：",  # 来定义 $X$ names the symbol it defines
])
def test_chinese_cues_introduce_a_new_symbol_as_a_definition(sentence):
    text = f"""
        {sentence}

        $$ \\bar{{R}}(\\tau) = \\sum_{{t=0}}^{{T-1}} r_t $$

        $$ \\nabla \\bar{{R}}(\\tau) = 0 $$
        """
    got = steps(text)
    assert [s.lhs_tex for s in got] == ["\\nabla \\bar{R}(\\tau)"]


def test_a_passive_definition_laid_out_in_rows_keeps_the_rows_after_its_first_as_steps():
    text = r"""
        The total (discounted) reward is defined exactly the same as in MDP I:

        $$
        \begin{align}
        G_t
        &= R_t + \gamma R_{t+1} + \gamma^2 R_{t+2} + \dots \\
        &= \sum_{k=0}^\infty \gamma^k R_{t+k}
        \end{align}
        $$
        """
    got = steps(text)
    assert [s.lhs_tex for s in got] == [r"R_t + \gamma R_{t+1} + \gamma^2 R_{t+2} + \dots"]


@pytest.mark.parametrize("layout", ["J(\\theta) = A(s) = B(s)", "J(\\theta)\n= A(s)\n= B(s)"])
def test_a_known_symbol_in_a_one_row_chain_after_defined_as_stays_steps(layout):
    got = steps(f"""
        The reward function is defined as:

        $$
        {layout}
        $$
        """)
    assert len(got) == 2  # the corpus (Lilian Weng): J = ... is a step the author counts


def test_a_rewriting_of_a_known_symbol_stays_a_step():
    got = steps(r"""
        $$ V(s) = \sum_a \pi(a|s) Q(s,a) $$

        价值函数可以表示为：

        $$ V(s) = \sum_a \pi(a|s) Q(s,a) $$
        """)
    assert len(got) == 2


def test_a_list_of_example_values_under_a_definition_heading_is_not_a_step():
    text = r"""
        #### 状态集定义

        小写的 $s,s'$，表示具体的状态实例：

        $$
        s = [s_a], \quad s' = [s_b,s_c] \tag{7.3.4}
        $$

        #### 回报的定义

        $$
        G_t=[G_a],\quad G_{t+1}=[G_b,G_c]
        $$
        """
    assert steps(text) == []
    assert len(defs(text)) == 4  # shown (not bound: a variable cannot be redefined), never silently dropped


@pytest.mark.parametrize("rhs, n", [(r"r_{t+1} + \gamma G_{t+1}", 1),  # an equation G satisfies: a step
                                    (r"p_1 G_a + p_2 G_b", 0)])  # G_a, G_b: other symbols than G_t
def test_an_equation_the_symbol_satisfies_is_still_not_a_definition(rhs, n):
    got = steps(f"""
        其中，$G_t$ 是回报：

        $$ G_t = {rhs} $$
        """)
    assert len(got) == n


# ------------------------------------------------------------------ \neq in a chain


def test_a_neq_remark_at_the_end_of_a_chain_is_not_a_step():
    text = r"""
        应该有：

        $$
        v(s') = \mathbb E \big [G_{t+1} | S_{t+1} = s']\ne \mathbb E[G_{t+1}|S_t=s]
        $$
        """
    assert len(steps(text)) == 1
    shown = [d for d in defs(text) if d.get("kind") == "not a step"]
    assert len(shown) == 1 and "\\ne" in shown[0]["error"]


def test_a_definition_sentence_in_bold_is_read_through_its_emphasis():
    got = steps(r"""
        **定义从时间 \(t\) 开始的（折扣）回报**：

        \[
        R_t = \sum_{l=t}^T \gamma^{l-t} r_l
        \]
        """)
    assert got == []


def test_a_text_justification_in_the_left_column_does_not_swallow_its_row():
    got = steps(r"""
        Then:

        $$
        \begin{aligned}
        V(s) &= \sum_a \pi(a|s) Q(s,a) \\
        (\text{by Markov})&= \sum_a \pi(a|s) Q(s,a) \\
        \text{by (2)} &= \sum_a Q(s,a) \pi(a|s)
        \end{aligned}
        $$
        """)
    assert [s.justification for s in got[1:]] == ["by Markov", "by (2)"]  # before: both rows vanished silently
