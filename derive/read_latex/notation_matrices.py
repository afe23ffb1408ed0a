r"""Second derivatives and matrices over theta: ``\nabla^2_\theta f``, ``\nabla_\theta \nabla_\theta^\top f``,
``u v^\top``, ``u^\top M v``, ``M^\dagger``, ``M^{-1}``.

* ``\nabla^2_\theta f``, ``\nabla_\theta^2 f``, ``\nabla_\theta \nabla_\theta^\top f``, ``\nabla_\theta \nabla_\theta f``:
  the Hessian (d^2 f / d theta_i d theta_j), evaluated exactly (derive/engine/second_order.py).
* ``x^\top`` (``\intercal``, ``^{\mathsf{T}}``): the transpose; a transpose written on the last factor of a
  gradient's argument (``\nabla_\theta \log \pi_\theta(a|s)^\top``) is the transpose of the gradient.  In a
  product, ``u v^\top`` is the outer product and ``u^\top M v`` the quadratic form (read_latex/matrix_marks.py).
  ``x^T`` with the letter T stays a power (T is the horizon).
* ``M^\dagger``: the Moore-Penrose pseudo-inverse; ``M^{-1}``: the inverse (undefined where M is singular).
* The Fisher information of the policy (Kakade 2001, "A Natural Policy Gradient") is written out as the expectation
  ``\mathbb{E}_{s \sim d^{\pi_\theta}, a \sim \pi_\theta(\cdot|s)}[\nabla_\theta \log \pi_\theta(a|s) \nabla_\theta \log \pi_\theta(a|s)^\top]``
  (the name ``F(\theta)`` alone is not read: write the expectation).
"""
from __future__ import annotations

from ..lang import nodes
from .errors import fail
from .matrix_marks import DAGGER, TOP, strip_transposes
from .reading import note
from .registry import head
from .syntax import Scripted, raw, single

_TOP_SPELLINGS = {r"\top", r"{\top}", "text:T", r"\mathsf{T}", r"\mathrm{T}", r"{\mathsf{T}}", r"{\mathrm{T}}"}


def _sup_text(sup) -> str:
    return raw(single(sup)).replace(" ", "")


def nabla_order(item, ctx) -> object:
    r"""The superscript of ``\nabla``: 1 (none), 2 (``\nabla^2``) or "top" (``\nabla_\theta^\top``)."""
    if not isinstance(item, Scripted) or item.sup is None:
        return 1
    text = _sup_text(item.sup).strip("{}")
    if text == "2":
        return 2
    if text in (r"\top", "\\intercal", "T") or "{" + text + "}" in _TOP_SPELLINGS or text in _TOP_SPELLINGS:
        return "top"
    fail(r"unexpected superscript on \nabla_\theta (known: \nabla^2_\theta, the Hessian; \nabla_\theta^\top)",
         item.sup.pos)


def gradient_of(arg, order):
    r"""The value of ``\nabla_\theta`` (order 1, 2 or "top") applied to ``arg``."""
    arg, transposed = strip_transposes(arg)
    if isinstance(arg, nodes.Hess) or (order == 2 and isinstance(arg, nodes.Grad)):
        fail(r"a third derivative (\nabla_\theta of a Hessian) is not supported", 0)
    if order == 2 or isinstance(arg, nodes.Grad):
        inner = arg.args[0] if isinstance(arg, nodes.Grad) else arg
        note(r"\nabla^2_\theta f = \nabla_\theta \nabla_\theta^\top f: the Hessian, the matrix of d^2 f / d\theta_i d\theta_j")
        return nodes.Hess(inner)
    value = nodes.Grad(arg)
    if transposed or order == "top":
        note(r"x^\top: the gradient as a row vector (its components unchanged)")
        return nodes.Transposed(value)
    return value


@head(r"\top", "text:T")
def _top(h, ctx):
    r"""``\top``, ``\intercal``: the transpose mark of a superscript, ``x^\top``."""
    if h.sub is not None or h.sup is not None or h.call is not None:
        fail(r"\top is read only as a superscript: x^\top", h.pos)
    return TOP


@head(r"\dagger")
def _dagger(h, ctx):
    r"""``\dagger``: the pseudo-inverse mark of a superscript, ``M^\dagger``."""
    if h.sub is not None or h.sup is not None or h.call is not None:
        fail(r"\dagger is read only as a superscript: M^\dagger (the Moore-Penrose pseudo-inverse)", h.pos)
    return DAGGER


__all__ = ["gradient_of", "nabla_order"]
