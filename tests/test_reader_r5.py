"""Issue 10 R5: displays in blockquotes and HTML tags, Unicode math letters, upright one-letter variables."""
from __future__ import annotations

import textwrap

from derive.read_latex.parser import parse_math
from derive.read_latex.presentation import strip_presentation
from derive.read_latex.upright import strip_upright, upright_note
from derive.read_markdown import read_derivation
from derive.read_markdown.blocks import find_blocks, mask_code


def _blocks(text: str) -> list:
    masked = mask_code(text, 0)
    return [masked[b.cstart:b.cend] for b in find_blocks(masked)]


def test_blockquoted_display_is_one_display():
    text = textwrap.dedent("""\
        Bellman:

        > $$
        > \\begin{align}
        > V(s) &= \\sum_a \\pi(a|s) Q(s,a) \\\\
        > &= \\sum_a \\pi(a|s) Q(s,a)
        > \\end{align}
        > $$

        >> $$ A(s,a) = Q(s,a) - V(s) $$
        """)
    got = _blocks(text)
    assert len(got) == 2
    assert ">" not in got[0] and "\\begin{align}" in got[0] and "\\end{align}" in got[0]
    assert got[1].strip() == "A(s,a) = Q(s,a) - V(s)"


def test_blockquote_keeps_positions():
    text = "# t\n\n> $$\n> V(s) = \\foo\n> $$\n"
    masked = mask_code(text, 0)
    assert len(masked) == len(text) and masked.count("\n") == text.count("\n")
    steps = read_derivation(text, "t.md").steps
    assert len(steps) == 1 and (steps[0].line, steps[0].col) == (4, 8)  # the '=' of '> V(s) = \\foo'


def test_display_inside_center_tag_in_a_kramdown_file():
    # a kramdown file ($$\pi$$ inside a sentence): $$ after prose is inline, but <center> is layout
    text = textwrap.dedent("""\
        the policy ($$\\pi$$) is trained.

        $$
        Q(s,a) = Q(s,a)
        $$

        <center> $$ A(s,a) = Q(s,a) - V(s) $$ </center>

        <div class="eq">$$ V(s) = \\sum_a \\pi(a|s) Q(s,a) $$</div>
        """)
    got = [b.strip() for b in _blocks(text)]
    assert got == ["Q(s,a) = Q(s,a)", "A(s,a) = Q(s,a) - V(s)", "V(s) = \\sum_a \\pi(a|s) Q(s,a)"]


def test_mediawiki_math_tag_is_not_blanked():
    assert _blocks('<math display="block">V(s) = V(s)</math>\n') == ["V(s) = V(s)"]


def test_unicode_double_struck_e_is_the_expectation():
    a = parse_math("𝔼_{a \\sim \\pi(\\cdot|s)}[Q(s,a)]")
    b = parse_math("\\mathbb{E}_{a \\sim \\pi(\\cdot|s)}[Q(s,a)]")
    assert a == b


def test_unicode_ellipses_are_cdots_and_ldots():
    assert parse_math("r_0 + r_1 + ⋯ + r_3") == parse_math("r_0 + r_1 + \\cdots + r_3")
    assert parse_math("r_0 + r_1 + … + r_3") == parse_math("r_0 + r_1 + \\ldots + r_3")


def test_upright_one_letter_is_the_letter_with_a_note():
    assert strip_upright("\\mathrm{x}_t") == "        x _t"
    notes: list = []
    assert parse_math("Q(s,\\mathrm{a}) - V(s)", options={"notes": notes}) == parse_math("Q(s,a) - V(s)")
    assert notes == ["\\mathrm{a} is read as a (upright type: typography, the letter as written)"]


def test_upright_keeps_names_expectation_and_differential():
    for kept in ("\\mathrm{KL}", "\\mathrm{E}[X]", "\\mathrm{d}x", "\\mathrm{e}"):
        assert strip_upright(kept) == kept and upright_note(kept) is None
    assert strip_presentation("\\mathrm{u}_t") == "        u _t"


def test_markdown_step_says_upright_and_bold_are_read_as_the_letter():
    text = "# t\n\n$$\nQ(s,\\mathrm{a}) - V(s) = A(s,\\mathbf{a})\n$$\n"
    notes = read_derivation(text, "t.md").steps[0].notes
    assert "\\mathrm{a} is read as a (upright type: typography, the letter as written)" in notes
    assert "\\mathbf{a} is read as a (bold type: typography for a vector, the symbol as written)" in notes
