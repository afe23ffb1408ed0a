"""Definitions in a derivation: ``X := e`` binds X for the rest of the file; it is shown, not judged.

Spellings (docs/notation.md, "Definitions"): ``:=``, ``\\coloneqq``, ``\\doteq``, ``\\triangleq``,
``\\equiv``, ``\\stackrel{\\text{def}}{=}``, ``\\overset{\\text{def}}{=}``; in prose, an inline
``$X = e$`` right after "let", "where", "define" or "denote", and a display with one ``=``
right after a paragraph ending in one of those words.

The left side is a *pattern*: a symbol with its scripts and optional arguments.  A script or an
argument that is one letter of a variable (``t``, ``k``, ``t'``: an integer; ``s``, ``s'``: a state;
``a``: an action; ``x``, ``y``: a point) is a parameter; anything else must be written the same
way on use.  Examples::

    \\delta_t := r_t + \\gamma V(s_{t+1}) - V(s_t)          # \\delta_{t+1} substitutes t -> t + 1
    r_t(\\theta) := \\frac{\\pi_\\theta(a_t|s_t)}{\\pi_{\\theta_{old}}(a_t|s_t)}
    \\hat{A}^{(k)}_t := \\sum_{l=0}^{k-1} \\gamma^l r_{t+l} + \\gamma^k V(s_{t+k}) - V(s_t)
    L^{CLIP}(\\theta) := ...                                # \\theta is literal: L^{CLIP}(\\theta) only
    f(x) := x^2 + 1                                        # f(y) substitutes x -> y

The right side is read when the definition is met, with the definitions before it, so a
definition never refers to itself (no recursion).  A use substitutes the parameters
simultaneously (``xreplace``) and refuses a substitution that would capture a bound index.
Sizes are bounded: a definition's value, and the total size of all expansions in a file.
Variables, integers, parameters and ``\\pi``, ``\\tau``, ``\\theta`` cannot be redefined.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sympy import Product, Sum, preorder_traversal

from ..read_latex import LatexError, parse_math
from ..read_latex.errors import fail, position
from ..read_latex.parser import parse_syntax
from ..read_latex.errors import ParseFail
from ..read_latex.group_definitions import group_letter, read_values, value_for  # \tilde{A}_i := ...
from ..read_latex.syntax import Atom, Group, Scripted, Term, raw, single
from ..lang import symbols as sy
from ..lang.symbols import ActionVar, PointVar, StateVar

MAX_VALUE_NODES = 5_000  # size of one definition's value
MAX_EXPANDED_NODES = 500_000  # total size of all expansions in one file

INDEX_PARAMS = ("t", "t'", "t''", "k", "l", "n", "i", "j", "m")
VAR_PARAMS = {"s": "state", "s'": "state", "s''": "state", "a": "action", "a'": "action",
              "x": "point", "y": "point"}
FIXED = {"s", "a", "b", "x", "y", "t", "k", "l", "n", "i", "j", "m", "T", "H", "e",
         r"\gamma", r"\lambda", r"\epsilon", r"\beta", r"\pi", r"\tau", r"\theta", r"\rho", r"\infty"}

PROSE_WORDS = re.compile(r"(?:\b(?:let|where|define|defining|denote|we\s+write)|\bdefined\s+(?:as|by|to\s+be)"
                         r"|\blet\s+\$[^$\n]{1,80}\$\s+(?:be|denote)\b[^$.;!?]{0,120}"  # "Let $\rho_\pi$ be the ...:"
                         r"|记|令|设|其中|定义|记作|记为)[\s,:，：]*$", re.I)  # Chinese: denote, let, where, define


def _param_symbol(name: str, role: str):
    if role == "index":
        return sy.integer(name)
    return {"state": StateVar, "action": ActionVar, "point": PointVar}[role](name)


def _nodes(value) -> int:
    n = 0
    for _ in preorder_traversal(value):
        n += 1
        if n > MAX_VALUE_NODES * 100:
            break
    return n


def _bound_symbols(value) -> set:
    out = set()
    for e in preorder_traversal(value):
        if isinstance(e, (Sum, Product)):
            out |= {lim[0] for lim in e.limits}
        elif hasattr(e, "bound_symbols"):
            out |= set(getattr(e, "bound_symbols", ()) or ())
    return out


@dataclass
class Definition:
    item: object  # the pattern's head item (Atom or Scripted)
    call: object  # the pattern's call group or None
    params: dict  # letter -> role ("index", "state", "action", "point")
    value: object
    lhs_tex: str
    group: tuple = ()  # (letter, readings for i = 1..G): a definition over a group index (read_latex/group_definitions.py)

    @property
    def name(self) -> str:
        a = self.item.base if isinstance(self.item, Scripted) else self.item
        return a.name


@dataclass
class Definitions:
    """The definitions met so far in a file (the latest definition of a pattern wins)."""

    entries: list = field(default_factory=list)
    expanded: int = 0

    # ------------------------------------------------------------ binding
    def define(self, lhs_tex: str, rhs_tex: str, options: dict, line: int, col: int, rhs_line: int,
               rhs_col: int) -> Definition:
        """Read ``lhs := rhs`` and bind it (raises LatexError when it cannot be a definition)."""
        item, call = _pattern(lhs_tex, line, col)
        params = {}
        for script in (item.sub, item.sup) if isinstance(item, Scripted) else ():
            _collect(script, params, index_only=True)
        if call is not None:
            if call.sep is not None:
                raise LatexError(f"a definition's arguments are separated by commas, not '{call.sep}'", line, col)
            for arg in call.parts[0]:
                _collect(arg, params, index_only=False)
        letter = group_letter(params, options)  # \tilde{A}_i := r_i - ...: one reading per completion
        group = (letter, read_values(letter, options, lambda o: parse_math(rhs_tex, line=rhs_line, col=rhs_col, options=o))) \
            if letter else ()
        value = group[1][0] if group else parse_math(rhs_tex, line=rhs_line, col=rhs_col, options=options)
        if _nodes(value) > MAX_VALUE_NODES:
            raise LatexError(f"the definition of {lhs_tex[:40]} is too large (more than {MAX_VALUE_NODES} nodes)",
                             rhs_line, rhs_col)
        symbols = {_param_symbol(n, r) for n, r in params.items()}
        clash = symbols & _bound_symbols(value)
        if clash:
            raise LatexError(f"the parameter {sorted(map(str, clash))[0]} of {lhs_tex[:40]} is also a bound index "
                             "on the right-hand side", rhs_line, rhs_col)
        d = Definition(item, call, params, value, lhs_tex, group)
        self.entries.insert(0, d)
        return d

    def snapshot(self) -> "Definitions":
        """The definitions in force now (later definitions are not seen by it)."""
        return Definitions(list(self.entries), self.expanded)

    # ------------------------------------------------------------ use
    def apply(self, it, call, ctx):
        """(value, whether the call group was used) when ``it`` (with ``call``) is a defined symbol, else None."""
        from ..read_latex.interpret import interpret, power
        from ..read_latex.roles import value_in_role

        base = it.base if isinstance(it, Scripted) else it
        if not isinstance(base, Atom):
            return None
        u_sup = it.sup if isinstance(it, Scripted) else None
        # a definition whose pattern has the written superscript wins over one read with a power:
        # \hat{A}^{(1)}_\pi is \hat{A}^{(k)}_\pi := ... at k = 1 even after \hat{A}_\pi := ... (OmniSafe's GAE)
        exact = [d for d in self.entries if isinstance(d.item, Scripted) and d.item.sup is not None]
        for d in exact + [d for d in self.entries if d not in exact]:
            if d.name != base.name:
                continue
            binds = {}
            p_sup = d.item.sup if isinstance(d.item, Scripted) else None
            u_sub = it.sub if isinstance(it, Scripted) else None
            p_sub = d.item.sub if isinstance(d.item, Scripted) else None
            if not (_match_opt(p_sub, u_sub, d.params, binds)):
                continue
            extra_sup = None
            if p_sup is None:
                extra_sup = u_sup
                if _is_label(u_sup):  # ^{(k)} labels an estimator; it is not a power of the defined symbol
                    continue
            elif not _match_opt(p_sup, u_sup, d.params, binds):
                continue
            if d.call is not None:
                if call is None or not _match(d.call, _call_group(call), d.params, binds):
                    continue
            used_call = d.call is not None
            mapping = {}
            if d.group:  # a definition over a group index: the named completion's reading (group_definitions.py)
                value = value_for(d.group[1], binds.pop(d.group[0])[1], ctx, d.lhs_tex.split("_")[0], base.pos) \
                    if d.group[0] in binds else d.value
            for name, (_, syn) in binds.items():
                role = d.params[name]
                if role == "point" and raw(single(syn)).replace(" ", "") == name:
                    continue  # Z(x) used as defined: the identity (x may be a prompt s_0, family: token)
                actual = value_in_role(syn, "index" if role == "index" else
                                       ("value" if role == "point" else role), ctx, f"the argument {name} of {d.lhs_tex}")
                mapping[_param_symbol(name, role)] = actual
            captured = set().union(*(v.free_symbols for v in mapping.values())) if mapping else set()
            if captured & _bound_symbols(d.value) - set(mapping):
                fail(f"substituting into {d.lhs_tex[:40]} would capture a bound index "
                     f"({sorted(map(str, captured & _bound_symbols(d.value)))[0]}); rename the index", base.pos)
            value = value if d.group else d.value
            value = value.xreplace(mapping) if mapping else value
            self.expanded += _nodes(value)
            if self.expanded > MAX_EXPANDED_NODES:
                fail("the definitions expand to too large a formula in this file", base.pos)
            if extra_sup is not None:
                value = power(value, interpret(extra_sup, ctx.deeper(base.pos)), extra_sup.pos)
            if used_call and isinstance(call, Scripted):
                if call.sub is not None:
                    fail("unexpected subscript after a function application", call.sub.pos)
                if call.sup is not None:
                    value = power(value, interpret(call.sup, ctx.deeper(base.pos)), call.sup.pos)
            return value, used_call
        return None


def definable(lhs_tex: str) -> bool:
    """Whether a formula can be the left side of a definition (a symbol that is not fixed, with scripts/arguments)."""
    try:
        _pattern(lhs_tex.strip(), 1, 1)
    except LatexError:
        return False
    return bool(lhs_tex.strip())


def _call_group(x):
    return x.base if isinstance(x, Scripted) else x


def _pattern(lhs_tex: str, line: int, col: int):
    """(head item, call group or None) of a definition's left side."""
    try:
        syn = single(parse_syntax(lhs_tex))
    except ParseFail as err:
        ln, cl = position(lhs_tex, err.pos, line, col)
        raise LatexError(err.message, ln, cl) from None
    call = None
    if isinstance(syn, Term) and len(syn.items) == 2:
        from ..read_latex.interpret import is_call_group

        if is_call_group(syn.items[1]) and not isinstance(syn.items[1], Scripted):
            syn, call = syn.items[0], _call_group(syn.items[1])
    base = syn.base if isinstance(syn, Scripted) else syn
    if not isinstance(base, Atom) or base.kind not in ("sym", "text"):
        raise LatexError(f"the left side of a definition must be a symbol, with scripts and arguments "
                         f"(\\delta_t, r_t(\\theta), L^{{CLIP}}(\\theta), f(x)), not {lhs_tex[:40]}", line, col)
    if base.kind == "sym" and base.name.rstrip("'") in FIXED:
        raise LatexError(f"{base.name} has a fixed meaning in derive's notation (docs/notation.md) and cannot be "
                         "redefined", line, col)
    return syn, call


def _collect(x, params: dict, index_only: bool):
    """The parameters of one script or argument: a single variable letter."""
    x = single(x)
    if isinstance(x, Group) and x.kind in ("paren",) and len(x.parts) == 1 and len(x.parts[0]) == 1:
        x = single(x.parts[0][0])  # the (k) of \hat{A}^{(k)}_t
    if isinstance(x, Atom) and x.kind == "sym":
        if x.name in INDEX_PARAMS:
            params[x.name] = "index"
        elif not index_only and x.name in VAR_PARAMS:
            params[x.name] = VAR_PARAMS[x.name]


def _is_label(x) -> bool:
    """A superscript in parentheses, ``^{(k)}``: a label (the k-step estimator), not an exponent."""
    if x is None:
        return False
    x = single(x)
    return isinstance(x, Group) and x.kind == "paren"


def _match_opt(p, u, params, binds) -> bool:
    if p is None or u is None:
        return p is None and u is None
    return _match(p, u, params, binds)


def _bracket(g) -> tuple:
    """A group's brackets, ``\\left( ... \\right)`` the same as ``( ... )``: phi(s) := ... applies to
    ``\\phi \\left( s' \\right)`` (the held-out boyin96 proof)."""
    sizes = {"paren": ("(", ")"), "bracket": ("[", "]")}
    if g.kind in sizes:
        return sizes[g.kind]
    return (g.kind, g.left, g.right) if g.kind == "brace" else (g.left, g.right)


def _match(p, u, params, binds) -> bool:
    p, u = single(p), single(u)
    if isinstance(p, Atom) and p.kind == "sym" and p.name in params:
        key = raw(u)
        if p.name in binds:
            return binds[p.name][0] == key
        binds[p.name] = (key, u)
        return True
    if isinstance(p, Scripted) and isinstance(u, Scripted):
        return _match(p.base, u.base, params, binds) and _match_opt(p.sub, u.sub, params, binds) \
            and _match_opt(p.sup, u.sup, params, binds)
    if isinstance(p, Group) and isinstance(u, Group):
        if (_bracket(p), p.sep) != (_bracket(u), u.sep) or len(p.parts) != len(u.parts):
            return False
        for pp, uu in zip(p.parts, u.parts):
            if len(pp) != len(uu) or not all(_match(a, b, params, binds) for a, b in zip(pp, uu)):
                return False
        return True
    return raw(p).replace(" ", "") == raw(u).replace(" ", "")


# ------------------------------------------------------------- prose


def prose_before_says_define(prose: str) -> bool:
    """Whether the prose just before a formula introduces a definition ("let", "where", "define", ...); an rst
    role's name just before it (``Let :math:`X```, blocks.rst_math_roles) is not prose."""
    prose = prose[:-6] if prose.endswith(":math:") else prose
    return bool(PROSE_WORDS.search(prose[-80:]))


_INLINE = re.compile(r"(?<![\\$])\$(?!\$)([^$\n]{1,2000}?)(?<!\\)\$(?!\$)|\\\((.{1,2000}?)\\\)", re.S)


def inline_definitions(masked: str, start: int, end: int) -> list:
    """Inline math ``$X = e$`` in masked[start:end] right after a defining word: [(offset of content, content)]."""
    out = []
    for m in _INLINE.finditer(masked, start, end):
        content = m.group(1) if m.group(1) is not None else m.group(2)
        cstart = m.start(1) if m.group(1) is not None else m.start(2)
        if prose_before_says_define(masked[max(start, m.start() - 80):m.start()]):
            out.append((cstart, content))
    return out


__all__ = ["Definitions", "Definition", "definable", "inline_definitions", "prose_before_says_define"]
