"""The evaluator's registry and dispatch: ``evaluate(expr, env)`` -> ``Val`` (a leaf: it imports no rule).

``evaluate`` dispatches on the node's class (its MRO) through ``RULES``, filled by ``@rule(NodeClass)``
in the rule modules; derive/engine/evaluate.py imports every rule module, so callers import
``evaluate`` from there.  The result is a dual ``Val`` over named axes: one axis per free variable,
``grad`` for gradient components, ``n`` for Monte Carlo samples.  Exact evaluation, the symbolic
method and the Monte Carlo sampler all go through it; only the field and the trajectory scope differ.

Two smaller registries serve the helpers here: ``INDEX_RULES`` (what index an argument such as
argmax_a f(a) stands for) and ``POLICY_SOURCES`` (policies derived from the instance, such as pi_*),
filled by derive/engine/evaluate.py from derive/engine/optimal.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from sympy import Add, Integer, Mul, Pow, Rational, Symbol, latex

from ..lang import nodes
from ..lang.registry import registrar
from ..lang.symbols import T as HORIZON, ActionVar, PointVar, StateVar
from .tables import Tables
from .tensor import Ten, Val


class Unsupported(Exception):
    """The expression lies outside what the evaluator can compute (the message says why)."""


RULES: dict = {}
rule = registrar(RULES)  # @rule(nodes.Pi, ...): the evaluation rule of a node class (derive/lang/registry.py)
INDEX_RULES: dict = {}  # node class -> fn(arg, env) -> Ten: an argument that stands for an index (argmax_a f(a))
POLICY_SOURCES: dict = {}  # policy name -> fn(env, name) -> probabilities[s, a]: policies derived from the instance


@dataclass(frozen=True)
class Env:
    tables: Tables
    ints: dict = field(default_factory=dict)
    vars: dict = field(default_factory=dict)
    traj: object = None
    track: bool = False
    policy_map: tuple = ()
    params: tuple = ()  # parameter overrides from an evaluation bar: ((symbol, value), ...)
    depth: int = 0

    def with_(self, **kw) -> "Env":
        return replace(self, **kw)

    def bind_int(self, sym, value: int) -> "Env":
        return replace(self, ints={**self.ints, sym: value})

    def bind_var(self, key, index: Ten) -> "Env":
        return replace(self, vars={**self.vars, key: index})

    def with_policy(self, name: str, source: str) -> "Env":
        """The evaluation bar |_{name = source}: policy ``name`` takes the probabilities of ``source``."""
        mapping = dict(self.policy_map)
        mapping[name] = mapping.get(source, source)
        return replace(self, policy_map=tuple(sorted(mapping.items())))

    @property
    def field(self):
        return self.tables.field

    @property
    def horizon(self):
        return self.tables.inst.horizon


def evaluate(expr, env: Env) -> Val:
    for cls in type(expr).__mro__:
        fn = RULES.get(cls)
        if fn is not None:
            return fn(expr, env)
    raise Unsupported(f"derive cannot evaluate {latex(expr)}")


# ------------------------------------------------------------ integers


def eval_int(expr, env: Env) -> int:
    """An integer-valued expression (time index, sum bound) as a Python int."""
    if isinstance(expr, int):
        return expr
    if isinstance(expr, Integer):
        return int(expr)
    if isinstance(expr, Symbol):
        if expr in env.ints:
            return env.ints[expr]
        if expr == HORIZON:
            if env.horizon is None:
                raise Unsupported("T appears, but the setting has an infinite horizon (discounted or episodic)")
            return env.horizon
        raise Unsupported(f"the integer {expr} is not bound")
    if isinstance(expr, Add):
        return sum(eval_int(a, env) for a in expr.args)
    if isinstance(expr, Mul):
        out = 1
        for a in expr.args:
            out *= eval_int(a, env)
        return out
    if isinstance(expr, Rational) and expr.q == 1:
        return int(expr.p)
    if isinstance(expr, Pow) and isinstance(expr.exp, Integer) and expr.exp >= 0:
        return eval_int(expr.base, env) ** int(expr.exp)
    raise Unsupported(f"{latex(expr)} is not an integer expression")


def is_integer_expr(expr) -> bool:
    return all(getattr(s, "is_integer", False) for s in expr.free_symbols) and not any(
        isinstance(x, nodes.Node) for x in preorder(expr)
    )


def preorder(expr):
    stack = [expr]
    while stack:
        e = stack.pop()
        yield e
        stack.extend(e.args)


# ------------------------------------------------------------- indices

VAR_KEY_STATE = "s"
VAR_KEY_ACTION = "a"


def var_key(var, env: Env):
    """The binding key of a variable: the symbol itself, or ('s', t) / ('a', t) for s_t, a_t."""
    if isinstance(var, nodes.St):
        return (VAR_KEY_STATE, eval_int(var.args[0], env))
    if isinstance(var, nodes.At):
        return (VAR_KEY_ACTION, eval_int(var.args[0], env))
    return var


def var_size(var, env: Env) -> int:
    tb = env.tables
    if isinstance(var, (StateVar, nodes.St)):
        return tb.n_states
    if isinstance(var, (ActionVar, nodes.At)):
        return tb.n_actions
    if isinstance(var, PointVar):
        return len(tb.inst.points)
    raise Unsupported(f"{latex(var)} is not a variable over states, actions or points")


def index_of(arg, env: Env) -> Ten:
    """The integer index tensor a state/action/point argument stands for."""
    key = var_key(arg, env)
    if key in env.vars:
        return env.vars[key]
    if isinstance(arg, (nodes.St, nodes.At)):
        if env.traj is None:
            raise Unsupported(f"{latex(arg)} is used where no trajectory is in scope")
        u = key[1]
        return env.traj.state(u) if isinstance(arg, nodes.St) else env.traj.action(u)
    if isinstance(arg, Integer):
        return Ten((), np.array(int(arg)))
    for cls in type(arg).__mro__:  # argmax_a f(a) stands for an action (derive/engine/optimal.py)
        fn = INDEX_RULES.get(cls)
        if fn is not None:
            return fn(arg, env)
    raise Unsupported(f"the variable {latex(arg)} is not bound (no sum, expectation or free variable binds it)")


def is_final_state(arg, env: Env) -> bool:
    return isinstance(arg, nodes.St) and env.horizon is not None and eval_int(arg.args[0], env) == env.horizon


# -------------------------------------------------------------- policies


def policy_arrays(env: Env, name: str):
    """(probabilities[s, a], score[s, a, grad] or None) of a named policy in this env."""
    src = dict(env.policy_map).get(name, name)
    tb = env.tables
    if src not in tb.pi:
        if src not in POLICY_SOURCES:  # pi_*, pi_greedy (derive/engine/optimal.py)
            raise Unsupported(f"unknown policy {src}")
        return POLICY_SOURCES[src](env, src), None, src
    probs = tb.pi[src]
    if name != "theta" or not env.track:
        return probs, None, src
    key = ("score", src)
    if key not in tb.memo:
        tb.memo[key] = tb.score_table(probs)
    return probs, tb.memo[key], src


def const(env: Env, x) -> Val:
    return Val(Ten.scalar(env.field.const(x), env.field.dtype))
