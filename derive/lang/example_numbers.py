"""The numbers of one worked example: ``p_1``, ``r_1``, ``G_a`` (issue 10, R8).

Textbooks explain the Bellman equation on a figure whose transitions carry named numbers: microsoft/ai-edu A7
sec. 7.3.2 writes ``\\mathbb E[R_{t+1}|S_t=s_a] = p_1 \\cdot r_1 + p_2 \\cdot r_2`` with ``p_1, p_2`` the figure's
probabilities from ``s_a`` to ``s_b``, ``s_c`` and ``r_1, r_2`` its rewards, ``G_a, G_b`` the returns from those
states.  Such a number is not a free real (the step is not meant for every value) and its value is in the figure,
not in the file: a step that uses one is read (``read as`` shows it) and reported "not attempted", naming the
numbers (check_derivations/judge.py).
"""
from __future__ import annotations

from sympy import Symbol

from .symbols import StateVar


class NamedState(StateVar):
    """A named state of one worked example (``s_a``, ``s_b``, ``s_c``): an arbitrary state of the MDP."""


class ExampleNumber(Symbol):
    """A named number of one worked example (``p_1``, ``r_2``, ``G_a``): its value is the example's, not derive's."""

    kind = "example"


def named_states(*exprs) -> list:
    """The named states in ``exprs``, sorted by name."""
    found = {s for e in exprs if e is not None for s in getattr(e, "free_symbols", ()) if isinstance(s, NamedState)}
    return sorted(found, key=str)


def example_numbers(*exprs) -> list:
    """The example numbers in ``exprs``, sorted by name."""
    found = {s for e in exprs if e is not None for s in getattr(e, "free_symbols", ()) if isinstance(s, ExampleNumber)}
    return sorted(found, key=str)


def not_attempted(*exprs) -> str | None:
    """Why a step with example numbers is not judged, or None."""
    found = example_numbers(*exprs)
    if not found:
        return None
    names = ", ".join(str(s) for s in found)
    return (f"the step uses the numbers of one worked example ({names}), whose values are in the example's figure, "
            "not in the file: it holds only for those values, which derive does not have")


__all__ = ["ExampleNumber", "NamedState", "example_numbers", "named_states", "not_attempted"]
