"""Evaluation of the LLM papers' sums over response pairs (lang/objectives.PairSum; read_latex/notation_dpo.py).

``PairSum(w, X, u_w, u_l) = sum_{u_w, u_l} w(u_w, u_l) X(u_w, u_l)`` over the states of the token MDP, an entry of
weight 0 contributing 0 even where X has no value (``tensor.zero_where_impossible``, the rule every
expectation uses): the preference data set puts weight only on pairs of whole responses.
"""
from __future__ import annotations

from ..lang.objectives import Arbitrary, Named, OptTheta, PairSum
from . import tensor as tn
from .registry import Env, Unsupported, evaluate, rule, var_size
from .axes import bind_fresh, sum_full


@rule(PairSum)
def _pair_sum(e, env: Env):
    """sum_{u_w, u_l} w(u_w, u_l) X(u_w, u_l) over pairs of token-MDP states; a pair of weight 0 contributes 0."""
    weight, body, u_w, u_l = e.args
    inner, ax_w = bind_fresh(u_w, env)
    inner, ax_l = bind_fresh(u_l, inner)
    w = evaluate(weight, inner)
    x = tn.zero_where_impossible(w.v, evaluate(body, inner))
    return sum_full(tn.mul(w, x), [ax_w, ax_l], {ax_w: var_size(u_w, env), ax_l: var_size(u_l, env)}, env)


@rule(OptTheta)
def _opt_theta(e, env: Env):
    """max_theta F, min_theta F: no value (refused); steps between optima are judged by their objectives."""
    raise Unsupported(f"\\{e.kind}_\\theta: derive does not compute optima over theta; a step between two optima "
                      "of the same kind is judged by their objectives (check_statements/objectives.py)")


@rule(Named)
def _named(e, env: Env):
    """A named objective (L_DPO(pi_theta; pi_ref), J_GRPO(theta)): no value (refused), it is a definition."""
    raise Unsupported(f"{e.args[0].name} is a name the file gives an objective or loss where it defines it: derive "
                      "has no value for it (a definition, not a step to check); to use it later, define it with :=")


@rule(Arbitrary)
def _arbitrary(e, env: Env):
    """A quantity used without definition: the arbitrary function it is read as (e.g. Z(x) = e^{g(s_0)})."""
    return evaluate(e.value, env)
