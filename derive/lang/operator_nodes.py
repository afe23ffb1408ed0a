"""Nodes for free functions and distributions, and the operators: nabla_theta, <u, v>, evaluation bars,
indicators, clip, and sums or maxima over a whole space (sum_a, max_a, sum_tau).
"""
from __future__ import annotations

from .node_base import Node, _Binder, _body, _p


class FreeFn(Node):
    """An arbitrary function (V(s), b(s), f(x)), instantiated at random."""

    def tex(self, p):
        return "%s(%s)" % (self.args[0].name, ", ".join(_p(p, x) for x in self.args[1:]))


class FreeProb(Node):
    """q(x): an arbitrary distribution over the sample space X."""

    nargs = 2

    def tex(self, p):
        return "%s(%s)" % (self.args[0].name, _p(p, self.args[1]))


class KL(Node):
    """D_KL(q || p) = sum_x q(x) log(q(x)/p(x)) for two named free distributions."""

    nargs = 2

    def tex(self, p):
        return r"D_{\mathrm{KL}}(%s \,\|\, %s)" % (self.args[0].name, self.args[1].name)


class Grad(Node):
    """nabla_theta of its argument (softmax logits theta of pi_theta)."""

    nargs = 1

    def tex(self, p):
        return r"\nabla_{\theta} \left(%s\right)" % _p(p, self.args[0])


class Inner(Node):
    """<u, v> = sum_k u_k v_k over the components of two gradients (vectors in theta-space)."""

    nargs = 2

    def tex(self, p):
        return r"\left\langle %s, %s \right\rangle" % (_p(p, self.args[0]), _p(p, self.args[1]))


class EvalAt(Node):
    """Evaluation bar: body evaluated with pi_theta set equal to another policy."""

    nargs = 3  # body, Str(from), Str(to)

    def tex(self, p):
        return r"\left. %s \right|_{\theta=\theta_{\text{%s}}}" % (_p(p, self.args[0]), self.args[2].name)


class Indicator(Node):
    """[condition]: 1 where a comparison (x < y, x > y, x <= y, x >= y, x = y) holds, else 0; no gradient."""

    nargs = 1

    def tex(self, p):
        return r"\mathbb{1}\left[%s\right]" % _p(p, self.args[0])


class SetParam(Node):
    """Evaluation bar for a parameter: body with lambda (or epsilon, ...) set to a value."""

    nargs = 3  # body, parameter symbol, value

    def tex(self, p):
        return r"\left. %s \right|_{%s=%s}" % (_p(p, self.args[0]), _p(p, self.args[1]), _p(p, self.args[2]))


class Clip(Node):
    """clip(x, lo, hi) = min(max(x, lo), hi)."""

    nargs = 3

    def tex(self, p):
        return r"\operatorname{clip}(%s, %s, %s)" % tuple(_p(p, x) for x in self.args)


class SumOver(_Binder):
    """sum over a whole space: sum_a, sum_{s'}, sum_x."""

    nargs = 2

    def tex(self, p):
        return r"\sum_{%s} %s" % (_p(p, self.args[1]), _body(p, self.args[0]))


class MaxOver(_Binder):
    """max over a whole space: max_a."""

    nargs = 2

    def tex(self, p):
        return r"\max_{%s} %s" % (_p(p, self.args[1]), _body(p, self.args[0]))


class SumTraj(Node):
    """sum over all trajectories tau (no weighting)."""

    precedence = 45

    nargs = 1

    def tex(self, p):
        return r"\sum_{\tau} %s" % _body(p, self.args[0])



class Hess(Node):
    """nabla^2_theta f = nabla_theta nabla_theta^T f: the matrix of second derivatives d^2 f / d theta_i d theta_j
    (derive/engine/second_order.py)."""

    nargs = 1

    def tex(self, p):
        return r"\nabla^{2}_{\theta} \left(%s\right)" % _p(p, self.args[0])


class Outer(Node):
    """u v^T: the matrix (u_i v_j) of two vectors over the components of theta."""

    nargs = 2

    def tex(self, p):
        return r"\left(\left(%s\right) \left(%s\right)^{\top}\right)" % (_p(p, self.args[0]), _p(p, self.args[1]))


class Transposed(Node):
    """x^T: a vector over theta as a row (its components unchanged), a matrix with rows and columns swapped."""

    nargs = 1

    def tex(self, p):
        return r"\left(%s\right)^{\top}" % _p(p, self.args[0])


class MatVec(Node):
    """M v: a matrix over theta x theta times a vector over theta (written order kept)."""

    nargs = 2

    def tex(self, p):
        return r"\left(\left(%s\right) \left(%s\right)\right)" % (_p(p, self.args[0]), _p(p, self.args[1]))


class PInv(Node):
    """M^dagger: the Moore-Penrose pseudo-inverse of a matrix over theta x theta (the inverse where M is invertible)."""

    nargs = 1

    def tex(self, p):
        return r"\left(%s\right)^{\dagger}" % _p(p, self.args[0])


__all__ = ["FreeFn", "FreeProb", "KL", "Grad", "Inner", "EvalAt", "Indicator", "SetParam", "Clip", "SumOver", "MaxOver",
           "SumTraj", "Hess", "Outer", "Transposed", "MatVec", "PInv"]
