"""An optimisation over the policy parameter written at the start of a side: ``\\max_\\theta F``, ``\\min_\\theta F``.

DPO (Rafailov et al. 2023, eq. 3) and its tutorials write a chain of objectives, each side an
optimisation over theta (or over pi_theta)::

    \\max_\\theta \\mathbb{E}[r] - \\beta \\mathbb{D}_{KL}[\\pi_\\theta \\| \\pi_{ref}]
      = \\max_\\theta \\mathbb{E}_{x}\\mathbb{E}_{y}[r - \\beta \\log(\\pi_\\theta / \\pi_{ref})]

``OptTheta(F, kind)`` stands for the optimum of the objective F.  derive does not compute optima over
theta: a step between two optima of the same kind is judged as the equality of their objectives for
every theta (a sufficient condition: equal objectives have equal optima), and a failure of that is not
a failure of the step (check_statements/objectives.py).  Evaluated alone, it has no value (engine: unsupported).
"""
from __future__ import annotations

from sympy.core.symbol import Str

from .node_base import Node, _p


class OptTheta(Node):
    """max_theta F or min_theta F (args: the objective F, Str('max') or Str('min'))."""

    nargs = 2

    @property
    def objective(self):
        return self.args[0]

    @property
    def kind(self) -> str:
        return self.args[1].name

    def tex(self, p):
        return r"\%s_{\theta} \left[%s\right]" % (self.kind, _p(p, self.args[0]))


def opt_theta(objective, kind: str) -> OptTheta:
    return OptTheta(objective, Str(kind))





class PairSum(Node):
    """sum_{u_w, u_l} w(u_w, u_l) X over the pairs of whole responses: args (w, X, u_w, u_l); entries of weight 0
    contribute 0 even where X has no value (a prefix that is not a response: pi(y|x) = 0 there)."""

    nargs = 4

    @property
    def free_symbols(self):
        return (self.args[0].free_symbols | self.args[1].free_symbols) - {self.args[2], self.args[3]}

    def tex(self, p):
        return r"\sum_{%s, %s} %s \left[%s\right]" % (_p(p, self.args[2]), _p(p, self.args[3]), _p(p, self.args[0]),
                                                     _p(p, self.args[1]))
class Named(Node):
    """An objective or loss the file names where it defines it: \\mathcal{L}_{DPO}(\\pi_\\theta; \\pi_{ref}),
    \\mathcal{J}_{GRPO}(\\theta).  It has no value in derive (engine: unsupported): a step that defines it is read,
    not judged.  args: Str(the LaTeX as written)."""

    nargs = 1

    def tex(self, p):
        return self.args[0].name


class Arbitrary(Node):
    """A quantity the file uses without defining it, read as an arbitrary function (args: its value, e.g.
    e^{g(s_0)} for DPO's partition function Z(x), and Str(the LaTeX written)).  A step holding for every such
    function holds; one that fails is not decided (check_statements/objectives.py): the author's own may differ."""

    nargs = 2

    @property
    def value(self):
        return self.args[0]

    def tex(self, p):
        return self.args[1].name


__all__ = ["Arbitrary", "Named", "OptTheta", "PairSum", "opt_theta"]
