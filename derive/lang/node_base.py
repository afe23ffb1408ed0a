"""The base of derive's expression language: ``Node``, the policies' names and printing helpers.

Every RL quantity is a SymPy ``Function`` subclass of ``Node`` that prints as the LaTeX a textbook
would use (``tex``) and that the one evaluator (:mod:`derive.engine.evaluate`) evaluates on an
instance.  Policies are named by strings (``POLICY_LATEX``): ``theta`` (pi_theta, the one
``nabla_theta`` differentiates), ``old`` (pi_{theta_old}), ``prime`` (pi'), ``star``, ``greedy``.
The nodes themselves: mdp_nodes.py, value_nodes.py, operator_nodes.py, expectation_nodes.py
(all importable from :mod:`derive.lang.nodes`).
"""
from __future__ import annotations

from sympy import Function
from sympy.core.symbol import Str


POLICY_LATEX = {
    "theta": r"\pi_{\theta}",
    "old": r"\pi_{\theta_{\text{old}}}",
    "prime": r"\pi'",
    "star": r"\pi_{*}",  # an optimal policy: greedy w.r.t. Q*, ties split evenly (derive/engine/optimal.py)
    "greedy": r"\pi_{\text{greedy}}",  # greedy w.r.t. Q^{pi_theta}, ties split evenly (policy improvement)
}


NOTIME = Str("-")  # time argument of a stationary (discounted) value function


def pol(name: str) -> Str:
    if name not in POLICY_LATEX:
        raise ValueError(f"unknown policy {name!r}")
    return Str(name)


def theta_or_policy(name: str) -> str:
    """How a policy is named as an argument: theta for pi_theta (J(theta), P(tau | theta)), else pi_old, pi', ..."""
    return r"\theta" if name == "theta" else POLICY_LATEX[name]


def _p(printer, e) -> str:
    return printer._print(e)


def _body(p, e) -> str:
    """A summand as printed after a big operator: parenthesised when it is a sum."""
    from sympy import Add

    text = _p(p, e)
    return r"\left(%s\right)" % text if isinstance(e, Add) else text


class Node(Function):
    """Base class: an unevaluated function with a textbook LaTeX form.

    Nodes are declared real so that SymPy's Min and Max accept them; a gradient
    is a vector of reals and is compared component by component.
    """

    is_real = True
    is_extended_real = True

    @classmethod
    def eval(cls, *args):
        """SymPy's construction hook, not Python's eval: it receives already-built SymPy arguments.

        Returning None keeps every node unevaluated.  No text ever reaches it: the
        LaTeX reader builds nodes from its parse tree with constructors only.
        """
        return None

    def tex(self, printer) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def _latex(self, printer, exp=None):
        body = self.tex(printer)
        if exp is not None:
            return r"\left(%s\right)^{%s}" % (body, exp)
        return body


class _Binder(Node):
    """A node that binds its last argument (a variable).

    Its precedence is below a product's, so as a factor it prints in parentheses:
    (max_a Q) x, never max_a Q x, which a reader takes as max_a (Q x).
    """

    precedence = 45

    @property
    def free_symbols(self):
        body, var = self.args[0], self.args[1]
        return body.free_symbols - {var}


__all__ = ["POLICY_LATEX", "NOTIME", "pol", "Node"]
