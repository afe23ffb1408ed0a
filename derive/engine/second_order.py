"""Second derivatives and matrices over theta: nabla^2_theta f, u v^T, M v, M^dagger, M^{-1}.

A matrix value has two component axes, ``grad`` (rows) and ``grad2`` (columns), each over the
|S||A| logits theta[s, a] of the tabular softmax pi_theta (docs/conventions.md).

* ``nabla^2_theta f`` (``Hess``): H[i, j] = d^2 f / d theta_i d theta_j, exact: column j is the eps part
  of grad f evaluated at pi_{theta + eps e_j} (dual numbers, derive/engine/dual_field.py).  For the
  softmax, d^2 log pi(a|s) / d theta[s, b] d theta[s, c] = -(pi(b|s) [b = c] - pi(b|s) pi(c|s)),
  whatever a is, so -E_a[nabla^2 log pi] is the Fisher matrix (Kakade 2001, "A Natural Policy Gradient").
* ``u v^T`` (``Outer``): (u_i v_j); the Fisher information F(theta) = E_{s, a}[nabla log pi nabla log pi^T]
  (Kakade 2001, "A Natural Policy Gradient").
* ``M v`` (``MatVec``) and a product ``M v`` whose order the algebra lost (SymPy's products commute):
  the contraction sum_j M[i, j] v_j, which is v^T M only for a symmetric M, so an asymmetric M there is refused.
* ``M^dagger`` (``PInv``): the Moore-Penrose pseudo-inverse, exact (derive/engine/matrices.py); ``M^{-1}``:
  the inverse, undefined where M is singular (the softmax Fisher matrix always is: F 1_s = 0 for the
  all-ones vector on the logits of one state s, so only F^dagger exists; Agarwal et al. 2021).
"""
from __future__ import annotations

import numpy as np
from sympy import Integer, Mul, Pow
from sympy.core.symbol import Str

from ..lang import nodes
from . import rules_algebra  # noqa: F401  (its Mul and Pow rules are the ones replaced here)
from . import tensor as tn
from .dual_field import HESS_POLICY, eps_part, perturbed
from .matrices import matrix_apply
from .param_dist import is_param_dist
from .registry import RULES, Env, Unsupported, evaluate, policy_arrays, preorder, rule
from .tensor import GRAD, UNDEF, Ten, Val

GRAD2 = "grad2"  # the column axis of a matrix over theta x theta


def is_matrix(val: Val) -> bool:
    return GRAD2 in val.v.axes or (val.d is not None and GRAD2 in val.d.axes)


def is_vector(val: Val) -> bool:
    return GRAD in val.axes and GRAD2 not in val.axes


@rule(nodes.Hess)
def _hess(e, env: Env) -> Val:
    """nabla^2_theta f: H[i, j] = d^2 f / d theta_i d theta_j, the derivative of grad f along e_j (dual numbers)."""
    if env.track:
        raise Unsupported("a Hessian inside a gradient (a third derivative) is not supported")
    if env.field.name == "float":
        raise Unsupported("the Hessian is evaluated exactly, not on samples")
    body = e.args[0]
    if any(isinstance(x, Str) and is_param_dist(x.name) for x in preorder(body)):
        raise Unsupported(r"the Hessian of an expression with P_\theta(x) is not supported (only pi_theta's)")
    probs, score, src = policy_arrays(env.with_(track=True), "theta")
    if score is None:
        raise Unsupported(f"the policy {src} does not depend on theta: its Hessian is not taken")
    mapping = dict(env.policy_map)
    mapping["theta"] = HESS_POLICY
    cols, axes = [], None
    for j in range(env.tables.n_theta):
        tb = perturbed(env.tables, probs, score, j)
        val = evaluate(nodes.Grad(body), env.with_(tables=tb, policy_map=tuple(sorted(mapping.items()))))
        if GRAD2 in val.v.axes:
            raise Unsupported("the Hessian of a matrix is not supported")
        axes = val.v.axes if axes is None else axes
        cols.append(eps_part(val.v.aligned(axes)))
    data = np.stack([np.asarray(c, dtype=object) for c in cols], axis=-1)
    return Val(Ten(axes + (GRAD2,), data))


def _column(val: Val) -> Val:
    """A vector over theta as the columns of a matrix (axis grad renamed grad2)."""
    return Val(val.v.rename(GRAD, GRAD2), None if val.d is None else val.d.rename(GRAD, GRAD2))


def _plain_vector(val: Val, what: str) -> Val:
    if not is_vector(val):
        raise Unsupported(f"{what} takes vectors over the components of theta (gradients)")
    if val.d is not None:
        raise Unsupported(f"the gradient of {what} is not supported")
    return val


@rule(nodes.Outer)
def _outer(e, env: Env) -> Val:
    """u v^T = (u_i v_j) over the components of theta (u, v gradients); a scalar u makes c v^T = v^T scaled."""
    u, v = (evaluate(a, env) for a in e.args)
    if is_matrix(u) or is_matrix(v):
        raise Unsupported("u v^T takes vectors over the components of theta (gradients), not matrices")
    if not is_vector(u) or not is_vector(v):
        return tn.mul(u, v)
    for x in (u, v):
        _plain_vector(x, "u v^T")
    return tn.mul(u, _column(v))


@rule(nodes.Transposed)
def _transposed(e, env: Env) -> Val:
    """x^T: a vector keeps its components (a row); a matrix has its rows and columns swapped."""
    val = evaluate(e.args[0], env)
    if not is_matrix(val):
        return val

    def swap(t):
        if t is None:
            return None
        return t.rename(GRAD, "grad~").rename(GRAD2, GRAD).rename("grad~", GRAD2)

    return Val(swap(val.v), swap(val.d))


def _contract(m: Val, v: Val) -> Val:
    """sum_j M[i, j] v_j (M a matrix, v a vector)."""
    return tn.sum_axes(tn.mul(m, _column(v)), (GRAD2,))


@rule(nodes.MatVec)
def _matvec(e, env: Env) -> Val:
    """x y in written order: M v = (sum_j M[i, j] v_j), M N = (sum_k M[i, k] N[k, j]); a scalar scales the other."""
    m, v = (evaluate(a, env) for a in e.args)
    if not (is_matrix(m) or is_vector(m)) or not (is_matrix(v) or is_vector(v)):
        return tn.mul(m, v)
    if not is_matrix(m):
        raise Unsupported("a vector times a vector without a transpose: write u^T v, u v^T or <u, v>")
    if m.d is not None or v.d is not None:
        raise Unsupported("the gradient of a matrix product is not supported")
    if is_vector(v):
        return _contract(m, v)
    k = "grad~"
    return tn.sum_axes(tn.mul(Val(m.v.rename(GRAD2, k)), Val(v.v.rename(GRAD, k))), (k,))


def _symmetric(m: Val) -> bool:
    data = m.v.aligned(tuple(a for a in m.v.axes if a not in (GRAD, GRAD2)) + (GRAD, GRAD2))
    try:
        return bool(np.all(data == np.swapaxes(data, -1, -2)))
    except (TypeError, ValueError):
        return False


@rule(Mul)
def _mul(e, env: Env) -> Val:
    """x_1 x_2 ... x_n; a matrix times a vector is M v = sum_j M[i, j] v_j.  SymPy's products commute, so the
    written order is lost: M v and v^T M agree only for a symmetric M (a Hessian, a Fisher matrix, u u^T, and
    their pseudo-inverses), and a product with an asymmetric matrix on this instance, or with two matrices, is
    refused (write u v^T, M v as its own factor pair, or <u, v>)."""
    vals = [evaluate(a, env) for a in e.args]
    if not any(is_matrix(v) for v in vals):
        out = vals[0]
        for v in vals[1:]:
            out = tn.mul(out, v)
        return out
    mats = [v for v in vals if is_matrix(v)]
    vecs = [v for v in vals if is_vector(v)]
    rest = [v for v in vals if not is_matrix(v) and not is_vector(v)]
    if len(mats) > 1:
        raise Unsupported("a product of two matrices: the order of the factors is not kept")
    if len(vecs) > 1:
        raise Unsupported("a matrix times two vectors: write u^T M v")
    out = mats[0]
    if vecs:
        if mats[0].d is not None or vecs[0].d is not None:
            raise Unsupported("the gradient of a matrix-vector product is not supported")
        if not _symmetric(mats[0]):
            raise Unsupported("a matrix that is not symmetric times a vector: the written order is lost; "
                              "write the product as M v with M a matrix expression in parentheses")
        out = _contract(mats[0], vecs[0])
    for v in rest:
        out = tn.mul(out, v)
    return out


def _matrix_op(m: Val, kind: str, env: Env) -> Val:
    if m.d is not None:
        raise Unsupported("the gradient of a matrix inverse is not supported")
    lead = tuple(a for a in m.v.axes if a not in (GRAD, GRAD2))
    axes = lead + (GRAD, GRAD2)
    data = m.v.aligned(axes)
    undefined = np.nan if data.dtype != object else UNDEF
    return Val(Ten(axes, matrix_apply(np.asarray(data), kind, undefined)))


@rule(nodes.PInv)
def _pinv(e, env: Env) -> Val:
    """M^dagger, the Moore-Penrose pseudo-inverse (exact in rationals); a scalar x^dagger is 1/x (0 for x = 0)."""
    m = evaluate(e.args[0], env)
    if not is_matrix(m):
        raise Unsupported("the pseudo-inverse ^\\dagger is taken of a matrix over theta (a Hessian, a Fisher matrix)")
    return _matrix_op(m, "pinv", env)


_SCALAR_POW = RULES[Pow]


@rule(Pow)
def _pow(e, env: Env) -> Val:
    """x^n as before (derive/engine/rules_algebra.py); a matrix M^{-1} is the inverse, undefined where M is
    singular; any other power of a matrix is refused."""
    base, expo = e.args
    if not any(isinstance(x, (nodes.Hess, nodes.Outer, nodes.PInv)) for x in preorder(base)):
        return _SCALAR_POW(e, env)
    m = evaluate(base, env)
    if not is_matrix(m):
        return _SCALAR_POW(e, env)
    if expo == Integer(-1):
        return _matrix_op(m, "inv", env)
    raise Unsupported("a matrix power other than M^{-1} is not supported")


__all__ = ["GRAD2", "is_matrix", "is_vector"]
