"""The evaluator's structure (issue 17, items 4 and 5) and its two evaluations of an expectation.

- derive/engine has no import cycle (function-level imports counted): the rule registry is the leaf
  derive/engine/registry.py, the rule modules import it, and derive/engine/evaluate.py alone loads them;
- every registered rule says, in its docstring, the equation or convention it implements;
- one concept against another: the sample mean of the engine's sampling path agrees with its exact path.
"""
from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from sympy import Sum, log
from sympy.core.symbol import Str

from derive.check_statements.quantifiers import base_envs
from derive.engine import expectation
from derive.engine.evaluate import RULES, Env, evaluate
from derive.engine.fields import EXACT, FLOAT
from derive.engine.tables import tables_for
from derive.lang import nodes
from derive.lang.symbols import T, ActionVar, StateVar, gamma, t
from derive.mdp import random_instance
from import_graph import cycles, import_graph as derive_import_graph

ROOT = Path(__file__).resolve().parent.parent / "derive"
ENGINE = "derive.engine"


@lru_cache(maxsize=1)
def import_graph() -> dict:
    """module -> the derive modules it imports, anywhere in the file (tests/import_graph.py)."""
    return derive_import_graph()


def test_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_engine_has_no_import_cycle():
    touching = [c for c in cycles(import_graph()) if any(m.startswith(ENGINE + ".") for m in c)]
    assert touching == []


def _registers_rules(tree) -> bool:
    """The module calls ``rule(...)``: as a decorator @rule(X) or as rule(X)(fn)."""
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "rule" for n in ast.walk(tree))


def _rule_modules(edges) -> set:
    return {mod for mod in edges if mod.startswith(ENGINE + ".")
            and _registers_rules(ast.parse((ROOT.parent / (mod.replace(".", "/") + ".py")).read_text()))}


def test_registry_is_a_leaf_and_one_module_loads_every_rule():
    edges = import_graph()  # (cached: read-only here)
    rule_modules = _rule_modules(edges)
    assert {ENGINE + ".rules_algebra", ENGINE + ".expectation", ENGINE + ".optimal"} <= rule_modules
    # the registry reaches no rule module, even indirectly
    seen, todo = set(), [ENGINE + ".registry"]
    while todo:
        for nxt in edges[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    assert not seen & rule_modules
    # derive/engine/evaluate.py loads every rule module; no engine module imports it back
    assert rule_modules <= edges[ENGINE + ".evaluate"]
    assert [m for m in edges if m.startswith(ENGINE + ".") and ENGINE + ".evaluate" in edges[m]] == []
    # callers outside the engine get the rules loaded: they import the evaluator from evaluate.py, not the registry
    assert [m for m in edges if not m.startswith(ENGINE + ".") and ENGINE + ".registry" in edges[m]] == []


def test_every_rule_has_a_docstring():
    missing = sorted({f"{fn.__module__}.{fn.__qualname__}" for fn in RULES.values() if not (fn.__doc__ or "").strip()})
    assert missing == []
    assert RULES[nodes.Expect] is expectation.exact


# ------------------------------------------------ sampled against exact

TH = Str("theta")
s, a = StateVar("s"), ActionVar("a")
N = 20_000
Z_STRICT = 5.0  # two-sided false-alarm rate about 6e-7 per component under the normal approximation


def _f(*args):
    return nodes.FreeFn(Str("f"), *args)


CASES = {
    "tau ~ pi: the discounted return": nodes.Expect(Sum(gamma ** t * nodes.Rt(t), (t, 0, T - 1)), nodes.TrajDist(TH)),
    "tau ~ pi: score times return (a z per component of theta)":
        nodes.Expect(nodes.Grad(log(nodes.Pi(TH, nodes.At(0), nodes.St(0)))) * nodes.TrajReturn(), nodes.TrajDist(TH)),
    "a ~ pi(.|s): f(s, a) at every s": nodes.Expect(_f(s, a), nodes.PolicyDraw(a, TH, s)),
    "s ~ d^pi, a ~ pi(.|s): f(s, a)": nodes.Expect(_f(s, a), nodes.OccDraw(s, TH), nodes.PolicyDraw(a, TH, s)),
}


def _case(name):
    return CASES[name]


def _sampled_and_exact(expr, inst, seed: int, exact_policy: str = "theta"):
    """(samples[n, components], exact[components]) of one expectation on one instance."""
    (fenv, _), = list(base_envs(tables_for(inst, FLOAT), (expr, expr), ()))[:1]
    (eenv, _), = list(base_envs(tables_for(inst, EXACT), (expr, expr), ()))[:1]
    samples = expectation.sample(expr, fenv, N, np.random.default_rng(seed)).v
    exact = evaluate(expr, eenv.with_policy("theta", exact_policy)).v
    axes = tuple(x for x in samples.axes if x != "n")
    assert set(exact.axes) <= set(axes)
    x = np.asarray(samples.aligned(("n",) + axes), dtype=float).reshape(N, -1)
    shape = tuple(samples.size_of(x_) for x_ in axes)
    ref = np.broadcast_to(np.asarray(exact.aligned(axes), dtype=float), shape).reshape(-1)
    return x, ref


def _max_abs_z(x, ref) -> float:
    """max over components of |mean - exact| / (sd / sqrt(N)); a constant component (sd = 0) must match exactly."""
    mean, sd = x.mean(axis=0), x.std(axis=0, ddof=1)
    constant = sd <= 1e-12 * (1 + np.abs(mean))
    assert np.allclose(mean[constant], ref[constant], rtol=1e-9, atol=1e-9)
    assert (~constant).any()
    return float(np.max(np.abs(mean - ref)[~constant] / (sd[~constant] / np.sqrt(x.shape[0]))))


@pytest.mark.parametrize("name", sorted(CASES))
def test_sampling_path_agrees_with_exact_path(name):
    inst = random_instance(900_001, 3, 2, 3, "plain")
    x, ref = _sampled_and_exact(_case(name), inst, seed=7)
    assert _max_abs_z(x, ref) < Z_STRICT


def test_the_z_test_rejects_the_exact_value_under_another_policy():
    """The comparison has power: returns sampled under pi_theta against the exact return under pi' are rejected."""
    inst = random_instance(900_001, 3, 2, 3, "plain")
    x, ref = _sampled_and_exact(_case("tau ~ pi: the discounted return"), inst, seed=7, exact_policy="prime")
    assert _max_abs_z(x, ref) > Z_STRICT


def test_sampling_is_deterministic_under_a_seed():
    inst = random_instance(900_001, 3, 2, 3, "plain")
    expr = _case("s ~ d^pi, a ~ pi(.|s): f(s, a)")
    first, _ = _sampled_and_exact(expr, inst, seed=3)
    again, _ = _sampled_and_exact(expr, inst, seed=3)
    assert np.array_equal(first, again)


def test_a_conditional_expectation_is_not_sampled():
    inst = random_instance(900_001, 3, 2, 3, "plain")
    expr = nodes.Expect(nodes.Rt(t), nodes.TrajDist(TH), nodes.Given(nodes.St(t)))
    env = Env(tables_for(inst, FLOAT))
    with pytest.raises(expectation.NotSampled, match="conditional expectations (over a finite horizon )?are checked exactly"):
        expectation.sample(expr, env, 10, np.random.default_rng(0))
