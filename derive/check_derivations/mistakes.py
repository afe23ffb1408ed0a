"""Naming a failing step after a classic mistake of the catalog.

Matching rule.  A failing step ``lhs = rhs`` (setting S) is the catalog
mistake ``m`` (``m.lhs = m.rhs``, a false statement) when

* m is stated in the same setting S,
* the step and m have the same free variables (names of free states, actions,
  points and integers; mistakes with other free variables are skipped), and
* ``lhs - rhs = +(m.lhs - m.rhs)`` or ``lhs - rhs = -(m.lhs - m.rhs)`` on every
  random instance of the exact method (exact arithmetic, every instantiation).

Both differences are compared as ``lhs + m.rhs = rhs + m.lhs`` (and
``lhs + m.lhs = rhs + m.rhs`` for the minus sign) by the exact checker, which
stops at the first instance that differs, so a non-match costs about one
instance.  A step whose sides equal m's sides pairwise (or swapped) is the
special case where the differences agree term by term.  The rule judges the
*error* a step makes, not its wording: a student who writes a correct
expression on the left and the mistaken one on the right makes exactly the
error of the catalog's statement, whatever the intermediate form.
"""
from __future__ import annotations

from functools import lru_cache

from ..catalog import catalog, course_paths
from ..setting import Setting
from ..check_statements.exact import check_exact
from ..check_statements.quantifiers import free_variables


def _free_names(lhs, rhs) -> tuple:
    vars_, ints = free_variables(lhs, rhs)
    return tuple(sorted(v.name for v in vars_)), tuple(sorted(i.name for i in ints))


def _mistakes(setting: str) -> tuple:
    """The catalog's mistakes stated in ``setting`` (the course's too: ``derive check --catalog DIR``)."""
    return _mistakes_of(setting, course_paths())


@lru_cache(maxsize=8)
def _mistakes_of(setting: str, _course: tuple) -> tuple:
    return tuple((m, _free_names(m.lhs, m.rhs)) for m in catalog()
                 if m.kind == "mistake" and m.setting == Setting.of(setting).horizon and m.relation == "=")


def _same_error(lhs, rhs, m, seed) -> bool:
    for left, right in ((lhs + m.rhs, rhs + m.lhs), (lhs + m.lhs, rhs + m.rhs)):
        try:
            res = check_exact(left, right, m.setting, "=", seed=seed, ranges=m.ranges,
                              full_support=m.full_support)
        except Exception:  # shapes that cannot be combined (a gradient against a number): no match
            continue
        if res.status == "holds":
            return True
    return False


def name_mistake(lhs, rhs, setting: str, relation: str = "=", seed: int = 0):
    """The first catalog mistake (in catalog order) the failing step makes, or None."""
    if relation != "=" or lhs is None or rhs is None:
        return None
    names = _free_names(lhs, rhs)
    for m, m_names in _mistakes(setting):
        if m_names == names and _same_error(lhs, rhs, m, seed):
            return m
    return None
