"""Presentation without mathematics, delimiters, environments, Markdown escapes (issue 10, item 10) and the
messages naming the nearest supported spelling (item 12)."""
from __future__ import annotations

import pytest

from derive.check_derivations.judge import read_as
from derive.read_markdown import InputError, read_derivation
from derive.read_latex import LatexError, parse_math

X = parse_math("x")
Y = parse_math("y")


def steps(text: str) -> list:
    """[(lhs, rhs)] of every step (asserting that each was read)."""
    d = read_derivation(text, "p.md")
    for s in d.steps:
        assert s.error is None, (text, s.error)
    return [(s.lhs, s.rhs) for s in d.steps]


# ------------------------------------------------------------------ chain breaks


@pytest.mark.parametrize("word", [r"\therefore", r"\implies", r"\Rightarrow", r"\Longrightarrow", r"\iff",
                                  r"\quad\text{and}\quad"])
def test_a_chain_break_separates_two_chains(word):
    assert steps(f"$$x = x {word} y = y$$") == [(X, X), (Y, Y)]


@pytest.mark.parametrize("word", [r"\therefore", r"\because", r"\implies"])
def test_a_chain_break_at_the_start_of_a_display_or_row(word):
    assert steps(f"$$x = x$$\n\n$${word} y = y$$") == [(X, X), (Y, Y)]
    assert steps(f"$$\\begin{{aligned}} x &= x \\\\ {word} y &= y \\end{{aligned}}$$") == [(X, X), (Y, Y)]


def test_a_display_starting_with_equals_continues_the_previous_chain():
    d = read_derivation("$$x + 0 = x$$\n\nso\n\n$$= 1 \\cdot x$$")
    assert [s.lhs_tex for s in d.steps] == ["x + 0", "x"] and d.steps[1].justification == "so"


# ------------------------------------------------------------------ decorations read as what they decorate


@pytest.mark.parametrize("tex", [
    r"\cancel{x} + y - y", r"\bcancel{x}", r"\xcancel{x} + \cancel{0}", r"\underbrace{x}_{\text{the state}}",
    r"\overbrace{x}^{\text{kept}}", r"\boxed{x}", r"\color{red} x", r"\textcolor{blue}{x}", r"\small x",
    r"\footnotesize{x}", r"x \nonumber", r"x \notag", r"x \label{eq:x}", r"\lvert x \rvert - \left| x \right| + x",
    r"\boldsymbol{x}", r"\boldsymbol x", r"\cancel x", r"\pmb{x}",
])
def test_decorations_read_as_their_content(tex):
    assert parse_math(tex) == X
    assert steps(f"$$x = {tex}$$") == [(X, X)]


def test_a_decoration_keeps_the_grouping_of_its_argument():
    assert parse_math(r"2\boxed{x + y}") == parse_math("2(x + y)")
    assert steps(r"$$\boxed{x = x}$$") == [(X, X)]  # a boxed equation is the equation


def test_a_tag_is_the_justification():
    d = read_derivation(r"$$x = x \tag{linearity}$$")
    assert d.steps[0].justification == "linearity"


@pytest.mark.parametrize("tail,note", [
    (r"\quad \text{where } y = 2", "where y = 2"),
    (r"\text{, for all } s", "for all s"),
    (r"\qquad \text{for } x \geq 0", "for x \\geq 0"),
])
def test_prose_tails_are_notes_not_steps(tail, note):
    d = read_derivation(f"$$x = x {tail}$$")
    assert len(d.steps) == 1 and d.steps[0].error is None and d.steps[0].justification == note


@pytest.mark.parametrize("end", [".", ",", r",\quad", ". "])
def test_trailing_punctuation(end):
    assert steps(f"$$x = x{end}$$") == [(X, X)]


def test_row_spacing_and_alignment_anywhere():
    assert steps("$$\\begin{aligned} x &= x \\\\[4pt] &= x \\end{aligned}$$") == [(X, X), (X, X)]
    assert steps("$$x & = & x$$") == [(X, X)]


def test_evaluation_bars_with_sized_delimiters():
    d = read_derivation(r"$$\Big. \nabla_\theta J(\theta) \Big|_{\theta=\theta_{\text{old}}} = "
                        r"\left. \nabla_\theta J(\theta) \right|_{\theta=\theta_{\text{old}}}$$")
    assert d.steps[0].error is None and d.steps[0].lhs == d.steps[0].rhs
    # without its opening the bar evaluates what precedes it in its side (read_latex/open_bars.py, issue 10 R3) ...
    assert parse_math(r"\nabla_\theta J(\theta) \bigg|_{\theta=\theta_{\text{old}}}") == d.steps[0].lhs
    with pytest.raises(LatexError) as info:  # ... unless a sum precedes it: which terms it evaluates is not clear
        parse_math(r"J(\theta) + \nabla_\theta J(\theta) \bigg|_{\theta=\theta_{\text{old}}}")
    assert r"\bigg. X + Y \bigg|_{...}" in info.value.message and info.value.col == 37


# ------------------------------------------------------------------ Markdown escapes


def test_markdown_escapes_inside_math():
    assert steps(r"$$a\_t \* x = x * a_t$$") == steps(r"$$a_t x = x a_t$$")


def test_a_display_with_doubled_backslashes_is_read_and_said():
    d = read_derivation(r"$$\\frac{1}{2} x = \\frac{x}{2}$$" + "\n\n$$x \\\\ = x$$")
    assert d.steps[0].error is None and d.steps[0].lhs == d.steps[0].rhs
    assert "doubled" in read_as(d.steps[0])
    assert "doubled" not in (read_as(d.steps[1]) or "")  # a row break is not a doubled backslash


# ------------------------------------------------------------------ delimiters and environments


@pytest.mark.parametrize("doc", [
    "\\(x = x\\)", "\\[x = x\\]", "$x = x$", "$x = x$.", "  $$x = x$$",
    "\\begin{align} x &= x \\end{align}", "\\begin{align*} x &= x \\end{align*}",
    "\\begin{eqnarray} x &=& x \\end{eqnarray}", "\\begin{eqnarray*} x &=& x \\end{eqnarray*}",
    "\\begin{gather} x = x \\end{gather}", "\\begin{gather*} x = x \\end{gather*}",
    "\\begin{multline} x = \\\\ x \\end{multline}", "$$\\begin{split} x &= x \\end{split}$$",
    "$$\\begin{aligned} x &= x \\end{aligned}$$", "$$\\begin{alignedat}{2} x &= x \\end{alignedat}$$",
    "$$\\begin{array}{rl} x &= x \\end{array}$$",
    ".. math::\n\n   x = x\n", ".. math::\n   :label: e1\n\n   x = x\n\nText.\n", ".. math:: x = x\n",
])
def test_delimiters_and_environments(doc):
    assert steps(doc) == [(X, X)]


def test_inline_math_in_a_sentence_is_never_a_step():
    assert steps("Let $x = 2$ and \\(y = 3\\) be given.\n\n$$x = x$$") == [(X, X)]


def test_rst_paragraphs_are_separate_displays():
    d = read_derivation("Intro.\n\n.. math::\n\n   x = x\n\n   y = y\n\nAfter.\n")
    assert [(s.lhs, s.line, s.col) for s in d.steps] == [(X, 5, 6), (Y, 7, 6)]
    assert d.steps[0].justification == "Intro."


# ------------------------------------------------------------------ messages (item 12)


@pytest.mark.parametrize("tex,words", [
    (r"\underE{x}{y}", r"\underE is not defined (derive does not read it): define it with \newcommand{\underE}"),
    (r"\underE{x}{y}", "or pass --macros FILE; the nearest supported command is \\underset"),
    (r"\fracc{1}{2}", r"the nearest supported command is \frac"),
    (r"\lamda", r"the nearest supported command is \lambda"),
    (r"\csname x\endcsname", r"\csname is not allowed"),
    (r"\def\x{1}", r"\def defines a macro"),
    (r"x \therefore y", r"\therefore separates two chains"),
    (r"x + \boxed", r"\boxed must be followed by its argument in braces"),
    (r"\begin{pmatrix} x \end{pmatrix}", r"\begin{pmatrix} is not read here: derive reads the layout environments"),
])
def test_messages_name_the_construct_and_the_nearest_spelling(tex, words):
    with pytest.raises(LatexError) as info:
        parse_math(tex)
    assert words in info.value.message


def test_a_missing_argument_names_the_macro_and_its_definition():
    with pytest.raises(InputError) as info:
        read_derivation("$\\newcommand{\\f}[2]{#1 #2}$\n\n$$\\f{x}$$")
    assert r"\f takes 2 argument(s) (defined on line 1), but 1 follow" in info.value.message
    assert (info.value.line, info.value.col) == (3, 3)


def test_a_small_text_note_after_a_single_ampersand():
    """Lilian Weng's derivations end rows with '& \\scriptstyle{\\text{; Derivative product rule.}}'."""
    d = read_derivation(r"$$\begin{aligned} x &= x + 0 & \scriptstyle{\text{; Derivative product rule.}} \\"
                        "\n" r"&= x \end{aligned}$$")
    assert [s.error for s in d.steps] == [None, None]
    assert d.steps[0].justification == "Derivative product rule."


def test_substack_and_subarray_are_layout():
    assert parse_math(r"\sum_{\substack{a}} \pi(a|s)") == parse_math(r"\sum_a \pi(a|s)")
    assert parse_math(r"\underset{\begin{subarray}{c} s \sim \rho_0 \end{subarray}}{\mathbb{E}}\left[V^\pi(s)\right]") \
        == parse_math(r"\mathbb{E}_{s\sim\rho_0}\left[V^\pi(s)\right]")


# ------------------------------------------------------------------ inline math, MDX, MediaWiki, kramdown


def test_a_file_written_inline_reads_its_inline_relations():
    """Notes exported from Notion or the HF course's MDX write the whole derivation inline."""
    d = read_derivation("The gradient is: $x + 0 = x$. Since $y = y \\cdot 1$ and \\(x = 1 \\cdot x\\), done.\n")
    assert [(s.lhs_tex, s.rhs_tex) for s in d.steps] == [("x + 0", "x"), ("y", "y \\cdot 1"), ("x", "1 \\cdot x")]


@pytest.mark.parametrize("prose", [
    "We use $\\gamma = 0.99$ here.", "Set $t = 0$.", "For $x = y + 1$ we get nothing.",
    "Let $f(x) = x$ be given.", "when $s_t = s$ holds", "where $T = 10$.",
])
def test_inline_settings_conditions_and_definitions_are_not_steps(prose):
    assert read_derivation(prose + "\n").steps == []


def test_markdown_escaped_delimiters_of_mdx():
    d = read_derivation("We know that:\n\n\\\\(x + 0 = x\\\\)\n\nand\n\n\\\\[y = y\\\\]\n")
    assert [(s.lhs, s.rhs) for s in d.steps] == [(parse_math("x + 0"), X), (Y, Y)]
    assert d.steps[0].justification == "We know that"


def test_mediawiki_math_tags():
    d = read_derivation("Thus <math> x + 0 = x </math>, and <math>y = 1 y</math> with <math>x</math>.")
    assert [(s.lhs_tex, s.rhs_tex) for s in d.steps] == [("x + 0", "x"), ("y", "1 y")]
    d = read_derivation('So <math display="block">y = y</math> and <math>x = x</math> in a sentence.')
    assert [(s.lhs_tex, s.rhs_tex) for s in d.steps] == [("y", "y")]


def test_kramdown_inline_double_dollars():
    """Lilian Weng's posts (kramdown) write inline math with $$: inside a sentence it is not a display."""
    text = ("The policy $$\\pi_\\theta$$ is fixed. When k = 0: $$y = y$$.\n\n"
            "$$\nx = x + 0\n$$\n")
    assert [(s.lhs_tex, s.rhs_tex) for s in read_derivation(text).steps] == [("x", "x + 0")]
    # without a $$ symbol inside a sentence, $$ after prose is a display (GitHub, MathJax)
    assert len(read_derivation("Hence $$y = y$$ on the same line.\n").steps) == 1


def test_a_column_of_the_chain_after_double_ampersand():
    """Hands-on RL writes 'A &= x &&= y' and a '\\vdots' row between the rows."""
    d = read_derivation("$$\\begin{aligned} x &= x + 0 &&= 0 + x \\\\ &\\quad\\vdots &&\\quad\\vdots \\\\"
                        " y &= y &&= y \\end{aligned}$$")
    assert [(s.lhs_tex, s.rhs_tex) for s in d.steps] == [("x", "x + 0"), ("x + 0", "0 + x"), ("y", "y"), ("y", "y")]


def test_a_text_column_is_the_justification():
    """Karpathy's derivation: 'x &= y & \\text{definition of expectation} \\\\'."""
    d = read_derivation("$$\\begin{align} x &= x + 0 & \\text{use the fact that } z = z + 0 \\\\ "
                        "& = 0 + x & \\text{swap} \\end{align}$$")
    assert [(s.rhs_tex, s.justification) for s in d.steps] == [("x + 0", "use the fact that z = z + 0"),
                                                              ("0 + x", "swap")]


def test_stackrel_over_another_relation():
    d = read_derivation(r"$$x \stackrel{(i)}{\approx} y \overset{(ii)}{\geq} y$$")
    assert [(s.relation, s.justification) for s in d.steps] == [("approx", "i"), (">=", "ii")]
    assert d.steps[0].error is None and d.steps[1].error is None  # \approx is read (tests/test_reader_approx.py)


def test_a_relation_wrapped_in_braces():
    """Daniel Takeshi's posts (kramdown) write '\\;&{\\overset{(i)}{=}}\\;'."""
    d = read_derivation("$$\\begin{align} x \\;&{\\overset{(i)}{=}}\\; x + 0 \\\\ &{=}\\; 0 + x \\end{align}$$")
    assert [(s.lhs, s.justification) for s in d.steps] == [(X, "i"), (parse_math("x + 0"), "")]
    assert all(s.error is None for s in d.steps)
