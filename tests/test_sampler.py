"""Tests of the vectorised sampler (derive.engine.sampler).

Statistical checks compare empirical counts with exact probabilities computed
from the instance's Fractions.  ``frequency_check`` is self-contained (no
scipy): for each cell with 0 < p < 1 the count N ~ Binomial(n, p) must satisfy
|N - n p| < x, where x solves Bernstein's inequality
    Pr(|N - n p| >= x) <= 2 exp(-x^2 / (2 (n p (1-p) + x/3))) = ALPHA / cells,
so by Bonferroni the whole check has a false-alarm probability of at most
ALPHA = 1e-6 for a correct sampler, with no normal approximation.  A cell with
p = 0 must have count 0 and one with p = 1 count n exactly.  All seeds are
fixed, so the tests are deterministic; ``test_check_rejects_wrong_distribution``
shows the same check does fail on wrong distributions.
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from derive.engine import sampler as sp
from derive.mdp import instances, random_instance

F = Fraction
ALPHA = 1e-6  # family-wise false-alarm rate of one frequency check


# ------------------------------------------------------------ exact reference


def frequency_check(counts, probs, n: int, alpha: float = ALPHA):
    """(ok, message): counts (any shape) against exact probabilities (same shape, Fractions)."""
    counts = np.asarray(counts).reshape(-1)
    probs = list(np.asarray(probs, dtype=object).reshape(-1))
    assert len(counts) == len(probs)
    assert sum(probs) == 1, "reference probabilities must sum to 1"
    assert counts.sum() == n
    m = max(1, sum(1 for p in probs if 0 < p < 1))
    L = math.log(2 * m / alpha)
    worst = (0.0, None)
    for i, (c, p) in enumerate(zip(counts, probs)):
        if p == 0:
            if c != 0:
                return False, f"cell {i}: probability 0 but {c} samples"
            continue
        if p == 1:
            if c != n:
                return False, f"cell {i}: probability 1 but {c} of {n} samples"
            continue
        var = n * float(p) * (1 - float(p))
        bound = L / 3 + math.sqrt(L * L / 9 + 2 * L * var)
        dev = abs(c - n * float(p))
        if dev / bound > worst[0]:
            worst = (dev / bound, i)
        if dev >= bound:
            return False, f"cell {i}: count {c}, expected {n * float(p):.1f}, |deviation| {dev:.1f} >= bound {bound:.1f}"
    return True, f"worst cell {worst[1]} at {worst[0]:.2f} of its bound"


def assert_matches(counts, probs, n):
    ok, msg = frequency_check(counts, probs, n)
    assert ok, msg


def policy(inst, name="theta"):
    return inst.policies[name]


def state_marginal(inst, pi, t):
    """Pr(s_t = s), exactly."""
    S, A = inst.n_states, inst.n_actions
    mu = list(inst.rho0)
    for _ in range(t):
        nxt = [F(0)] * S
        for s in range(S):
            for a in range(A):
                for s2 in range(S):
                    nxt[s2] += mu[s] * pi[s][a] * inst.P[s][a][s2]
        mu = nxt
    return mu


def joint_step(inst, pi, t):
    """Pr(s_t = s, a_t = a, s_{t+1} = s') as nested lists [s][a][s']."""
    mu = state_marginal(inst, pi, t)
    S, A = inst.n_states, inst.n_actions
    return [[[mu[s] * pi[s][a] * inst.P[s][a][s2] for s2 in range(S)] for a in range(A)] for s in range(S)]


def joint_counts(states, actions, t, S, A):
    flat = (states[:, t] * A + actions[:, t]) * S + states[:, t + 1]
    return np.bincount(flat, minlength=S * A * S)


def solve_fraction(M, b):
    """Solve M x = b exactly by Gauss-Jordan elimination over the rationals."""
    n = len(M)
    aug = [list(map(F, M[i])) + [F(b[i])] for i in range(n)]
    for col in range(n):
        piv = next(r for r in range(col, n) if aug[r][col] != 0)
        aug[col], aug[piv] = aug[piv], aug[col]
        inv = 1 / aug[col][col]
        aug[col] = [x * inv for x in aug[col]]
        for r in range(n):
            if r != col and aug[r][col] != 0:
                f = aug[r][col]
                aug[r] = [x - f * y for x, y in zip(aug[r], aug[col])]
    return [aug[i][n] for i in range(n)]


def exact_dpi(inst, pi):
    """The normalised discounted state distribution d^pi, exactly."""
    S, A = inst.n_states, inst.n_actions
    g = inst.gamma
    P_pi = [[sum(pi[s][a] * inst.P[s][a][s2] for a in range(A)) for s2 in range(S)] for s in range(S)]
    if inst.horizon is None:
        # d = (1 - gamma) rho0^T (I - gamma P_pi)^{-1}:  (I - gamma P_pi)^T y = rho0
        MT = [[(1 if i == j else 0) - g * P_pi[j][i] for j in range(S)] for i in range(S)]
        y = solve_fraction(MT, inst.rho0)
        return [(1 - g) * v for v in y]
    T = inst.horizon
    weights = [F(1) if t == 0 else g**t for t in range(T)]  # 0^0 = 1
    total = sum(weights)
    d = [F(0)] * S
    for t in range(T):
        mu = state_marginal(inst, pi, t)
        for s in range(S):
            d[s] += weights[t] * mu[s] / total
    return d


def float_policy(pi):
    return np.array([[float(x) for x in row] for row in pi], dtype=np.float64)


def with_zero_actions(inst, seed):
    """A policy with zero-probability actions (one-hot in some states) as exact Fractions."""
    rng = np.random.default_rng(seed)
    out = []
    for s in range(inst.n_states):
        A = inst.n_actions
        w = [int(x) for x in rng.integers(0, 4, A)]
        if s % 2 == 1:
            hot = int(rng.integers(A))
            w = [int(a == hot) for a in range(A)]
        if A > 1 and 0 not in w:
            w[int(rng.integers(A))] = 0
        if sum(w) == 0:
            w[int(rng.integers(A))] = 1
        out.append([F(x, sum(w)) for x in w])
    return out


# ------------------------------------------------------------- the tests


def test_shapes_and_dtypes():
    inst = random_instance(0, 3, 2, 4, "plain")
    pi = float_policy(policy(inst))
    rng = np.random.default_rng(0)
    states, actions = sp.sample_trajectories(inst, pi, 1000, rng)
    assert states.shape == (1000, 5) and actions.shape == (1000, 4)
    assert states.dtype == np.int64 and actions.dtype == np.int64
    assert states.min() >= 0 and states.max() < 3 and actions.min() >= 0 and actions.max() < 2
    s2, a2 = sp.sample_trajectories(inst, pi, 0, rng)
    assert s2.shape == (0, 5) and a2.shape == (0, 4)
    s3, a3 = sp.sample_trajectories(inst, pi, 7, rng, horizon=0)
    assert s3.shape == (7, 1) and a3.shape == (7, 0)
    disc = random_instance(1, 2, 2, None, "plain")
    s4, a4 = sp.sample_trajectories(disc, float_policy(policy(disc)), 10, rng, horizon=6)
    assert s4.shape == (10, 7) and a4.shape == (10, 6)
    with pytest.raises(ValueError):
        sp.sample_trajectories(disc, float_policy(policy(disc)), 10, rng)
    r = sp.rewards(inst, states, actions)
    assert r.shape == (1000, 4) and r.dtype == np.float64
    i = 17
    assert r[i, 2] == float(inst.R[states[i, 2]][actions[i, 2]][states[i, 3]])
    d = sp.sample_state_distribution(inst, pi, 100, rng)
    assert d.shape == (100,) and d.dtype == np.int64
    c = sp.sample_categorical(np.full((4, 5, 3), 1 / 3), rng)
    assert c.shape == (4, 5) and c.dtype == np.int64
    assert sp.sample_categorical(np.array([0.0, 1.0]), rng).shape == ()
    ls, la = sp.python_loop_sampler(inst, pi, 5, rng)
    assert ls.shape == (5, 5) and la.shape == (5, 4) and ls.dtype == np.int64


def test_float_tables_cached_and_exact():
    inst = random_instance(3, 3, 3, 2, "zero-branches")
    tb = sp.float_tables(inst)
    assert sp.float_tables(inst) is tb
    assert tb.P.shape == (3, 3, 3) and tb.R.shape == (3, 3, 3) and tb.rho0.shape == (3,)
    assert np.all(tb.cum_P[:, -1] == 1.0) and tb.cum_rho0[-1] == 1.0
    for s in range(3):
        for a in range(3):
            row = tb.cum_P[s * 3 + a]
            assert np.all(np.diff(row) >= 0)
            for k in range(3):
                if inst.P[s][a][k] == 0:  # a zero-probability branch has an empty interval
                    assert row[k] == (row[k - 1] if k else 0.0)


def test_determinism():
    inst = random_instance(5, 3, 3, 6, "plain")
    pi = float_policy(policy(inst))
    a = sp.sample_trajectories(inst, pi, 5000, np.random.default_rng(42))
    b = sp.sample_trajectories(inst, pi, 5000, np.random.default_rng(42))
    c = sp.sample_trajectories(inst, pi, 5000, np.random.default_rng(43))
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])
    d1 = sp.sample_state_distribution(inst, pi, 3000, np.random.default_rng(7))
    d2 = sp.sample_state_distribution(inst, pi, 3000, np.random.default_rng(7))
    assert np.array_equal(d1, d2)
    p = np.random.default_rng(0).dirichlet(np.ones(4), size=100)
    assert np.array_equal(sp.sample_categorical(p, np.random.default_rng(1)),
                          sp.sample_categorical(p, np.random.default_rng(1)))


ZERO_CASES = [(2, 2, 3, "zero-branches"), (3, 3, 4, "zero-branches"), (3, 2, 3, "deterministic"),
              (2, 3, 5, "deterministic"), (12, 3, 3, "zero-branches"), (3, 11, 3, "zero-branches")]


@pytest.mark.parametrize("ns,na,T,flavour", ZERO_CASES)
def test_never_samples_zero_probability(ns, na, T, flavour):
    inst = random_instance(11 + ns * na, ns, na, T, flavour)
    pi = with_zero_actions(inst, ns + na)
    states, actions = sp.sample_trajectories(inst, float_policy(pi), 20000, np.random.default_rng(ns * 10 + na))
    rho0 = np.array([float(x) for x in inst.rho0])
    P = np.array(inst.P, dtype=float)
    pif = float_policy(pi)
    assert np.all(rho0[states[:, 0]] > 0)
    assert np.all(pif[states[:, :-1], actions] > 0)
    assert np.all(P[states[:, :-1], actions, states[:, 1:]] > 0)
    d = sp.sample_state_distribution(inst, pi, 5000, np.random.default_rng(1))
    dpi = exact_dpi(inst, pi)
    assert all(dpi[s] > 0 for s in np.unique(d))


class EdgeRNG:
    """A stand-in generator whose uniforms cycle through given boundary values."""

    def __init__(self, values):
        self.values = np.asarray(values, dtype=np.float64)
        self.i = 0

    def random(self, size=None, out=None):
        shape = out.shape if out is not None else (() if size is None else size)
        k = int(np.prod(shape))
        idx = (self.i + np.arange(k)) % len(self.values)
        self.i += k
        vals = self.values[idx].reshape(shape)
        if out is not None:
            out[...] = vals
            return out
        return vals


def test_boundary_uniforms_never_hit_zero_probability():
    one_minus = 1.0 - 2.0**-53  # the largest value rng.random() can return
    rows = np.array([[0.1] * 10 + [0.0],  # float cumsum ends at 0.9999999999999999
                     [0.0, 0.5, 0.0, 0.5, 0.0] + [0.0] * 6])
    assert np.cumsum(rows[0])[-2] < 1.0  # the trap the sampler must avoid
    cum = sp.cumulative(rows)
    assert np.all(cum[:, -1] == 1.0) and cum[0, 9] == 1.0 and cum[1, 3] == 1.0
    values = [0.0, one_minus, 0.5, np.nextafter(0.5, 0), float(np.cumsum(rows[0])[-2])] + list(np.cumsum(rows[0]))
    for _ in range(3):
        out = sp.sample_categorical(np.repeat(rows[None], 40, axis=0), EdgeRNG(values))
        assert np.all(out[:, 0] <= 9)
        assert set(np.unique(out[:, 1])) <= {1, 3}
    assert sp.sample_categorical(rows[1], EdgeRNG([0.0])) == 1
    assert sp.sample_categorical(rows[1], EdgeRNG([one_minus])) == 3
    assert sp.sample_categorical(rows[1], EdgeRNG([0.5])) == 3
    assert sp.sample_categorical(rows[1], EdgeRNG([np.nextafter(0.5, 0)])) == 1
    # the binary-search path (many outcomes) obeys the same rules
    wide = np.zeros(40)
    wide[[3, 17, 30]] = [0.25, 0.5, 0.25]
    for u, want in [(0.0, 3), (np.nextafter(0.25, 0), 3), (0.25, 17), (0.75, 30), (one_minus, 30)]:
        assert sp.sample_categorical(np.stack([wide, wide]), EdgeRNG([u])).tolist() == [want, want]
    # trajectories: every threshold of every table, plus 0 and 1 - 2^-53
    for inst in [random_instance(21, 3, 3, 3, "zero-branches"), random_instance(22, 3, 2, 3, "deterministic"),
                 random_instance(23, 12, 10, 3, "zero-branches")]:  # the last uses the binary search
        tb = sp.float_tables(inst)
        pi = with_zero_actions(inst, 3)
        vals = [0.0, one_minus] + list(np.unique(np.concatenate([tb.cum_P.ravel(), tb.cum_rho0,
                                                                 sp.cumulative(float_policy(pi)).ravel()])))
        vals = [v for v in vals if v < 1.0] + [np.nextafter(v, 0) for v in vals if v > 0]
        for offset in range(7):
            states, actions = sp.sample_trajectories(inst, float_policy(pi), 60, EdgeRNG(vals[offset:] + vals[:offset]))
            P = np.array(inst.P, dtype=float)
            assert np.all(np.array(inst.rho0, dtype=float)[states[:, 0]] > 0)
            assert np.all(float_policy(pi)[states[:, :-1], actions] > 0)
            assert np.all(P[states[:, :-1], actions, states[:, 1:]] > 0)


DIST_CASES = [(3, 3, 5, "plain"), (2, 2, 3, "zero-branches"), (3, 2, 4, "deterministic"),
              (1, 3, 2, "plain"), (3, 1, 3, "gamma1"), (12, 2, 3, "zero-branches")]


@pytest.mark.parametrize("ns,na,T,flavour", DIST_CASES)
def test_first_and_last_step_frequencies(ns, na, T, flavour):
    inst = random_instance(100 + ns * 7 + na, ns, na, T, flavour)
    pi = policy(inst)
    n = 40000
    states, actions = sp.sample_trajectories(inst, float_policy(pi), n, np.random.default_rng(ns + 10 * na))
    for t in (0, T - 1):
        assert_matches(joint_counts(states, actions, t, ns, na), joint_step(inst, pi, t), n)


def test_infinite_horizon_truncated_frequencies():
    inst = random_instance(77, 3, 2, None, "zero-branches")
    pi = policy(inst, "old")
    n = 30000
    states, actions = sp.sample_trajectories(inst, float_policy(pi), n, np.random.default_rng(9), horizon=4)
    for t in (0, 3):
        assert_matches(joint_counts(states, actions, t, 3, 2), joint_step(inst, pi, t), n)


def test_exact_policy_arrays_and_names_are_accepted():
    inst = random_instance(8, 2, 3, 2, "plain")
    n = 20000
    exact = np.array(policy(inst, "prime"), dtype=object)
    for probs in (exact, "prime"):
        states, actions = sp.sample_trajectories(inst, probs, n, np.random.default_rng(4))
        assert_matches(joint_counts(states, actions, 1, 2, 3), joint_step(inst, policy(inst, "prime"), 1), n)


def test_python_loop_sampler_distribution():
    inst = random_instance(31, 3, 2, 3, "zero-branches")
    pi = policy(inst)
    n = 20000
    states, actions = sp.python_loop_sampler(inst, float_policy(pi), n, np.random.default_rng(3))
    for t in (0, 2):
        assert_matches(joint_counts(states, actions, t, 3, 2), joint_step(inst, pi, t), n)


def _state_distribution_cases():
    disc = instances("discounted")
    fin = instances("finite")
    pick_d = [i for i in disc if i.gamma == 0][:1] + [disc[3], disc[4], disc[12], disc[17], disc[13]]
    pick_f = [i for i in fin if i.gamma == 0][:1] + [i for i in fin if i.gamma == 1][:1] + [fin[15], fin[19], fin[21]]
    extra = [random_instance(5, 3, 3, 8, "plain"), random_instance(6, 3, 2, None, "gamma0"),
             random_instance(9, 3, 3, None, "plain")]
    return pick_d + pick_f + extra


@pytest.mark.parametrize("inst", _state_distribution_cases(), ids=lambda i: i.label)
def test_state_distribution_matches_exact_dpi(inst):
    pi = policy(inst)
    n = 30000
    d = sp.sample_state_distribution(inst, float_policy(pi), n, np.random.default_rng(inst.seed + 1))
    assert_matches(np.bincount(d, minlength=inst.n_states), exact_dpi(inst, pi), n)


def test_state_distribution_includes_gamma_zero_cases():
    cases = _state_distribution_cases()
    assert any(i.gamma == 0 and i.horizon is None for i in cases)
    assert any(i.gamma == 0 and i.horizon is not None for i in cases)
    assert any(i.gamma == 1 for i in cases)


def test_sample_times():
    n = 40000
    fin = random_instance(2, 2, 2, 6, "gamma1")
    t = sp.sample_times(fin, n, np.random.default_rng(0))
    assert_matches(np.bincount(t, minlength=6), [F(1, 6)] * 6, n)
    fin0 = random_instance(2, 2, 2, 6, "gamma0")
    assert np.all(sp.sample_times(fin0, 1000, np.random.default_rng(0)) == 0)
    disc = random_instance(4, 2, 2, None, "plain")
    g = disc.gamma
    t = sp.sample_times(disc, n, np.random.default_rng(1))
    K = 12  # cells 0..K-1 and a tail cell ">= K"
    probs = [(1 - g) * g**k for k in range(K)] + [g**K]
    counts = np.bincount(np.minimum(t, K), minlength=K + 1)
    assert_matches(counts, probs, n)


@pytest.mark.parametrize("K", [1, 2, 3, 9, 10, 40])
def test_sample_categorical_matches_rows(K):
    rng = np.random.default_rng(K)
    rows = []
    for r in range(3):
        w = [int(x) for x in rng.integers(0, 5, K)]
        if K > 1:
            w[r % K] = 0
        if sum(w) == 0:
            w[-1] = 1
        rows.append([F(x, sum(w)) for x in w])
    n = 20000
    probs = np.array([[float(x) for x in row] for row in rows])
    draws = sp.sample_categorical(np.repeat(probs[:, None, :], n, axis=1), np.random.default_rng(100 + K))
    assert draws.shape == (3, n)
    for r in range(3):
        assert_matches(np.bincount(draws[r], minlength=K), rows[r], n)


def test_check_rejects_wrong_distribution():
    n = 40000
    # 1. sampling under one policy, checked against another policy's exact law
    inst = random_instance(12, 3, 3, 3, "plain")
    states, actions = sp.sample_trajectories(inst, float_policy(policy(inst, "theta")), n, np.random.default_rng(5))
    ok, _ = frequency_check(joint_counts(states, actions, 0, 3, 3), joint_step(inst, policy(inst, "theta"), 0), n)
    assert ok
    ok, msg = frequency_check(joint_counts(states, actions, 0, 3, 3), joint_step(inst, policy(inst, "old"), 0), n)
    assert not ok, msg
    # 2. a small perturbation (0.02 of mass moved between two outcomes) is detected
    p = [F(3, 10), F(3, 10), F(2, 5)]
    q = [F(32, 100), F(28, 100), F(2, 5)]
    draws = sp.sample_categorical(np.tile(np.array([float(x) for x in p]), (n, 1)), np.random.default_rng(6))
    counts = np.bincount(draws, minlength=3)
    assert frequency_check(counts, p, n)[0]
    assert not frequency_check(counts, q, n)[0]
    # 3. d^pi: the state distribution at time 0 (rho_0) is not d^pi
    disc = random_instance(13, 3, 2, None, "plain")
    d = sp.sample_state_distribution(disc, float_policy(policy(disc)), n, np.random.default_rng(7))
    counts = np.bincount(d, minlength=3)
    assert frequency_check(counts, exact_dpi(disc, policy(disc)), n)[0]
    assert not frequency_check(counts, list(disc.rho0), n)[0]
    # 4. a sample in a zero-probability cell fails at once
    assert not frequency_check([1, n - 1], [F(0), F(1)], n)[0]


def test_invalid_probabilities_rejected():
    inst = random_instance(0, 2, 2, 2, "plain")
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError):
        sp.sample_trajectories(inst, np.array([[0.5, 0.6], [0.5, 0.5]]), 10, rng)
    with pytest.raises(ValueError):
        sp.sample_trajectories(inst, np.array([[1.5, -0.5], [0.5, 0.5]]), 10, rng)
    with pytest.raises(ValueError):
        sp.sample_trajectories(inst, np.full((3, 2), 0.5), 10, rng)
    with pytest.raises(ValueError):
        sp.sample_categorical(np.array([np.nan, 1.0]), rng)
