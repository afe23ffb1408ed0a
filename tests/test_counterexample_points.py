"""A counterexample at a point x of the sample space X names the point's value, not its index."""
from __future__ import annotations

from fractions import Fraction

import derive


def test_a_failing_step_over_points_gives_the_values_that_refute_it():
    step = derive.equal("(x+y)^2", "x^2+y^2")
    assert step.verdict == "fails"
    where = step.counterexample["where"]
    x, y = Fraction(where["x"]), Fraction(where["y"])
    # the stated sides are the sides at the stated point (before the fix: x = 0, y = 0 with lhs = 9)
    assert Fraction(step.counterexample["lhs"]) == (x + y) ** 2
    assert Fraction(step.counterexample["rhs"]) == x ** 2 + y ** 2
    assert f"x = {where['x']}" in step.reason
