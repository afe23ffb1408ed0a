"""Displays the prose introduces as definitions, cues seen in the second held-out set (tests/real_world_heldout/,
issue 10, R6): "X 的定义，其公式为：", "首先回顾 X 的定义：", "the definition of X is:", "Let the objective be ...:",
and reStructuredText "Define that" followed by a ``.. math::`` block.  Each test fails before the cue was added.

A definition is echoed (``definition (line N): read as: X := ...``) and never judged; a claim stays a step."""
from derive.read_markdown import read_derivation

from derivation_helpers import md


def _read(text):
    d = read_derivation(md(text), "t.md")
    return d, [(s.lhs, s.relation, s.rhs) for s in d.steps]


def test_chinese_the_definition_its_formula_is_a_definition():
    # microsoft/ai-edu 7.3.1: "前面已经学习了状态价值函数的定义，其公式为："
    d, steps = _read(r"""
        前面已经学习了状态价值函数的定义，其公式为：

        $$
        u(s) = \mathbb{E}\big[G_t \mid s_t = s\big]
        $$
        """)
    assert steps == []
    assert d.definitions[0]["read_as"].startswith("u(s) :=")
    assert "的定义，其公式为" in d.definitions[0]["read_as"]


def test_chinese_recall_the_definition_is_a_definition():
    # pipimamaoyuan: "首先回顾Q函数的定义："
    d, steps = _read(r"""
        首先回顾Q函数的定义：

        $$
        g_t = r_t + \gamma V(s_{t+1})
        $$
        """)
    assert steps == [] and d.definitions[0]["read_as"].startswith("g_t :=")


def test_english_the_definition_of_is_a_definition():
    d, steps = _read(r"""
        Recall that the definition of the one-step target is:

        $$
        g_t = r_t + \gamma V(s_{t+1})
        $$
        """)
    assert steps == [] and d.definitions[0]["read_as"].startswith("g_t :=")


def test_definition_cue_ending_in_a_full_stop_leaves_the_display_a_step():
    # the sentence ends before the display: the display is the author's claim, judged
    d, steps = _read(r"""
        We use the definition of the advantage.

        $$
        \delta_t = r_t + \gamma V(s_{t+1}) - V(s_t)
        $$
        """)
    assert len(steps) == 1 and not d.definitions


def test_by_definition_stays_a_step():
    # "由定义" uses a definition: the display is a step
    d, steps = _read(r"""
        由Q函数的定义，其公式为：

        $$
        \delta_t = r_t + \gamma V(s_{t+1}) - V(s_t)
        $$
        """)
    assert len(steps) == 1 and not d.definitions


def test_let_the_objective_be_is_a_definition():
    # boyin96/Reinforcement-Learning-Math: "Let the objective be the maximization of the expected return:"
    d, steps = _read(r"""
        Let the objective be the maximization of the expected return:

        $$
        L(\theta) = \mathbb{E}_{\tau \sim \pi_\theta}[R(\tau)]
        $$
        """)
    assert steps == []
    assert d.definitions[0]["read_as"].startswith(r"L(\theta) :=")
    assert "Let the objective be" in d.definitions[0]["read_as"]


def test_let_the_objective_be_with_a_full_stop_and_a_known_symbol_stays_a_step():
    d, steps = _read(r"""
        Let the objective be as above.

        $$
        J(\theta) = \mathbb{E}_{\tau \sim \pi_\theta}[R(\tau)]
        $$
        """)
    assert len(steps) == 1 and not d.definitions


def test_rst_define_that_before_a_math_directive_is_a_definition():
    # boyin96 (reStructuredText): "Define that" then ".. math::"; the directive line is not the prose
    d, steps = _read(r"""
        Define that

        .. math::
            g_t = r_t + \gamma V(s_{t+1})
        """)
    assert steps == [] and d.definitions[0]["read_as"].startswith("g_t :=")


def test_rst_math_directive_without_a_cue_stays_a_step():
    d, steps = _read(r"""
        Then we have

        .. math::
            \delta_t = r_t + \gamma V(s_{t+1}) - V(s_t)
        """)
    assert len(steps) == 1 and not d.definitions


def test_chinese_ling_and_a_noun_phrase_is_a_definition():
    # pipimamaoyuan: "令优势函数：" then the display
    d, steps = _read(r"""
        令单步目标：

        $$
        g_t = r_t + \gamma V(s_{t+1})
        $$
        """)
    assert steps == []
    assert "令单步目标" in d.definitions[0]["read_as"]


def test_chinese_she_then_ze_is_a_claim_not_a_definition():
    # "设 ...，则：" (suppose ..., then:): the display is a consequence, judged
    d, steps = _read(r"""
        设折扣因子固定，则：

        $$
        \delta_t = r_t + \gamma V(s_{t+1}) - V(s_t)
        $$
        """)
    assert len(steps) == 1 and not d.definitions


def test_heading_naming_a_definition_makes_the_sections_first_display_a_definition():
    # microsoft/ai-edu 7.3.2: "#### 转移概率定义", a description, then the display
    d, steps = _read(r"""
        #### 单步目标定义

        $g_t$ 是单步目标。

        $$
        g_t = r_t + \gamma V(s_{t+1})
        $$
        """)
    assert steps == []
    assert "单步目标定义" in d.definitions[0]["read_as"]


def test_heading_naming_a_definition_covers_only_the_first_display():
    d, steps = _read(r"""
        #### 单步目标定义

        $$
        g_t = r_t + \gamma V(s_{t+1})
        $$

        所以

        $$
        g_t - V(s_t) = r_t + \gamma V(s_{t+1}) - V(s_t)
        $$
        """)
    assert len(d.definitions) == 1 and len(steps) == 1


def test_other_heading_leaves_the_display_a_step():
    d, steps = _read(r"""
        #### 推导

        $$
        \delta_t = r_t + \gamma V(s_{t+1}) - V(s_t)
        $$
        """)
    assert len(steps) == 1 and not d.definitions


def test_chinese_ling_with_a_substitution_stays_a_step():
    # "令t=0：" substitutes a value: what follows is a claim, judged
    d, steps = _read(r"""
        令t=0：

        $$
        \delta_t = r_t + \gamma V(s_{t+1}) - V(s_t)
        $$
        """)
    assert len(steps) == 1 and not d.definitions
