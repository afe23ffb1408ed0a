"""Conditions the prose sets for the next display, and the reward index a file's own TD error shows,
whatever letter indexes time (issue 10: read as written)."""
from __future__ import annotations

import textwrap

import pytest

from derive.check_derivations.files import check_file
from derive.read_markdown.conventions import prose_parameters
from derive.read_markdown.conventions_reward import evidence


@pytest.mark.parametrize("prose, value", [
    ("when $\\lambda = 1$", 1),
    ("在 **λ = 1** 的极限下：", 1),
    ("当 λ = 0 时", 0),
    ("- $\\lambda=0$：只用一步 TD", 0),
])
def test_prose_sets_lambda(prose, value):
    assert prose_parameters(prose)[1] == value


@pytest.mark.parametrize("prose", ["λ = 0.95 is typical", "for $\\lambda=0.5$ and when λ = 1"])
def test_no_or_conflicting_value_sets_nothing(prose):
    assert prose_parameters(prose) is None


def test_td_error_indexed_by_k_shows_derive_reward_index():
    assert [w for w, _, _ in evidence(r"\delta_k = R_k + \gamma V(S_{k+1}) - V(S_k)")] == ["t"]
    assert [w for w, _, _ in evidence(r"G_t = R_{t+1} + \gamma G_{t+1}")] == ["t+1"]


def _check(tmp_path, body):
    p = tmp_path / "d.md"
    p.write_text(textwrap.dedent(body), encoding="utf-8")
    return check_file(str(p), seed=0, symbolic_budget=0)


def test_capital_letters_do_not_overrule_the_files_own_td_error(tmp_path):
    # capital S_k, R_k as in Sutton & Barto, but the file's own delta pairs R_k with S_{k+1}: reward-index t
    rep = _check(tmp_path, r"""
        TD 误差定义：

        $$
        \delta_k = R_k + \gamma V(S_{k+1}) - V(S_k)
        $$

        $$
        \sum_{l=0}^{\infty} \gamma^l \delta_{t+l} = \sum_{l=0}^{\infty} \gamma^l R_{t+l} - V(S_t)
        $$
        """)
    assert rep["steps"][-1]["verdict"] == "holds", rep["steps"][-1]


def test_a_heading_right_above_sets_lambda(tmp_path):
    rep = _check(tmp_path, r"""
        ### 当 λ = 1：

        $$
        A_t^{\text{GAE}} = \sum_{l=0}^{\infty} \gamma^l \delta_{t+l}
        $$
        """)
    assert rep["steps"][-1]["verdict"] == "holds", rep["steps"][-1]
