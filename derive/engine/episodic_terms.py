"""Which terms of an expectation over episodes the resolvent evaluates exactly (derive/episodic.py).

In the episodic setting P_pi is substochastic: a path that ends inside a term's window is dropped, i.e.
the term counts 0 for it.  That is the episode's value only when the term is 0 once the episode has
ended before the last time it reads.  So a term (a product, after linearity) is accepted when one of its
factors **vanishes after the end** and reaches at least as far as every other factor:

* ``1[s_m = x]`` (x a state: the terminal state is none of them), ``V^pi(s_m)``, ``Q^pi(s_m, a_m)``,
  ``A^pi(s_m, a_m)`` (0 at the terminal state) reach time m;
* ``r_m = R(s_m, a_m, s_{m+1})`` (the terminating transition pays 0, nothing is paid after) reaches m + 1;

and every other factor reads only states and actions at times provably not later (``s_u``, ``a_u``: u).
Anything else (a TD error ``delta_t = r_t + V(s_{t+1}) - V(s_t)``, which is ``-V(s_t)`` on the terminating
transition, a series inside a factor, two factors whose order in time is not known) is refused with
that reason, never evaluated with a silent 0.
"""
from __future__ import annotations

from sympy import Integer, Mul, Pow, Sum, oo

from ..lang import nodes
from ..lang.optimal import Same
from .registry import Unsupported

_VALUES = (nodes.V, nodes.Q, nodes.A)
_REFUSED = (nodes.Delta, nodes.GAE, nodes.LamRet, nodes.KAdv, nodes.Ret, nodes.TrajReturn)
_WHY = ("in the episodic setting (gamma = 1, episodes end) a term of an expectation over episodes is evaluated "
        "when a factor that is 0 after the end (r_t, 1[s_t = x], V^pi, Q^pi) reaches its last time")


def _atoms(expr):
    """(time, kind) of every trajectory variable of expr: St(u) -> u, At(u) -> u, Rt(u) -> u + 1."""
    out = []
    stack = [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, _REFUSED):
            raise Unsupported(f"{_WHY}; {type(e).__name__} is not such a factor")
        if isinstance(e, (nodes.St, nodes.At)):
            out.append(e.args[0])
        elif isinstance(e, nodes.Rt):
            out.append(e.args[0] + 1)
        elif isinstance(e, Sum) and any(lim[2] == oo for lim in e.limits):
            raise Unsupported(f"{_WHY}; a series inside a factor is not")
        else:
            stack.extend(e.args)
    return out


def _reach_if_vanishing(f):
    """The last time of a factor that is 0 after the episode ends, or None."""
    base = f.base if isinstance(f, Pow) and f.exp.is_Integer and f.exp > 0 else f
    if isinstance(base, nodes.Rt):
        return base.args[0] + 1
    if isinstance(base, Same):
        st = [a for a in base.args if isinstance(a, nodes.St)]
        if len(st) == 1 and not _atoms(base.args[1 - base.args.index(st[0])]):
            return st[0].args[0]
    if isinstance(base, _VALUES) and isinstance(base.args[1], nodes.St):
        return base.args[1].args[0]
    return None


def _not_later(u, m, signed) -> bool:
    """Whether u <= m for every value of the integer symbols (times and indices are >= 0, except ``signed``)."""
    d = (m - u).expand()
    if d.is_Integer:
        return d >= 0
    if d.free_symbols & signed:
        return False
    poly = d.as_poly(*sorted(d.free_symbols, key=str))
    return poly is not None and all(c >= 0 for c in poly.coeffs()) and poly.degree() <= 1 and \
        d.subs({s: 0 for s in d.free_symbols}) >= 0


def check_term(term) -> None:
    """Raise Unsupported unless the product ``term`` (possibly under sums) vanishes after the end of the episode."""
    limits = []
    while isinstance(term, Sum):
        limits.extend(term.limits)
        term = term.function
    signed = {lim[0] for lim in limits if lim[1].is_Integer and lim[1] < 0}
    factors = Mul.make_args(term)
    times = [u for f in factors for u in _atoms(f)]
    if all(u == Integer(0) for u in times):
        return  # reads time 0 only (or nothing): the episode has not ended
    for f in factors:
        m = _reach_if_vanishing(f)
        if m is not None and all(_not_later(u, m, signed) for u in times):
            return
    raise Unsupported(_WHY)


__all__ = ["check_term"]
