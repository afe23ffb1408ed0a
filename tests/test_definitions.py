"""Definitions (issue 10, item 8): X := e binds X for the rest of the file, shown as a definition, not judged."""
from __future__ import annotations


import pytest
from sympy import Sum
from sympy.core.symbol import Str

from derive.check_derivations.report import human
from derive.read_markdown import read_derivation
from derive.read_markdown.definitions import MAX_VALUE_NODES, Definitions
from derive.read_latex import LatexError, parse_math
from derive.lang import nodes as N
from derive.lang import symbols as S
from derivation_helpers import check, md

t = S.integer("t")


def bind(*pairs):
    d = Definitions()
    options = {"definitions": d}
    for lhs, rhs in pairs:
        d.define(lhs, rhs, options, 1, 1, 1, 1)
    return options


# ------------------------------------------------------------------ binding


def test_delta_uses_the_students_own_v_and_substitutes_the_index():
    o = bind((r"\delta_t", r"r_t + \gamma V(s_{t+1}) - V(s_t)"))
    v = parse_math(r"\delta_{t+1}", options=o)
    assert v == N.Rt(t + 1) + S.gamma * N.FreeFn(Str("V"), N.St(t + 2)) - N.FreeFn(Str("V"), N.St(t + 1))
    assert parse_math(r"\delta_t^2", options=o) == parse_math(r"(r_t + \gamma V(s_{t+1}) - V(s_t))^2")


def test_ratio_k_step_clip_objective_and_function_definitions():
    o = bind((r"r_t(\theta)", r"\frac{\pi_\theta(a_t|s_t)}{\pi_{\theta_\text{old}}(a_t|s_t)}"),
             (r"\hat{A}^{(k)}_t", r"\sum_{l=0}^{k-1} \gamma^l r_{t+l} + \gamma^k V(s_{t+k}) - V(s_t)"),
             (r"L^{CLIP}(\theta)", r"\min(r_t(\theta) \hat{A}_t, \operatorname{clip}(r_t(\theta), 1-\epsilon, "
                                   r"1+\epsilon) \hat{A}_t)"),
             ("F(s)", "V(s)^2"))
    ratio = N.Pi(N.pol("theta"), N.At(t), N.St(t)) / N.Pi(N.pol("old"), N.At(t), N.St(t))
    assert parse_math(r"r_t(\theta)", options=o) == ratio
    assert parse_math("r_t", options=o) == N.Rt(t)  # without (\theta): the pattern does not match
    k2 = parse_math(r"\hat{A}^{(2)}_{t+1}", options=o)
    assert k2.has(Sum) and k2.has(N.St(t + 3))
    assert parse_math(r"L^{CLIP}(\theta)", options=o).has(N.Clip)
    assert parse_math(r"F(s_{t+1})", options=o) == N.FreeFn(Str("V"), N.St(t + 1)) ** 2


@pytest.mark.parametrize("lhs, why", [
    ("t", "fixed meaning"), (r"\pi(a|s)", "fixed meaning"), (r"\gamma", "fixed meaning"), ("x + y", "symbol"),
])
def test_fixed_names_and_non_symbols_cannot_be_defined(lhs, why):
    with pytest.raises(LatexError, match=why):
        bind((lhs, "1"))


def test_no_capture_and_no_recursion():
    o = bind((r"g_t", r"\sum_{t'=t}^{T-1} r_{t'}"))
    with pytest.raises(LatexError, match="capture"):
        parse_math(r"g_{t'}", options=o)
    o = bind(("u(x)", "x + 1"))
    o["definitions"].define("u(x)", "u(x) + 1", o, 1, 1, 1, 1)  # the right side uses the earlier u
    assert parse_math("u(y)", options=o) == S.PointVar("y") + 2


def test_sizes_are_bounded():
    o = bind(("F_{0}(x)", "x + 1"))
    with pytest.raises(LatexError, match="too large"):  # each level triples: refused past MAX_VALUE_NODES
        for k in range(1, 30):
            o["definitions"].define(f"F_{{{k}}}(x)", f"F_{{{k - 1}}}(x) F_{{{k - 1}}}(x+1) + F_{{{k - 1}}}(x+2)",
                                    o, 1, 1, 1, 1)
    assert k < 15 and MAX_VALUE_NODES <= 10 ** 4


# ------------------------------------------------------------------ in files


@pytest.mark.parametrize("rel", [":=", r"\coloneqq", r"\doteq", r"\triangleq", r"\equiv", r"\stackrel{\text{def}}{=}",
                                 r"\overset{\text{def}}{=}"])
def test_every_spelling_is_a_definition_not_a_step(rel):
    d = read_derivation(md(rf"""
        $$
        \delta_t {rel} r_t + \gamma V(s_{{t+1}}) - V(s_t)
        $$

        $$
        \delta_t = r_t + \gamma V(s_{{t+1}}) - V(s_t)
        $$
    """))
    assert len(d.steps) == 1 and len(d.definitions) == 1 and d.definitions[0]["error"] is None
    assert d.steps[0].lhs == d.steps[0].rhs


@pytest.mark.parametrize("prose", ["Let $u(x) = x^2$.", "where $u(x) = x^2$,", "We define $u(x) = x^2$.",
                                   "Let\n\n$$\nu(x) = x^2\n$$"])
def test_prose_definitions(prose):
    d = read_derivation(md(prose) + "\n\n$$\nu(y) = y^2\n$$\n")
    assert len(d.steps) == 1 and d.steps[0].lhs == d.steps[0].rhs


def test_prose_that_is_not_a_definition_is_left_alone():
    d = read_derivation("where $t = 0$ and\n\n$$\nr_t = r_t\n$$\n")  # t is an index, never bound
    assert not d.definitions and d.steps[0].lhs == N.Rt(t)


def test_definitions_end_to_end(tmp_path):
    rec = check(tmp_path, r"""
        $$
        \delta_t := r_t + \gamma V(s_{t+1}) - V(s_t)
        $$

        $$
        \delta_t + \gamma \delta_{t+1} = r_t + \gamma r_{t+1} + \gamma^2 V(s_{t+2}) - V(s_t)
        $$

        $$
        \delta_t + \gamma \delta_{t+1} = r_t + \gamma r_{t+1} + \gamma V(s_{t+2}) - V(s_t)
        $$

        Let $r_t(\theta) = \frac{\pi_\theta(a_t|s_t)}{\pi_{\theta_{old}}(a_t|s_t)}$ be the ratio.

        $$
        r_t(\theta)\, \pi_{\theta_{old}}(a_t|s_t) = \pi_\theta(a_t|s_t) = \pi_{\theta_{old}}(a_t|s_t)
        $$
    """)
    assert [s["verdict"] for s in rec["steps"]] == ["holds", "fails", "holds", "fails"]
    assert [d["line"] for d in rec["definitions"]] == [2, 13]
    text = human([rec])
    assert r"definition (line 2): read as: \delta_t := " in text and "step 1" in text


def test_a_definition_that_cannot_bind_is_reported(tmp_path):
    rec = check(tmp_path, r"""
        $$
        t := 3
        $$

        $$
        r_t = r_t
        $$
    """)
    assert rec["definitions"][0]["read_as"] is None and "fixed meaning" in rec["definitions"][0]["error"]
    assert "not bound" in human([rec])
