"""Lark parse tree -> syntax objects (derive/read_latex/syntax.py).

A non-recursive transformer, so long formulas cannot exhaust the Python stack.
"""
from __future__ import annotations

from lark import Token
from lark.visitors import Transformer_NonRecursive

from .errors import fail
from .syntax import Atom, Cond, Expr, Frac, Group, MulOp, Placeholder, Rel, Scripted, Sqrt, Term


def _pos(x) -> int:
    if isinstance(x, Token):
        return x.start_pos
    return x.pos


class ToSyntax(Transformer_NonRecursive):
    def start(self, c):
        return c[0]

    # ------------------------------------------------------------ sums
    def sign(self, c):
        return c[0]

    def expr(self, c):
        terms = []
        sign = 1
        for x in c:
            if isinstance(x, Token):
                if x.type == "MINUS":
                    sign = -sign
            else:
                terms.append((sign, x))
                sign = 1
        return Expr(_pos(c[0]), terms)

    def mulop(self, c):
        tok = c[0]
        return MulOp(tok.start_pos, "cdot" if tok.type == "CDOT" else tok.value)

    def term(self, c):
        return Term(_pos(c[0]), list(c))

    def item(self, c):
        if len(c) == 1:
            return c[0]
        base, (sub, sup) = c
        return Scripted(base.pos, base, sub, sup)

    # --------------------------------------------------------- primaries
    def number(self, c):
        return Atom(c[0].start_pos, "num", str(c[0]))

    def sym(self, c):
        # .value, not str(token): the tokenizer appends the primes of s^\prime to .value (a lark Token's str
        # is fixed when it is made), so str() would lose them and read s^\prime as s
        return Atom(c[0].start_pos, "sym", str(c[0].value))

    def text(self, c):
        return Atom(c[0].start_pos, "text", str(c[0]))

    def op(self, c):
        return Atom(c[0].start_pos, "op", str(c[0]))

    def _group(self, kind, c):
        left, plist, right = c
        parts, sep, sep_pos, params = plist
        return Group(left.start_pos, kind, str(left), str(right), parts, sep, sep_pos, params)

    def paren(self, c):
        return self._group("paren", c)

    def bracket(self, c):
        return self._group("bracket", c)

    def leftright(self, c):
        return self._group("left", c)

    def brace(self, c):
        left, items, _right = c
        return Group(left.start_pos, "brace", "{", "}", [items])

    def frac(self, c):
        return Frac(c[0].start_pos, c[1], c[2])

    def sqrt(self, c):
        return Sqrt(c[0].start_pos, c[1])

    def indicator(self, c):
        ind, _left, (op, lhs, rhs), _right = c
        return Cond(ind.start_pos, op, lhs, rhs)

    def cond(self, c):
        lhs, tok, rhs = c
        return ({"EQ": "="}.get(tok.type, str(tok)), lhs, rhs)

    def cmp(self, c):
        return c[0]

    def arg(self, c):
        return c[0]

    def primary(self, c):  # the brace alternative
        return c[0]

    # ----------------------------------------------------------- scripts
    def sub(self, c):
        return (c[1], None)

    def sup(self, c):
        return (None, c[1])

    def subsup(self, c):
        return (c[1], c[3])

    def supsub(self, c):
        return (c[3], c[1])

    # ------------------------------------------------------------- lists
    def plist(self, c):
        params = None
        if len(c) >= 3 and isinstance(c[-2], Token) and c[-2].type == "SEMI":
            params = (c[-1], c[-2].start_pos)  # the ; parameters: P(\tau;\theta)
            c = c[:-2]
        if len(c) == 1:
            return ([c[0]], None, 0, params)
        bar = c[1]
        return ([c[0], c[2]], "||" if bar.type == "PARALLEL" else "|", bar.start_pos, params)

    def bar(self, c):
        return c[0]

    def pargs(self, c):
        return [x for x in c if not isinstance(x, Token)]

    def parg(self, c):
        return c[0]

    def pequal(self, c):
        lhs, tok, rhs = c
        return Rel(tok.start_pos, "=", lhs, rhs)

    def placeholder(self, c):
        return Placeholder(c[0].start_pos)

    def placeholder_juxt(self, c):  # \pi(\cdot s_t): the placeholder and the condition, their bar lost (lost_bars.py)
        return Term(c[0].start_pos, [Placeholder(c[0].start_pos), c[1]])

    def slist(self, c):
        return [x for x in c if not isinstance(x, Token)]

    def sitem(self, c):
        if len(c) == 1:
            return c[0]
        lhs, rel, rhs = c
        return Rel(rel.start_pos, {"EQ": "=", "SIM": "~", "IN": "in", "MID": "|"}[rel.type], lhs, rhs)

    def rel(self, c):
        return c[0]

    def srange(self, c):  # s_{0:t}, \tau_{:t}, \tau_{t:}: Rel 'range' with lhs/rhs None when not written
        k = next(j for j, x in enumerate(c) if isinstance(x, Token) and x.type == "COLON")
        lhs = c[k - 1] if k > 0 else None
        rhs = c[k + 1] if k + 1 < len(c) else None
        return Rel(c[k].start_pos, "range", lhs, rhs)

    def __default__(self, data, children, meta):  # pragma: no cover - every rule is handled above
        fail(f"internal: unhandled grammar rule {data}", 0)
