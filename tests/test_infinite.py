"""Infinite discounted trajectories evaluated exactly (derive/engine/infinite.py), checked against
independent computations: closed forms, a plain Fraction linear solve, and long truncated sums."""
from __future__ import annotations

from fractions import Fraction as F
from pathlib import Path

import pytest
from sympy import Integer, Sum
from sympy.core.symbol import Str

from derive.catalog.build import E_tau, St, At, almost_surely, grad_log_pi, inf_sum
from derive.engine.evaluate import Env, Unsupported, evaluate
from derive.engine.fields import EXACT
from derive.engine.tables import tables_for
from derive.engine.tensor import Undefined
from derive.lang import nodes
from derive.lang.symbols import gamma, l, lam, t, tp
from derive.mdp import Instance, instances
from derive.check_statements.exact import check_exact
from derive.check_statements.montecarlo import check_montecarlo

TH = Str("theta")
D = "discounted"
RETURN = inf_sum(gamma ** t * nodes.Rt(t))


def chain(gamma_, rewards, P, rho0, probs=None):
    """A hand-built discounted instance with one action per state unless probs is given."""
    n = len(rho0)
    na = 1 if probs is None else len(probs[0])
    Pt = [[list(P[s]) for _ in range(na)] for s in range(n)] if probs is None else P
    R = [[[F(rewards[s])] * n for _ in range(na)] for s in range(n)] if probs is None else rewards
    pol = [[F(1)] * 1 for _ in range(n)] if probs is None else probs
    return Instance(n, na, rho0, Pt, R, F(gamma_), None, {"theta": pol, "old": pol, "prime": pol},
                    {"lambda": F(1, 2), "epsilon": F(1, 5), "beta": F(1), "c_1": F(1), "c_2": F(1, 100)},
                    [F(0), F(1), F(2)], 7)


def value(expr, inst, **ints):
    env = Env(tables_for(inst, EXACT))
    for sym, v in ints.items():
        env = env.bind_int({"t": t}[sym], v)
    return evaluate(expr, env).v.data[()]


def test_geometric_series_closed_form():
    # one state, reward 3, gamma 2/3: sum_t gamma^t 3 = 3 / (1 - 2/3) = 9 exactly, not a truncation
    inst = chain(F(2, 3), [3], [[F(1)]], [F(1)])
    assert value(E_tau(RETURN), inst) == 9


def test_two_state_chain_against_a_plain_linear_solve():
    # V = (I - gamma P)^{-1} r solved by hand with Fractions (Cramer's rule), then J = rho0 . V
    g = F(1, 2)
    P = [[F(1, 4), F(3, 4)], [F(2, 5), F(3, 5)]]
    r = [F(1), F(-2)]
    a, b, c, d = 1 - g * P[0][0], -g * P[0][1], -g * P[1][0], 1 - g * P[1][1]
    det = a * d - b * c
    V = [(d * r[0] - b * r[1]) / det, (a * r[1] - c * r[0]) / det]
    rho0 = [F(1, 3), F(2, 3)]
    inst = chain(g, r, P, rho0)
    assert value(E_tau(RETURN), inst) == rho0[0] * V[0] + rho0[1] * V[1]
    # the (gamma lambda)^l weights of GAE's sum: the same solve with gamma lambda (lambda = 1/2) in place of gamma
    gl = g * F(1, 2)
    a2, b2, c2, d2 = 1 - gl * P[0][0], -gl * P[0][1], -gl * P[1][0], 1 - gl * P[1][1]
    det2 = a2 * d2 - b2 * c2
    W = [(d2 * r[0] - b2 * r[1]) / det2, (a2 * r[1] - c2 * r[0]) / det2]
    got = value(E_tau(inf_sum((gamma * lam) ** l * nodes.Rt(l), l)), inst)
    assert got == rho0[0] * W[0] + rho0[1] * W[1]


def test_nested_sum_against_a_long_truncation():
    # E[sum_t r_t sum_{t'>=t} gamma^{t'} r_{t'}] (gamma = 1/2) against the double sum truncated at 24 steps:
    # the tail is below 4 * 4 * 25 * 2^-24 / (1 - 1/2) < 1e-4
    inst = instances(D, 0)[11]
    assert inst.gamma == F(1, 2)
    exact = value(E_tau(inf_sum(nodes.Rt(t) * inf_sum(gamma ** tp * nodes.Rt(tp), tp, t))), inst)
    truncated = value(E_tau(Sum(Sum(nodes.Rt(t) * gamma ** tp * nodes.Rt(tp), (tp, t, 24)), (t, 0, 24))),
                      _finite_copy(inst, 25))
    assert abs(float(exact) - float(truncated)) < 1e-4
    assert exact != truncated  # the exact value is not a truncation


def _finite_copy(inst, horizon):
    from dataclasses import replace

    return replace(inst, horizon=horizon, cache={})


@pytest.mark.parametrize("entry_id", ["pg.infinite-q", "pg.infinite-reward-to-go", "trpo.pdl-infinite",
                                      "gae.infinite-unbiased", "values.infinite-v-definition"])
def test_infinite_identities_hold_exactly(entry_id):
    from derive.catalog import catalog

    e = catalog().get(entry_id)
    r = check_exact(e.lhs, e.rhs, e.setting, e.relation, ranges=e.ranges)
    assert r.status == "holds", r.text()


def test_wrong_infinite_statements_fail():
    J = nodes.J(TH)
    late = E_tau(inf_sum(grad_log_pi(t) * inf_sum(gamma ** tp * nodes.Rt(tp), tp, t + 1)))
    assert check_exact(nodes.Grad(J), late, D).status == "fails"
    # the GAE sum with the true V is unbiased; with lambda in place of gamma lambda on the TD errors of a
    # free critic it is not the advantage
    free = E_tau(inf_sum(lam ** l * nodes.Delta(t + l, nodes.free_v()), l), given=(St(t), At(t)))
    assert check_exact(free, nodes.A(TH, St(t), At(t), nodes.NOTIME), D).status == "fails"


def test_pointwise_identities_of_series():
    G, t0 = nodes.Ret, ((t, 0, 0),)
    assert check_exact(almost_surely(G(t), nodes.Rt(t) + gamma * G(t + 1)), Integer(0), D, ranges=t0).status == "holds"
    assert check_exact(almost_surely(G(t), nodes.Rt(t) + G(t + 1)), Integer(0), D, ranges=t0).status == "fails"
    # a bare pointwise statement is checked the same way, and says so in its counterexample
    r = check_exact(G(t), nodes.Rt(t) + G(t + 1), D, ranges=t0)
    assert r.status == "fails" and "E[(lhs - rhs)^2]" in r.data["counterexample"]["lhs"]


def test_divergent_series_is_undefined_not_summed():
    inst = instances(D, 0)[5]
    with pytest.raises(Undefined, match="does not converge"):
        value(E_tau(inf_sum(nodes.Rt(t))), inst)


def test_outside_the_class_is_unknown_with_the_reason():
    inst = instances(D, 0)[5]
    with pytest.raises(Unsupported, match="geometric"):
        value(E_tau(inf_sum(t * gamma ** t * nodes.Rt(t))), inst)
    with pytest.raises(Unsupported, match="two summation indices"):
        body = inf_sum(inf_sum(gamma ** tp * nodes.Rew(St(t), At(tp), St(tp + 1)), tp, t))
        value(E_tau(gamma ** t * body), inst)


def test_monte_carlo_samples_infinite_series_with_a_bounded_tail():
    from derive.catalog import catalog

    e = catalog().get("objective.infinite-trajectory")
    r = check_montecarlo(e.lhs, e.rhs, e.setting, samples=4000, stream=e.id)
    assert r.status == "holds", r.text()
    m = catalog().get("mistake.infinite-pdl-old-trajectories")
    assert check_montecarlo(m.lhs, m.rhs, m.setting, samples=4000, stream=m.id).status == "fails"
    nested = catalog().get("pg.infinite-reward-to-go")
    r = check_montecarlo(nested.lhs, nested.rhs, nested.setting, samples=100)
    assert r.status == "n/a" and "nested" in r.detail


def test_symbolic_runs_the_same_algebra():
    from derive.check_statements.symbolic import check_symbolic

    assert check_symbolic(nodes.J(TH), E_tau(RETURN), D).status == "holds"


@pytest.mark.slow
def test_symbolic_refutes_a_shifted_series():
    from derive.check_statements.symbolic import check_symbolic

    assert check_symbolic(nodes.J(TH), E_tau(inf_sum(gamma ** t * nodes.Rt(t + 1))), D).status == "fails"


def test_derivation_set_fast():
    """Two of the textbook-style files; the whole folder is in the slow test below."""
    from derive.check_derivations.judge import judge_exact
    from derive.read_markdown import load_derivation

    here = Path(__file__).parent / "infinite"
    d = load_derivation(here / "correct" / "trpo_eta.md")
    assert judge_exact(d.steps[1], "discounted")["verdict"] == "holds"
    d = load_derivation(here / "mistakes" / "return_recursion_without_gamma.md")
    assert [judge_exact(s, "discounted")["verdict"] for s in d.steps] == ["holds", "fails"]


@pytest.mark.slow
def test_derivation_set_every_verdict_right():
    import subprocess
    import sys

    here = Path(__file__).parent / "infinite"
    proc = subprocess.run([sys.executable, "-m", "derive", "check", str(here), "--symbolic-budget", "0"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "unknown" not in proc.stdout.replace("unknown at", "")


def test_deterministic_series_and_nested_conditional_expectations():
    inst = instances(D, 0)[5]  # gamma = 2/3
    assert value(inf_sum(gamma ** l, l), inst) == 3  # 1 / (1 - 2/3), exactly
    # the tower rule with a nested conditional expectation over the same infinite trajectory
    inner = E_tau(nodes.Ret(t + 1), given=(St(t + 1),))
    lhs = E_tau(inner, given=(St(t),))
    rhs = E_tau(nodes.Ret(t + 1), given=(St(t),))
    assert check_exact(lhs, rhs, D).status == "holds"


def test_state_probabilities_read_and_summed():
    """sum_t gamma^t Pr(s_t = s) = d^pi(s) / (1 - gamma) (TRPO's rho_pi), read from LaTeX and evaluated exactly."""
    from derive.read_markdown.reader import read_derivation

    text = "\n".join(["---", "title: x", "setting: discounted", "---", "", "$$",
                      r"\sum_{t=0}^{\infty} \gamma^t \Pr(s_t = s) = \frac{1}{1-\gamma} d^{\pi_\theta}(s)", "$$", ""])
    (step,) = read_derivation(text).steps
    assert step.error is None
    assert check_exact(step.lhs, step.rhs, D).status == "holds"
    assert check_exact(step.lhs, step.rhs * (1 - gamma), D).status == "fails"
