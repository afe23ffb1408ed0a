"""Shrinking a counterexample: simpler MDPs on which a step still fails.

Starting from the failing instance, each simplification in ``SIMPLIFICATIONS``
proposes candidate instances (fewer states, actions or time steps; a reward
set to 0; gamma set to 0, 1/2 or 1; a deterministic transition row or initial
state; a uniform policy; lambda set to 0 or 1).  A candidate is kept only if
the step still fails on it, re-checked in exact arithmetic by
``check_on_instance``, so the shrunk counterexample is as certain as the
first one.  Values only move towards simpler ones (gamma 0, 1, 1/2 in that
order), so the passes cannot cycle; they repeat until nothing changes or
``max_checks`` candidates were tried, which keeps the result deterministic.
"""
from __future__ import annotations

import copy
import dataclasses
import time
from fractions import Fraction as F

from ..check_statements.exact import check_on_instance

SIMPLIFICATIONS: list = []  # functions inst -> iterable of (description, candidate instance)


def simplification(fn):
    SIMPLIFICATIONS.append(fn)
    return fn


def _clone(inst, **changes):
    """A fresh instance (empty caches, copied tables) with some fields changed."""
    fields = {f.name: copy.deepcopy(getattr(inst, f.name)) for f in dataclasses.fields(inst)
              if f.name not in ("cache", "free_functions", "free_dists")}
    fields.update(changes)
    fields["cache"] = {}
    fields["free_functions"] = {}
    fields["free_dists"] = {}
    new = type(inst)(**fields)
    new.label = label(new)
    return new


def label(inst) -> str:
    h = f"T = {inst.horizon}" if inst.horizon is not None else "discounted"

    def n(k, word):
        return f"{k} {word}" + ("" if k == 1 else "s")

    fixed = " (fixed)" if "(fixed)" in inst.label else ""
    return f"{n(inst.n_states, 'state')}, {n(inst.n_actions, 'action')}, {h}, gamma = {inst.gamma}{fixed}"


def _normalise(row):
    total = sum(row)
    if total == 0:
        return [F(int(i == 0)) for i in range(len(row))]
    return [x / total for x in row]


@simplification
def fewer_steps(inst):
    if inst.horizon is not None and inst.horizon > 1:
        yield "horizon", _clone(inst, horizon=inst.horizon - 1)


@simplification
def fewer_actions(inst):
    if inst.n_actions > 1:
        na = inst.n_actions - 1
        yield "actions", _clone(
            inst, n_actions=na,
            P=[row[:na] for row in inst.P], R=[row[:na] for row in inst.R],
            policies={k: [_normalise(p[:na]) for p in v] for k, v in inst.policies.items()})


@simplification
def fewer_states(inst):
    if inst.n_states > 1:
        ns = inst.n_states - 1
        yield "states", _clone(
            inst, n_states=ns, rho0=_normalise(inst.rho0[:ns]),
            P=[[_normalise(inst.P[s][a][:ns]) for a in range(inst.n_actions)] for s in range(ns)],
            R=[[inst.R[s][a][:ns] for a in range(inst.n_actions)] for s in range(ns)],
            policies={k: v[:ns] for k, v in inst.policies.items()})


def _simpler(current, preferred):
    """The preferred values ranked before ``current`` (so no pass can undo another)."""
    rank = preferred.index(current) if current in preferred else len(preferred)
    return preferred[:rank]


@simplification
def simple_gamma(inst):
    if "(fixed)" in inst.label:  # the derivation fixed gamma (front matter): keep it
        return
    preferred = [F(0), F(1), F(1, 2)] if inst.horizon is not None else [F(0), F(1, 2)]
    for g in _simpler(inst.gamma, preferred):
        yield f"gamma = {g}", _clone(inst, gamma=g)


@simplification
def zero_rewards(inst):
    if getattr(inst, "state_rewards", False):  # reward: state (TRPO's r(s)): zero r(s) for every (a, s') at once
        for s in range(inst.n_states):
            if inst.R[s][0][0] != 0:
                R = copy.deepcopy(inst.R)
                R[s] = [[F(0)] * inst.n_states for _ in range(inst.n_actions)]
                yield f"r({s}) = 0", _clone(inst, R=R)
        return
    if getattr(inst, "state_action_rewards", False):  # reward: state-action: zero r(s, a) for every s' at once
        for s in range(inst.n_states):
            for a in range(inst.n_actions):
                if inst.R[s][a][0] != 0:
                    R = copy.deepcopy(inst.R)
                    R[s][a] = [F(0)] * inst.n_states
                    yield f"r({s}, {a}) = 0", _clone(inst, R=R)
        return
    for s in range(inst.n_states):
        for a in range(inst.n_actions):
            for s2 in range(inst.n_states):
                if inst.R[s][a][s2] != 0:
                    R = copy.deepcopy(inst.R)
                    R[s][a][s2] = F(0)
                    yield f"R[{s}][{a}][{s2}] = 0", _clone(inst, R=R)


@simplification
def deterministic_start(inst):
    if max(inst.rho0) != 1:
        best = inst.rho0.index(max(inst.rho0))
        yield "rho0 deterministic", _clone(inst, rho0=[F(int(i == best)) for i in range(inst.n_states)])


@simplification
def deterministic_transitions(inst):
    for s in range(inst.n_states):
        for a in range(inst.n_actions):
            row = inst.P[s][a]
            if max(row) != 1:
                P = copy.deepcopy(inst.P)
                best = row.index(max(row))
                P[s][a] = [F(int(i == best)) for i in range(inst.n_states)]
                yield f"P[{s}][{a}] deterministic", _clone(inst, P=P)


@simplification
def uniform_policies(inst):
    for name, table in inst.policies.items():
        uniform = [[F(1, inst.n_actions)] * inst.n_actions for _ in range(inst.n_states)]
        if table != uniform:
            yield f"pi_{name} uniform", _clone(inst, policies={**inst.policies, name: uniform})


@simplification
def simple_lambda(inst):
    if "lambda" not in inst.params:
        return
    for value in _simpler(inst.params["lambda"], [F(0), F(1), F(1, 2)]):
        yield f"lambda = {value}", _clone(inst, params={**inst.params, "lambda": value})


def _fails(lhs, rhs, inst, relation, ranges):
    try:
        res = check_on_instance(lhs, rhs, inst, relation, ranges)
    except Exception:  # a simplification the evaluator rejects is simply not taken
        return None
    return res if res["status"] == "fails" else None


def shrink(lhs, rhs, inst, relation: str = "=", ranges=(), max_checks: int = 400, budget: float = 20.0):
    """(smallest failing instance, its check_on_instance result, simplifications applied).

    At most ``max_checks`` candidates are checked (deterministic); ``budget``
    seconds is only a safety net for very slow statements.
    """
    best = _fails(lhs, rhs, inst, relation, ranges)
    if best is None:
        return inst, None, []
    if getattr(inst, "episodic", False):  # derive/episodic.py: its rows sum to 1 - q(s,a); simplifications would break that
        return inst, best, []
    applied = []
    deadline = time.monotonic() + budget
    checks = [0]

    def out_of_budget():
        return checks[0] >= max_checks or time.monotonic() >= deadline

    for _ in range(8):
        changed = False
        for simplify in SIMPLIFICATIONS:
            progress = True
            while progress and not out_of_budget():
                progress = False
                for what, cand in simplify(inst):
                    if out_of_budget():
                        break
                    checks[0] += 1
                    res = _fails(lhs, rhs, cand, relation, ranges)
                    if res is not None:
                        inst, best, progress, changed = cand, res, True, True
                        applied.append(what)
                        break
        if not changed or out_of_budget():
            break
    return inst, best, applied
