"""Issue 17, item 4: one Setting value (derive/setting.py), built once from front matter or a catalog entry."""
from __future__ import annotations

import textwrap
from dataclasses import FrozenInstanceError
from fractions import Fraction

import pytest

from derive.catalog import catalog
from derive.mdp import instances, parse_setting, setting_options
from derive.setting import Setting


def _old_setting_of(front: dict) -> str:
    """The string check_derivations/files.py composed before the Setting value (issue 17)."""
    setting = front.get("setting", "finite")
    if front.get("gamma") is not None:
        setting += f"; gamma={front['gamma']}"
    if front.get("family", "random") != "random":
        setting += f"; family={front['family']}"
    if front.get("start", "random") == "fixed":
        setting += "; start=fixed"
    if front.get("reward", "transition") == "state":
        setting += "; reward=state"
    return setting


@pytest.mark.parametrize("front", [
    {}, {"setting": "discounted"}, {"setting": "episodic"}, {"setting": "finite", "gamma": "1"},
    {"setting": "finite", "gamma": "1/2", "family": "token"}, {"setting": "discounted", "start": "fixed"},
    {"setting": "discounted", "reward": "state", "start": "fixed", "gamma": "9/10"},
    {"setting": "finite", "family": "random", "start": "random", "reward": "transition"},
    {"setting": "episodic", "gamma": "1", "start": "fixed"},
])
def test_from_front_gives_the_canonical_string_of_before(front):
    assert str(Setting.from_front(front)) == _old_setting_of(front)
    assert Setting.parse(str(Setting.from_front(front))) == Setting.from_front(front)


def test_every_catalog_setting_is_read_once_into_its_canonical_text():
    for e in catalog():
        assert str(Setting.parse(e.setting)) == e.setting, e.id
    from derive.catalog import CatalogError
    from derive.catalog.markdown import read_catalog_text

    text = textwrap.dedent(r"""
        ## t.one
        - kind: identity
        - title: t
        - topic: t
        - section: 1
        - setting: finite; start=fixed; gamma=0.5

        $$V^\pi(s) = V^\pi(s)$$
        """)
    assert read_catalog_text(text)[0].setting == "finite; gamma=1/2; start=fixed"
    with pytest.raises(CatalogError, match="unknown setting option 'start=s0'"):
        read_catalog_text(text.replace("start=fixed", "start=s0"))


def test_fields_discount_and_the_mdp_helpers():
    s = Setting.parse("finite; family=token; gamma=1")  # options in any order; str is canonical
    assert (s.horizon, s.gamma, s.family, s.start, s.reward) == ("finite", Fraction(1), "token", "random", "transition")
    assert str(s) == "finite; gamma=1; family=token"
    assert setting_options(s) == ("finite", {"gamma": "1", "family": "token"})
    assert parse_setting("episodic") == ("episodic", Fraction(1))
    assert parse_setting("discounted") == ("discounted", None)
    assert Setting.parse("finite; gamma=0.5").gamma == Fraction(1, 2)
    insts = instances(Setting.parse("discounted; start=fixed; reward=state"), count=3)
    assert all(i.fixed_start and i.state_rewards for i in insts)
    assert [i.label for i in insts] == [i.label for i in instances("discounted; start=fixed; reward=state", count=3)]


def test_with_changes_a_field_and_validates_again():
    s = Setting.parse("finite; start=fixed")
    assert str(s.with_(gamma=1)) == "finite; gamma=1; start=fixed"
    assert s.with_(start="random") == Setting()
    with pytest.raises(ValueError, match="be < 1 when discounted"):
        Setting.parse("discounted").with_(gamma=1)
    with pytest.raises(TypeError):
        s.with_(horizn="discounted")


@pytest.mark.parametrize("text, message", [
    ("infinite", "unknown setting 'infinite'"),
    ("finite; seed=3", "unknown setting option 'seed=3'"),
    ("finite; family=tokens", "unknown setting option 'family=tokens'"),
    ("episodic; reward=state", "the episodic setting with state rewards r(s) is not supported"),
    ("episodic; gamma=1/2", "the episodic setting is undiscounted: gamma = 1"),
    ("discounted; gamma=1", "gamma must lie in [0, 1] (and be < 1 when discounted), not 1"),
    ("finite; gamma=3/2", "gamma must lie in [0, 1] (and be < 1 when discounted), not 3/2"),
    ("finite; gamma=1e-999999999", "gamma must be a number such as 1, 0.9 or 1/2"),  # bounded before Fraction()
    ("finite; gamma=1/0", "gamma must be a number such as 1, 0.9 or 1/2"),
])
def test_parse_refuses_what_derive_cannot_evaluate(text, message):
    with pytest.raises(ValueError) as err:
        Setting.parse(text)
    assert message in str(err.value)


def test_setting_is_a_frozen_hashable_value():
    s = Setting.parse("discounted; start=fixed")
    with pytest.raises(FrozenInstanceError):
        s.horizon = "finite"
    assert {s: 1}[Setting.from_front({"setting": "discounted", "start": "fixed"})] == 1


# ------------------------------------------------ write-up badges judge a file in the setting derive check uses

FIXED = r"""
    ---
    title: J(theta) = v_pi(s_0) (S&B 13.4)
    setting: discounted
    start: fixed
    ---

    $$J(\theta) = v_{\pi_\theta}(s_0)$$
    """

STATE = r"""
    ---
    setting: discounted
    reward: state
    ---
    $$A_\pi(s, a) = \mathbb{E}_{s' \sim P(s'|s,a)}\left[r(s) + \gamma V_\pi(s') - V_\pi(s)\right]$$
    """


@pytest.mark.parametrize("text", [FIXED, STATE], ids=["start-fixed", "reward-state"])
def test_badge_steps_are_judged_with_start_and_reward(tmp_path, text):
    # before issue 17 the badge writer dropped start= and reward=: these steps were judged "fails"/"unknown"
    from derive.check_derivations import check_file
    from derive.writeup.badges import Verifier

    f = tmp_path / "d.md"
    f.write_text(textwrap.dedent(text).lstrip("\n"))
    _, recs = Verifier().steps(str(f))
    assert [r["verdict"] for r in recs] == ["holds"]
    assert [s["verdict"] for s in check_file(str(f), symbolic_budget=0)["steps"]] == ["holds"]


def test_badge_steps_of_an_unsupported_setting_are_unknown_with_the_reason(tmp_path):
    from derive.writeup.badges import Verifier

    f = tmp_path / "e.md"
    f.write_text("---\nsetting: episodic\nreward: state\n---\n$$V^\\pi(s) = V^\\pi(s)$$\n")
    _, recs = Verifier().steps(str(f))
    assert [r["verdict"] for r in recs] == ["unknown"]
    assert "not judged: the episodic setting with state rewards" in recs[0]["reason"]


def test_blog_chain_names_every_key_of_the_files_setting(tmp_path, monkeypatch):
    # before issue 17 the blog's chain paragraph listed setting, gamma and family only (not start, reward)
    from derive.writeup import blog
    from derive.writeup.badges import Unchecked

    (tmp_path / "d.md").write_text(textwrap.dedent(FIXED).lstrip("\n"))
    monkeypatch.setattr(blog, "PROOFS", tmp_path)
    chain = blog.chain_blocks("d.md", Unchecked())[0]
    assert "setting: discounted, start: fixed" in chain.summary
