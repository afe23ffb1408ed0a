"""Exact linear algebra on small square matrices over the rationals: inverse and Moore-Penrose pseudo-inverse.

The pseudo-inverse M^dagger of an n x n matrix M (Penrose 1955) is computed from a rank factorisation
M = B C (B = the pivot columns of M, n x r; C = the nonzero rows of the reduced row echelon form of M, r x n):

    M^dagger = C^T (C C^T)^{-1} (B^T B)^{-1} B^T,

exact in rationals (Gauss-Jordan elimination, no pivoting by size needed).  For an invertible M it is M^{-1}.
Floats (the Monte Carlo field) use numpy.linalg.pinv / inv.  Entries are gmpy2 mpq (or Python numbers);
a matrix with an undefined or inexact (float) entry is handled in floats.
"""
from __future__ import annotations

import numpy as np


class Singular(ArithmeticError):
    """The matrix has no inverse (rank < n)."""


def _rref(m: list):
    """(reduced row echelon form, pivot columns) of a list-of-rows matrix (exact arithmetic)."""
    rows = [list(r) for r in m]
    n_rows, n_cols = len(rows), len(rows[0]) if rows else 0
    pivots, r = [], 0
    for c in range(n_cols):
        k = next((i for i in range(r, n_rows) if rows[i][c] != 0), None)
        if k is None:
            continue
        rows[r], rows[k] = rows[k], rows[r]
        p = rows[r][c]
        rows[r] = [x / p for x in rows[r]]
        for i in range(n_rows):
            if i != r and rows[i][c] != 0:
                f = rows[i][c]
                rows[i] = [x - f * y for x, y in zip(rows[i], rows[r])]
        pivots.append(c)
        r += 1
        if r == n_rows:
            break
    return rows, pivots


def _mul(a: list, b: list) -> list:
    return [[sum((x * y for x, y in zip(row, col)), 0 * row[0]) for col in zip(*b)] for row in a]


def _t(a: list) -> list:
    return [list(c) for c in zip(*a)]


def inverse_exact(m: list) -> list:
    """M^{-1} by Gauss-Jordan on [M | I]; raises Singular when M has rank < n."""
    n = len(m)
    one, zero = m[0][0] ** 0, m[0][0] * 0
    aug = [list(m[i]) + [one if i == j else zero for j in range(n)] for i in range(n)]
    red, pivots = _rref(aug)
    if pivots[:n] != list(range(n)):
        raise Singular("the matrix is singular")
    return [row[n:] for row in red[:n]]


def pinv_exact(m: list) -> list:
    """The Moore-Penrose pseudo-inverse of a square matrix, exactly (rank factorisation)."""
    n = len(m)
    zero = m[0][0] * 0
    red, pivots = _rref(m)
    r = len(pivots)
    if r == 0:
        return [[zero] * n for _ in range(n)]
    c = red[:r]
    b = [[m[i][p] for p in pivots] for i in range(n)]
    cct_inv = inverse_exact(_mul(c, _t(c)))
    btb_inv = inverse_exact(_mul(_t(b), b))
    return _mul(_mul(_mul(_t(c), cct_inv), btb_inv), _t(b))


def _is_exact(x) -> bool:
    return not isinstance(x, (float, np.floating))


def matrix_apply(data: np.ndarray, kind: str, undefined):
    """Apply ``kind`` ('pinv' or 'inv') to every n x n matrix in the last two axes of ``data``.

    A singular matrix under 'inv', or a matrix with an undefined entry, gives ``undefined`` entries.
    """
    out = np.empty(data.shape, dtype=data.dtype if data.dtype != object else object)
    for idx in np.ndindex(data.shape[:-2]):
        m = data[idx]
        flat = list(m.flat)
        if data.dtype != object or not all(_is_exact(x) for x in flat):
            try:
                f = np.asarray(m, dtype=float)
            except (TypeError, ValueError):
                out[idx] = undefined
                continue
            if not np.all(np.isfinite(f)):
                out[idx] = undefined
                continue
            if kind == "pinv":
                res = np.linalg.pinv(f)
            elif np.linalg.matrix_rank(f) < f.shape[0]:
                out[idx] = undefined
                continue
            else:
                res = np.linalg.inv(f)
            out[idx] = res
            continue
        rows = [list(r) for r in m.tolist()]
        try:
            res = pinv_exact(rows) if kind == "pinv" else inverse_exact(rows)
        except Singular:
            out[idx] = undefined
            continue
        for i, row in enumerate(res):
            for j, x in enumerate(row):
                out[idx + (i, j)] = x
    return out


__all__ = ["Singular", "inverse_exact", "pinv_exact", "matrix_apply"]
