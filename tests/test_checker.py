"""derive check FILE.md|DIR: step verdicts, counterexamples, mistake names, exit codes, JSON, limits."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from derive.check_derivations import check_file, shrink
from derive.check_derivations.files import judge_steps
from derive.check_derivations.judge import oriented
from derive.cli.check_cmd import route
from derive.read_markdown import load_derivation, read_derivation
from derive.check_statements.exact import cached_instances, check_exact, check_on_instance

HOMEWORK = Path(__file__).parent / "homework"

# file -> (first failing step, catalog mistake it must be named after)
MISTAKES = {
    "drops_gamma_t.md": (3, "mistake.pg-drops-gamma-t"),
    "reward_to_go_from_t_plus_1.md": (2, "mistake.reward-to-go-from-t-plus-1"),
    "gae_lambda_for_gamma_lambda.md": (2, "mistake.gae-lambda-for-gamma-lambda"),
    "inverted_ratio.md": (2, "mistake.inverted-ratio"),
    "bellman_missing_gamma.md": (2, "mistake.bellman-missing-gamma"),
    "v_max_q.md": (2, "mistake.v-max-q"),
    "td_error_zero_mean.md": (3, "mistake.td-error-zero-mean"),
}


def run(*args):
    proc = subprocess.run([sys.executable, "-m", "derive", *args], capture_output=True, text=True, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture(scope="module")
def homework_report():
    """The JSON report of the whole homework folder (SymPy confirmation skipped: exact only)."""
    proc = subprocess.run([sys.executable, "-m", "derive", "check", str(HOMEWORK), "--json", "--symbolic-budget", "0"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return {Path(r["file"]).name: r for r in json.loads(proc.stdout)["results"]}


def test_homework_has_enough_derivations():
    assert len(list(HOMEWORK.rglob("*.md"))) >= 12
    assert {p.name for p in (HOMEWORK / "mistakes").glob("*.md")} == set(MISTAKES)


@pytest.mark.parametrize("name", sorted(p.name for p in (HOMEWORK / "correct").glob("*.md")))
def test_correct_homework_holds(homework_report, name):
    r = homework_report[name]
    assert r["verdict"] == "holds" and r["ok"], r["note"]
    assert all(s["verdict"] == "holds" and s["counterexample"] is None for s in r["steps"])


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_wrong_step_is_found_named_and_refuted(homework_report, name):
    step, mistake_id = MISTAKES[name]
    r = homework_report[name]
    assert r["verdict"] == "fails" and r["ok"]
    assert r["note"] == f"fails as expected at step {step}"
    verdicts = [s["verdict"] for s in r["steps"]]
    assert verdicts.index("fails") == step - 1 and set(verdicts[:step - 1]) == {"holds"}
    bad = r["steps"][step - 1]
    ce = bad["counterexample"]
    assert ce["mdp"]["states"] >= 1 and ce["lhs"] != ce["rhs"] and ce["exact"]
    assert bad["mistake_id"] == mistake_id and bad["mistake"]


def test_counterexample_is_shrunk_and_still_certain():
    d = load_derivation(HOMEWORK / "mistakes" / "drops_gamma_t.md")
    step = d.steps[2]
    lhs, rhs, rel = oriented(step)
    first = check_exact(lhs, rhs, "finite", rel).data["counterexample"]["mdp"]
    inst = next(i for i in cached_instances("finite", 0, True) if i.seed == first["seed"])
    small, res, applied = shrink(lhs, rhs, inst, rel)
    assert applied and res["status"] == "fails"
    assert small.size <= inst.size
    assert check_on_instance(lhs, rhs, small, rel)["status"] == "fails"  # re-checked from scratch
    assert small.gamma == 0  # drops gamma^t already shows at gamma = 0 (0^0 = 1 in G_t)


def test_symbolic_confirmation_is_reported():
    r = check_file(str(HOMEWORK / "correct" / "importance_sampling.md"))
    assert r["ok"]
    assert all("confirmed symbolically at 2 states, 2 actions, T = 2" in s["reason"] for s in r["steps"])


def test_human_output_echoes_reading(tmp_path):
    code, out, err = run("check", str(HOMEWORK / "mistakes" / "inverted_ratio.md"), "--symbolic-budget", "0")
    assert code == 0, err
    assert "step 2 (line 8): FAILS" in out
    assert r"read as: \sum_{x} f(x) p(x) = \mathbb{E}_{x \sim q}" in out
    assert "mistake: inverted importance ratio" in out
    assert "fails as expected at step 2 [OK]" in out


def test_exit_codes_and_routing(tmp_path):
    wrong = tmp_path / "wrong.md"  # the same mistake without the expectation: not OK
    wrong.write_text((HOMEWORK / "mistakes" / "inverted_ratio.md").read_text().replace("expect: fails\nstep: 2\n", ""))
    assert run("check", str(wrong), "--symbolic-budget", "0")[0] == 1
    assert run("check", str(HOMEWORK / "correct" / "importance_sampling.md"), "--symbolic-budget", "0")[0] == 0
    code, _, err = run("check", str(tmp_path / "missing.md"))
    assert code == 2 and "missing.md:1:1: no such file" in err and "Traceback" not in err
    code, _, err = run("check", str(wrong), "pg.psi-reward-to-go")
    assert code == 2 and "not both" in err
    assert route(["a.md"]) == "derivation" and route(["pg.psi-q"]) == "catalog"


def test_wrong_expected_step_is_not_ok(tmp_path):
    f = tmp_path / "x.md"
    f.write_text((HOMEWORK / "mistakes" / "inverted_ratio.md").read_text().replace("step: 2", "step: 1"))
    r = check_file(str(f), symbolic_budget=0)
    assert not r["ok"] and "expected the first failure at step 1, but it is at step 2" in r["note"]


def test_mistakes_folder_requires_expect_fails(tmp_path):
    (tmp_path / "mistakes").mkdir()
    f = tmp_path / "mistakes" / "a.md"
    f.write_text("$$\\sum_x p(x) = 1$$\n")
    code, out, _ = run("check", str(tmp_path), "--symbolic-budget", "0")
    assert code == 1 and "must declare expect: fails" in out


def test_unclosed_display_is_an_input_error(tmp_path):
    f = tmp_path / "bad.md"
    f.write_text("Intro.\n\n$$\n\\gamma = \\gamma\n")
    code, out, err = run("check", str(f), "--json")
    assert code == 2 and "Traceback" not in err
    assert f"{f}:3:1:" in err
    rec = json.loads(out)["results"][0]
    assert rec["verdict"] == "error" and rec["error"].startswith(f"{f}:3:")


def test_unknown_macro_makes_the_step_unknown(tmp_path):
    f = tmp_path / "macro.md"
    f.write_text("$$\n\\gamma = \\input{secret} = \\gamma\n$$\n")
    code, out, err = run("check", str(f), "--json", "--symbolic-budget", "0")
    assert code == 1 and "Traceback" not in err
    steps = json.loads(out)["results"][0]["steps"]
    assert [s["verdict"] for s in steps] == ["unknown", "unknown"]
    assert steps[0]["reason"].startswith("could not read the step: 2:") and "\\input" in steps[0]["reason"]
    assert steps[0]["read_as"] is None and steps[0]["counterexample"] is None


def test_json_contract_and_determinism():
    args = ("check", str(HOMEWORK / "mistakes" / "v_max_q.md"), "--json", "--symbolic-budget", "0")
    first, second = run(*args), run(*args)
    assert first == second
    report = json.loads(first[1])
    assert report["ok"] is True and set(report) == {"ok", "results"}
    r = report["results"][0]
    assert {"file", "verdict", "steps"} <= set(r)
    for s in r["steps"]:
        assert {"step", "verdict", "lhs", "rhs", "read_as", "counterexample", "mistake", "reason"} <= set(s)
        assert s["verdict"] in ("holds", "fails", "unknown")


def test_time_limit_gives_unknown_never_a_crash():
    d = load_derivation(HOMEWORK / "correct" / "pg_reward_to_go.md")
    steps = judge_steps(d, timeout=0.001, symbolic_budget=0)
    assert [s["verdict"] for s in steps] == ["unknown"] * len(d.steps)
    assert all("time limit" in s["reason"] for s in steps)


def test_inequality_steps_are_oriented():
    d = read_derivation("$$\n0 \\geq \\sum_x p(x) f(x)^2 \\leq \\sum_x p(x) f(x)^2 + 1\n$$\n", "ineq.md")
    steps = judge_steps(d, symbolic_budget=0)
    assert [s["verdict"] for s in steps] == ["fails", "holds"]  # 0 >= E[f^2] is false; a <= a + 1 holds
    ce = steps[0]["counterexample"]
    assert ce["lhs"] == "0" and ce["rhs"] != "0"  # values reported for the sides as written


def test_front_matter_gamma_fixes_the_discount(tmp_path):
    """Spinning Up's undiscounted reward-to-go holds with gamma: 1 and fails when gamma varies."""
    import json
    import subprocess
    import sys

    chain = (r"\mathbb{E}_{\tau \sim \pi_\theta}\left[\sum_{t=0}^{T-1} \nabla_\theta \log \pi_\theta(a_t \mid s_t)"
             r" R(\tau)\right] = \mathbb{E}_{\tau \sim \pi_\theta}\left[\sum_{t=0}^{T-1} \nabla_\theta \log"
             r" \pi_\theta(a_t \mid s_t) \sum_{t'=t}^{T-1} r_{t'}\right] && \text{reward to go}")
    fixed = tmp_path / "fixed.md"
    fixed.write_text("---\ngamma: 1\n---\n$$\n\\begin{aligned}\n" + chain.replace(" = ", " &= ", 1)
                     + "\n\\end{aligned}\n$$\n")
    free = tmp_path / "free.md"
    # a file that writes gamma somewhere is discounted (one that never does is inferred undiscounted)
    free.write_text(fixed.read_text().replace("gamma: 1\n", "title: varies\n") + "\nThe discount $\\gamma$.\n")
    out = {}
    for path in (fixed, free):
        proc = subprocess.run([sys.executable, "-m", "derive", "check", str(path), "--json", "--symbolic-budget", "0"],
                              capture_output=True, text=True, timeout=120)
        out[path.name] = (proc.returncode, json.loads(proc.stdout))
    assert out["fixed.md"][0] == 0
    code, report = out["free.md"]
    assert code == 1
    step = report["results"][0]["steps"][0]
    assert step["verdict"] == "fails" and step["counterexample"]["mdp"]["gamma"] not in ("1",)
    bad = tmp_path / "bad.md"
    bad.write_text("---\ngamma: 2\n---\n$$ r_t = r_t $$\n")
    proc = subprocess.run([sys.executable, "-m", "derive", "check", str(bad)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2 and "gamma" in proc.stderr + proc.stdout and "Traceback" not in proc.stderr


# ---------------------------------------------------------------- issue 9, items a to d

def _judge(tex: str, symbolic_budget=0, **front):
    head = "".join(f"{k}: {v}\n" for k, v in front.items())
    text = (f"---\n{head}---\n" if head else "") + f"$$\n{tex}\n$$\n"
    return judge_steps(read_derivation(text, "issue9.md"), symbolic_budget=symbolic_budget)


def test_logs_mixed_with_rationals_are_compared_with_the_tolerance():
    """Item a: a float next to a rational is compared with the stated tolerance, never with exact !=."""
    [s] = _judge(r"\mathbb{E}_{x\sim q}\left[\frac{p(x)}{q(x)} - 1 - \log\frac{p(x)}{q(x)}\right]"
                 r" = \sum_x p(x) - \sum_x q(x) + \sum_x q(x)\log\frac{q(x)}{p(x)}")
    assert s["verdict"] == "holds", s["reason"]
    assert "relative tolerance 1e-09" in s["reason"] and "absolute 1e-12" in s["reason"]


def test_per_value_exactness_in_compare():
    """Item a: exactness is decided per value; a float-only mismatch is a non-certain counterexample."""
    import gmpy2
    import numpy as np

    from derive.engine.tensor import Ten, Val
    from derive.check_statements.compare import mismatches

    def val(*xs):
        arr = np.empty(len(xs), dtype=object)
        arr[:] = list(xs)
        return Val(Ten(("s",), arr))

    third = gmpy2.mpq(1, 3)
    _, exact, bad, _, _ = mismatches(val(third, 0.1 + 0.2, gmpy2.mpfr(0.5)), val(third, gmpy2.mpq(3, 10), 0.5))
    assert bad == [] and not exact
    _, exact, bad, _, _ = mismatches(val(third, 0.5), val(gmpy2.mpq(1, 4), 0.75))
    assert bad == [(0,), (1,)] and exact  # the first (exact) mismatch is certain
    _, exact, bad, _, _ = mismatches(val(third, 0.5), val(third, 0.75))
    assert bad == [(1,)] and not exact


def test_a_tie_of_min_and_clip_under_a_gradient_is_skipped_not_a_counterexample():
    """Item b: where r_t(theta) = 1 + eps exactly, min(r, clip(r)) is not differentiable: skipped, counted."""
    [s] = _judge(r"\nabla_\theta \min(r_t(\theta), \operatorname{clip}(r_t(\theta), 1-\epsilon, 1+\epsilon))"
                 r" = \nabla_\theta \min(r_t(\theta), 1+\epsilon)")
    assert s["verdict"] == "holds", s["reason"]
    assert "skipped: not differentiable" in s["reason"]


def test_kinks_of_abs_max_and_indicator_are_undefined():
    from derive.engine.rules_algebra import maximum, minimum
    from derive.engine.tensor import Ten, Val
    from derive.check_statements.compare import EXACT_V, KINK_V, kinds
    import gmpy2
    import numpy as np

    def dual(v, d):
        arr = np.empty((), dtype=object)
        arr[()] = gmpy2.mpq(v)
        darr = np.empty((2,), dtype=object)
        darr[:] = [gmpy2.mpq(x) for x in d]
        return Val(Ten((), arr), Ten(("grad",), darr))

    x, y = dual(1, [1, 0]), dual(1, [-1, 0])
    for f in (minimum, maximum):
        out = f(x, y)
        assert out.v.data[()] == 1
        assert list(kinds(out.d.data)) == [KINK_V, EXACT_V]  # component 2 agrees: defined
    assert list(kinds(minimum(x, dual(2, [5, 5])).d.data)) == [EXACT_V, EXACT_V]
    [s] = _judge(r"\nabla_\theta \left|\pi_\theta(a|s) - \frac{1}{2}\right|"
                 r" = \nabla_\theta \left(\pi_\theta(a|s) - \frac{1}{2}\right)")
    assert s["verdict"] == "fails"  # refuted away from the kink at pi = 1/2
    [s] = _judge(r"\nabla_\theta \mathbb{1}\left[r_t(\theta) \geq 1\right] = 0")  # r = 1 on 1-action MDPs: a jump
    assert s["verdict"] == "holds" and "skipped: not differentiable" in s["reason"], s["reason"]


def test_nan_is_undefined_never_a_counterexample():
    """Item c: (-8)^{1/3} has no real principal value here: unknown, never fails."""
    [s] = _judge(r"(-8)^{1/3} = -2")
    assert s["verdict"] == "unknown" and s["counterexample"] is None, s
    [s] = _judge(r"4^{1/2} = 2")
    assert s["verdict"] == "holds" and "exact rationals" in s["reason"], s["reason"]
    [s] = _judge(r"8^{1/3} = 3")
    assert s["verdict"] == "fails" and s["counterexample"]["exact"]


def test_zero_variance_monte_carlo_rejection_says_what_it_is():
    """Item d: a constant estimate that differs from the exact value is reported as such, not as max |z|."""
    from derive.catalog import catalog
    from derive.check_statements.montecarlo import check_montecarlo

    m = next(e for e in catalog() if e.id == "mistake.gradient-inside-expectation")
    res = check_montecarlo(m.lhs, m.rhs, m.setting, samples=200, sample_side=m.sample_side, stream=m.id)
    assert res.status == "fails"
    assert "the estimate is constant (zero sample variance) and differs from the exact value by" in res.detail
    assert "max |z| = 0.00" not in res.detail


def test_a_root_sympy_cannot_cancel_is_not_a_symbolic_failure():
    """Red team: sqrt(pq) - sqrt(p) sqrt(q) is not a nonzero rational function; SymPy is undecided."""
    [s] = _judge(r"\sqrt{p(x) q(x)} = \sqrt{p(x)} \sqrt{q(x)}", symbolic_budget=10)
    assert s["verdict"] == "holds", s["reason"]
    assert "symbolic: not attempted" in s["reason"]


def test_nan_inf_and_undefined_entries_are_skipped_not_compared():
    """Item c audit: NaN, inf (float or mpfr) and UNDEF inside exact arrays are undefined, never a mismatch."""
    import gmpy2
    import numpy as np

    from derive.engine.piecewise import minimum
    from derive.engine.tensor import UNDEF, Ten, Val
    from derive.check_statements.compare import UNDEF_V, kinds, mismatches, undefined_counts

    def val(*xs):
        arr = np.empty(len(xs), dtype=object)
        arr[:] = list(xs)
        return Val(Ten(("s",), arr))

    lhs = val(float("nan"), float("inf"), gmpy2.mpfr("nan"), UNDEF, gmpy2.mpq(1, 2))
    rhs = val(gmpy2.mpq(-2), gmpy2.mpq(1), gmpy2.mpq(1), gmpy2.mpq(1), gmpy2.mpq(1, 2))
    _, exact, bad, _, _ = mismatches(lhs, rhs)
    assert bad == [] and exact
    assert undefined_counts(lhs, rhs) == (4, 0, 5)
    # min(NaN, 1) has no value (it is not 1)
    assert list(kinds(minimum(val(float("nan")), val(gmpy2.mpq(1))).v.data)) == [UNDEF_V]
