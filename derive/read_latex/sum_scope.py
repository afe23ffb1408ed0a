r"""An index used both inside a sum that binds it and after the sum, free (issue 10).

``\log p(x_0) + \sum_{t=0}^T \log \pi_\theta(u_t|x_t) + \log p(x_{t+1}|x_t, u_t)`` (helpingstar/Math-RL, eq. 3.13):
as written the sum ends at the ``+`` (its body is the product after it), so the last term has a free t,
while the author means one sum over both logs.  derive would read the free t as "for every t" and judge a
formula the author did not mean, so a side whose sum or product binds an index that the same side also uses
free is not read: unknown, naming the index and the two ways to write what is meant (parentheses around the
body, or another letter for the free index).  Different letters (``G_t = \sum_{k=t}^{T} \gamma^{k-t} r_k``)
are not concerned.
"""
from __future__ import annotations

from sympy import Product, Sum, preorder_traversal

from .errors import ParseFail

MESSAGE = (r"{v} is bound by a sum (or product) over {v} and also used outside it, where it is free: the sum "
           r"ends at the first + or - outside brackets; if the sum covers that term, put its body in parentheses, "
           r"\sum_{{{v}}} (x_{v} + y_{v}); otherwise name the free index with another letter")


def check(value, text: str) -> None:
    """Raise ParseFail when an index bound by a Sum/Product of ``value`` is also one of its free symbols."""
    free = getattr(value, "free_symbols", None)
    if not free:
        return
    for node in preorder_traversal(value):
        if isinstance(node, (Sum, Product)):
            for lim in node.limits:
                v = lim[0]
                if v in free and getattr(v, "is_integer", False):
                    raise ParseFail(MESSAGE.format(v=str(v)), _position(text, str(v)))


def _position(text: str, v: str) -> int:
    """The offset of the last \\sum / \\prod in text (where the scope question is), else 0."""
    at = max(text.rfind("\\sum"), text.rfind("\\prod"))
    return at if at >= 0 else 0


__all__ = ["check", "MESSAGE"]
