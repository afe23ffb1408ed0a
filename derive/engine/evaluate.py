"""The one evaluator: an expression of derive's language, an instance, a field -> a value.

``evaluate(expr, env)`` dispatches on the node's class through the registry of
derive/engine/registry.py (``@rule(NodeClass)``).  This module is the one place
that loads every rule module, so importing ``evaluate`` from here gives an
evaluator that knows every rule; rule modules import the registry, never this
module.  The rules:

- rules_algebra: numbers, symbols, +, *, powers, log, exp, |x|, max/min, finite sums and products;
- rules_mdp: pi, P, rho_0, r, V, Q, A, delta, d^pi, J, the trajectory's s_t, a_t, r_t;
- rules_operators: nabla_theta, <u, v>, evaluation bars, sum_s, max_a, sum_tau;
- expectation: E_{x ~ p}[f], exactly (enumeration) and by sampling, side by side;
- infinite, resolvent, infinite_sampling: infinite discounted trajectories (series, resolvent, truncation);
- optimal: V*, Q*, A*, argmax, pi_*, pi_greedy;
- rules_llm: sums over response pairs, optima over theta;
- second_order: nabla^2_theta (exact Hessians), u v^T, M v, M^dagger, M^{-1} (matrices over theta).

The result is a dual ``Val`` over named axes: one axis per free variable,
``grad`` for gradient components, ``n`` for Monte Carlo samples.  Exact evaluation,
the symbolic method and the Monte Carlo sampler all go through this function; only
the field and the trajectory scope differ.
"""
from __future__ import annotations

from ..lang.optimal import ArgMax
from .registry import (  # noqa: F401  (re-exported: callers import the evaluator from here)
    INDEX_RULES, POLICY_SOURCES, RULES, Env, Unsupported, const, eval_int, evaluate, index_of, is_final_state,
    is_integer_expr, policy_arrays, preorder, rule, var_key, var_size)

# the rule modules, in registration order (infinite replaces the finite Sum rule of rules_algebra by one that
# also takes infinite series, so rules_algebra comes first)
from . import rules_algebra, rules_mdp, rules_operators  # noqa: E402,F401
from . import expectation, infinite, infinite_sampling, infinite_visits, resolvent  # noqa: E402,F401
from . import optimal  # noqa: E402,F401
from . import rules_llm  # noqa: E402,F401
from . import rules_runs  # noqa: E402,F401  (sums over a run of the trajectory's variables, R11)
from . import second_order  # noqa: E402,F401  (after rules_algebra: replaces its Mul and Pow rules)

INDEX_RULES[ArgMax] = optimal.argmax_index  # argmax_a f(a) stands for an action
for _name in optimal.DERIVED_POLICIES:  # pi_*, pi_greedy: policies derived from the instance
    POLICY_SOURCES[_name] = optimal.derived_policy

__all__ = ["Env", "Unsupported", "evaluate", "rule", "RULES", "eval_int", "index_of", "policy_arrays", "preorder",
           "var_key", "var_size", "const"]
