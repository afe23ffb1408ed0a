r"""A free action inside an expectation over trajectories conditioned on one state: the action drawn there.

Sutton & Barto's exercises (3.18) and many notes write ``\mathbb{E}_\pi[q_\pi(s, a) \mid S_t = s]``: the lower-case
``a`` is not bound anywhere, and the expectation is over what \pi does from the state s at time t, so ``a`` is
the action taken there, ``A_t \sim \pi(\cdot|s)``:

    \mathbb{E}_\pi[q_\pi(s, a) \mid S_t = s]  ->  \mathbb{E}_{\tau \sim \pi}[q_\pi(s, a_t) \mid s_t = s]
                                              =  \sum_a \pi(a|s) q_\pi(s, a)

Read so only when the condition is exactly one state at one time (``S_t = s``, ``s_t = s``), the body has exactly
one free action, uses the conditioned state's value (s), and writes neither the action of that time (``A_t``,
``a_t``) nor a probability of the free action (``\pi(a|s)``: the author may mean a sum over a): otherwise (no
condition, two actions, a condition on an action) the refusal of notation_policies.free_action_in_trajectories
stands.
The reading is stated in ``read as``.
"""
from __future__ import annotations

from ..lang import nodes
from ..lang.symbols import ActionVar
from .notation_policies import free_action_in_trajectories
from .reading import note


def drawn_free_action(draws, given, body, sub):
    """The body with its free action read as the action at the conditioned state's time, or the refusal."""
    if len(draws) == 1 and isinstance(draws[0], nodes.TrajDist) and len(given) == 1 \
            and len(given[0].args) == 2 and isinstance(given[0].args[0], nodes.St):
        time = given[0].args[0].args[0]
        fixed = given[0].free_symbols
        free = [v for v in getattr(body, "free_symbols", ()) if isinstance(v, ActionVar) and v not in fixed]
        a = free[0] if len(free) == 1 else None
        if a is not None and not body.has(nodes.At(time)) and given[0].args[1] in body.free_symbols \
                and not any(a in p.free_symbols for p in body.atoms(nodes.Pi)):
            note(rf"{a.name} (a free action) inside \mathbb{{E}}_\pi[\cdot \mid S_t = s] is the action the policy "
                 rf"takes there, A_t \sim \pi(\cdot|s) (Sutton & Barto's notation): read as a_t")
            return body.xreplace({a: nodes.At(time)})
    free_action_in_trajectories(draws, given, body, sub)  # refused: a is not drawn
    return body


__all__ = ["drawn_free_action"]
