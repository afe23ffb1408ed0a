"""Evaluation rules for ordinary algebra: numbers, parameters, + * ^, log, exp, min, max, clip, sums."""
from __future__ import annotations

from fractions import Fraction

from sympy import E, Abs, Add, Float, Integer, Max, Min, Mul, Pow, Product, Rational, Sum, Symbol, exp, latex, log, oo

from ..lang import nodes
from ..lang.limits import MAX_EXPONENT
from ..lang.symbols import PARAMETERS, PointVar, ScalarVar, gamma
from . import tensor as tn
from .registry import Env, Unsupported, const, eval_int, evaluate, index_of, is_integer_expr, rule
from .piecewise import absolute, indicator, maximum, minimum
from .tensor import Ten, Val

_PARAM_NAMES = {sym: name for name, sym in PARAMETERS.items()}


@rule(Rational)
def _rational(e, env: Env) -> Val:
    """p/q -> the field's p/q (exact in the exact field); a constant, gradient 0."""
    return const(env, Fraction(int(e.p), int(e.q)))


@rule(Float)
def _float(e, env: Env) -> Val:
    """A decimal such as 0.2 -> the rational of its decimal string (Fraction("0.2") = 1/5), not a binary float."""
    return const(env, Fraction(str(e)))


@rule(Symbol)
def _symbol(e, env: Env) -> Val:
    """A symbol's value: a bound integer (t, k); a parameter set by a bar |_{gamma = v}; gamma, lambda, epsilon,
    beta of the instance; a point x of X as its number; a free real c as one seeded rational per instance."""
    if e.is_integer:
        return const(env, eval_int(e, env))
    for sym, value in env.params:
        if sym == e:
            return value
    if e == gamma:
        return Val(tn.Ten.scalar(env.tables.gamma, env.field.dtype))
    if e in _PARAM_NAMES:
        return Val(tn.Ten.scalar(env.tables.params[_PARAM_NAMES[e]], env.field.dtype))
    if isinstance(e, PointVar):  # a point of X used as a number: its value
        return tn.gather(env.tables.points, None, [index_of(e, env)])
    if isinstance(e, ScalarVar):  # a free real number next to MDP quantities: one seeded rational per instance
        return const(env, env.tables.inst.free_function(e.name, ()))
    raise Unsupported(f"the symbol {latex(e)} has no meaning here")


def _fold(combine, doc: str):
    """A rule that evaluates every argument and folds them with ``combine`` (``doc``: the equation it implements)."""

    def fold(e, env: Env) -> Val:
        out = evaluate(e.args[0], env)
        for arg in e.args[1:]:
            out = combine(out, evaluate(arg, env))
        return out

    fold.__doc__ = doc
    return fold


rule(Add)(_fold(tn.add, "x_1 + ... + x_n, folded left to right; d(x + y) = dx + dy."))
rule(Mul)(_fold(tn.mul, "x_1 x_2 ... x_n, folded left to right; d(x y) = y dx + x dy (product rule)."))


@rule(Pow)
def _pow(e, env: Env) -> Val:
    """x^n for an integer n, |n| <= MAX_EXPONENT (d x^n = n x^{n-1} dx); x^{p/q} by the field's root
    (rational_power); x^y = exp(y log x) for any other exponent."""
    base, expo = e.args
    if isinstance(expo, Rational) and not isinstance(expo, Integer):
        if abs(expo.p) > MAX_EXPONENT or expo.q > MAX_EXPONENT:
            raise Unsupported("exponent too large")
        return rational_power(evaluate(base, env), Fraction(int(expo.p), int(expo.q)), env)
    if is_integer_expr(expo):
        n = eval_int(expo, env)
        if abs(n) > MAX_EXPONENT:
            raise Unsupported(f"exponent {n} is larger than derive allows ({MAX_EXPONENT})")
        return tn.power_const(evaluate(base, env), n, env.field)
    if isinstance(expo, Rational):
        if abs(expo.p) > MAX_EXPONENT or expo.q > MAX_EXPONENT:
            raise Unsupported("exponent too large")
        return rational_power(evaluate(base, env), Fraction(int(expo.p), int(expo.q)), env)
    # x^y = exp(y log x)
    return tn.exp(tn.mul(evaluate(expo, env), tn.log(evaluate(base, env), env.field)), env.field)


def rational_power(x: Val, n: Fraction, env: Env) -> Val:
    """x ** n for a rational n = a/b, b > 1: d(x ** n) = n x ** (n - 1) dx.

    The field decides the value (exact root when rational, float otherwise, undefined for
    x < 0 and for 0 ** (<0)); at x = 0 with n < 1 the derivative is undefined too.
    """
    v = Ten(x.v.axes, env.field.rational_power(x.v.data, n))
    if x.d is None:
        return Val(v)
    dn = tn.unop(lambda d: d * env.field.const(n), Ten(x.v.axes, env.field.rational_power(x.v.data, n - 1)))
    return Val(v, tn.mul_t(dn, x.d))


@rule(log)
def _log(e, env: Env) -> Val:
    """log x, the natural logarithm; undefined where x <= 0; d log x = dx / x."""
    return tn.log(evaluate(e.args[0], env), env.field)


@rule(exp)
def _exp(e, env: Env) -> Val:
    """exp x; d exp x = exp(x) dx."""
    return tn.exp(evaluate(e.args[0], env), env.field)


@rule(type(E))
def _euler(e, env: Env) -> Val:
    """e = exp(1)."""
    return tn.exp(const(env, 1), env.field)


rule(Min)(_fold(minimum, "min(x_1, ..., x_n), folded pairwise: the value and derivative of the smaller argument; "
                         "at a tie with different derivatives, not differentiable (derive/engine/piecewise.py)."))
rule(Max)(_fold(maximum, "max(x_1, ..., x_n), folded pairwise: the value and derivative of the larger argument; "
                         "at a tie with different derivatives, not differentiable (derive/engine/piecewise.py)."))


@rule(nodes.Indicator)
def _indicator(e, env: Env) -> Val:
    """[x < y] and friends, as 0/1 values (derivative 0, undefined at a tie that depends on theta)."""
    cond = e.args[0]
    x, y = (evaluate(a, env) for a in cond.args)
    kind = type(cond).__name__
    if kind in ("StrictLessThan", "StrictGreaterThan", "LessThan", "GreaterThan"):
        a, b = (x, y) if kind in ("StrictLessThan", "GreaterThan") else (y, x)
        hold = tn.less(a.v, b.v)  # a < b
        if kind in ("LessThan", "GreaterThan"):  # x <= y is not (y < x); x >= y is not (x < y)
            hold = tn.Ten(hold.axes, ~hold.data)
    elif kind in ("Equality", "Unequality"):
        hold = tn.less(x.v, y.v)
        other = tn.less(y.v, x.v)
        axes = tn.union(hold.axes, other.axes)
        eq = ~(hold.aligned(axes) | other.aligned(axes))
        hold = tn.Ten(axes, eq if kind == "Equality" else ~eq)
    else:
        raise Unsupported(f"unknown condition {latex(cond)}")
    one, zero = const(env, 1), const(env, 0)
    return indicator(hold, x, y, one, zero, env.field, env.tables.n_theta)


@rule(nodes.Clip)
def _clip(e, env: Env) -> Val:
    """clip(x, lo, hi) = min(max(x, lo), hi), as in PPO's L^CLIP (Schulman et al. 2017, eq. 7)."""
    x, lo, hi = (evaluate(a, env) for a in e.args)
    return minimum(maximum(x, lo), hi)


@rule(Abs)
def _abs(e, env: Env) -> Val:
    """|x| = max(x, -x); not differentiable at x = 0 unless dx = 0 there."""
    return absolute(evaluate(e.args[0], env))


# ----------------------------------------------------------------- sums

MAX_SUM_TERMS = 10_000


def iterate_limits(limits, env: Env):
    """Environments for every index of SymPy limits (innermost limit listed first)."""
    if not limits:
        yield env
        return
    outer = limits[-1]
    var, lo, hi = outer
    if hi == oo or lo == -oo:
        raise Unsupported(
            "an infinite sum over time: in the finite-horizon setting the trajectory ends at T (sum to T - 1); "
            "infinite discounted sums are evaluated inside E_{tau ~ pi}[...] with 'setting: discounted'")
    lo_i, hi_i = eval_int(lo, env), eval_int(hi, env)
    if hi_i - lo_i + 1 > MAX_SUM_TERMS:
        raise Unsupported("a sum with too many terms")
    for i in range(lo_i, hi_i + 1):
        yield from iterate_limits(limits[:-1], env.bind_int(var, i))


def _indexed(combine, empty: int, doc: str):
    """A rule for Sum / Product: combine the body over every index of the limits (``doc``: its equation)."""

    def run(e, env: Env) -> Val:
        out = None
        for inner in iterate_limits(e.limits, env):
            val = evaluate(e.function, inner)
            out = val if out is None else combine(out, val)
        return out if out is not None else const(env, empty)

    run.__doc__ = doc
    return run


rule(Sum)(_indexed(tn.add, 0, "sum_{i=lo}^{hi} f(i) over integer bounds (empty sum 0; at most MAX_SUM_TERMS terms); "
                              "infinite sums: derive/engine/infinite.py."))
rule(Product)(_indexed(tn.mul, 1, "prod_{i=lo}^{hi} f(i) over integer bounds (empty product 1; at most MAX_SUM_TERMS "
                                  "terms)."))
