"""Linearity of expectation, used to keep exact evaluation small.

``split_terms(body)`` rewrites a body into a list of terms whose sum it is,
distributing products over sums and unfolding the defined quantities (R(tau),
G_t, delta_t, GAE, ...) into their definitions.  E[sum of terms] is then
evaluated as the sum of E[term]; each term depends on a few time steps only,
so its expectation needs the marginal of a few variables, not every
trajectory.  This is an evaluation strategy, not a proof step: the same
answer comes out without it, only slower.
"""
from __future__ import annotations

from itertools import product

from sympy import Add, Dummy, Mul, Sum, log

from ..lang import nodes
from ..lang.symbols import T

MAX_TERMS = 4096


def _fresh_sum(s: Sum) -> Sum:
    """The same Sum with fresh bound variables (so factors moved inside are never captured)."""
    body = s.function
    limits = []
    for lim in s.limits:
        var = lim[0]
        new = Dummy(var.name, integer=True)
        body = body.xreplace({var: new})
        # an inner limit's bounds may use an outer variable (sum_{n} sum_{l=0}^{n-1}): rename it there too
        limits = [(v,) + tuple(x.xreplace({var: new}) for x in rest) for v, *rest in limits]
        limits.append((new,) + tuple(lim[1:]))
    return Sum(body, *limits)


def split_terms(e) -> list:
    if isinstance(e, Add):
        out = []
        for arg in e.args:
            out.extend(split_terms(arg))
        return out
    if isinstance(e, Sum):
        s = _fresh_sum(e)
        return [Sum(term, *s.limits) for term in split_terms(s.function)]
    if isinstance(e, Mul):
        choices = [split_terms(arg) for arg in e.args]
        count = 1
        for c in choices:
            count *= len(c)
        if count > MAX_TERMS:
            return [e]
        return [_pull_sums(list(combo)) for combo in product(*choices)]
    if isinstance(e, (nodes.TrajReturn, nodes.Ret, nodes.Delta, nodes.KAdv, nodes.GAE, nodes.LamRet)):
        return split_terms(e.definition())
    if isinstance(e, nodes.Grad):  # the gradient is linear: grad(sum) = sum(grad)
        terms = split_terms(e.args[0])
        if len(terms) > 1:
            return [_grad_inside(term) for term in terms]
        return [e]
    if isinstance(e, log) and isinstance(e.args[0], nodes.TrajProb):
        return split_terms(_log_trajectory_probability(e.args[0]))
    return [e]


_TERMS: dict = {}  # body -> its terms (terms_of)
MAX_REMEMBERED = 2048


def terms_of(e) -> tuple:
    """``split_terms(e)``, remembered per body (issue 14: the same expectation is evaluated on every instance).

    The rewriting depends on the expression only, never on the instance, so the terms are computed once per
    body.  Their fresh bound variables (``_fresh_sum``) are then shared by the evaluations of that body; they
    never meet one another: a body cannot contain itself, and sibling evaluations bind them in turn."""
    try:
        return _TERMS[e]
    except KeyError:
        pass
    except TypeError:  # unhashable: split afresh
        return tuple(split_terms(e))
    if len(_TERMS) >= MAX_REMEMBERED:
        _TERMS.clear()
    terms = _TERMS[e] = tuple(split_terms(e))
    return terms


def _grad_inside(term):
    """grad of one term; a Sum's gradient is the Sum of gradients (its bounds do not depend on theta)."""
    if isinstance(term, Sum):
        return Sum(_grad_inside(term.function), *term.limits)
    return nodes.Grad(term)


def _log_trajectory_probability(traj_prob):
    """log P(tau|pi) = log rho_0(s_0) + sum_t log pi(a_t|s_t) + sum_t log P(s_{t+1}|s_t,a_t).

    Equal wherever P(tau) > 0; where P(tau) = 0 both are undefined (and an
    expectation gives such trajectories weight 0).
    """
    u = Dummy("t", integer=True)
    policy = traj_prob.args[0]
    return (log(nodes.Rho0(nodes.St(0)))
            + Sum(log(nodes.Pi(policy, nodes.At(u), nodes.St(u))), (u, 0, T - 1))
            + Sum(log(nodes.Trans(nodes.St(u + 1), nodes.St(u), nodes.At(u))), (u, 0, T - 1)))


def _pull_sums(factors: list):
    """prod(f_i) with every Sum factor turned outward: a * Sum(b) -> Sum(a * b)."""
    outer_to_inner = []
    plain = []
    for f in factors:
        while isinstance(f, Sum):
            f = _fresh_sum(f)
            outer_to_inner.extend(reversed(f.limits))  # SymPy lists the innermost limit first
            f = f.function
        plain.append(f)
    result = Mul(*plain)
    for lim in reversed(outer_to_inner):
        result = Sum(result, lim)
    return result
