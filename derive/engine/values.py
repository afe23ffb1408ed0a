"""Exact value functions, state distributions and objectives of a policy.

Finite horizon T (index convention: V_T = 0 at the final state s_T):
    Q_t(s, a) = sum_{s'} P(s'|s,a) [R(s,a,s') + gamma V_{t+1}(s')]
    V_t(s)    = sum_a pi(a|s) Q_t(s, a)
    d(s)      = sum_{t<T} gamma^t Pr(s_t = s) / sum_{t<T} gamma^t
Infinite horizon, gamma < 1 (Sutton & Barto eq. 4.5; the matrix form):
    V = (I - gamma P_pi)^{-1} r_pi,   d = (1 - gamma) rho_0^T (I - gamma P_pi)^{-1}
J = sum_s rho_0(s) V_0(s).

Each result is a pair (values, gradient or None); gradients are propagated
exactly in the same field (dual numbers), so they are rational too.
"""
from __future__ import annotations

import numpy as np

from .tensor import GRAD, Ten, Val, add, mul, sum_axes, Undefined


def _val(field, axes, data, grad=None):
    return Val(Ten(axes, data), None if grad is None else Ten(axes + (GRAD,), grad))


def _policy_vals(tb, probs, score):
    return _val(tb.field, ("s", "a"), probs, score)


def _mdp_vals(tb):
    return (
        _val(tb.field, ("s", "a", "s2"), tb.P),
        _val(tb.field, ("s", "a", "s2"), tb.R),
        Val(Ten.scalar(tb.gamma)),
    )


def _to_arrays(val: Val, axes: tuple, n_theta: int, field):
    v = val.v.aligned(axes)
    v = np.broadcast_to(v, tuple(_sizes(val, axes))).copy()
    if val.d is None:
        return v, None
    g = val.d.aligned(axes + (GRAD,))
    g = np.broadcast_to(g, tuple(_sizes(val, axes)) + (n_theta,)).copy()
    return v, g


def _sizes(val, axes):
    out = []
    for a in axes:
        if a in val.v.axes:
            out.append(val.v.size_of(a))
        else:
            out.append(val.d.size_of(a))
    return out


def finite_values(tb, probs, score):
    """Arrays V[t, s] (t = 0..T), Q[t, s, a], A[t, s, a] (t = 0..T-1), each with its gradient."""
    T = tb.inst.horizon
    field = tb.field
    P, R, gamma = _mdp_vals(tb)
    pi = _policy_vals(tb, probs, score)
    ns, na, nt = tb.n_states, tb.n_actions, tb.n_theta
    v_next = _val(field, ("s2",), field.zeros((ns,)))
    Vs, Qs = [], []
    for _ in range(T):
        target = add(R, mul(gamma, v_next))
        q = sum_axes(mul(P, target), ("s2",))
        v = sum_axes(mul(pi, q), ("a",))
        Qs.append(q)
        Vs.append(v)
        v_next = Val(v.v.rename("s", "s2"), None if v.d is None else v.d.rename("s", "s2"))
    Vs.reverse()
    Qs.reverse()
    Vs.append(_val(field, ("s",), field.zeros((ns,))))
    track = score is not None
    V = _stack([_to_arrays(v, ("s",), nt, field) for v in Vs], (ns,), nt, field, track)
    Q = _stack([_to_arrays(q, ("s", "a"), nt, field) for q in Qs], (ns, na), nt, field, track)
    A = (Q[0] - V[0][:T, :, None], None if not track else Q[1] - V[1][:T, :, None, :])
    return V, Q, A


def _stack(pairs, shape, n_theta, field, track):
    v = np.stack([p[0] for p in pairs]) if pairs else field.zeros((0,) + shape)
    if not track:
        return v, None
    gs = [p[1] if p[1] is not None else field.zeros(shape + (n_theta,)) for p in pairs]
    return v, np.stack(gs)


def policy_matrices(tb, probs, score):
    """P_pi[s, s'], r_pi[s] and their gradients (or None)."""
    P, R = tb.P, tb.R
    ns, na = tb.n_states, tb.n_actions
    field = tb.field
    P_pi = field.zeros((ns, ns))
    r_pi = field.zeros((ns,))
    for s in range(ns):
        for a in range(na):
            for s2 in range(ns):
                P_pi[s, s2] = P_pi[s, s2] + probs[s, a] * P[s, a, s2]
                r_pi[s] = r_pi[s] + probs[s, a] * P[s, a, s2] * R[s, a, s2]
    if score is None:
        return P_pi, r_pi, None, None
    nt = tb.n_theta
    dP = field.zeros((ns, ns, nt))
    dr = field.zeros((ns, nt))
    for s in range(ns):
        for a in range(na):
            for s2 in range(ns):
                dP[s, s2, :] = dP[s, s2, :] + score[s, a, :] * P[s, a, s2]
                dr[s, :] = dr[s, :] + score[s, a, :] * (P[s, a, s2] * R[s, a, s2])
    return P_pi, r_pi, dP, dr


def solve(M: np.ndarray, B: np.ndarray, field) -> np.ndarray:
    """Solve M X = B by Gauss-Jordan elimination in any field (B may have extra dims)."""
    n = M.shape[0]
    M = M.copy()
    B = B.copy()
    shape = B.shape
    B = B.reshape(n, -1)
    for col in range(n):
        pivot = None
        for row in range(col, n):
            if _nonzero(M[row, col]):
                pivot = row
                break
        if pivot is None:
            raise Undefined("singular linear system")
        if pivot != col:
            M[[col, pivot]] = M[[pivot, col]]
            B[[col, pivot]] = B[[pivot, col]]
        inv = 1 / M[col, col]
        M[col] = M[col] * inv
        B[col] = B[col] * inv
        for row in range(n):
            if row != col and _nonzero(M[row, col]):
                f = M[row, col]
                M[row] = M[row] - M[col] * f
                B[row] = B[row] - B[col] * f
    if field.name == "symbolic" and type(field).__name__ == "SymbolicField":
        import sympy

        B = np.vectorize(sympy.cancel, otypes=[object])(B)
    return B.reshape(shape)


def _nonzero(x) -> bool:
    try:
        return bool(x != 0)
    except TypeError:
        return True


def discounted_values(tb, probs, score):
    """V[s], Q[s, a], A[s, a] for gamma < 1, each with its gradient (or None)."""
    field = tb.field
    ns, na = tb.n_states, tb.n_actions
    P_pi, r_pi, dP, dr = policy_matrices(tb, probs, score)
    gamma = tb.gamma
    M = _identity(ns, field) - P_pi * gamma
    V = solve(M, r_pi, field)
    dV = None
    if score is not None:
        # (I - gamma P_pi) dV = dr_pi + gamma dP_pi V
        rhs = dr + np.einsum("ijk,j->ik", dP, V) * gamma if field.name == "float" else dr + _contract(dP, V) * gamma
        dV = solve(M, rhs, field)
    Q = field.zeros((ns, na))
    for s in range(ns):
        for a in range(na):
            for s2 in range(ns):
                Q[s, a] = Q[s, a] + tb.P[s, a, s2] * (tb.R[s, a, s2] + gamma * V[s2])
    dQ = None
    if dV is not None:
        dQ = field.zeros((ns, na, tb.n_theta))
        for s in range(ns):
            for a in range(na):
                for s2 in range(ns):
                    dQ[s, a, :] = dQ[s, a, :] + dV[s2, :] * (tb.P[s, a, s2] * gamma)
    A = Q - V[:, None]
    dA = None if dQ is None else dQ - dV[:, None, :]
    return (V, dV), (Q, dQ), (A, dA)


def _contract(dP, V):
    ns, _, nt = dP.shape
    out = np.empty((ns, nt), dtype=object)
    for i in range(ns):
        for k in range(nt):
            acc = 0
            for j in range(ns):
                acc = acc + dP[i, j, k] * V[j]
            out[i, k] = acc
    return out


def _identity(n, field):
    M = field.zeros((n, n))
    for i in range(n):
        M[i, i] = field.const(1)
    return M


def state_distribution(tb, probs, score):
    """d[s] (normalised discounted state distribution) and its gradient (or None)."""
    field = tb.field
    ns = tb.n_states
    gamma = tb.gamma
    P_pi, _, dP, _ = policy_matrices(tb, probs, score)
    if getattr(tb.inst, "episodic", False):
        # episodic (derive/episodic.py): the expected visits eta = rho0^T (I - P_pi)^{-1} (finite: P_pi is
        # substochastic), normalised: d = eta / sum(eta), S&B's on-policy distribution mu (eq. 9.3)
        M = _identity(ns, field) - P_pi
        eta = solve(M.T.copy(), tb.rho0, field)
        total = field.const(0)
        for s in range(ns):
            total = total + eta[s]
        d = eta / total
        dd = None
        if dP is not None:  # M^T deta = dP^T eta; dd = (deta - d sum(deta)) / sum(eta)
            rhs = _contract(np.transpose(dP, (1, 0, 2)).copy(), eta) if field.name != "float" else \
                np.einsum("jik,j->ik", dP, eta)
            deta = solve(M.T.copy(), rhs, field)
            dsum = deta.sum(axis=0)
            dd = (deta - d[:, None] * dsum[None, :]) / total
        return d, dd
    if tb.inst.horizon is None:
        M = _identity(ns, field) - P_pi * gamma
        y = solve(M.T.copy(), tb.rho0, field)
        d = y * (1 - gamma)
        dd = None
        if dP is not None:
            # M^T dy = gamma dP^T y
            rhs = _contract(np.transpose(dP, (1, 0, 2)).copy(), y) * gamma if field.name != "float" else \
                np.einsum("jik,j->ik", dP, y) * gamma
            dd = solve(M.T.copy(), rhs, field) * (1 - gamma)
        return d, dd
    T = tb.inst.horizon
    mu = tb.rho0.copy()
    dmu = None if dP is None else field.zeros((ns, tb.n_theta))
    acc = field.zeros((ns,))
    dacc = None if dP is None else field.zeros((ns, tb.n_theta))
    norm = field.const(0)
    for t in range(T):
        w = gamma**t if t else field.const(1)
        acc = acc + mu * w
        norm = norm + w
        if dP is not None:
            dacc = dacc + dmu * w
        new_mu = field.zeros((ns,))
        for s in range(ns):
            for s2 in range(ns):
                new_mu[s2] = new_mu[s2] + mu[s] * P_pi[s, s2]
        if dP is not None:
            new_dmu = field.zeros((ns, tb.n_theta))
            for s in range(ns):
                for s2 in range(ns):
                    new_dmu[s2, :] = new_dmu[s2, :] + dmu[s, :] * P_pi[s, s2] + mu[s] * dP[s, s2, :]
            dmu = new_dmu
        mu = new_mu
    return acc / norm, None if dacc is None else dacc / norm
