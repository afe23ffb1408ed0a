r"""Superscripts that are not powers: the transpose ``x^\top`` and the pseudo-inverse ``M^\dagger`` (a leaf module).

``\top`` and ``\intercal`` (also ``^{\mathsf{T}}``, ``^{\mathrm{T}}``) read as ``TOP``, ``\dagger`` as ``DAGGER``;
:func:`derive.read_latex.arithmetic.power` turns ``x^{TOP}`` into ``Transposed(x)`` and ``M^{DAGGER}`` into
``PInv(M)`` (derive/engine/second_order.py evaluates both).  ``x^T`` with the letter T stays a power (T is the
horizon).  Used anywhere but in a superscript, the marks are refused.
"""
from __future__ import annotations

from sympy import Add, Mul, Pow, Symbol

from ..lang import nodes


class MatrixMark(Symbol):
    """A superscript mark (\\top, \\dagger): not a number."""


TOP = MatrixMark("top_mark")
DAGGER = MatrixMark("dagger_mark")


def apply_mark(base, mark):
    """base^\\top -> Transposed(base); base^\\dagger -> PInv(base)."""
    return nodes.Transposed(base) if mark == TOP else nodes.PInv(base)


def strip_transposes(expr):
    """(expr with every Transposed(y) replaced by y, whether it had one): a transpose written on the last factor
    of a gradient's argument, \\nabla_\\theta \\log \\pi_\\theta(a|s)^\\top, is the transpose of the gradient."""
    found = [x for x in _preorder(expr) if isinstance(x, nodes.Transposed)]
    if not found:
        return expr, False
    return expr.replace(lambda x: isinstance(x, nodes.Transposed), lambda x: x.args[0]), True


def _preorder(expr):
    stack = [expr]
    while stack:
        e = stack.pop()
        yield e
        stack.extend(e.args)


_MATRICES = (nodes.Hess, nodes.Outer, nodes.PInv, nodes.MatVec)


def _matrix_like(f) -> bool:
    """Whether f is written as a matrix: a Hessian, u v^T, M^dagger, M^{-1}, E[...] or a bar of one, a product
    with one."""
    if isinstance(f, _MATRICES):
        return True
    if isinstance(f, nodes.Transposed):
        return _matrix_like(f.args[0])
    if isinstance(f, (nodes.Expect, nodes.EvalAt)):
        return _matrix_like(f.args[0])
    if isinstance(f, Pow):
        return f.args[1] == -1 and _matrix_like(f.args[0])
    if isinstance(f, (Mul, Add)):
        return any(_matrix_like(a) for a in f.args)
    return False


def ordered_product(factors: list) -> list:
    """The factors of a product in written order, with the matrix products kept in that order:
    u v^T (the last two factors) -> Outer(u, v); u^T x_1 ... x_k -> <u, x_1 ... x_k>; a matrix M followed by x_1 ... x_k ->
    MatVec(M, x_1 ... x_k), where x_1 ... x_k is MatVec(x_1, MatVec(x_2, ...)) (a scalar scales, a matrix
    multiplies, derive/engine/second_order.py); a product with no transpose and no matrix is returned unchanged."""
    if not any(isinstance(f, nodes.Transposed) or _matrix_like(f) for f in factors):
        return factors
    out, i = [], 0
    while i < len(factors):
        f = factors[i]
        nxt = factors[i + 1] if i + 1 < len(factors) else None
        if _matrix_like(f) and nxt is not None and not isinstance(nxt, nodes.Transposed):
            j = i + 1
            while j < len(factors) and not isinstance(factors[j], nodes.Transposed):
                j += 1
            out.append(_chain(factors[i:j]))
            i = j
            continue
        if isinstance(f, nodes.Transposed):
            j = i + 1
            while j < len(factors) and not isinstance(factors[j], nodes.Transposed):
                j += 1
            if j == i + 1:
                out.append(f)
            else:
                out.append(nodes.Inner(f.args[0], _chain(factors[i + 1:j])))
            i = j
            continue
        if isinstance(nxt, nodes.Transposed) and i + 2 == len(factors):  # u v^T at the end; x u^T M v is x (u^T M v)
            out.append(nodes.Outer(f, nxt.args[0]))
            i += 2
            continue
        out.append(f)
        i += 1
    return out


def _chain(factors: list):
    """x_1 x_2 ... x_k in written order: MatVec(x_1, MatVec(x_2, ... x_k))."""
    out = factors[-1]
    for f in reversed(factors[:-1]):
        out = nodes.MatVec(f, out)
    return out


__all__ = ["MatrixMark", "TOP", "DAGGER", "apply_mark", "strip_transposes", "ordered_product"]
