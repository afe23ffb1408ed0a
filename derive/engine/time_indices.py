"""Which trajectory times an expression reads: the bookkeeping of infinite discounted sums.

A term of an infinite discounted expectation (derive/engine/infinite.py, resolvent.py) is
sum_{u >= 0} c^u f(tau_u); these helpers find the time indices of s_t, a_t, r_t, delta_t and
A_t^(k) in f (``_positions``), the first index after which the future is independent of what f fixes
(``_extent``: the Markov property), and split a geometric weight c^{a u + b} off a factor
(``_split_weight``).  The summation index may appear only in such weights and in time indices
(``_check_dependence``).
"""
from __future__ import annotations

from sympy import Pow, latex

from ..lang import nodes
from .registry import Env, Unsupported, eval_int, preorder as _preorder


_INDEXED = (nodes.St, nodes.At, nodes.Rt, nodes.Delta, nodes.KAdv)


def _index_nodes(expr):
    """The trajectory-indexed nodes of an expression (not descending into them)."""
    stack = [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, _INDEXED):
            yield e
            continue
        if isinstance(e, nodes.Expect) and any(isinstance(d, nodes.TrajDist) for d in e.dists):
            # a nested E_tau[...] reads its own trajectory; only what it is given refers to this one
            stack.extend(a for d in e.dists if isinstance(d, nodes.Given) for a in d.args)
            continue
        stack.extend(e.args)


def _positions(expr, env: Env):
    """(state indices, action indices) an expression reads, as ints."""
    states, actions = [], []
    for x in _index_nodes(expr):
        if isinstance(x, nodes.St):
            states.append(eval_int(x.args[0], env))
        elif isinstance(x, nodes.At):
            actions.append(eval_int(x.args[0], env))
        elif isinstance(x, (nodes.Rt, nodes.Delta)):
            u = eval_int(x.args[0], env)
            states += [u, u + 1]
            actions.append(u)
        elif isinstance(x, nodes.KAdv):
            k, u = eval_int(x.args[0], env), eval_int(x.args[1], env)
            states += [u, u + k]
            actions.append(u)
            if k > 1:
                actions.append(u + k - 1)
    return states, actions


def _extent(expr, env: Env, start: int = 0) -> int:
    """The first state index from which the future is independent of what expr fixes (given that state)."""
    states, actions = _positions(expr, env)
    return max([start] + states + [a + 1 for a in actions])


def _min_index(expr, env: Env):
    states, actions = _positions(expr, env)
    both = states + actions
    return min(both) if both else None


def _check_dependence(factor, var):
    """The summation index may appear only in trajectory time indices (a weight is separated before)."""
    def walk(e):
        if isinstance(e, _INDEXED):
            return
        if isinstance(e, (nodes.V, nodes.Q, nodes.A)):  # the time index of a (stationary) value: not a number
            for a in e.args[:-1]:
                walk(a)
            return
        if e == var:
            raise Unsupported(f"the summand depends on {var} other than through geometric weights "
                              f"(gamma^{var}, (gamma lambda)^{var}, ...) and trajectory time indices")
        for a in e.args:
            walk(a)

    walk(factor)


def _split_weight(factor, anchors):
    """(exponent, base) when factor is base^exponent with a parameter base and an index-linear exponent."""
    if not isinstance(factor, Pow):
        return None
    base, expo = factor.args
    if not (expo.free_symbols & set(anchors)):
        return None
    if base.free_symbols & set(anchors) or any(isinstance(x, nodes.Node) for x in _preorder(base)):
        raise Unsupported(f"the factor {latex(factor)} is not a geometric weight c^t with a constant c")
    expo = expo.expand()
    rest = expo
    for v in anchors:
        coeff = expo.coeff(v)
        if not coeff.is_integer:
            raise Unsupported(f"the exponent {latex(expo)} is not an integer-linear function of {v}")
        rest = rest - coeff * v
    if rest.free_symbols & set(anchors):
        raise Unsupported(f"the exponent {latex(expo)} is not linear in the summation indices")
    return base, expo


def reads_trajectory(expr) -> bool:
    """expr reads s_t, a_t, r_t or delta_t outside any expectation."""
    if isinstance(expr, nodes.Expect):
        return False
    if isinstance(expr, (nodes.St, nodes.At, nodes.Rt, nodes.Delta)):
        return True
    return any(reads_trajectory(a) for a in expr.args)
