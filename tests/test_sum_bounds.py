"""Sums over the trajectory's times written with a lower limit only (\\sum_{t'=t} r_{t'}) or with a range condition
as the subscript (\\sum_{t \\geq 0}, \\prod_{t \\ge 0}): to the end of the trajectory, said in read as."""
from __future__ import annotations

import pytest
from sympy import Product, Sum, oo

from derive.lang import symbols as S
from derive.read_latex import LatexError, parse_math


def read(tex, **options):
    notes = []
    return parse_math(tex, options={**options, "notes": notes}), notes


def test_lower_limit_only_runs_to_the_end_of_the_trajectory():
    v, notes = read(r"\sum_{t'=t} r_{t'}")
    assert isinstance(v, Sum) and v.limits[0][1:] == (S.integer("t"), S.T - 1)
    assert any("without an upper limit" in n for n in notes)


def test_range_condition_subscript_is_a_lower_limit():
    v, notes = read(r"\sum_{t \geq 0} r_t")
    assert isinstance(v, Sum) and v.limits[0][1:] == (0, S.T - 1)
    assert any("range condition" in n for n in notes)


def test_last_index_and_infinite_horizons():
    # horizon: last-index: the written T is the last index, derive's T - 1 (the same end as \sum_t without bounds)
    v, notes = read(r"\sum_{t \ge 0} r_t", horizon="last-index")
    assert v.limits[0][2] == S.T - 1 and v == read(r"\sum_t r_t", horizon="last-index")[0]
    assert any("t = 0..T (horizon: last-index)" in n for n in notes)
    v, _ = read(r"\sum_{t=1} r_t", horizon="from-1")
    assert v == read(r"\sum_t r_t", horizon="from-1")[0]
    v, _ = read(r"\prod_{t \geq 0} \pi_\theta(a_t|s_t)", setting="discounted")
    assert isinstance(v, Product) and v.limits[0][2] == oo


def test_a_range_condition_with_an_upper_limit_is_still_refused():
    with pytest.raises(LatexError):
        read(r"\sum_{t \geq 0}^{T} r_t")


def test_a_non_time_index_still_needs_its_upper_limit():
    with pytest.raises(LatexError, match="upper limit"):
        read(r"\sum_{k=0} r_k")


def test_calligraphic_r_of_tau_is_the_return():
    from derive.lang import nodes

    v, notes = read(r"\mathbb{E}_{\tau\sim\pi_\theta}[\mathcal{R}(\tau)]")
    assert v.has(nodes.TrajReturn) if hasattr(v, "has") else True
    assert any(r"\mathcal{R}(\tau) is read as R(\tau)" in n for n in notes)
