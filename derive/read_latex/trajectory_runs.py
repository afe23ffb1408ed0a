r"""Runs of consecutive trajectory variables (s_0, a_0, s_1, ...), their slices and their joint density (issue 10, R11).

The helpers of read_latex/joint_density.py (``p_\theta(x_0, u_0, \ldots, x_T, u_T)``) and read_latex/run_integrals.py
(``\int_{\tau_{x_0:u_t}} ...``): a variable is ("s" or "a", time); its position in the trajectory is 2 time (+1 for an
action); a run is consecutive positions, an ellipsis (or a slice \tau_{x_0:u_t}) standing for those in between.  The
density of a run given earlier variables is the product of its rho_0, pi and P factors (chain rule, Markov property).
"""
from __future__ import annotations

from sympy import Dummy, Integer, Product
from sympy.core.symbol import Str

from ..lang import nodes
from ..lang.symbols import T
from .errors import LatexError, ParseFail
from .interpret import Ctx
from .roles import value_in_role
from .series import is_ellipsis
from .spellings import is_tau
from .syntax import Group, Rel, Scripted, base_atom, single

_LETTERS = {"s": "s", "S": "s", "a": "a", "A": "a"}
_GAP = object()  # an ellipsis in the list


def _variable(x, ctx: Ctx):
    """("s" or "a", time) of a trajectory variable s_k / a_k as written (x_k, u_k in control notation), else None."""
    x = single(x)
    a = base_atom(x)
    if not isinstance(x, Scripted) or a is None or a.kind != "sym" or x.sub is None or x.sup is not None:
        return None
    letter = _LETTERS.get(a.name)
    if letter is None and a.name in ("x", "u"):
        letter = "s" if a.name == "x" else "a"  # control notation (renamed before, when the file uses it)
    if letter is None:
        return None
    try:
        v = value_in_role(x, "state" if letter == "s" else "action", ctx, "a variable of the trajectory")
    except (LatexError, ParseFail):
        return None
    if not isinstance(v, (nodes.St, nodes.At)):
        return None
    return letter, v.args[0]


def slice_ends(x, ctx: Ctx):
    """(first, last) of a slice of the trajectory ``\\tau_{x_0:u_t}`` (its ends trajectory variables), else None."""
    x = single(x)
    if not isinstance(x, Scripted) or not is_tau(x.base) or x.sup is not None or x.sub is None:
        return None
    r = single(x.sub)
    if isinstance(r, Group) and r.kind == "brace" and len(r.parts) == 1 and len(r.parts[0]) == 1:
        r = r.parts[0][0]
    if not isinstance(r, Rel) or r.kind != "range" or r.lhs is None or r.rhs is None:
        return None
    lo, hi = _variable(r.lhs, ctx), _variable(r.rhs, ctx)
    if lo is None or hi is None or not _run([lo, _GAP, hi]):
        return None
    return lo, hi


def _items(part, ctx: Ctx):
    """[(letter, time) or _GAP] for a list of trajectory variables (slices \\tau_{x_0:u_t} included), else None."""
    out = []
    for x in part:
        if is_ellipsis(x):
            if not out or out[-1] is _GAP:
                return None
            out.append(_GAP)
            continue
        ends = slice_ends(x, ctx)
        if ends is not None:
            out.extend([ends[0], _GAP, ends[1]])
            continue
        v = _variable(x, ctx)
        if v is None:
            return None
        out.append(v)
    if not out or out[-1] is _GAP:
        return None
    return out


def _pos(item):
    letter, time = item
    return 2 * time + (0 if letter == "s" else 1)


def _positive(d) -> bool:
    """d > 0 for every nonnegative value of the time symbols in it (times index the trajectory)."""
    d = Integer(d) if isinstance(d, int) else d
    if d.is_Integer:
        return d > 0
    sub = {s: Dummy(integer=True, nonnegative=True) for s in d.free_symbols}
    return bool(d.subs(sub).is_positive)


def _run(items) -> bool:
    """Consecutive variables: one position apart, or any positive gap across an ellipsis."""
    prev, gap = None, False
    for it in items:
        if it is _GAP:
            gap = True
            continue
        if prev is not None:
            d = (_pos(it) - _pos(prev)).expand()
            if gap:
                if d.is_Integer and d < 1:
                    return False
            elif d != 1:
                return False
        prev, gap = it, False
    return True


def _condition_ok(first, cond) -> bool:
    """The condition holds what the first factor needs and only variables before it."""
    p = _pos(first)
    listed = [c for c in cond if c is not _GAP]
    if not all(_positive((p - _pos(c)).expand()) for c in listed):
        return False
    need = [(p - 1).expand()] + ([(p - 2).expand()] if first[0] == "s" else [])
    return all(_covered(n, cond) for n in need)


def _covered(n, cond) -> bool:
    """Position n is a listed variable of the condition, or lies in a run an ellipsis (a slice) stands for."""
    prev = None
    for k, c in enumerate(cond):
        if c is _GAP:
            continue
        q = _pos(c).expand()
        if (q - n).expand() == 0:
            return True
        if prev is not None and k > 0 and cond[k - 1] is _GAP and _nonneg(n - prev) and _nonneg(q - n):
            return True
        prev = q
    return False


def _nonneg(d) -> bool:
    return _positive((d + 1).expand())


def _factor(letter, time, pol):
    if letter == "a":
        return nodes.Pi(Str(pol), nodes.At(time), nodes.St(time))
    if time == 0:
        return nodes.Rho0(nodes.St(Integer(0)))
    return nodes.Trans(nodes.St(time), nodes.St(time - 1), nodes.At(time - 1))


def to_the_end(last, ctx: Ctx) -> bool:
    """The run reaches the trajectory's end: its last state s_T, or (``horizon: last-index``, where authors list
    tau = (s_0, a_0, ..., s_T, a_T) and multiply its probability up to P(s_{T+1}|s_T, a_T), Spinning Up's and
    Math-RL's eq. 3.5) its last action, written a_T (derive's a_{T-1}).  Under derive's own horizon a list that ends
    at a_{T-1} is only those variables: their joint density has no final transition."""
    if (_pos(last) - 2 * T).expand() == 0:
        return True
    return ctx.options.get("horizon") == "last-index" and (_pos(last) - (2 * T - 1)).expand() == 0


def density(first, last, pol: str, whole: bool):
    """The product of the factors of the run first..last; to the end of the trajectory (s_T included) when whole."""
    t = Dummy("j", integer=True)
    out = Integer(1)
    letter0, k0 = first
    if letter0 == "s":
        out = _factor("s", k0, pol)
    if whole:
        hi, tail = T - 1, Integer(1)
    elif last[0] == "s":
        hi, tail = last[1] - 1, Integer(1)
    else:
        hi, tail = last[1] - 1, _factor("a", last[1], pol)
    if letter0 == "a" and not whole and last == first:
        return tail, whole
    block = nodes.Pi(Str(pol), nodes.At(t), nodes.St(t)) * nodes.Trans(nodes.St(t + 1), nodes.St(t), nodes.At(t))
    n = (hi - k0).expand()
    if n.is_Integer and -1 <= n < 4:  # a few factors: written out
        for u in range(int(n) + 1):
            out = out * block.subs(t, k0 + u)
    else:
        out = out * Product(block, (t, k0, hi))
    return out * tail, whole


__all__ = ["GAP", "to_the_end", "variable", "slice_ends", "items_of", "position", "condition_ok", "density", "consecutive"]

GAP = _GAP
variable = _variable
items_of = _items
position = _pos
condition_ok = _condition_ok
consecutive = _run
