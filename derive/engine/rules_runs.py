"""The sum over a run of the trajectory's variables (lang/run_nodes.py): the counting measure on a finite MDP.

    sum_{s_{k0}, a_{k0}, ..., s_{k1}} f  =  sum over the values of those variables of f (each axis of the run summed;
    a variable f does not read counts |S| or |A| times, as for sum_tau)

helpingstar/Math-RL (eqs. 3.9, 4.3-4.5) integrates over slices of the trajectory, \\int_{\\tau_{x_0:u_t}} ...
d\\tau_{x_0:u_t}; read_latex/run_integrals.py reads them as this node.
"""
from __future__ import annotations

from ..lang.run_nodes import SumRun
from .axes import sum_full
from .registry import Env, Unsupported, eval_int, evaluate, rule
from .scope import EnumScope


@rule(SumRun)
def _sum_run(e, env: Env):
    """sum over the values of the run's variables (s_{k0} or a_{k0} .. s_{k1} or a_{k1}) of the trajectory in scope."""
    scope = env.traj
    if not isinstance(scope, EnumScope):
        raise Unsupported("a sum over some variables of a trajectory needs the trajectory's enumerated values "
                          "(finite horizon)")
    body, t0, a0, t1, a1 = e.args
    lo = 2 * eval_int(t0, env) + int(a0)
    hi = 2 * eval_int(t1, env) + int(a1)
    axes = []
    for pos in range(lo, hi + 1):
        u = pos // 2
        if pos % 2:
            scope.action(u)  # Undefined outside the trajectory
            axes.append(scope.action_axis(u))
        else:
            scope.state(u)
            axes.append(scope.state_axis(u))
    val = evaluate(body, env)
    return sum_full(val, axes, {a: scope.axis_size(a) for a in axes}, env)


__all__: list = []
