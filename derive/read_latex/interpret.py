"""Syntax objects -> expressions of derive's language (derive/lang).

The grammar leaves every product as a flat list of items; this module applies
the scope rules (documented in docs/notation.md):

* ``\\sum``, ``\\prod`` and ``\\max_a`` are binders: their body is the rest of the
  product they stand in, up to the next ``+`` or ``-`` at the same level;
* ``\\log``, ``\\ln``, ``\\exp`` and ``\\nabla_\\theta`` bind the next factor only (a
  function application, a group, a ``\\frac``, a symbol with its scripts, or
  another prefix operator with its argument);
* a symbol directly followed by ``( ... )`` is a function application when the
  notation says the symbol is a function (``V^\\pi(s)``, ``\\pi(a|s)``, ``f(x)``);
  otherwise the two are multiplied (``\\gamma(1-\\lambda)``).

Names are resolved through the registries of :mod:`derive.read_latex.registry` (filled by
:mod:`derive.read_latex.readings`).
Only constructors are used; numbers are built from validated digit strings.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from sympy import Abs, Add, Integer, Mul, Rational

from ..lang import nodes
from ..lang.optimal import Same
from ..lang.symbols import ActionVar, StateVar
from .arithmetic import MAX_NUMBER_BITS, _bits, check_output, number, power, reciprocal  # noqa: F401  (check_output: tests)
from .errors import fail
from .matrix_marks import ordered_product
from .registry import BARS, HEADS, OPS, PRE_HEADS
from .series import has_ellipsis, series
from .syntax import (Atom, Cond, Expr, Frac, Group, MulOp, Placeholder, Rel, Scripted, Sqrt, Syn, Term, base_atom, raw,
                     single)

MAX_OP_DEPTH = 120  # nesting of operators and groups while interpreting


@dataclass(frozen=True)
class Ctx:
    options: dict
    actions: frozenset = frozenset()  # letters bound as action variables (\sum_b, b \sim \pi)
    role: str = "value"  # value, state, action, point, var, index
    depth: int = 0
    draw_state: object = None  # the state drawn last by an enclosing E_{s \sim d} E_{a \sim \pi}[...]

    def deeper(self, pos: int, role: str = "value") -> "Ctx":
        if self.depth + 1 > MAX_OP_DEPTH:
            fail(f"the formula is nested too deeply (more than {MAX_OP_DEPTH} operators inside each other)", pos)
        return replace(self, depth=self.depth + 1, role=role)

    def binding(self, letter: str) -> "Ctx":
        return replace(self, actions=self.actions | {letter})


# --------------------------------------------------------------- entry


def interpret(x: Syn, ctx: Ctx):
    """The value of any syntax object."""
    if isinstance(x, Expr):
        return expr(x, ctx)
    if isinstance(x, Term):
        return product(x.items, 0, ctx)[0]
    if isinstance(x, (Rel, Placeholder, MulOp)):
        misplaced(x)
    return product([x], 0, ctx)[0]


def misplaced(x: Syn):
    if isinstance(x, Rel):
        if x.kind == "|":  # a bar in a subscript: only \mathbb{E}_{\tau | \pi} (expectations.py)
            fail(r"'|' inside braces is read only in \mathbb{E}_{\tau|\pi} (trajectories of a policy); "
                 r"write draws with \sim, e.g. \mathbb{E}_{a \sim \pi(\cdot|s)}", x.pos)
        if x.kind == "range":  # s_{0:t}: read only where read_latex/index_ranges.py reads it
            misplaced_range(x)
        what = {"=": "'='", "~": "\\sim", "in": "\\in"}[x.kind]
        fail(f"{what} is only allowed in a subscript such as \\sum_{{t=0}} or \\mathbb{{E}}_{{a \\sim \\pi}}", x.pos)
    if isinstance(x, Placeholder):
        fail("the placeholder \\cdot is only allowed in \\pi(\\cdot|s) or P(\\cdot|s,a)", x.pos)
    fail(f"unexpected {raw(x)!r}", x.pos)


def misplaced_range(x: Rel):
    """Refuse an index range s_{0:t} outside the places read_latex/index_ranges.py reads it."""
    fail(r"an index range such as s_{0:t}, a_{t:T-1} or \tau_{:t} is read in an expectation's subscript "
         r"(\mathbb{E}_{s_{0:t}, a_{0:t-1}}[X], \mathbb{E}_{\tau_{:t} \sim \pi_\theta}[X]) or after its bar "
         r"([X \mid \tau_{:t}]), not here: write the variables one by one (s_t, a_t) or the expectation over "
         r"the trajectory, \mathbb{E}_{\tau \sim \pi_\theta}[X]", x.pos)


def expr(e: Expr, ctx: Ctx):
    if has_ellipsis(e):  # r_t + \gamma r_{t+1} + \cdots: a series (read_latex/series.py)
        return series(e, ctx, lambda t: product(t.items, 0, ctx)[0])
    terms = []
    for sign, t in e.terms:
        v = product(t.items, 0, ctx)[0]
        terms.append(-v if sign < 0 else v)
    return Add(*terms)


def product(items: list, i: int, ctx: Ctx, keep_sum: bool = False):
    """The product of items[i:] (a binder takes everything after it).

    ``keep_sum``: a number times one sum stays a product (``3 (x + y)``, not ``3 x + 3 y``), as
    in the denominator of a fraction, so that the reciprocal is ``(1/3) / (x + y)`` as SymPy
    builds it.
    """
    factors = []
    coeff = Integer(1)  # numbers are multiplied here, checking their size as they grow
    while i < len(items):
        it = items[i]
        pos = it.pos
        if isinstance(it, MulOp):
            if i + 1 >= len(items):
                fail(f"{raw(it).strip()} needs a factor after it", it.pos)
            if it.kind == "div":
                f, i = factor(items, i + 1, ctx)
                f = reciprocal(f, it.pos)
            else:
                i += 1
                continue
        else:
            f, i = factor(items, i, ctx)
        c, rest = f.as_coeff_Mul() if not isinstance(f, Rational) else (f, Integer(1))
        if c != 1:
            if _bits(c) + _bits(coeff) > MAX_NUMBER_BITS:
                fail("a number in this product is too large", pos)
            coeff = coeff * c
        if rest != 1:
            factors.append(rest)
    factors = ordered_product(factors)  # u v^\top, u^\top M v: matrix products in written order (matrix_marks.py)
    if keep_sum and coeff != 1 and len(factors) == 1 and isinstance(factors[0], Add):
        return Mul(coeff, factors[0], evaluate=False), i
    return Mul(coeff, *factors), i


def binder_body(items, i, ctx: Ctx, what: str, pos: int):
    """The body of a binder at items[i] (\\sum_t X, \\max_a X): the product of the items after it."""
    if i + 1 >= len(items):
        fail(f"{what} has nothing to act on", pos)
    return product(items, i + 1, ctx)


def factor(items: list, i: int, ctx: Ctx):
    """One factor starting at items[i]: (value, index after it)."""
    it = items[i]
    if isinstance(it, MulOp):
        fail(f"{raw(it).strip()} needs a factor before and after it", it.pos)
    atom = base_atom(it)
    if atom is not None and atom.kind == "op":
        return OPS[atom.name](it, items, i, ctx.deeper(atom.pos, ctx.role))
    nxt = items[i + 1] if i + 1 < len(items) else None
    call = nxt if is_call_group(nxt) else None
    value, consumed = primary(it, call, ctx)
    return value, i + (2 if consumed else 1)


def unknown_symbol(h: "Head"):
    """Fail on a symbol no reading knows."""
    if h.kind == "text":
        fail(f"unknown name \\operatorname{{{h.name}}} (known: clip, KL)", h.pos)
    fail(f"unknown symbol {h.label}", h.pos)


def is_call_group(x) -> bool:
    g = x.base if isinstance(x, Scripted) else x
    return isinstance(g, Group) and (g.kind == "paren" or (g.kind == "left" and g.left == "(" and g.right == ")"))


def call_group(x) -> Group:
    return x.base if isinstance(x, Scripted) else x


def primary(it: Syn, call, ctx: Ctx):
    """(value, whether the following call group was used) of one item."""
    atom = base_atom(it)
    defs = ctx.options.get("definitions")  # the file's own definitions (read_markdown/definitions.py)
    if defs is not None and atom is not None and atom.kind in ("sym", "text"):
        hit = defs.apply(it, call, ctx)
        if hit is not None:
            return hit
    if atom is not None and atom.kind in ("sym", "text"):
        head = Head(it, atom, call, ctx)
        for pre in PRE_HEADS:  # a symbol the options name as free (free_quantities.py)
            hit = pre(head, ctx)
            if hit is not None:
                return hit
        builder = HEADS.get(head.key)
        if builder is None:
            unknown_symbol(head)
        value = builder(head, ctx)
        return head.finish(value, ctx), head.took_call
    base = it.base if isinstance(it, Scripted) else it
    if isinstance(base, Atom) and base.kind == "num":
        value = number(base)
    elif isinstance(base, Atom):  # an operator where a value is needed, e.g. x^\sum
        fail(f"\\{base.name} cannot be used here", base.pos)
    elif isinstance(base, Group) and base.kind == "left" and base.left == "." and base.right == "|" \
            and isinstance(it, Scripted) and it.sub is not None:
        value = BARS["at"](base, it.sub, ctx)
    elif isinstance(base, Group):
        value = group(base, ctx)
    elif isinstance(base, Frac):
        num = interpret(base.num, ctx.deeper(base.pos))
        den = denominator(base.den, ctx.deeper(base.pos))
        value = Mul(num, reciprocal(den, base.den.pos))
    elif isinstance(base, Sqrt):
        value = power(interpret(base.arg, ctx.deeper(base.pos)), Rational(1, 2), base.pos)
    elif isinstance(base, Cond):
        value = indicator(base, ctx)
    else:
        misplaced(base)
    if isinstance(it, Scripted):
        if it.sub is not None and not (isinstance(base, Group) and base.left == "." and base.right == "|"):
            fail(f"unexpected subscript on {raw(base)[:40]}", it.sub.pos)
        if it.sup is not None:
            value = power(value, interpret(it.sup, ctx.deeper(it.pos)), it.sup.pos)
    return value, False


# ------------------------------------------------------------------ heads


class Head:
    """A symbol with its scripts and the ( ... ) group that follows it, for a notation builder.

    A builder takes the parts it gives a meaning to (``take_sub``, ``take_sup``,
    ``take_call``); an untaken superscript is a power, an untaken subscript an
    error, an untaken call group an ordinary factor (juxtaposition).
    """

    def __init__(self, it: Syn, atom: Atom, call, ctx: Ctx):
        self.item = it
        self.atom = atom
        self.pos = atom.pos
        self.kind = atom.kind
        name = atom.name
        self.primes = len(name) - len(name.rstrip("'"))
        self.base = name.rstrip("'")
        self.key = ("text:" + name) if atom.kind == "text" else self.base
        self.name = name
        self.sub = it.sub if isinstance(it, Scripted) else None
        self.sup = it.sup if isinstance(it, Scripted) else None
        self.call_item = call
        self.call = call_group(call) if call is not None else None
        self.took_sub = self.took_sup = self.took_call = self.took_params = False

    @property
    def label(self) -> str:
        if self.kind == "text":
            return "\\operatorname{%s}" % self.name
        if self.base.startswith("hat:"):
            return "\\hat{%s}" % self.base[4:] + "'" * self.primes
        if self.base.startswith("cal:"):
            return "\\mathcal{%s}" % self.base[4:]
        return self.name

    def take_sub(self, required: str | None = None):
        if self.sub is None and required:
            fail(f"{self.label} needs a subscript: {required}", self.pos)
        self.took_sub = True
        return self.sub

    def take_sup(self, required: str | None = None):
        if self.sup is None and required:
            fail(f"{self.label} needs a superscript: {required}", self.pos)
        self.took_sup = True
        return self.sup

    def take_call(self, required: str | None = None):
        if self.call is None:
            if required:
                fail(f"{self.label} must be applied to arguments: {required}", self.pos)
            return None
        self.took_call = True
        return self.call

    def take_params(self):
        """The items after ';' in the call group (P(\\tau;\\theta)), or None."""
        self.took_params = True
        return self.call.params[0] if self.call is not None and self.call.params else None

    def no_primes(self):
        if self.primes:
            fail(f"{self.label} cannot carry a prime here", self.pos)

    def finish(self, value, ctx: Ctx):
        if self.took_call and self.call.params and not self.took_params:
            fail(f"';' (a parameter) is only read in P(\\tau;\\theta) and \\pi(a|s;\\theta), not after {self.label}",
                 self.call.params[1])
        if self.sub is not None and not self.took_sub:
            fail(f"unexpected subscript on {self.label}", self.sub.pos)
        if self.took_call and isinstance(self.call_item, Scripted):
            if self.call_item.sub is not None:
                fail("unexpected subscript after a function application", self.call_item.sub.pos)
            if self.call_item.sup is not None and self.sup is not None and not self.took_sup:
                fail(f"{self.label} has two superscripts", self.call_item.sup.pos)
        if self.sup is not None and not self.took_sup:
            value = power(value, interpret(self.sup, ctx.deeper(self.pos)), self.sup.pos)
        if self.took_call and isinstance(self.call_item, Scripted) and self.call_item.sup is not None:
            value = power(value, interpret(self.call_item.sup, ctx.deeper(self.pos)), self.call_item.sup.pos)
        return value


def arguments(g: Group, counts, what: str) -> list:
    """The comma-separated arguments of a call group without a bar, checking their number."""
    if g.sep is not None:
        fail(f"{what} takes no '{g.sep}' in its arguments", g.sep_pos)
    args = g.parts[0]
    if isinstance(counts, int):
        counts = (counts,)
    if len(args) not in counts:
        want = " or ".join(str(c) for c in counts)
        fail(f"{what} takes {want} argument{'s' if counts != (1,) else ''}, got {len(args)}", g.pos)
    for a in args:
        if isinstance(a, Placeholder) or (isinstance(a, Rel) and a.kind != "="):
            misplaced(a)  # an event S_t = s is read by value_in_role (its value), refused anywhere else
    return args


def group(g: Group, ctx: Ctx):
    """The value of a parenthesised / bracketed / braced group holding one expression."""
    if g.kind == "left":
        pair = g.left + g.right
        if g.left == "." and g.right == "|":
            fail("an evaluation bar \\left. ... \\right| needs a subscript such as _{\\theta=\\theta_{old}}",
                 g.pos)
        if pair == "||":
            return Abs(group_value(g, ctx))
        if pair == "<>":  # \left\langle u, v \right\rangle: the inner product of two gradients
            u, v = arguments(g, 2, r"\langle u, v \rangle")
            return nodes.Inner(interpret(u, ctx.deeper(g.pos)), interpret(v, ctx.deeper(g.pos)))
        if g.left not in "([{" or g.right not in ")]}":
            fail(f"unsupported delimiters \\left{g.left} ... \\right{g.right}", g.pos)
    return group_value(g, ctx)


def group_value(g: Group, ctx: Ctx):
    if g.params:
        fail("';' (a parameter) is only read in P(\\tau;\\theta) and \\pi(a|s;\\theta)", g.params[1])
    if g.sep is not None:
        fail(f"'{g.sep}' is only allowed in a conditional such as \\pi(a|s), P(s'|s,a) or D_{{KL}}(q\\|p)",
             g.sep_pos)
    items = g.parts[0]
    if len(items) != 1:
        fail("a list of several expressions where one is expected (a comma outside function arguments)",
             items[1].pos if len(items) > 1 else g.pos)
    x = items[0]
    if isinstance(x, (Placeholder, Rel)):
        misplaced(x)
    return interpret(x, ctx.deeper(g.pos))


def denominator(x: Syn, ctx: Ctx):
    """The value of a fraction's denominator: a number times a sum is kept as a product."""
    inner = x
    if isinstance(inner, Group) and inner.kind == "brace" and len(inner.parts) == 1 and len(inner.parts[0]) == 1:
        inner = inner.parts[0][0]
    if isinstance(inner, Expr) and len(inner.terms) == 1 and inner.terms[0][0] == 1:
        inner = inner.terms[0][1]
    if isinstance(inner, Term):
        return product(inner.items, 0, ctx, keep_sum=True)[0]
    return interpret(x, ctx)


def indicator(c: Cond, ctx: Ctx):
    """\\mathbb{1}[lhs op rhs]: the Indicator node of a SymPy relational (1 or 0 when it is decided)."""
    from sympy import Eq, Ge, Gt, Le, Lt, Ne
    from sympy.logic.boolalg import BooleanFalse, BooleanTrue

    for side in (c.lhs, c.rhs):
        if isinstance(single(side), (Rel, Placeholder)):
            misplaced(single(side))
    lhs = interpret(c.lhs, ctx.deeper(c.pos))
    rhs = interpret(c.rhs, ctx.deeper(c.pos))
    cls = {">": Gt, "<": Lt, ">=": Ge, "<=": Le, "=": Eq, "!=": Ne}.get(c.op)
    if cls is None:  # pragma: no cover - the tokenizer emits only these
        fail(f"unsupported comparison {c.op!r} in an indicator", c.pos)
    try:
        cond = cls(lhs, rhs)
    except TypeError:
        fail("the two sides of the comparison in an indicator must be real numbers", c.pos)
    if isinstance(cond, BooleanTrue):
        return Integer(1)
    if isinstance(cond, BooleanFalse):
        return Integer(0)
    if c.op == "=" and _same_kind(lhs, rhs):  # \mathbb{1}[s_t = s]: the node \Pr(s_t = s) is made of (lang/optimal.py)
        return Same(lhs, rhs)
    return nodes.Indicator(cond)


def _same_kind(lhs, rhs) -> bool:
    """Two states or two actions (s_t, s, s'; a_t, a): their equality indicator is the node Same."""
    kinds = ((nodes.St, StateVar), (nodes.At, ActionVar))
    return any(isinstance(lhs, k) and isinstance(rhs, k) for k in kinds)
