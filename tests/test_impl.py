"""derive check-impl and derive.check_code: reference implementations, ground truth, bug names, sandboxing.

* the ground truth (exact Fractions per episode) agrees with derive's engine nodes
  GAE / Delta / LamRet / Ret with a free V, evaluated on sampled trajectories;
* the reference NumPy implementations equal the ground truth on every case of the suite,
  and reproduce rlax's published test vectors (external-test-vectors.md);
* correct implementations written in several styles hold; each file under
  tests/impl_examples/bugs/ fails and is named after its bug (EXPECTED_BUG in the file);
* exceptions, wrong shapes, NaN, None, exits, memory and infinite loops give "unknown" with
  a clear reason; the JSON contract and the exit codes are checked through the CLI.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

import derive
from derive.check_code import bugs as bugmod
from derive.check_code import reference as ref
from derive.check_code.check import SpecError, check_impl
from derive.check_code.rollouts import suite
from derive.check_code.truth import truth

ROOT = Path(__file__).resolve().parent.parent
EX = Path(__file__).resolve().parent / "impl_examples"
FUNCS = {"gae": ref.gae, "returns": ref.discounted_returns, "lambda-returns": ref.lambda_returns,
         "td-errors": ref.td_errors}
PYNAME = {"gae": "gae", "returns": "returns", "lambda-returns": "lambda_returns", "td-errors": "td_errors"}


def _truth_array(kind, ro):
    cols = truth(kind, ro.cols(), ro.gamma, ro.lam)
    a = np.array([[float(x) for x in col] for col in cols]).T
    return a if ro.batched else a[:, 0]


# ------------------------------------------------------------ ground truth vs the engine


def _engine_case(seed, T):
    """One episode of a random MDP sampled by derive's sampler, with the engine's values."""
    from derive.engine.evaluate import Env, evaluate
    from derive.engine.fields import EXACT
    from derive.engine.sampler import sample_trajectories
    from derive.engine.scope import SampleScope
    from derive.engine.tables import tables_for
    from derive.lang.nodes import GAE, Delta, LamRet, Ret, free_v
    from derive.lang.symbols import t as tsym
    from derive.mdp import random_instance

    inst = random_instance(seed, 3, 2, T, "plain")
    inst.params["lambda"] = [Fraction(1, 2), Fraction(0), Fraction(1), Fraction(3, 4)][seed % 4]
    n = 4
    states, actions = sample_trajectories(inst, "theta", n, np.random.default_rng(seed))
    env = Env(tables_for(inst, EXACT)).with_(traj=SampleScope(states, actions))

    def ev(expr, u):
        return [Fraction(int(x.numerator), int(x.denominator)) for x in np.asarray(evaluate(expr, env.bind_int(tsym, u)).v.data).reshape(-1)]

    eng = {name: [ev(expr, u) for u in range(T)] for name, expr in
           (("gae", GAE(tsym, free_v())), ("delta", Delta(tsym, free_v())), ("lamret", LamRet(tsym, free_v())),
            ("ret", Ret(tsym)))}
    V = inst.free_function("V", (inst.n_states,))
    cols = {k: [] for k in ("r", "v", "nv", "term", "trunc")}
    for i in range(n):
        s, a = states[i].tolist(), actions[i].tolist()
        cols["r"].append([inst.R[s[u]][a[u]][s[u + 1]] for u in range(T)])
        cols["v"].append([V[s[u]] for u in range(T)])
        cols["nv"].append([V[s[u + 1]] for u in range(T)])
        cols["term"].append([False] * (T - 1) + [True])  # the engine's V(s_T) = 0: the episode terminates at T
        cols["trunc"].append([False] * T)
    return inst, eng, cols


@pytest.mark.parametrize("seed", range(6))
def test_truth_agrees_with_engine_nodes(seed):
    T = 1 + seed % 4
    inst, eng, cols = _engine_case(seed, T)
    g, lam = inst.gamma, inst.params["lambda"]
    tr = {k: truth(k, cols, g, lam) for k in ("gae", "td-errors", "lambda-returns", "returns")}
    for i in range(len(cols["r"])):
        for u in range(T):
            assert tr["gae"][i][u] == eng["gae"][u][i]
            assert tr["td-errors"][i][u] == eng["delta"][u][i]
            assert tr["lambda-returns"][i][u] == eng["lamret"][u][i]
            assert tr["returns"][i][u] == eng["ret"][u][i]
    # truncated instead of terminated at T: the bootstrap adds (gamma lam)^(T-1-t) gamma V(s_T) to GAE_t
    cut = {**cols, "term": [[False] * T for _ in cols["r"]], "trunc": [[False] * (T - 1) + [True] for _ in cols["r"]]}
    tg = truth("gae", cut, g, lam)
    for i in range(len(cols["r"])):
        for u in range(T):
            extra = (g * lam) ** (T - 1 - u) * g * cols["nv"][i][T - 1] if T - 1 - u else g * cols["nv"][i][T - 1]
            assert tg[i][u] == eng["gae"][u][i] + extra


# ------------------------------------------------------------ reference implementations


@pytest.mark.parametrize("kind", sorted(FUNCS))
def test_reference_equals_truth_on_suite(kind):
    for ro in suite(0) + suite(3):
        out = FUNCS[kind](*ro.args(kind))
        assert out.shape == ro.shape and out.dtype == np.float64
        np.testing.assert_allclose(out, _truth_array(kind, ro), rtol=0, atol=1e-10, err_msg=ro.label)


def test_reference_accepts_bool_flags_and_lists():
    r, v, nv = [1.0, 2.0, 3.0], [0.5, 0.25, 1.0], [0.25, 1.0, 2.0]
    a = ref.gae(r, v, nv, [False, True, False], [False, False, False], 0.5, 0.5)
    b = ref.gae(np.array(r), v, nv, np.array([0.0, 1.0, 0.0]), np.zeros(3), 0.5, 0.5)
    np.testing.assert_array_equal(a, b)
    assert a[1] == 2.0 - 0.25  # terminated: no bootstrap
    assert a[0] == (1.0 + 0.5 * 0.25 - 0.5) + 0.25 * a[1]


def test_top_level_exports():
    assert derive.gae is ref.gae and derive.discounted_returns is ref.discounted_returns
    assert derive.lambda_returns is ref.lambda_returns and derive.td_errors is ref.td_errors


def test_reference_on_large_batch():
    """The (T, B) = (256, 1024) batch with dones, checked against the reversed loop on a few columns.

    Its speed is measured, not asserted (a timed assertion fails under load): the rows
    gae_vs_python_loop and gae_vs_cumsum_floor of bench/run.py (issue 14)."""
    rng = np.random.default_rng(0)
    T, B = 256, 1024
    args = (rng.standard_normal((T, B)), rng.standard_normal((T, B)), rng.standard_normal((T, B)),
            rng.random((T, B)) < 0.02, rng.random((T, B)) < 0.01, 0.99, 0.95)
    out = ref.gae(*args)
    assert out.shape == (T, B) and np.isfinite(out).all()
    r, v, nv, term, trunc, gamma, lam = args
    for b in (0, 1, 511, 1023):
        last = 0.0
        for t in range(T - 1, -1, -1):
            delta = r[t, b] + gamma * nv[t, b] * (1.0 - term[t, b]) - v[t, b]
            last = delta + gamma * lam * (0.0 if (term[t, b] or trunc[t, b]) else 1.0) * last
            assert abs(out[t, b] - last) <= 1e-9 * max(1.0, abs(last)), (t, b)


# ------------------------------------------------------------ rlax test vectors


def _printed_close(got, printed):
    """Equal to the printed precision: |got - printed| <= half a unit of its last printed digit.

    Some printed lambda-returns carry float32 rounding in their 8th significant digit (0.72281253 for
    0.7228125 exactly, 0.6500001 for 0.65), so the tolerance is never below float32's 1e-7 relative.
    """
    for g, p in zip(np.asarray(got).reshape(-1), printed):
        text = repr(p)
        digits = len(text.split(".")[1]) if "." in text else 0
        assert abs(g - p) <= max(0.5 * 10 ** -digits, 1e-7 * max(1.0, abs(p))) + 1e-12, (g, p)


@pytest.mark.parametrize("lam, expected", [
    (1.0, [[-1.451188, -4.455746, 2.539651, 0.5249, -0.49], [3, 2, 1, 0, -4.9]]),
    (0.7, [[-0.676979, -5.248167, 2.484608, 0.67043, -0.49], [2.2899, 1.73, 1, 0, -4.9]]),
    (0.4, [[0.567319, -6.042124, 2.34312, 0.81596, -0.49], [1.7256, 1.46, 1, 0, -4.9]]),
])
def test_rlax_truncated_gae(lam, expected):
    # rlax: discount_t = gamma * (1 - terminal_t), values of length T + 1 (the last is the bootstrap).
    # Ours: values[t] = values_rlax[t], next_values[t] = values_rlax[t + 1], terminated where discount is 0.
    r = np.array([[0, 0, 1, 0, -0.5], [0, 0, 0, 0, 1]], dtype=float)
    vals = np.array([[1, 4, -3, -2, -1, -1], [-3, -2, -1, 0, 5, -1]], dtype=float)
    gammas, terms = [0.99, 0.9], [[0, 0, 0, 0, 0], [0, 0, 0, 1, 0]]
    for b in range(2):
        out = ref.gae(r[b], vals[b, :-1], vals[b, 1:], terms[b], np.zeros(5), gammas[b], lam)
        _printed_close(out, expected[b])
    # the same batch as one (T, B) call with per-column discounts
    out = ref.gae(r.T, vals[:, :-1].T, vals[:, 1:].T, np.array(terms).T, np.zeros((5, 2)),
                  np.array([[0.99, 0.9]]), lam)
    _printed_close(out.T, [x for row in expected for x in row])


R2 = np.array([[1, 0, -1, 0, 1], [0.5, 0.8, -0.7, 0, 2.1]])
D2 = np.array([[.5, .9, 1, .5, .8], [.9, .5, .3, .8, .7]])
V2 = np.array([[3, 1, 5, -5, 3], [-1.7, 1.2, 2.3, 2.2, 2.7]])


def test_rlax_lambda_returns():
    # rlax v_t are next-state values: next_values = v_t, values[t + 1] = v_t[t] inside the episode
    # (values[0] cancels out); per-step discounts go in gamma.
    expected = [[1.6460547, 0.72281253, 0.7375001, 0.6500001, 3.4], [0.7866317, 0.9913063, 0.1101501, 2.834, 3.99]]
    for b in range(2):
        values = np.concatenate([[0.0], V2[b, :-1]])
        out = ref.lambda_returns(R2[b], values, V2[b], np.zeros(5), np.zeros(5), D2[b], 0.75)
        _printed_close(out, expected[b])


def test_rlax_discounted_returns():
    expected = [[1.315, 0.63, 0.7, 1.7, 3.4], [1.33592, 0.9288, 0.2576, 3.192, 3.99]]
    out = ref.discounted_returns(R2.T, V2.T, np.zeros((5, 2)), np.zeros((5, 2)), D2.T)  # bootstrap v[-1] at the end
    _printed_close(out.T, [x for row in expected for x in row])


def test_rlax_td_errors():
    d = np.array([0, .5, 1] * 3)
    v_t = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2], dtype=float)
    out = ref.td_errors(-np.ones(9), np.ones(9), v_t, d == 0, np.where(d == 0, 1.0, d))
    _printed_close(out, [-2, -2, -2, -2, -1.5, -1, -2, -1, 0])


# ------------------------------------------------------------ check_impl: verdicts


@pytest.mark.parametrize("file, func, kind", [
    ("gae_loop.py", "gae", "gae"), ("gae_cleanrl_style.py", "gae", "gae"), ("gae_episodes.py", "gae", "gae"),
    ("returns_loop.py", "returns", "returns"), ("lambda_returns_loop.py", "lambda_returns", "lambda-returns"),
    ("td_errors_numpy.py", "td_errors", "td-errors"),
])
def test_correct_implementations_hold(file, func, kind):
    rep = check_impl(str(EX / file), func, kind)
    assert rep["verdict"] == "holds", rep
    assert rep["bug"] is None and rep["counterexample"] is None and rep["cases"] >= 20


@pytest.mark.parametrize("kind", sorted(FUNCS))
def test_reference_holds_through_check(kind):
    name = {"returns": "discounted_returns"}.get(kind, PYNAME[kind])
    rep = check_impl(str(ROOT / "derive" / "check_code" / "reference.py"), name, kind)
    assert rep["verdict"] == "holds", rep


BUG_FILES = sorted((EX / "bugs").glob("*.py"))


@pytest.mark.parametrize("path", BUG_FILES, ids=[p.stem for p in BUG_FILES])
def test_each_bug_is_caught_and_named(path):
    src = path.read_text()
    kind = re.search(r'KIND = "(.*)"', src).group(1)
    expected = re.search(r'EXPECTED_BUG = "(.*)"', src).group(1)
    rep = check_impl(str(path), PYNAME[kind], kind)
    assert rep["verdict"] == "fails"
    assert rep["bug"] == expected, rep["reason"]
    ce = rep["counterexample"]
    # shrunk: at most 2 steps, 1 column
    assert int(np.prod(ce["shape"])) <= 2, ce
    assert ce["expected"] != ce["received"]
    assert ce["bug_output"] == ce["received"]
    fd = ce["first_difference"]
    assert abs(fd["expected"] - fd["received"]) > 1e-6
    assert Fraction(fd["expected_exact"]) == Fraction(fd["expected"])


def test_every_known_bug_has_an_example_file():
    named = {(re.search(r'KIND = "(.*)"', p.read_text()).group(1), re.search(r'EXPECTED_BUG = "(.*)"',
             p.read_text()).group(1)) for p in BUG_FILES}
    for bug in bugmod.BUGS["gae"]:
        assert ("gae", bug.name) in named


def test_known_bugs_are_distinguishable_and_wrong_on_the_suite():
    cases = suite(0)
    for kind, bugs in bugmod.BUGS.items():
        outs = {b.name: [bugmod.bug_output(kind, b, ro) for ro in cases] for b in bugs}
        for name, out in outs.items():
            assert any(not np.allclose(o, _truth_array(kind, ro)) for o, ro in zip(out, cases)), (kind, name)
            for other, out2 in outs.items():
                if other != name:
                    assert any(not np.allclose(a, b) for a, b in zip(out, out2)), (kind, name, other)


def test_two_bugs_fail_without_a_single_name():
    rep = check_impl(str(EX / "misc.py"), "two_bugs", "gae")
    assert rep["verdict"] == "fails" and rep["bug"] is None
    assert "no single known bug" in rep["reason"]


# ------------------------------------------------------------ misbehaving code


@pytest.mark.parametrize("func, fragment", [
    ("raises", "raised RuntimeError: not implemented yet"),
    ("wrong_shape", "returned shape (2,), expected (1,)"),
    ("nan", "returned nan"),
    ("returns_none", "not an array of numbers"),
    ("exits", "raised SystemExit"),
    ("hard_exit", "exited with status 7"),
    ("eats_memory", "out of memory"),
    ("only_1d", "batched input not supported"),
])
def test_misbehaving_code_is_unknown_with_reason(func, fragment):
    rep = check_impl(str(EX / "misc.py"), func, "gae", memory_mb=1024)
    assert rep["verdict"] == "unknown", rep
    assert fragment in rep["reason"], rep["reason"]
    assert rep["counterexample"] is None and rep["bug"] is None


def test_infinite_loop_times_out():
    rep = check_impl(str(EX / "misc.py"), "loops_forever", "gae", timeout=1.5)
    assert rep["verdict"] == "unknown"
    assert "within 1.5 s" in rep["reason"] and "one step, terminated" in rep["reason"]


def test_import_error_is_unknown():
    rep = check_impl(str(EX / "import_error.py"), "gae", "gae")
    assert rep["verdict"] == "unknown" and "ImportError: this module needs a GPU" in rep["reason"]


def test_bad_specs_raise_spec_error(tmp_path):
    with pytest.raises(SpecError):
        check_impl(str(tmp_path / "missing.py") + ":gae", kind="gae")
    with pytest.raises(SpecError):
        check_impl("no_colon.py", kind="gae")
    with pytest.raises(SpecError, match="no function 'nope'"):
        check_impl(str(EX / "misc.py"), "nope", "gae")
    with pytest.raises(SpecError, match="not callable"):
        check_impl(str(EX / "misc.py"), "not_a_function", "gae")


# ------------------------------------------------------------ the command line


def _cli(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "derive", "check-impl", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


def test_cli_json_contract_and_exit_codes():
    ok = _cli(str(EX / "misc.py") + ":prints", "--kind", "gae", "--json")  # the user's prints go to stderr
    assert ok.returncode == 0, ok.stderr
    rep = json.loads(ok.stdout)
    assert set(rep) >= {"verdict", "kind", "function", "cases", "counterexample", "bug", "reason"}
    assert rep["verdict"] == "holds" and rep["kind"] == "gae"

    bad = _cli(str(EX / "bugs" / "gae_truncation_as_termination.py") + ":gae", "--kind", "gae", "--json",
               "--seed", "3")
    assert bad.returncode == 1
    rep = json.loads(bad.stdout)
    assert rep["verdict"] == "fails" and rep["bug"] == "truncation-as-termination"
    ce = rep["counterexample"]
    assert {"case", "shape", "gamma", "rewards", "values", "next_values", "terminated", "truncated",
            "expected", "received", "first_difference"} <= set(ce)

    text = _cli(str(EX / "bugs" / "gae_truncation_as_termination.py") + ":gae", "--kind", "gae")
    assert text.returncode == 1 and "FAILS" in text.stdout and "bug: truncation-as-termination" in text.stdout

    unk = _cli(str(EX / "misc.py") + ":loops_forever", "--kind", "gae", "--timeout", "1", "--json")
    assert unk.returncode == 1 and json.loads(unk.stdout)["verdict"] == "unknown"


@pytest.mark.parametrize("args", [
    ["missing_file.py:gae", "--kind", "gae"],
    ["tests/impl_examples/gae_loop.py", "--kind", "gae"],
    ["tests/impl_examples/gae_loop.py:nope", "--kind", "gae"],
    ["tests/impl_examples/gae_loop.py:gae", "--kind", "bogus"],
])
def test_cli_usage_errors_exit_2(args):
    proc = _cli(*args)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
