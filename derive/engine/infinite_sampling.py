"""Monte Carlo for infinite discounted series: truncation where the tail is provably below MC_TAIL.

The bound enters the z-test (derive/check_statements/montecarlo.py shrinks |mean - exact| by it), so the test
stays honest; nested series (M^2 steps per sample) are not sampled ("n/a"), they are checked exactly.
"""
from __future__ import annotations

from sympy import Integer, Pow, Sum, oo

from ..lang import nodes
from . import tensor as tn
from .registry import Env, Unsupported, eval_int, evaluate, preorder as _preorder, rule
from .infinite import infinite_definitions
from .tensor import Val


MC_WINDOW = 8  # time steps sampled beyond the truncation point (for s_{t+1}, delta_{t+l}, ...)
MC_TAIL = 1e-9  # the truncated tail of every series is below this (added to the z-test's tolerance)
MC_SCALE = 1e4  # bound on |summand| / ratio^t used for the tail (|R| <= 4, |V| <= 4 / (1 - gamma), |score| <= 2)
MC_MAX_LENGTH = 2000


class NotSampled(Unsupported):
    """A series Monte Carlo does not sample (checked exactly instead): the method says n/a."""


def truncation_for_sampling(body, inst):
    """(body with every series cut at M, sampled length M + window, tail bound) for Monte Carlo.

    Each series has ratio at most rho = max(gamma, lambda if lambda < 1), so the terms beyond M add at
    most MC_SCALE rho^{M+1} / (1 - rho) <= MC_TAIL; M is the smallest such integer.  Only series that are
    not nested are sampled (a nested pair would cost M^2 steps per sample): the method says so otherwise.
    """
    body = infinite_definitions(body)
    for x in _preorder(body):
        if isinstance(x, Sum) and any(lim[2] == oo for lim in x.limits):
            inner = [y for y in _preorder(x.function) if isinstance(y, Sum) and any(l[2] == oo for l in y.limits)]
            if inner or sum(lim[2] == oo for lim in x.limits) > 1:
                raise NotSampled("nested infinite sums are checked exactly and symbolically, not sampled")
            index = {lim[0] for lim in x.limits}
            if any(isinstance(y, nodes.KAdv) and y.args[0].free_symbols & index for y in _preorder(x.function)):
                raise NotSampled("a series of k-step sums (sum_k ... A_t^(k)) is nested: checked exactly, not sampled")
    gamma_v = float(inst.gamma)
    lam_v = float(inst.params.get("lambda", 0))
    rho = max(gamma_v, lam_v if lam_v < 1 else 0.0)
    if rho >= 0.99:
        raise NotSampled(f"the series' ratio {rho:g} is too close to 1 to sample with a short truncation")
    M = 1
    while MC_SCALE * rho ** (M + 1) / (1 - rho) > MC_TAIL:
        M += 1
    if M + MC_WINDOW > MC_MAX_LENGTH:
        raise NotSampled("the truncated trajectories would be too long to sample")
    indices = {lim[0] for x in _preorder(body) if isinstance(x, Sum) for lim in x.limits if lim[2] == oo}

    def weight(e):  # c^t of a truncated series: exponents up to M (beyond the reader's bound on written ones)
        return _Power(*e.args) if isinstance(e, Pow) and e.args[1].free_symbols & indices else e

    body = body.replace(lambda e: isinstance(e, Pow) and bool(e.args[1].free_symbols & indices), weight)
    return body.xreplace({oo: Integer(M)}), M + MC_WINDOW, MC_TAIL


class _Power(nodes.Node):
    """c^t inside a series truncated for Monte Carlo (t <= MC_MAX_LENGTH; internal)."""

    nargs = 2

    def tex(self, p):
        return "%s^{%s}" % (p._print(self.args[0]), p._print(self.args[1]))


@rule(_Power)
def _power_rule(e, env: Env) -> Val:
    """c^t in a series truncated for Monte Carlo, t <= MC_MAX_LENGTH + MC_WINDOW (not the reader's exponent bound)."""
    n = eval_int(e.args[1], env)
    if abs(n) > MC_MAX_LENGTH + MC_WINDOW:
        raise Unsupported("exponent too large")
    return tn.power_const(evaluate(e.args[0], env), n, env.field)


__all__ = ["NotSampled", "truncation_for_sampling", "MC_TAIL"]
