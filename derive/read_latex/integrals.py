"""Integrals over finite spaces (issue 10, item 2).

On a finite MDP every space is finite and an integral is the integral for the counting
measure, a sum: ``\\int_\\tau P(\\tau|\\theta) R(\\tau)`` and ``\\int p_\\theta(\\tau) r(\\tau)\\, d\\tau`` are
``\\sum_\\tau ...``; ``\\int_x p(x) f(x)\\,\\mathrm{d}x`` is ``\\sum_x ...``; ``\\int_{\\mathcal{S}} ... ds``
is ``\\sum_s ...``.  The variable is the subscript or the differential (``d\\tau``, ``dx``,
``\\mathrm{d}s``; both must agree); the body is everything up to the differential, or the rest of
the product (as for ``\\sum``) when there is none.  The reading is stated in the step's notes.
An integral with limits (``\\int_0^1``) is over an interval, not a finite space: refused.
"""
from __future__ import annotations

from ..lang import nodes
from .errors import fail
from .interpret import Ctx, product
from .registry import op
from .spellings import is_tau
from .operators import _ops_sub_var
from .reading import note
from .notation_notes import first_state, over_first_state  # \int_{s_0} ... ds_0
from .syntax import Atom, Group, Rel, Scripted, raw, single
from .joint_integrals import joint_integral
from .run_integrals import run_integral

SPACES = {"cal:S": "s", "cal:A": "a", "cal:X": "x", "cal:T": r"\tau"}
VARIABLES = ("s", "s'", "a", "a'", "x", "y", r"\tau")


def _differential(items, i: int):
    """(offset of the d, the variable item) of the first differential d\\tau / dx / \\mathrm{d}x after items[i]."""
    for k in range(i + 1, len(items) - 1):
        it, var = items[k], items[k + 1]
        if isinstance(it, Atom) and ((it.kind == "sym" and it.name == "d") or (it.kind == "text" and it.name == "d")) \
                and ((isinstance(var, Atom) and var.kind == "sym" and var.name in VARIABLES) or first_state(var)
                     or _timed(var)):
            return k, var
    return None, None


def _timed(var) -> bool:
    """d a_t, d s_{t+1}, d x_i: a differential of a timed (or indexed) variable, read as \\int_{a_t} (issue 10, R3)."""
    return isinstance(var, Scripted) and var.sup is None and var.sub is not None and isinstance(var.base, Atom) \
        and var.base.kind == "sym" and var.base.name in VARIABLES


def _letter(var) -> str:
    return var.base.name if isinstance(var, Scripted) else var.name


def _space_letter(sub) -> str | None:
    """\\int_{\\mathcal{S}}: the letter of the space's variable, or None when the subscript is a variable."""
    x = single(sub)
    if isinstance(x, Group) and x.kind == "brace" and len(x.parts[0]) == 1:
        x = x.parts[0][0]
    return SPACES.get(raw(x)) if isinstance(x, Atom) and x.kind == "sym" else None


@op("int")
def _int(item, items, i, ctx: Ctx):
    r"""``\int_\tau P(\tau|\theta) R(\tau)``, ``\int_x p(x) f(x)\, dx``: an integral over a finite space, the sum
    over it (counting measure); limits refused."""
    if isinstance(item, Scripted) and item.sup is not None:
        fail(r"an integral with limits is over an interval; derive's spaces are finite: an integral over a "
             r"finite space is a sum, written \int_\tau, \int_x, \int_{\mathcal{S}} or with d\tau, dx", item.pos)
    sub = item.sub if isinstance(item, Scripted) else None

    joint = joint_integral(item, items, i, ctx) or run_integral(item, items, i, ctx)  # \int_{\tau_{x_0:u_t}}
    if joint is not None:
        return joint
    k, dvar = _differential(items, i)
    end = k if k is not None else len(items)
    var_syn = None
    if sub is not None:
        space = _space_letter(sub)
        if space is not None:
            if dvar is None:
                fail(r"\int_{\mathcal{S}} needs its variable: write the differential (ds) or \int_{s \in \mathcal{S}}",
                     item.pos)
            if _letter(dvar).rstrip("'") != space.rstrip("'"):
                fail(f"the differential d{raw(dvar)} does not range over the space of the integral", dvar.pos)
            var_syn = dvar
        else:
            var_syn = sub
            target = single(sub)
            if isinstance(target, Rel):
                target = single(target.lhs)
            if dvar is not None and raw(single(target)) != raw(dvar):
                fail(f"the integral's subscript {raw(target)[:20]} and its differential d{raw(dvar)} name different "
                     "variables", dvar.pos)
    elif dvar is not None:
        var_syn = dvar
    else:
        fail(r"\int needs its variable: \int_\tau ... or ... d\tau (on a finite space, an integral is a sum)", item.pos)
    if end <= i + 1:
        fail(r"\int has nothing to act on", item.pos)
    if first_state(var_syn):  # \int_{s_0} \rho_0(s_0) V^\pi(s_0) ds_0 (JoyRL ch. 9): over the first state's values
        body, _ = product(items[:end], i + 1, ctx)
        value = over_first_state(body, var_syn)
        note(r"\int over a finite space is a sum (the counting measure): read as \sum_{s_0}, s_0 a bound state")
        return value, (k + 2 if k is not None else len(items))
    if is_tau(var_syn):
        body, _ = product(items[:end], i + 1, ctx)
        value = nodes.SumTraj(body)
        shown = r"\sum_{\tau}"
    else:
        var, letter = _ops_sub_var(var_syn, ctx, r"\int")
        body, _ = product(items[:end], i + 1, ctx.binding(letter) if letter else ctx)
        value = nodes.SumOver(body, var)
        shown = r"\sum_{%s}" % (raw(var_syn).strip() if isinstance(var_syn, Scripted) else var)
    note(rf"\int over a finite space is a sum (the counting measure): read as {shown}")
    return value, (k + 2 if k is not None else len(items))


__all__ = ["SPACES"]
