"""Syntax objects: the parse tree of a formula before notation gives it meaning.

Every object carries ``pos``, its offset in the math text, for error messages.
``raw(x)`` is a canonical spelling used to recognise names written in many ways
(``\\theta_{\\text{old}}``, ``\\theta_\\mathrm{old}`` and ``\\theta_{old}`` all read
``\\theta_{old}``).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field


@dataclass(eq=False)
class Syn:
    pos: int


@dataclass(eq=False)
class Atom(Syn):
    """A single token: kind 'sym' (letter or Greek), 'text', 'op' or 'num'."""

    kind: str
    name: str  # canonical: 's', "s'", '\\gamma', 'hat:A', 'cal:S', 'old', 'sum', '12'


@dataclass(eq=False)
class Scripted(Syn):
    base: Syn
    sub: Syn | None = None
    sup: Syn | None = None


@dataclass(eq=False)
class Group(Syn):
    """( ), [ ], { } or \\left \\right.  ``parts`` are lists of items split by ``sep`` (| or \\|)."""

    kind: str  # 'paren', 'bracket', 'brace', 'left'
    left: str
    right: str
    parts: list = field(default_factory=list)
    sep: str | None = None  # None, '|' or '||'
    sep_pos: int = 0
    params: tuple | None = None  # (items, offset of ';') of P(\tau;\theta), \pi(a|s;\theta)


@dataclass(eq=False)
class Rel(Syn):
    kind: str  # '=', '~', 'in'
    lhs: Syn = None
    rhs: Syn = None


@dataclass(eq=False)
class Cond(Syn):
    """The indicator bracket \\mathbb{1}[lhs op rhs]; op is one of > < >= <= = !=."""

    op: str
    lhs: Syn = None
    rhs: Syn = None


@dataclass(eq=False)
class Placeholder(Syn):
    """The \\cdot of \\pi(\\cdot|s)."""


@dataclass(eq=False)
class Frac(Syn):
    num: Syn = None
    den: Syn = None


@dataclass(eq=False)
class Sqrt(Syn):
    arg: Syn = None


@dataclass(eq=False)
class MulOp(Syn):
    kind: str  # 'cdot', 'times', 'div'


@dataclass(eq=False)
class Term(Syn):
    items: list = field(default_factory=list)  # Syn and MulOp


@dataclass(eq=False)
class Expr(Syn):
    terms: list = field(default_factory=list)  # (sign +1/-1, Term)


# ------------------------------------------------------------------ helpers


def base_atom(x: Syn):
    """The Atom at the base of x (x itself or a Scripted atom), else None."""
    if isinstance(x, Scripted):
        x = x.base
    return x if isinstance(x, Atom) else None


def single(x: Syn):
    """The one item inside x when x is a brace group / one-item Expr / one-factor Term, else x."""
    while True:
        if isinstance(x, Group) and x.kind == "brace" and len(x.parts) == 1 and len(x.parts[0]) == 1:
            x = x.parts[0][0]
        elif isinstance(x, Expr) and len(x.terms) == 1 and x.terms[0][0] == 1:
            x = x.terms[0][1]
        elif isinstance(x, Term) and len(x.items) == 1:
            x = x.items[0]
        else:
            return x


def raw(x) -> str:
    """Canonical spelling of a syntax object (for recognising names, not for values)."""
    if x is None:
        return ""
    if isinstance(x, Atom):
        return {"op": "\\" + x.name}.get(x.kind, x.name)
    if isinstance(x, Scripted):
        out = raw(x.base)
        if x.sub is not None:
            out += "_{" + raw(x.sub) + "}"
        if x.sup is not None:
            out += "^{" + raw(x.sup) + "}"
        return out
    if isinstance(x, Group):
        inner = (x.sep or "").join(",".join(raw(a) for a in part) for part in x.parts)
        if x.kind == "brace":
            return inner
        return {"paren": "(%s)", "bracket": "[%s]"}.get(x.kind, x.left + "%s" + x.right) % inner
    if isinstance(x, Rel):
        return raw(x.lhs) + {"=": "=", "~": "\\sim ", "in": "\\in ", "|": "|", "range": ":"}[x.kind] + raw(x.rhs)
    if isinstance(x, Cond):
        return "\\mathbb{1}[%s%s%s]" % (raw(x.lhs), x.op, raw(x.rhs))
    if isinstance(x, Placeholder):
        return "\\cdot"
    if isinstance(x, Frac):
        return "\\frac{%s}{%s}" % (raw(x.num), raw(x.den))
    if isinstance(x, Sqrt):
        return "\\sqrt{%s}" % raw(x.arg)
    if isinstance(x, MulOp):
        return {"cdot": "\\cdot ", "times": "\\times ", "div": "/"}[x.kind]
    if isinstance(x, Term):
        return "".join(raw(i) for i in x.items)
    if isinstance(x, Expr):
        out = ""
        for k, (sign, term) in enumerate(x.terms):
            if sign < 0 or k:
                out += "-" if sign < 0 else "+"
            out += raw(term)
        return out
    return "?"


def rewrite(x, atom=None, node=None, depth: int = 0):
    """x rebuilt bottom-up: ``atom(a)`` replaces each Atom, ``node(n)`` each other syntax object after its
    children (each returns the replacement or the same object); the same object where nothing changed."""
    if depth > 400:
        return x
    if isinstance(x, Atom):
        return atom(x) if atom else x
    if isinstance(x, (list, tuple)):
        out = type(x)(rewrite(i, atom, node, depth + 1) for i in x)
        return x if all(a is b for a, b in zip(out, x)) else out
    if not isinstance(x, Syn):
        return x
    changes = {}
    for f in dataclasses.fields(x):
        v = getattr(x, f.name)
        if isinstance(v, (Syn, list, tuple)):
            w = rewrite(v, atom, node, depth + 1)
            if w is not v:
                changes[f.name] = w
    x = dataclasses.replace(x, **changes) if changes else x
    return node(x) if node else x
