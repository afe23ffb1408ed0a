"""User macros (issue 10, item 1): definitions in the document, front matter and --macros FILE; safe expansion."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from derive.check_derivations.judge import read_as
from derive.read_markdown import InputError, read_derivation
from derive.read_latex import LatexError, parse_math
from derive.read_latex.macro_files import MacroFileError, read_macro_file
from derive.read_latex.macros import MAX_STEPS, MAX_WORK, Macros

HERE = Path(__file__).parent
UNDER_E = r"\newcommand{\underE}[2]{\underset{#1}{\mathbb{E}}\left[#2\right]}"
IRATIO = r"\newcommand{\iratio}{\frac{\pi_\theta(a_t|s_t)}{\pi_{\theta_\text{old}}(a_t|s_t)}}"


def read(text: str, **kw):
    return read_derivation(textwrap.dedent(text).lstrip("\n"), "test.md", **kw)


def expand(src: str, table=None):
    table = Macros() if table is None else table
    return table.expand(src, list(range(len(src) + 1)), lambda off: f"at {off}")


# ------------------------------------------------------------------ the expander


def test_arguments_defaults_and_nesting():
    e = expand(r"\newcommand{\V}[1][\pi]{V^{#1}}\def\pair#1#2{(#1, #2)} \V(s) + \V[\mu](s) + \pair{a}{\V}")
    assert e.text.split() == [r"V^{\pi}(s)", "+", r"V^{\mu}(s)", "+", r"(a,", r"V^{\pi})"]


def test_declare_math_operator_and_star():
    e = expand(r"\DeclareMathOperator{\clip}{clip}\DeclareMathOperator*{\argmax}{arg\,max}\clip(x) \argmax_a")
    assert e.text.strip() == r"\operatorname{clip}(x) \operatorname*{arg\,max}_a"


def test_control_word_then_letter_stays_apart():
    assert expand(r"\def\g{\gamma}\g x").text == r"\gamma x"


def test_expansion_keeps_the_use_site_offset():
    src = r"\def\a{xy}" + "  \\a"
    e = expand(src)
    assert e.text == "  xy" and e.origin[2] == e.origin[3] == src.index("\\a", 5)


@pytest.mark.parametrize("src,words,at", [
    (r"\def\a{\b}\def\b{\a}\a", r"\a uses itself (\a -> \b -> \a", 20),
    (r"\def\a{\a}\a", r"\a uses itself", 10),
    (r"\newcommand{\f}[2]{#1#2}\f{x}", r"\f takes 2 argument(s)", 24),
    (r"\newcommand{\f}[1]{#1}\f{x", r"an argument of \f is never closed", 24),  # at its '{'
])
def test_use_errors_are_recorded_at_the_use(src, words, at):
    e = expand(src)
    assert e.errors and words in e.errors[0][2]
    assert e.errors[0][1] == at


def test_exponential_expansion_is_stopped_by_the_budget():
    src = "".join(r"\def\x%s{\x%s\x%s}" % (chr(97 + i), chr(98 + i), chr(98 + i)) for i in range(25))
    src += r"\def\xz{z}\xa"
    table = Macros()
    e = expand(src, table)
    assert any(f"after {MAX_STEPS} expansions" in m for _, _, m in e.errors)
    assert table.steps == MAX_STEPS and table.work <= MAX_WORK


def test_a_huge_argument_copied_many_times_is_stopped():
    src = r"\def\m#1{" + "#1" * 5000 + "}" + r"\m{" + "x" * 5000 + "}"
    e = expand(src)
    assert any("too large" in m for _, _, m in e.errors)


@pytest.mark.parametrize("src,words", [
    (r"\newcommand{\frac}[2]{#1/#2}", r"\frac is already a LaTeX command"),
    (r"\newcommand{\R}{a}\newcommand{\R}{b}", r"\R is already defined (at 0); use \renewcommand"),
    (r"\def\begin{x}", r"\begin cannot be (re)defined"),
    (r"\def\csname{x}", r"\csname cannot be (re)defined"),
    (r"\def\f#1#3{x}", "only the parameters #1#2... in order"),
    (r"\def\f#1.{x}", "only the parameters #1#2... in order"),
    (r"\newcommand{\f}[1]{#2}", "#2 in the body of \\f, which takes 1 argument(s)"),
    (r"\newcommand{\f}[12]{x}", "must be 0 to 9"),
    (r"\newcommand{\f}{x", "never closed"),
    (r"\newcommand{x}{y}", "must be followed by the macro's name"),
])
def test_bad_definitions_are_errors(src, words):
    with pytest.raises(Exception) as info:
        expand(src, Macros(known=frozenset({"frac"})))
    assert words in info.value.message


def test_renewcommand_and_providecommand_follow_latex():
    table = Macros(known=frozenset({"epsilon"}))
    e = expand(r"\renewcommand{\epsilon}{\varepsilon}\providecommand{\epsilon}{Z}\epsilon", table)
    assert e.text == r"\varepsilon"


# ------------------------------------------------------------------ in a derivation


def test_spinning_up_under_e_from_the_document():
    d = read(f"""
        The site defines ${UNDER_E}$.

        $$\\nabla_\\theta J(\\pi_\\theta) = \\underE{{\\tau\\sim\\pi_\\theta}}{{R(\\tau)}}$$
        """)
    step = d.steps[0]
    assert step.error is None, step.error
    shown = read_as(step)
    assert r"\mathbb{E}_{\tau \sim \pi_{\theta}}" in shown and r"macros expanded: \underE (on line 1)" in shown
    assert step.rhs == parse_math(r"\mathbb{E}_{\tau\sim\pi_\theta}\left[R(\tau)\right]")


def test_schulman_iratio_defined_inside_the_display():
    d = read(f"""
        $$
        {IRATIO}
        \\log \\iratio = \\log \\pi_\\theta(a_t|s_t) - \\log \\pi_{{\\theta_\\text{{old}}}}(a_t|s_t)
        $$
        """)
    assert len(d.steps) == 1 and d.steps[0].error is None
    assert (d.steps[0].line, d.steps[0].col) == (3, 14)


def test_a_macro_used_before_its_definition_is_not_defined():
    d = read(f"""
        $$\\log \\iratio = 0$$

        ${IRATIO}$
        """)
    err = d.steps[0].error
    assert err is not None and r"\iratio is not defined" in err.message and "--macros" in err.message
    assert (err.line, err.col) == (1, 8)


def test_error_inside_an_expansion_points_at_the_use_and_names_the_definition():
    d = read("""
        $\\newcommand{\\bad}{\\frac{1}{\\nosuch}}$

        $$x = 2 \\bad$$
        """)
    err = d.steps[0].error
    assert (err.line, err.col) == (3, 9)
    assert r"\nosuch is not defined" in err.message and r"in the expansion of \bad, defined on line 1" in err.message


def test_recursion_in_a_derivation_is_an_error_of_its_step_only():
    d = read(r"""
        $$\def\a{\b}\def\b{\a} x = \a$$

        $$y = y$$
        """)
    assert d.steps[0].error is not None and "uses itself" in d.steps[0].error.message
    assert (d.steps[0].error.line, d.steps[0].error.col) == (1, 28)
    assert d.steps[1].error is None


def test_a_bad_definition_is_an_input_error_with_its_place():
    with pytest.raises(InputError) as info:
        read("Text.\n\n$$\\newcommand{\\f}[1]{#2} x = x$$\n")
    assert (info.value.line, info.value.col) == (3, 22) and "#2" in info.value.message


def test_front_matter_macros_like_katex():
    d = read(r"""
        ---
        macros:
          "\\iratio": "\\frac{\\pi_\\theta(a_t|s_t)}{\\pi_{\\theta_\\text{old}}(a_t|s_t)}"
          V: ["V^{#1}", 1, "\\pi"]
        ---
        $$\log \iratio = \log \iratio$$

        $$\V(s) = \V[\pi](s)$$
        """)
    assert [s.error for s in d.steps] == [None, None]
    assert "front matter macros (line 2)" in read_as(d.steps[0])


@pytest.mark.parametrize("value,words", [
    ("[a, b]", "map of name: body"),
    ("{1x: a}", "not a macro name"),
    ("{f: [a, 10]}", "0 to 9"),
    ("{f: [a, 0, b]}", "default needs at least one argument"),
])
def test_front_matter_macro_errors(value, words):
    with pytest.raises(InputError) as info:
        read_derivation(f"---\nmacros: {value}\n---\n$$x = x$$\n")
    assert words in info.value.message and info.value.line == 2


def test_macro_files(tmp_path):
    js = tmp_path / "config.js"
    js.write_text("// site\nMathJax = {tex: {macros: {\n"
                  "  underE: ['\\\\underset{#1}{\\\\mathbb{E}}\\\\left[#2\\\\right]', 2],\n"
                  "  RR: \"\\\\mathbb{R}\", /* reals */\n}}};\n")
    jsn = tmp_path / "katex.json"
    jsn.write_text(json.dumps({"\\underE": ["\\underset{#1}{\\mathbb{E}}\\left[#2\\right]", 2]}))
    tex = tmp_path / "macros.tex"
    tex.write_text(UNDER_E + "\n")
    for f in (js, jsn, tex):
        defs = read_macro_file(f)
        assert defs["underE"][:2] == (2, None), f
        d = read_derivation("$$\\underE{\\tau\\sim\\pi_\\theta}{R(\\tau)} = \\sum_\\tau P(\\tau|\\theta) R(\\tau)$$",
                            macros=defs)
        assert d.steps[0].error is None, (f, d.steps[0].error)


@pytest.mark.parametrize("name,text,where", [
    ("a.json", '{"f": [1, 2', (1, 12)),
    ("a.js", "x = 1;\nmacros: { f: foo() }", (2, 14)),
    ("a.js", "macros: { f: `x` }", (1, 14)),
    ("a.tex", "\n\\def\\f#1.{x}", (2, 9)),
    ("a.txt", "x", (1, 1)),
])
def test_bad_macro_files_name_line_and_column(tmp_path, name, text, where):
    f = tmp_path / name
    f.write_text(text)
    with pytest.raises(MacroFileError) as info:
        read_macro_file(f)
    assert (info.value.line, info.value.col) == where


def test_cli_macros_option(tmp_path, capsys):
    from derive.cli import main

    md = tmp_path / "pg.md"
    md.write_text("$$\\underE{\\tau\\sim\\pi_\\theta}{R(\\tau)} = \\sum_\\tau P(\\tau|\\theta) R(\\tau)$$\n")
    mac = tmp_path / "m.tex"
    mac.write_text(UNDER_E + "\n")
    assert main(["check", str(md), "--macros", str(mac), "--symbolic-budget", "0"]) == 0
    assert "macros expanded: \\underE" in capsys.readouterr().out
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    assert main(["check", str(md), "--macros", str(bad)]) == 2
    assert f"{bad}:1:2:" in capsys.readouterr().err


def test_parse_math_names_the_definition_command():
    with pytest.raises(LatexError) as info:
        parse_math(r"\newcommand{\R}{x} \R")
    assert "defines a macro" in info.value.message


# ------------------------------------------------------------------ hostile documents


def _hostile_documents() -> list:
    text = (HERE / "adversarial" / "hostile_macros.txt").read_text(encoding="utf-8")
    return [ln.replace("<NL>", "\n") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@pytest.mark.parametrize("doc", _hostile_documents())
def test_hostile_macro_documents_end_in_errors_or_verdicts(doc, tmp_path, monkeypatch):
    from test_adversarial import Tripwire

    monkeypatch.chdir(tmp_path)
    read_derivation("$$x = x$$")
    with Tripwire() as wire:
        try:
            d = read_derivation(doc)
        except InputError as err:
            assert err.line >= 1 and err.col >= 1 and "internal error" not in err.message
        else:
            for step in d.steps:
                assert (step.error is None) == (step.lhs is not None and step.rhs is not None)
                if step.error is not None:
                    assert step.error.line >= 1 and "internal error" not in step.error.message
        assert wire.calls == []
    assert list(tmp_path.iterdir()) == []


def test_hostile_corpus_has_the_named_attacks():
    docs = "\n".join(_hostile_documents())
    for attack in (r"\csname", r"\catcode", r"\expandafter", r"\let", r"\input", r"\write", r"\renewcommand{\frac}"):
        assert attack in docs


def test_spinning_up_site_macros_exactly_as_written():
    """Spinning Up's pages define \\E as {\\mathrm E} and \\underE with a subarray (its MathJax macros)."""
    d = read(r"""
        $$
        \newcommand{\E}{{\mathrm E}}
        \newcommand{\underE}[2]{\underset{\begin{subarray}{c}#1 \end{subarray}}{\E}\left[ #2 \right]}
        $$

        $$
        \nabla_{\theta} J(\pi_{\theta}) = \underE{\tau \sim \pi_{\theta}}{\sum_{t=0}^{T-1} \nabla_{\theta}
        \log \pi_{\theta}(a_t |s_t) R(\tau)}
        $$
        """)
    assert d.steps[0].error is None, d.steps[0].error
    assert d.steps[0].rhs == parse_math(r"\mathbb{E}_{\tau\sim\pi_\theta}\left[\sum_{t=0}^{T-1} \nabla_\theta "
                                        r"\log \pi_\theta(a_t|s_t) R(\tau)\right]")


def test_mathjax_2_config_macros(tmp_path):
    js = tmp_path / "mathjax2.js"
    js.write_text('MathJax.Hub.Config({ TeX: { Macros: { half: ["\\\\frac{#1}{2}", 1] } } });\n')
    defs = read_macro_file(js)
    assert defs == {"half": (1, None, "\\frac{#1}{2}", str(js))}
    d = read_derivation("$$\\half{x} + \\half{x} = x$$", macros=defs)
    assert d.steps[0].error is None and d.steps[0].lhs == parse_math(r"\frac{x}{2} + \frac{x}{2}")


def test_prose_about_definitions_is_not_a_definition():
    d = read("In TeX one would use \\def to define things, or \\newcommand.\n\nHere \\def\\g{\\gamma} is one.\n\n"
             "$$\\g = \\gamma$$\n")
    assert d.steps[0].error is None and d.steps[0].lhs == parse_math(r"\gamma")
