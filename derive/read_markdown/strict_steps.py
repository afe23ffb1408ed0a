r"""Strict inequalities as steps: ``x > y``, ``x < y``, ``\gt``, ``\lt`` (issue 10).

A strict inequality between two values is a claim checkable instance by instance, like ``\geq``:
``Step.relation`` is ``">"`` or ``"<"`` (``lhs < rhs`` is judged as ``rhs > lhs``, its sides reported as
written).  How the three methods treat it:

* exact: on every sampled instance (and, for free real scalars, every drawn point) lhs > rhs in exact
  rational arithmetic; an entry where lhs = rhs is a counterexample.  Float64 values (a side that is not
  rational) are compared as for ``\geq`` within the tolerance, and the verdict says the comparison was
  inexact;
* symbolic: not attempted ("inequalities are checked exactly"), as for ``\geq``;
* Monte Carlo: not applicable, as for ``\geq``.

``\neq`` stays unread, with that reason: it usually states a condition (``j \neq i``), not a claim that the
sides differ on every instance.
"""
from __future__ import annotations

STRICT = {">": ">", "\\gt": ">", "<": "<", "\\lt": "<"}
NEQ_REASON = (r"the relation {spelling} is not an identity derive checks: x \neq y usually states a condition "
              r"(j \neq i, x \neq 0) rather than a claim that the sides differ on every instance; derive checks =, "
              r"\geq, \leq, > and <")


def strict_relation(rel):
    """``">"`` or ``"<"`` for a strict inequality of read_latex/relations.py, else None."""
    if rel.kind != "strict inequality":
        return None
    return STRICT.get(rel.spelling.strip())


def not_a_step(lhs: str, rhs: str, spelling: str, line: int, col: int) -> dict:
    """The record of a top-level ``x \\neq y`` in a chain: not a step (tests/real_world/README.md counts =, \\geq,
    \\leq, \\approx, \\propto), shown with the reason and never judged (report.py prints it as "not a step")."""
    return {"line": line, "col": col, "lhs": lhs, "rhs": rhs, "read_as": None, "kind": "not a step",
            "error": f"{line}:{col}: {lhs} {spelling} {rhs}: " + NEQ_REASON.format(spelling=spelling)}


__all__ = ["STRICT", "strict_relation", "NEQ_REASON", "not_a_step"]
