"""The scope of \\log written without parentheses: the next factor (\\nabla \\log \\pi(a|s) A is (\\nabla \\log \\pi) A),
except before \\prod, where an author taking the log of both sides of P(\\tau) = \\rho_0(s_0) \\prod_t ... means the
logarithm of the whole product (\\log ab = \\log a + \\log b); that reading is stated in read as."""
from __future__ import annotations

from sympy import log

from derive.read_latex import parse_math


def read(tex):
    notes = []
    return parse_math(tex, options={"notes": notes}), notes


def test_log_before_a_product_takes_the_whole_product():
    whole, notes = read(r"\log \rho_0 (s_0) \prod_{t=0}^{T-1} \pi_\theta(a_t|s_t)")
    assert isinstance(whole, log)
    assert any("logarithm of the whole product" in n for n in notes)


def test_log_with_its_argument_delimited_is_not_extended():
    v, notes = read(r"\log(\rho_0(s_0)) \prod_{t=0}^{T-1} \pi_\theta(a_t|s_t)")
    assert not isinstance(v, log)
    assert not any("whole product" in n for n in notes)


def test_log_before_a_factor_is_the_next_factor_only():
    v, _ = read(r"\nabla_\theta \log \pi_\theta(a_t|s_t) A^{\pi_\theta}(s_t, a_t)")
    assert not isinstance(v, log)
