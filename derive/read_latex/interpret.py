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

Names are resolved through the registries of :mod:`derive.read_latex.notation`.
Only constructors are used; numbers are built from validated digit strings.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from sympy import Abs, Add, E, Integer, Max, Min, Mul, Pow, Rational, Symbol, exp, log, oo
from sympy.core.numbers import ComplexInfinity, NaN

from ..lang import nodes
from ..lang.symbols import ActionVar, PointVar, StateVar
from .errors import fail
from .syntax import Atom, Cond, Expr, Frac, Group, MulOp, Placeholder, Rel, Scripted, Sqrt, Syn, Term, base_atom, raw, single

MAX_OP_DEPTH = 120  # nesting of operators and groups while interpreting
from ..lang.limits import MAX_EXPONENT  # |integer exponent| (and numerator/denominator of a rational one)
MAX_NUMBER_BITS = 20_000  # size of a number a power may produce


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
            from .index_ranges import misplaced_range

            misplaced_range(x)
        what = {"=": "'='", "~": "\\sim", "in": "\\in"}[x.kind]
        fail(f"{what} is only allowed in a subscript such as \\sum_{{t=0}} or \\mathbb{{E}}_{{a \\sim \\pi}}", x.pos)
    if isinstance(x, Placeholder):
        fail("the placeholder \\cdot is only allowed in \\pi(\\cdot|s) or P(\\cdot|s,a)", x.pos)
    fail(f"unexpected {raw(x)!r}", x.pos)


def expr(e: Expr, ctx: Ctx):
    from .series import has_ellipsis, series

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
    if keep_sum and coeff != 1 and len(factors) == 1 and isinstance(factors[0], Add):
        return Mul(coeff, factors[0], evaluate=False), i
    return Mul(coeff, *factors), i


def factor(items: list, i: int, ctx: Ctx):
    """One factor starting at items[i]: (value, index after it)."""
    from .notation import OPS

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


def is_call_group(x) -> bool:
    g = x.base if isinstance(x, Scripted) else x
    return isinstance(g, Group) and (g.kind == "paren" or (g.kind == "left" and g.left == "(" and g.right == ")"))


def call_group(x) -> Group:
    return x.base if isinstance(x, Scripted) else x


def primary(it: Syn, call, ctx: Ctx):
    """(value, whether the following call group was used) of one item."""
    from .notation import HEADS, unknown_symbol

    atom = base_atom(it)
    defs = ctx.options.get("definitions")  # the file's own definitions (read_markdown/definitions.py)
    if defs is not None and atom is not None and atom.kind in ("sym", "text"):
        hit = defs.apply(it, call, ctx)
        if hit is not None:
            return hit
    if atom is not None and atom.kind in ("sym", "text"):
        head = Head(it, atom, call, ctx)
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
        from .operators import eval_bar

        value = eval_bar(base, it.sub, ctx)
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
    return nodes.Indicator(cond)


# -------------------------------------------------------------- numbers


def number(a: Atom):
    text = a.name
    if "." in text:
        whole, frac = text.split(".")
        return Rational(int(whole or "0") * 10 ** len(frac) + int(frac), 10 ** len(frac))
    return Integer(int(text))


def reciprocal(x, pos: int):
    if x == 0:
        fail("division by zero", pos)
    return Pow(x, -1)


def _bits(r) -> int:
    return int(r.p).bit_length() + int(r.q).bit_length()


def power(base, expo, pos: int):
    if expo.has(oo) or expo.has(-oo):
        fail("an infinite exponent", pos)
    if isinstance(expo, Rational):
        if abs(expo.p) > MAX_EXPONENT or expo.q > MAX_EXPONENT:
            fail(f"the exponent {expo} is too large (at most {MAX_EXPONENT} in absolute value)", pos)
        if isinstance(base, Rational) and base == 0 and expo < 0:
            fail("division by zero (0 to a negative power)", pos)
        c = base if isinstance(base, Rational) else base.as_coeff_Mul()[0] if isinstance(base, Mul) else None
        if c is not None and _bits(c) * abs(expo.p) > MAX_NUMBER_BITS:
            fail(f"the number {_short(c)}^{expo} is too large", pos)
    if base == E:
        return safe_exp(expo)
    return Pow(base, expo)


def _short(r) -> str:
    s = str(r)
    return s if len(s) <= 20 else s[:17] + "..."


def safe_exp(x):
    v = exp(x)
    if v == E:
        return exp(Integer(1), evaluate=False)
    return v


def safe_log(x, pos: int):
    if x == 0:
        fail("log of zero", pos)
    if isinstance(x, Rational) and x < 0:
        fail("log of a negative number", pos)
    return log(x)


# ---------------------------------------------------------------- roles


def value_in_role(x: Syn, role: str, ctx: Ctx, what: str):
    """Interpret an argument that must be a state / action / point variable or an integer (or, in Sutton &
    Barto's values, an event ``v_\\pi(S_t = s)``: its value, events.py)."""
    x = single(x)
    if isinstance(x, Rel) and x.kind == "=":
        from .events import event_value

        return event_value(x, role, ctx, what)
    v = interpret(x, ctx.deeper(x.pos, role))
    check_role(v, role, x, what)
    return v


def check_role(v, role: str, x: Syn, what: str):
    ok = {
        "state": lambda: isinstance(v, (StateVar, nodes.St)),
        "action": lambda: isinstance(v, (ActionVar, nodes.At)) or type(v).__name__ == "ArgMax",
        "point": lambda: isinstance(v, PointVar),
        "var": lambda: isinstance(v, (StateVar, ActionVar, PointVar, nodes.St, nodes.At)),
        "index": lambda: is_integer_expr(v),
        "value": lambda: True,
    }[role]()
    if not ok:
        want = {
            "state": "a state (s, s', s_t, s_{t+1}, ...)",
            "action": "an action (a, a', b, a_t, ...)",
            "point": "a point of X (x, y)",
            "var": "a variable (s, a, x, s_t, a_t, ...)",
            "index": "an integer expression (t, t+1, T-1, k, ...)",
        }[role]
        fail(f"{what} must be {want}, not {raw(x)[:40]}", x.pos)


def index(x: Syn, ctx: Ctx, what: str = "the index"):
    value = value_in_role(x, "index", ctx, what)
    if ctx.options.get("horizon") == "from-1" and what.startswith("the time index of"):
        return value - 1  # horizon: from-1 (CS285: s_1 is the first state): the written s_u is derive's s_{u-1}
    return value


def is_integer_expr(v) -> bool:
    stack = [v]
    while stack:
        e = stack.pop()
        if isinstance(e, Integer):
            continue
        if isinstance(e, Symbol):
            if not e.is_integer or isinstance(e, (StateVar, ActionVar, PointVar)):
                return False
            continue
        if isinstance(e, (Add, Mul)):
            stack.extend(e.args)
            continue
        if isinstance(e, Pow) and isinstance(e.exp, Integer) and e.exp >= 0:
            stack.append(e.base)
            continue
        return False
    return True


# ---------------------------------------------------------- final check

_ALLOWED = None


def check_output(v, pos: int = 0):
    """Every object of the result is one derive knows (and no division by zero slipped through)."""
    global _ALLOWED
    if _ALLOWED is None:
        from sympy import Product, Sum, Tuple
        from sympy.core.numbers import Infinity, NegativeInfinity
        from sympy.core.relational import Relational
        from sympy.core.symbol import Str

        _ALLOWED = (nodes.Node, Symbol, Str, Rational, Add, Mul, Pow, Sum, Product, log, exp, Min, Max, Abs,
                    Tuple, Infinity, NegativeInfinity, Relational)
    stack = [v]
    seen = 0
    while stack:
        e = stack.pop()
        seen += 1
        if isinstance(e, Rational) and _bits(e) > MAX_NUMBER_BITS:
            fail("a number in the formula is too large", pos)
        if isinstance(e, (ComplexInfinity, NaN)):
            fail("the formula is undefined (a division by zero)", pos)
        if not isinstance(e, _ALLOWED):
            fail(f"the formula produces {type(e).__name__}, which derive cannot evaluate "
                 "(e.g. the log of a negative number)", pos)
        stack.extend(e.args)
    return v


from . import notation  # noqa: E402,F401  (the registries; imports the helpers above)
