r"""Step structure as the corpus format defines it (issue 10, R12; tests/real_world/README.md, "The expected block").

A formula the prose introduces with "let", "denote", 设, 令, 用 ... 表示 is a definition, not a step, also when the
naming sentence ends before the display ("Let $R(\tau)$ be the total reward. Then $$R(\tau) = ...$$"); inline math
that is a condition, an index range or a definition introduced in Chinese (其中, 令, 若, 对于) is not a step.
"""
from __future__ import annotations

import pytest

from derive.read_markdown.reader import read_derivation


def _read(text: str):
    d = read_derivation(text)
    return d.steps, d.definitions


@pytest.mark.parametrize("prose", [
    r"Let $R(\tau)$ be the total reward of a trajectory. Then",
    r"Let $R(\tau)$ denote the total reward of a trajectory.",
    r"Denote by $R(\tau)$ the total reward of a trajectory,",
    r"设 $R(\tau)$ 为轨迹的总奖励，则",
    r"令 $R(\tau)$ 表示轨迹的总奖励。于是",
    r"对一条轨迹，我们用 $R(\tau)$ 表示它的总奖励：",
    r"We denote the total reward of a trajectory by $R(\tau)$. Then",
    r"将一条轨迹 $\tau$ 的总奖励记为 $R(\tau)$。于是",
    r"我们称轨迹 $\tau$ 的奖励之和为 $R(\tau)$：",
])
def test_a_symbol_the_prose_names_then_its_formula_is_a_definition(prose):
    steps, defs = _read(prose + "\n\n$$R(\\tau) = \\sum_{t=0}^{T-1} r(s_t, a_t)$$\n")
    assert steps == []
    assert len(defs) == 1 and "R(\\tau) := " in defs[0]["read_as"] and "names its left side" in defs[0]["read_as"]


def test_the_named_definition_binds_and_its_chain_tail_is_a_step():
    text = ("Let $\\delta_t$ be the TD residual of $V$. Then\n\n"
            "$$\\delta_t = r_t + \\gamma V(s_{t+1}) - V(s_t) = r_t - V(s_t) + \\gamma V(s_{t+1})$$\n")
    steps, defs = _read(text)
    assert len(steps) == 1 and steps[0].lhs_tex.startswith("r_t + \\gamma")
    assert defs[0]["read_as"].startswith("\\delta_t := ")


def test_a_symbol_with_a_fixed_meaning_is_shown_as_a_definition_not_judged():
    text = ("Denote by $\\rho_t$ the probability ratio,\n\n"
            "$$\\rho_t = \\frac{\\pi_\\theta(a_t \\mid s_t)}{\\pi_{\\theta_{old}}(a_t \\mid s_t)}$$\n")
    steps, defs = _read(text)
    assert steps == [] and len(defs) == 1 and "cannot be redefined" in (defs[0].get("error") or defs[0]["read_as"])


@pytest.mark.parametrize("prose", [
    r"Let $V(s)$ be the value of $s$. We show that",  # a result about the named symbol
    r"Let $\pi$ be a policy. Then",  # the display's left side is not the named symbol
    r"The state's value $V(s)$ is used below.\n\nLet $V(s)$ be the value function. Then",  # V(s) written before
    r"状态价值用 $V(s)$ 表示，如下式所示。",  # a description that ends before the display (joyrl-book ch. 2)
    r"We denote the value function by $V(s)$. We show that",
])
def test_a_named_symbol_is_not_a_definition_when_the_display_states_a_result(prose):
    steps, _ = _read(prose + "\n\n$$V(s) = \\sum_a \\pi(a \\mid s) Q(s, a)$$\n")
    assert len(steps) >= 1 and steps[-1].lhs_tex == "V(s)"


@pytest.mark.parametrize("text, n", [
    # Chinese cues before inline math: where, let, if, for (a condition or a definition, not a claim)
    ("由于 $G_t = r_t + \\gamma G_{t+1}$，其中 $G_{t+1} = \\sum_{k=0}^{\\infty} \\gamma^k r_{t+1+k}$ 为回报。", 1),
    ("令 $b = 0$ 时，$\\mathbb{E}[A] = Q - V$ 成立，当 $t = T - 1$ 时 $G_t = r_t$。", 1),
    ("对于 $\\gamma = 1 - \\epsilon$，有 $G_t = r_t + \\gamma G_{t+1}$。", 1),
    # an index range is notation
    ("For the times $t = 0, 1, \\dots, T-1$ we have $G_t = r_t + \\gamma G_{t+1}$.", 1),
    ("($i = 1, \\ldots, G$) The group mean is $\\bar{r} = \\frac{1}{G}\\sum_{i=1}^{G} r_i$.", 1),
    # a bound on a lone symbol, or a setting of an index, is notation
    ("For every $t \\leq T$ and $0 \\le \\lambda \\le 1$, we have $G_t = r_t + \\gamma G_{t+1}$.", 1),
    ("At the last step $t = T-1$ the return is $G_t = r_t + \\gamma V(s_{t+1})$.", 1),
    ("Hence $V^\\pi(s) \\le V^{\\pi'}(s)$ for every state.", 1),  # a claim between two quantities stays a step
    # inline derivation: every asserted relation is a step, a chain too
    ("Then $\\mathbb{E}[X] = \\sum_x p(x) x = \\mu$ and so $G_0 = r_0 + \\gamma G_1$.", 3),
])
def test_inline_relations_are_steps_unless_notation_or_conditions(text, n):
    steps, _ = _read(text + "\n")
    assert len(steps) == n


@pytest.mark.parametrize("label", [
    "**Definition 1 (Advantage).** The advantage function is",
    "*Definition.* The advantage of $a$ in $s$:",
    "Definition 3.2: the advantage",
    "> [!definition] Advantage",
    "## Definition of the advantage",
    "### 2.1 Definitions",
])
def test_a_paragraph_labelled_as_a_definition_introduces_its_display(label):
    steps, defs = _read(label + "\n\n$$A(s,a) = Q(s,a) - V(s)$$\n")
    assert steps == [] and len(defs) == 1 and defs[0]["read_as"].startswith("A(s,a) := ")


@pytest.mark.parametrize("label", [
    "**Definition 1.** Let $A(s,a) := Q(s,a) - V(s)$. Then",  # the definition is inline; the display follows from it
    "**Definition 1 (Advantage).** Hence",  # a consequence
    "**Theorem 1.** For every policy,",  # not a definition
    "## Using the definition",  # a heading that uses a definition
])
def test_a_display_after_a_definition_label_that_states_a_result_is_a_step(label):
    steps, _ = _read(label + "\n\n" + r"$$\mathbb{E}_{a \sim \pi}[A(s,a)] = 0$$" + "\n")
    assert len(steps) == 1


@pytest.mark.parametrize("cue", ["where", "with", "其中", "我们令："])
def test_a_chain_the_prose_introduces_with_where_is_a_definition(cue):
    text = ("$$J(\\theta) = \\mathbb{E}[\\hat{A}_t]$$\n\n" + cue + "\n\n"
            "$$\\hat{A}_t = \\delta_t + \\gamma \\lambda \\delta_{t+1} = \\sum_{l=0}^{1} (\\gamma \\lambda)^l \\delta_{t+l}$$\n")
    steps, defs = _read(text)
    assert len(steps) == 1 and steps[0].lhs_tex == "J(\\theta)"
    assert defs[0]["read_as"].startswith("\\hat{A}_t := ") and "not judged" in defs[1]["error"]


@pytest.mark.parametrize("cue", ["假设：", "以下是笔记：", "The reward function is defined as:"])
def test_a_chain_after_other_words_stays_steps(cue):
    text = cue + "\n\n$$J(\\theta) = \\sum_s d^\\pi(s) V^\\pi(s) = \\sum_s d^\\pi(s) \\sum_a \\pi(a \\mid s) Q^\\pi(s, a)$$\n"
    steps, _ = _read(text)
    assert len(steps) == 2


@pytest.mark.parametrize("prose", ["The advantage is defined to be", "We use the following definition of the advantage:"])
def test_defined_to_be_and_the_following_definition_introduce_the_display(prose):
    steps, defs = _read(prose + "\n\n$$A(s,a) = Q(s,a) - V(s)$$\n")
    assert steps == [] and defs[0]["read_as"].startswith("A(s,a) := ")


def test_by_definition_justifies_a_step():
    steps, _ = _read("By definition,\n\n$$A(s,a) = Q(s,a) - V(s)$$\n")
    assert len(steps) == 1
