"""Evaluation of the LLM papers' sums over response pairs (lang/objectives.PairSum; read_latex/notation_dpo.py).

``PairSum(w, X, u_w, u_l) = sum_{u_w, u_l} w(u_w, u_l) X(u_w, u_l)`` over the states of the token MDP, an entry of
weight 0 contributing 0 even where X has no value (``tensor.zero_where_impossible``, the rule every
expectation uses): the preference data set puts weight only on pairs of whole responses.
"""
from __future__ import annotations

from ..lang.objectives import Arbitrary, Named, OptTheta, PairSum
from . import tensor as tn
from .evaluate import Env, Unsupported, evaluate, rule, var_size
from .rules_operators import _sum_full, bind_fresh


@rule(PairSum)
def _pair_sum(e, env: Env):
    weight, body, u_w, u_l = e.args
    inner, ax_w = bind_fresh(u_w, env)
    inner, ax_l = bind_fresh(u_l, inner)
    w = evaluate(weight, inner)
    x = tn.zero_where_impossible(w.v, evaluate(body, inner))
    return _sum_full(tn.mul(w, x), [ax_w, ax_l], {ax_w: var_size(u_w, env), ax_l: var_size(u_l, env)}, env)


@rule(OptTheta)
def _opt_theta(e, env: Env):
    raise Unsupported(f"\\{e.kind}_\\theta: derive does not compute optima over theta; a step between two optima "
                      "of the same kind is judged by their objectives (check_statements/objectives.py)")


@rule(Named)
def _named(e, env: Env):
    raise Unsupported(f"{e.args[0].name} is a name the file gives an objective or loss where it defines it: derive "
                      "has no value for it (a definition, not a step to check); to use it later, define it with :=")


@rule(Arbitrary)
def _arbitrary(e, env: Env):
    return evaluate(e.value, env)
