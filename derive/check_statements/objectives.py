"""Steps between two optima over theta, ``\\max_\\theta F = \\max_\\theta G`` (lang/objectives.py).

Judged exactly as ``F = G`` for every theta, on derive's instances (a sufficient condition: equal
objectives have equal optima).  ``F = G`` holding is reported as "holds"; ``F != G`` is reported as
unknown ("the objectives differ, their optima may still agree"), never as a failure; a max on one side
and a min on the other, or an optimum next to other terms, is unknown (not attempted).

The same sufficient judgement serves quantities the file leaves open (``lang/objectives.Arbitrary``): DPO's
``Z(x)`` used without a definition, and ``\\pi^*`` next to another reward than r^*: a step that holds for every
value of them holds (so for the author's), one that fails for some value is unknown, never a failure.
"""
from __future__ import annotations

from ..lang.objectives import Arbitrary, OptTheta
from .result import FAILS, HOLDS


def _optima(e) -> list:
    return [x for x in e.atoms(OptTheta)] if hasattr(e, "atoms") else []


def _arbitrary(e) -> list:
    return [x for x in e.atoms(Arbitrary)] if hasattr(e, "atoms") else []


def uses_optima(lhs, rhs) -> bool:
    """An optimum over theta, or an undefined quantity read as an arbitrary function (lang/objectives.py)."""
    return bool(_optima(lhs) or _optima(rhs) or _arbitrary(lhs) or _arbitrary(rhs))


def _objective(side, tex: str):
    """The optimum when the side as written starts with \\max_\\theta / \\min_\\theta: the side itself, or a sum
    with exactly one optimum (\\max_\\theta binds the rest of its product, the author means the whole side: the
    objective is the side with the optimum replaced by its body, said in the reason), else None."""
    import re

    if not re.match(r"\s*\\(?:max|min)(?![A-Za-z])", tex or ""):
        return None
    if isinstance(side, OptTheta):
        return side
    from sympy import Add

    opts = _optima(side)
    if isinstance(side, Add) and len(opts) == 1 and opts[0] in side.args:
        return OptTheta(side.xreplace({opts[0]: opts[0].objective}), opts[0].args[1])
    return None


# DPO's pi^*(y|x) (the optimum for the latent reward r^*) and p^*(y_1 \succ y_2|x) (Bradley-Terry on r^*)
OPTIMUM_LABEL = (r"\pi^*", "p^*")


def _other_reward(e) -> bool:
    """A reward other than the latent r^*: r(x, y) = R(tau), a learned r_phi, or an undefined Z(x)."""
    from ..lang import nodes

    for x in e.atoms(nodes.TrajReturn, nodes.FreeFn, Arbitrary) if hasattr(e, "atoms") else ():
        if isinstance(x, nodes.TrajReturn) or (isinstance(x, nodes.FreeFn) and x.args[0].name.startswith(("r_", "R_"))) \
                or (isinstance(x, Arbitrary) and not x.args[1].name.startswith(OPTIMUM_LABEL)):
            return True
    return False


def settle_optima(step):
    """The step with pi^* written out when nothing else in it is a reward: pi^* is then exactly the optimum for
    the latent r^* (a reward of its own, as in DPO eq. 6).  Next to another reward (r, r_phi, Z(x)), the author's
    pi^* may be that reward's optimum, so pi^* stays arbitrary: only what holds for every r^* is decided."""
    import dataclasses

    found = _arbitrary(step.lhs) + _arbitrary(step.rhs)
    if not found or any(not a.args[1].name.startswith(OPTIMUM_LABEL) for a in found) \
            or _other_reward(step.lhs) or _other_reward(step.rhs):
        return step
    values = {a: a.value for a in found}
    return dataclasses.replace(step, lhs=step.lhs.xreplace(values), rhs=step.rhs.xreplace(values))


def judge_optima(rec: dict, step, setting: str, seed: int) -> dict:
    """The record of a step with an optimum over theta on a side (see the module docstring), ``settle_optima``
    already applied by the caller (check_derivations/judge.py: a step left with no optimum is judged as usual)."""
    if not (_optima(step.lhs) or _optima(step.rhs)):  # an arbitrary function only: sufficient, as below
        return _judge_sufficient(rec, step.lhs, step.rhs, step.relation, setting, seed, _arbitrary_why(step))
    lhs, rhs = _objective(step.lhs, step.lhs_tex), _objective(step.rhs, step.rhs_tex)
    if lhs is None or rhs is None or step.relation != "=":
        rec.update(verdict="unknown", reason="not attempted: an optimum over theta (\\max_\\theta, \\min_\\theta) is "
                   "compared only with another optimum of the same kind (derive does not compute optima over theta)")
        return rec
    if lhs.kind != rhs.kind:
        rec.update(verdict="unknown", reason=f"not attempted: \\{lhs.kind}_\\theta on one side and \\{rhs.kind}_\\theta "
                   "on the other: the same optimiser may solve both, but the optimal values differ in general; "
                   "derive does not compute optima over theta")
        return rec
    if _arbitrary(lhs) or _arbitrary(rhs):
        rec.update(verdict="unknown", reason="not attempted: optima over theta next to a quantity the file does not "
                   "define (" + _arbitrary_why(step) + ")")
        return rec
    kind = lhs.kind
    return _sufficient(rec, lhs.objective, rhs.objective, "=", setting, seed,
                       holds=lambda detail: f"exact: the two objectives agree for every theta, so their "
                                            f"{kind}ima agree ({detail})",
                       fails=lambda where: f"not decided: the two objectives differ ({where}), but their {kind}ima "
                                           "over theta may still agree; derive does not compute optima over theta")


def _arbitrary_why(step) -> str:
    names = sorted({x.args[1].name for e in (step.lhs, step.rhs) for x in _arbitrary(e)})
    undefined = [n for n in names if not n.startswith(OPTIMUM_LABEL)]
    optima = [n for n in names if n.startswith(OPTIMUM_LABEL)]
    parts = []
    if undefined:
        parts.append(", ".join(undefined) + " not bound by a definition before this step: read as an arbitrary "
                     "positive function")
    if optima:
        parts.append(", ".join(optima) + " next to another reward: read with an arbitrary latent reward r^* (the "
                     "author's may be that other reward)")
    return "; ".join(parts)


def _judge_sufficient(rec, lhs, rhs, relation, setting, seed, why: str) -> dict:
    """Holds when the step holds for every value of the arbitrary functions; a failure is not decided."""
    return _sufficient(rec, lhs, rhs, relation, setting, seed,
                       holds=lambda detail: f"exact: holds for every value of what the step leaves open ({why}), "
                                            f"so for the author's ({detail})",
                       fails=lambda where: f"not decided: the step depends on {why}; with one such function it "
                                           f"fails ({where}), the author's may differ")


def _sufficient(rec, lhs, rhs, relation, setting, seed, holds, fails) -> dict:
    """A sufficient condition checked exactly: its holding decides the step (``holds(detail)`` says why); its
    failure does not (``fails(where)``: the step stays unknown)."""
    from .exact import check_exact

    result = check_exact(lhs, rhs, setting, relation, seed=seed)
    if result.status == HOLDS:
        rec.update(verdict="holds", reason=holds(result.detail))
    elif result.status == FAILS:
        ce = result.data["counterexample"]
        rec.update(verdict="unknown", reason=fails(f"on {ce['mdp']['label']}: {ce['lhs']} vs {ce['rhs']}"))
    else:
        rec.update(verdict="unknown", reason=f"not attempted: {result.detail}")
    return rec


__all__ = ["judge_optima", "settle_optima", "uses_optima"]
