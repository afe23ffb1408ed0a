"""Hostile and malformed input: every formula ends with a LatexError (with line/col) or a valid
expression, nothing else is raised, nothing is executed and no file is touched.

How long each input takes is measured, not asserted (a timed assertion fails under load): it is the
``hostile_corpus_max_ms`` row of bench/run.py (issue 14)."""
from __future__ import annotations

import builtins
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sympy import Basic

from derive.read_markdown import InputError, read_derivation
from derive.read_latex import LatexError, parse_math
from derive.read_latex.interpret import check_output

HERE = Path(__file__).parent


def _hostile_lines() -> list:
    out = []
    for line in (HERE / "adversarial" / "hostile.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.append(line)
    return out


def _generated() -> list:
    return [
        "(" * 10_000 + "x" + ")" * 10_000,  # deep nesting (and too long)
        "(" * 5_000 + "x" + ")" * 5_000,
        "(" * 61 + "x" + ")" * 61,
        "(" * 60 + "x" + ")" * 60,
        "{" * 3000 + "x" + "}" * 3000,
        r"\frac{" * 2000 + "1" + "}{2}" * 2000,
        r"\frac{" * 61 + "1" + "}{2}" * 61,
        r"\left(" * 100 + "x" + r"\right)" * 100,
        "x^{" * 100 + "2" + "}" * 100,
        r"\log " * 3000 + "x",
        r"\log " * 200 + "x",
        r"\exp " * 200 + "x",
        r"\nabla_\theta " * 200 + "J(\\theta)",
        r"\sum_{t=0}^{T-1} " * 200 + "r_t",
        r"\mathbb{E}_{\tau\sim\pi}[" * 59 + r"R(\tau)" + "]" * 59,
        "x" * 1_000_000,  # 1 MB
        "x " * 9_000,
        "x+" * 6_000 + "x",
        r"(10^{30})^{64} " * 1_300,
        r"((x \cdot 10^{30})^{64})^{64}",
        "9" * 10_000,
        "1." + "0" * 5_000,
        "\\" * 10_000,
        "'" * 10_000,
        "_" * 10_000,
        "^" * 10_000,
        "|" * 10_000,
        "&" * 10_000,
        "\x00",
        "x\x00y",
        "\u202e x",
        "x\ny\nz",
        "\n\n\n\\input{x}",
        "",
        "   ",
        "\t\n",
    ]


CORPUS = _hostile_lines() + _generated()


class Tripwire:
    """Records any call of eval/exec/compile/open/os.system/subprocess made while parsing.

    Python's import machinery (SymPy imports some modules lazily) runs module code through
    ``exec``; those calls come from importlib and are let through.
    """

    TARGETS = ((builtins, "eval"), (builtins, "exec"), (builtins, "compile"), (builtins, "open"),
               (os, "system"), (os, "popen"), (subprocess, "Popen"), (os, "remove"), (os, "unlink"))

    def __init__(self):
        self.calls = []
        self.saved = {}

    def __enter__(self):
        for owner, name in self.TARGETS:
            original = getattr(owner, name)
            self.saved[(owner, name)] = original
            setattr(owner, name, self._trap(f"{owner.__name__}.{name}", original))
        return self

    def __exit__(self, *exc):
        for (owner, name), original in self.saved.items():
            setattr(owner, name, original)
        return False

    def _trap(self, label, original):
        def trap(*args, **kwargs):
            caller = sys._getframe(1).f_code.co_filename
            if "importlib" in caller:
                return original(*args, **kwargs)
            self.calls.append(label)
            raise RuntimeError(f"{label} called while parsing")

        return trap


@pytest.fixture(scope="module", autouse=True)
def _warm_parser():
    parse_math("x")  # builds the lark parser (reads grammar.lark) before the tripwires are set
    read_derivation("$$x = x$$")


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = set(os.listdir(tmp_path))
    yield
    assert set(os.listdir(tmp_path)) == before, "a file was created"


def check_one(text: str):
    try:
        with Tripwire() as wire:
            try:
                value = parse_math(text, line=5, col=3)
            finally:
                assert wire.calls == [], (text[:60], wire.calls)
    except LatexError as err:
        assert err.line >= 5 and err.col >= 1, (text[:60], err)
        assert "internal error" not in err.message, (text[:60], err.message)
        assert str(err).startswith(f"line {err.line}, column {err.col}: ")
        outcome = err
    else:
        assert isinstance(value, Basic)
        check_output(value)
        outcome = value
    return outcome


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 100


def test_hostile_corpus(sandbox):
    errors = 0
    for text in CORPUS:
        if isinstance(check_one(text), LatexError):
            errors += 1
    assert errors > 0.8 * len(CORPUS)


@pytest.mark.parametrize("text,macro", [
    (r"\input{/etc/passwd}", r"\input"),
    (r"\write18{rm -rf /}", r"\write"),
    (r"\immediate\write18{ls}", r"\immediate"),
    (r"\def\x{1}", r"\def"),
    (r"\catcode`\@=11", r"\catcode"),
    (r"\csname x\endcsname", r"\csname"),
    (r"x + \openout1", r"\openout"),
])
def test_hostile_macros_are_named(sandbox, text, macro):
    err = check_one(text)
    assert isinstance(err, LatexError) and macro in err.message


def test_limits_are_reported(sandbox):
    assert "too long" in check_one("x" * 1_000_000).message
    assert "nested too deeply" in check_one("(" * 100 + "x" + ")" * 100).message
    assert "nested too deeply" in check_one(r"\log " * 200 + "x").message
    assert "too large" in check_one(r"\gamma^{99999999999}").message
    assert "too large" in check_one("2^{2^{2^{2^{2}}}}").message
    assert "digits" in check_one("1" * 31).message
    assert "too large" in check_one(r"(10^{30})^{64} " * 1_300).message


def test_error_positions_in_multiline_hostile_input(sandbox):
    err = check_one("x\n+ y\n+ \\input{z}")
    assert (err.line, err.col) == (7, 3)


TOKENS = [
    "x", "y", "s", "a", "b", "t", "k", "T", "s'", "r", "V", "Q", "P", "R", "J", "G", "d", "f", "p", "q", "e",
    "0", "1", "2", "0.5", "+", "-", "/", "*", "=", ",", "|", "'", "^", "_", "(", ")", "[", "]", "{", "}", " ",
    r"\gamma", r"\lambda", r"\pi", r"\pi_\theta", r"\theta", r"\tau", r"\rho_0", r"\delta", r"\hat{A}", r"\sum",
    r"\prod", r"\max", r"\min", r"\log", r"\exp", r"\nabla_\theta", r"\mathbb{E}", r"\frac", r"\sqrt",
    r"\left(", r"\right)", r"\left[", r"\right]", r"\left.", r"\right|", r"\cdot", r"\times", r"\mid", r"\|",
    r"\sim", r"\in", r"\infty", r"\text{old}", r"\mathrm{clip}", r"\mathrm{KL}", r"\,", r"\quad", r"\epsilon",
    r"\input", r"\def", r"\write18", "&", r"\\", "$", "%", "~", r"\left|", r"\sum_{t=0}^{T-1}", r"\sum_a",
    r"\sum_\tau", r"\mathbb{E}_{\tau\sim\pi_\theta}", r"\mathbb{E}_{a\sim\pi(\cdot|s)}", "(a|s)", "(s'|s,a)",
    r"(\tau)", r"(\theta)", "_t", "_{t+1}", r"^\pi", r"^{\pi'}", r"_{\theta=\theta_{old}}", r"(\cdot|s)",
    r"_{KL}(q\|p)", "^{(k)}", "^{GAE}", "^{99}", "\n",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=40))
def test_random_token_strings(tokens):
    check_one("".join(tokens))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_random_unicode_text(text):
    check_one(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS + ["$$", "\n", "---", r"\[", r"\]", "&=", r"\\", r"\begin{aligned}",
                                          r"\end{aligned}", "`", "```", "delta: V\n", "text "]),
                min_size=1, max_size=60))
def test_random_markdown_reader(tokens):
    text = "".join(tokens)
    try:
        with Tripwire() as wire:
            try:
                d = read_derivation(text)
            finally:
                assert wire.calls == [], wire.calls
    except InputError as err:
        assert err.line >= 1 and err.col >= 1
    else:
        for step in d.steps:
            assert (step.error is None) == (step.lhs is not None and step.rhs is not None)
            if step.error is not None:
                assert isinstance(step.error, LatexError) and "internal error" not in step.error.message


def test_huge_markdown_file_is_refused():
    with pytest.raises(InputError):
        read_derivation("$$x = x$$\n" * 30_000)


def test_too_many_steps_are_refused():
    with pytest.raises(InputError, match="too many steps"):
        read_derivation("$$" + " = ".join(["x"] * 300) + "$$")


def test_hypothesis_is_deterministic_and_untimed():
    """tests/conftest.py's profile: derandomized examples, no example database, no per-example deadline
    (a deadline is a timed assertion; issue 14)."""
    current = settings()
    assert current.derandomize and current.database is None and current.deadline is None
