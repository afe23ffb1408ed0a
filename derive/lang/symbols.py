"""Symbols of the expression language: variables, integers and parameters.

Variables are SymPy symbols whose class says what they range over:

* ``StateVar``  ranges over the MDP's states S (``s``, ``s'``),
* ``ActionVar`` ranges over the actions A (``a``, ``b``),
* ``PointVar``  ranges over the sample space X of free distributions (``x``).

Time-indexed random variables of a trajectory (``s_t``, ``a_t``, ``r_t``) are
functions of an integer expression, see :mod:`derive.lang.nodes`.

Integer symbols (``t``, ``t'``, ``k``, ``l``, ``T``) index time and sums; ``T``
is always the horizon of the instance.  Parameters (``gamma``, ``lambda``,
``epsilon``, ...) take their values from the instance.
"""
from __future__ import annotations

from sympy import Symbol


class StateVar(Symbol):
    """A variable ranging over the states S."""

    kind = "state"


class ActionVar(Symbol):
    """A variable ranging over the actions A."""

    kind = "action"


class PointVar(Symbol):
    """A variable ranging over the finite sample space X of free distributions."""

    kind = "point"


class ScalarVar(Symbol):
    """A free real number of a pure-algebra step (``r``, ``A``, ``c`` written bare): judged at rational
    points that satisfy the step's assumptions (derive/check_statements/scalars.py), not on MDPs."""

    kind = "scalar"


def scalar(name: str) -> ScalarVar:
    return ScalarVar(name, real=True)


def integer(name: str) -> Symbol:
    """An integer symbol (time index, sum index, horizon)."""
    return Symbol(name, integer=True)


# Integers --------------------------------------------------------------
t = integer("t")
tp = integer("t'")
k = integer("k")
l = integer("l")  # noqa: E741  (the GAE paper's name)
n = integer("n")
T = integer("T")  # the horizon: bound to the instance's T

# Parameters -----------------------------------------------------------
gamma = Symbol("gamma")
lam = Symbol("lambda")
eps = Symbol("epsilon")
beta = Symbol("beta")
c1 = Symbol("c_1")
c2 = Symbol("c_2")

PARAMETERS = {"gamma": gamma, "lambda": lam, "epsilon": eps, "beta": beta, "c_1": c1, "c_2": c2}
# the parameters written as one Greek command in LaTeX (\gamma, \lambda, \epsilon, \beta); c_1, c_2 are c_{1}, c_{2}
PARAMETER_COMMANDS = {"\\" + name: sym for name, sym in PARAMETERS.items() if not name.startswith("c_")}

# Common variables -------------------------------------------------------
s = StateVar("s")
s2 = StateVar("s'")
a = ActionVar("a")
a2 = ActionVar("a'")
b = ActionVar("b")
x = PointVar("x")
