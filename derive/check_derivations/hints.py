"""Hints for a failing step: the nearby conventions its author may have meant.

A step that fails (or that is unknown because a sum runs past the trajectory) is judged again,
exactly and only exactly, under each convention of ``NEARBY`` that differs from the file's and
that the step can depend on:

==================  ==========================================================================
gamma = 1           undiscounted, as in Spinning Up (front matter ``gamma: 1``)
delta: V            ``\\delta_t``, ``\\hat{A}_t``, ``G^\\lambda_t`` with the file's own V
horizon: last-index the written T is the last index, t = 0..T (Spinning Up, the HF course)
reward-index: t+1   ``r_{t+1}`` follows ``a_t`` (Sutton & Barto 2018, sec. 3.1)
values: true        a bare ``V(s)``, ``Q(s,a)`` is the value ``V^\\pi``, ``Q^\\pi`` of the policy (not a free function)
ratio inverted      ``r_t(\\theta) = \\pi_{old}(a_t|s_t) / \\pi_\\theta(a_t|s_t)`` (the inverse of PPO's, Schulman et al. 2017, sec. 3)
start: fixed        every episode starts in one non-random state s_0 (Sutton & Barto 2018, sec. 13.2)
==================  ==========================================================================

Each convention under which the step holds gives a hint "holds if ...".  A hint never changes
the verdict.  The extra work is bounded: at most ``MAX_TRIES`` re-judgements per step, each one
exact evaluation that stops at the first counterexample (no SymPy, no shrinking), and the caller
hints at most ``MAX_HINTED_STEPS`` steps per file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..read_latex import LatexError, parse_math
from ..check_statements.exact import check_exact
from ..check_statements.result import HOLDS
from ..setting import Setting

MAX_TRIES = 6
MAX_HINTED_STEPS = 5
PAST_THE_TRAJECTORY = "outside the trajectory"

_T = re.compile(r"(?<![A-Za-z\\])[TH](?![A-Za-z])")
_REWARD = re.compile(r"(?<![A-Za-z\\])r\s*_")
_FROM_1 = re.compile(r"\\(?:sum|prod)\s*_\s*\{\s*t\s*=\s*1\s*\}|(?<![A-Za-z\\])[sSaA]\s*_\s*(?:1|\{\s*1\s*\})(?![0-9])")
_RATIO = re.compile(r"(?<![A-Za-z\\])r\s*_\s*(?:\{[^{}]*\}|\w)\s*(?:\\left)?\s*\(\s*\\theta\s*(?:\\right)?\s*\)")
_DELTA = re.compile(r"\\delta|\\(?:wide)?hat\s*\{?\s*A|\\lambda")
_S0 = re.compile(r"(?<![A-Za-z\\])[sS]\s*_\s*\{?\s*0(?![0-9])")
_BARE_VQ = re.compile(r"(?<![A-Za-z\\_^{])[VQ]\s*(?:\\left\s*)?\(")


@dataclass(frozen=True)
class Nearby:
    name: str
    text: str
    options: tuple = ()  # parse options to change: ((key, value), ...)
    setting_change: tuple = ()  # Setting fields to change: (("gamma", 1),), (("start", "fixed"),)
    applies: object = None  # fn(tex, options, setting: Setting) -> bool
    past_end: bool = False  # also tried when a sum runs past the trajectory


NEARBY = (
    Nearby("gamma=1", "holds if gamma = 1 (undiscounted, as in Spinning Up): add front matter gamma: 1",
           setting_change=(("gamma", 1),),
           applies=lambda tex, o, setting: setting.gamma is None and setting.horizon == "finite"),
    Nearby("delta=V", "holds if \\delta_t and \\hat{A}_t use your own V(s): add front matter delta: V",
           options=(("delta", "V"),),
           applies=lambda tex, o, setting: o.get("delta") != "V" and bool(_DELTA.search(tex))),
    Nearby("values=true", "holds if V means V^pi (and Q means Q^pi), the values of the policy: add front matter "
           "values: true", options=(("values", "true"),),
           applies=lambda tex, o, setting: o.get("values") != "true" and bool(_BARE_VQ.search(tex))),
    Nearby("horizon=last-index", "holds if T is the last index (t = 0..T, as in Spinning Up and the Hugging Face "
           "course): add front matter horizon: last-index", options=(("horizon", "last-index"),),
           applies=lambda tex, o, setting: o.get("horizon") != "last-index" and bool(_T.search(tex)),
           past_end=True),
    Nearby("horizon=from-1", "holds if time starts at 1 (t = 1..T, s_1 the first state, as in CS285): add front "
           "matter horizon: from-1", options=(("horizon", "from-1"),),
           applies=lambda tex, o, setting: o.get("horizon") is None and bool(_FROM_1.search(tex)), past_end=True),
    Nearby("reward-index=t+1", "holds if the reward r_{t+1} follows the action a_t (Sutton & Barto): add front "
           "matter reward-index: t+1", options=(("reward-index", "t+1"),),
           applies=lambda tex, o, setting: o.get("reward-index") != "t+1" and bool(_REWARD.search(tex)),
           past_end=True),
    Nearby("ratio-inverted", "holds if the ratio is inverted, r_t(\\theta) = \\pi_{\\theta_{old}}(a_t|s_t) / "
           "\\pi_\\theta(a_t|s_t): PPO's ratio (Schulman et al. 2017, sec. 3, before eq. 6) is \\pi_\\theta / \\pi_{\\theta_{old}}",
           options=(("ratio", "inverted"),),
           applies=lambda tex, o, setting: bool(_RATIO.search(tex))),
    Nearby("start=fixed", "holds if the start state is fixed (S&B 13.2: every episode starts in one non-random "
           "state s_0): add front matter start: fixed", setting_change=(("start", "fixed"),),
           applies=lambda tex, o, setting: setting.start == "random" and setting.family == "random"
           and bool(_S0.search(tex))),
)


def wanted(rec: dict) -> bool:
    """Whether a judged step gets hints: it fails, or a sum in it runs past the trajectory."""
    return rec.get("verdict") == "fails" or (rec.get("verdict") == "unknown"
                                             and PAST_THE_TRAJECTORY in (rec.get("reason") or ""))


def _sides(step, options: dict):
    lhs = parse_math(step.lhs_tex, options=options)
    rhs = parse_math(step.rhs_tex, options=options)
    if step.relation == "<=":
        return rhs, lhs, ">="
    return lhs, rhs, step.relation


def hints_for(step, rec: dict, setting, seed: int = 0) -> list:
    """The "holds if ..." hints of a failing step judged in ``setting`` (a Setting or its text).

    Never changes ``rec``."""
    if not wanted(rec) or step.error is not None or step.relation not in ("=", ">=", "<="):
        return []  # \approx, \propto steps get no hints (check_derivations/approx.py)
    base = dict(getattr(step, "options", None) or {})
    tex = f"{step.lhs_tex} {step.rhs_tex}"
    past_end = rec.get("verdict") == "unknown"
    given = Setting.of(setting)
    out, tries = [], 0
    for alt in NEARBY:
        if past_end and not alt.past_end:
            continue
        if not alt.applies(tex, base, given):
            continue
        tries += 1
        if tries > MAX_TRIES:
            break
        if alt.options:
            try:
                lhs, rhs, relation = _sides(step, {**base, **dict(alt.options), "notes": []})
            except LatexError:
                continue
        else:
            lhs, rhs, relation = (step.rhs, step.lhs, ">=") if step.relation == "<=" else \
                (step.lhs, step.rhs, step.relation)
        try:
            where = str(given.with_(**dict(alt.setting_change)))
        except ValueError:  # a combination derive cannot evaluate (setting.py): no hint
            continue
        if check_exact(lhs, rhs, where, relation, seed=seed).status == HOLDS:
            out.append(alt.text)
    return out


__all__ = ["hints_for", "wanted", "NEARBY", "MAX_HINTED_STEPS"]
