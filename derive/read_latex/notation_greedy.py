"""The greedy policy as textbooks define it: ``\\pi'(s) \\doteq \\arg\\max_a q_\\pi(s, a)``.

Sutton & Barto (2018) eq. 4.9 and David Silver's lecture 3 (2015, "Policy Improvement") define the improved
policy as a deterministic function of the state, greedy with respect to ``q_\\pi``, and then write it as an
action, ``q_\\pi(s, \\pi'(s))`` (eqs. 4.7-4.8), and as a policy, ``v_{\\pi'}(s)``.

=============================================  ====================================================
written (in a file that defines ``\\pi'``)      read as
=============================================  ====================================================
``\\pi'(s) \\doteq \\arg\\max_a q_\\pi(s,a)``         (also ``:=``, ``=``; ``Q^\\pi``, ``Q_\\pi``, ``\\arg\\max_{a \\in
                                               \\mathcal{A}}``): the file's ``\\pi'`` is the greedy policy
``\\pi'(s)`` (one state argument)              ``\\arg\\max_a Q^{\\pi_\\theta}(s, a)``, an action
``v_{\\pi'}(s)``, ``q_{\\pi'}``, ``\\pi'(a|s)``       derive's greedy policy w.r.t. ``Q^{\\pi_\\theta}`` (``\\pi_{greedy}``)
=============================================  ====================================================

Ties: ``\\arg\\max`` is the smallest-index maximiser and derive's greedy policy splits ties evenly over
the maximisers; both are greedy w.r.t. ``q_\\pi``, so every statement that holds for every greedy policy
(eqs. 4.7-4.8) is judged the same way (said in ``read as``).  Where no such definition is written, ``\\pi'``
stays an arbitrary second policy.
"""
from __future__ import annotations

import re

from sympy.core.symbol import Str

from ..lang import nodes
from ..lang.symbols import ActionVar
from .interpret import Ctx, Head, arguments
from .reading import current, note
from .registry import HEADS, head
from .roles import value_in_role
from .syntax import raw, single

_ORIGINAL = HEADS[r"\pi"]
_ARGMAX = r"(?:\\arg\s*\\max|\\operatorname\*?\s*\{\s*arg\s*(?:\\,)?\s*max\s*\}|\\mathrm\s*\{\s*arg\s*max\s*\}|\\argmax)"
_Q_PI = (r"(?:q\s*_\s*(?:\{\s*\\pi\s*\}|\\pi)|Q\s*(?:\^|_)\s*(?:\{\s*\\pi\s*\}|\\pi))(?![A-Za-z_'])"
         r"\s*(?:\\left\s*)?\(\s*s\s*,\s*a\s*(?:\\right\s*)?\)")
# \pi'(s) \doteq \arg\max_a q_\pi(s, a)  (S&B eq. 4.9; Silver lecture 3)
_GREEDY_PRIME = re.compile(r"\\pi\s*'\s*(?:\\left\s*)?\(\s*s\s*(?:\\right\s*)?\)\s*&?\s*(?::=|\\doteq|\\coloneqq|=|\\triangleq)"
                           r"\s*&?\s*" + _ARGMAX + r"\s*_\s*(?:\{\s*a\s*(?:\\in\s*\\mathcal\s*\{?\s*A\s*\}?(?:\s*\(\s*s\s*\))?)?\s*\}|a)"
                           r"\s*" + _Q_PI)
NOTE = (r"\pi' is the greedy policy w.r.t. q_\pi that the file defines, \pi'(s) = \arg\max_a q_\pi(s, a) "
        r"(Sutton & Barto 2018, eq. 4.9): \pi'(s) is that action (the smallest-index maximiser) and v_{\pi'}, "
        r"q_{\pi'} are the values of derive's greedy policy (ties split evenly; every greedy choice has the same "
        r"q_\pi(s, \pi'(s)) = \max_a q_\pi(s, a))")


STAR_NOTE = (r"\pi^*(s), an optimal policy written as a function of the state, is the action \arg\max_a Q^*(s, a) "
             r"(the smallest-index maximiser; every optimal action attains Q^*(s, \pi^*(s)) = V^*(s), S&B 2018, sec. 3.6)")


def greedy_prime() -> bool:
    """Does the file being read define \\pi' as the greedy policy w.r.t. q_\\pi?"""
    reading = current()[0]
    cached = getattr(reading, "_greedy_prime", None)
    if cached is None:
        cached = bool(_GREEDY_PRIME.search(reading.text or ""))
        reading._greedy_prime = cached
    return cached


def greedy_policy_name(spelling: str):
    """'greedy' for \\pi' in a file that defines it as greedy w.r.t. q_\\pi, else None (spellings.policy_name)."""
    if spelling == r"\pi'" and greedy_prime():
        note(NOTE)
        return "greedy"
    return None


@head(r"\pi")
def _pi_of_state(h: Head, ctx: Ctx):
    """\\pi'(s), one state argument, in a file that defines \\pi' greedy: the action \\arg\\max_a Q^\\pi(s, a)."""
    g = h.call
    if h.primes == 1 and h.sub is None and h.sup is None and g is not None and g.sep is None \
            and len(g.parts[0]) == 1 and greedy_prime():
        from ..lang.optimal import ArgMax

        h.take_call()
        (s_syn,) = arguments(g, 1, r"\pi'(s)")
        st = value_in_role(s_syn, "state", ctx, r"the state of \pi'(s)")
        act = ActionVar("a")  # bound by the argmax (the body names only st and a)
        note(NOTE)
        return ArgMax(nodes.Q(Str("theta"), st, act, nodes.NOTIME), act)
    star = h.sup if h.sub is None else (h.sub if h.sup is None else None)
    if star is not None and not h.primes and g is not None and g.sep is None and len(g.parts[0]) == 1 \
            and raw(single(star)).replace(" ", "").strip("{}") == "*":
        from ..lang.optimal import ArgMax, QStar

        h.take_call()
        h.take_sup() if h.sub is None else h.take_sub()
        (s_syn,) = arguments(g, 1, r"\pi^*(s)")
        st = value_in_role(s_syn, "state", ctx, r"the state of \pi^*(s)")
        act = ActionVar("a")  # bound by the argmax (the body names only st and a)
        note(STAR_NOTE)
        return ArgMax(QStar(st, act, nodes.NOTIME), act)
    return _ORIGINAL(h, ctx)


__all__ = ["greedy_prime", "greedy_policy_name"]
