"""User macros, expanded safely on a stream of TeX tokens.

Definitions read (anywhere before the use, in math or in prose)::

    \\newcommand{\\R}{\\mathbb{R}}            \\newcommand\\R{...}    \\newcommand*{\\R}{...}
    \\newcommand{\\underE}[2]{\\underset{#1}{\\mathbb{E}}\\left[#2\\right]}
    \\newcommand{\\V}[1][\\pi]{V^{#1}}       (an optional first argument with its default)
    \\renewcommand, \\providecommand          (same syntax)
    \\def\\iratio{...}   \\gdef\\f#1#2{...}     (undelimited parameters #1#2... only)
    \\DeclareMathOperator{\\clip}{clip}       -> \\operatorname{clip}  (``*``: \\operatorname*)

A use ``\\name`` takes its arguments as TeX does: a ``{...}`` group (braces
removed) or one token, spaces skipped; the body, with ``#k`` replaced, is read
again (so macros may use other macros).  Expansion works on tokens, never on
text, and is bounded: at most ``MAX_STEPS`` expansions and ``MAX_WORK`` copied
tokens per document, ``MAX_TOKENS`` tokens in one display, macros nested at
most ``MAX_NEST`` deep; a macro that reaches itself (``\\a -> \\b -> \\a``) is an
error.  Nothing but these definitions is interpreted: ``\\catcode``,
``\\csname``, ``\\input``, ``\\write``, ``\\expandafter``, ``\\let``, ``\\edef`` ...
are refused with an error naming them.  Semantics follow LaTeX: ``\\newcommand``
of a name already defined (by the document or a command derive reads) is an
error (use ``\\renewcommand``); ``\\providecommand`` never overrides;
``\\def``/``\\gdef``/``\\renewcommand`` (re)define.  Definitions are global for the
rest of the document (as in MathJax and KaTeX).

Errors: ``MacroError(message, offset)`` where offset is a file offset (the
caller turns it into line and column).  A bad definition is an error of the
file; a use that cannot be expanded is recorded in ``Expansion.errors`` at the
use site, so only the steps containing it are affected.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .tex_tokens import MacroError, Tok, lex  # noqa: F401  (MacroError, lex: re-exported for macro_files.py)

MAX_STEPS = 10_000  # expansions per document
MAX_WORK = 1_000_000  # tokens copied by expansions per document
MAX_TOKENS = 100_000  # tokens waiting or written in one display
MAX_CHARS = 200_000  # characters of one expanded display
MAX_NEST = 64  # macros inside macros
MAX_BODY = 20_000  # tokens of one definition's body

DEFINERS = {"newcommand", "renewcommand", "providecommand", "def", "gdef", "DeclareMathOperator"}
FORBIDDEN = {
    "catcode", "csname", "endcsname", "input", "include", "InputIfFileExists", "write", "immediate", "openin",
    "openout", "read", "closein", "closeout", "special", "expandafter", "noexpand", "let", "futurelet", "edef",
    "xdef", "global", "long", "outer", "protected", "afterassignment", "aftergroup", "uppercase", "lowercase",
    "string", "the", "number", "romannumeral", "jobname", "makeatletter", "makeatother", "newif", "loop",
    "repeat", "ifx", "ifnum", "ifdefined", "ifcsname", "else", "fi", "endinput", "scantokens", "detokenize",
    "unexpanded", "write18", "ShellEscape", "directlua", "usepackage", "RequirePackage", "documentclass",
    "newenvironment", "renewenvironment", "NewDocumentCommand", "DeclareRobustCommand", "newtoks", "newcount",
}
PROTECTED = {"begin", "end", "left", "right", "middle", "text", "operatorname", "mathrm"} | DEFINERS | FORBIDDEN


@dataclass
class Macro:
    name: str
    nargs: int
    default: list | None  # tokens of the optional first argument's default, or None
    body: list
    where: str  # "line 3", "front matter (line 2)", "macros.json"


@dataclass
class Expansion:
    text: str
    origin: list  # file offset of every character of text (and one past the end)
    via: list = field(default_factory=list)  # per character: the Macro whose body produced it, or None
    errors: list = field(default_factory=list)  # (text offset, file offset, message)
    changed: bool = False


def _group(pending: list, opener: Tok, what: str) -> list:
    """The tokens of a {...} group whose '{' was just taken (braces removed)."""
    out, depth = [], 1
    while pending:
        t = pending.pop()
        if t.is_char("{"):
            depth += 1
        elif t.is_char("}"):
            depth -= 1
            if depth == 0:
                return out
        out.append(t)
    raise MacroError(f"{what}: the '{{' is never closed by '}}'", opener.pos)


def _skip_blank(pending: list, keep: list | None = None):
    while pending and pending[-1].blank:
        t = pending.pop()
        if keep is not None:
            keep.append(t)


class Macros:
    """The macro table of one document, with its budgets."""

    def __init__(self, known=frozenset()):
        self.table: dict = {}
        self.known = known  # commands derive reads (\\newcommand of one of them is an error)
        self.steps = 0
        self.work = 0

    def __bool__(self):
        return bool(self.table)

    # ------------------------------------------------------------ definitions

    def define(self, how: str, name: str, nargs: int, default, body: list, where: str, pos: int):
        if name in PROTECTED:
            raise MacroError(f"\\{name} cannot be (re)defined: derive expands only math macros", pos)
        if len(body) > MAX_BODY:
            raise MacroError(f"the body of \\{name} is too long (at most {MAX_BODY} tokens)", pos)
        for t in body:
            if t.kind == "par" and int(t.name) > nargs:
                raise MacroError(f"#{t.name} in the body of \\{name}, which takes {nargs} argument(s)", t.pos)
            if t.is_char("#"):
                raise MacroError(f"a lone '#' in the body of \\{name} (parameters are #1 to #9)", t.pos)
        old = self.table.get(name)
        if how == "providecommand" and (old is not None or name in self.known):
            return
        if how == "newcommand" and old is not None:
            raise MacroError(f"\\{name} is already defined ({old.where}); use \\renewcommand to redefine it", pos)
        if how == "newcommand" and name in self.known:
            raise MacroError(f"\\{name} is already a LaTeX command (one derive reads); use \\renewcommand "
                             "to redefine it, or choose another name", pos)
        self.table[name] = Macro(name, nargs, default, body, where)

    def definition(self, tok: Tok, pending: list, where: str):
        """Read the definition that starts with ``tok`` (\\newcommand, \\def, ...) from ``pending``."""
        how = tok.name
        if how in ("def", "gdef"):
            _skip_blank(pending)
            if not pending or pending[-1].kind != "cs":
                raise MacroError(f"\\{how} must be followed by the macro's name, e.g. \\{how}\\R{{\\mathbb{{R}}}}",
                                 tok.pos)
            name_tok = pending.pop()
            nargs = 0
            while pending and pending[-1].kind == "par" and pending[-1].name == str(nargs + 1):
                pending.pop()
                nargs += 1
            if not pending or not pending[-1].is_char("{"):
                raise MacroError(f"\\{how}\\{name_tok.name}: only the parameters #1#2... in order, then the body "
                                 f"in braces, are supported (write \\newcommand{{\\{name_tok.name}}}[n]{{...}})",
                                 pending[-1].pos if pending else tok.pos)
            body = _group(pending, pending.pop(), f"the body of \\{name_tok.name}")
            self.define("def", name_tok.name, nargs, None, body, where, name_tok.pos)
            return
        star = False
        _skip_blank(pending)
        if pending and pending[-1].is_char("*"):
            pending.pop()
            star = True
        name_tok = self._name(tok, pending)
        nargs, default = 0, None
        if how != "DeclareMathOperator":
            _skip_blank(pending)
            if pending and pending[-1].is_char("["):
                raw = "".join(t.raw for t in self._bracket(pending, tok)).strip()
                if not (len(raw) == 1 and raw in "0123456789"):
                    raise MacroError(f"\\{how}{{\\{name_tok.name}}}[{raw[:20]}]: the number of arguments must be "
                                     "0 to 9", tok.pos)
                nargs = int(raw)
                _skip_blank(pending)
                if pending and pending[-1].is_char("["):
                    if nargs == 0:
                        raise MacroError(f"\\{name_tok.name}: a default value needs at least one argument", tok.pos)
                    default = self._bracket(pending, tok)
        _skip_blank(pending)
        if not pending or not pending[-1].is_char("{"):
            raise MacroError(f"\\{how}{{\\{name_tok.name}}} must be followed by its body in braces", tok.pos)
        body = _group(pending, pending.pop(), f"the body of \\{name_tok.name}")
        if how == "DeclareMathOperator":
            op = "\\operatorname*" if star else "\\operatorname"
            body = lex(op, [tok.pos] * (len(op) + 1)) + [Tok("ch", "{", None, tok.pos)] + body + \
                [Tok("ch", "}", None, tok.pos)]
            how = "newcommand"
        self.define(how, name_tok.name, nargs, default, body, where, name_tok.pos)

    @staticmethod
    def _name(tok: Tok, pending: list) -> Tok:
        _skip_blank(pending)
        t = pending.pop() if pending else None
        if t is not None and t.is_char("{"):
            _skip_blank(pending)
            inner = pending.pop() if pending else None
            _skip_blank(pending)
            if inner is not None and inner.kind == "cs" and pending and pending[-1].is_char("}"):
                pending.pop()
                t = inner
            else:
                t = None
        if t is None or t.kind != "cs" or not t.name.isalpha():
            raise MacroError(f"\\{tok.name} must be followed by the macro's name, e.g. "
                             f"\\{tok.name}{{\\R}}{{...}}", tok.pos)
        return t

    @staticmethod
    def _bracket(pending: list, tok: Tok) -> list:
        """The tokens of [...] (the '[' is next), at brace depth 0."""
        pending.pop()
        out, depth = [], 0
        while pending:
            t = pending.pop()
            if t.is_char("]") and depth == 0:
                return out
            depth += t.is_char("{") - t.is_char("}")
            out.append(t)
        raise MacroError(f"\\{tok.name}: the '[' is never closed by ']'", tok.pos)

    # -------------------------------------------------------------- expansion

    def scan(self, tokens: list, where_of):
        """Process the definitions among ``tokens`` (prose), ignoring everything else.

        In prose, a definer not followed by a macro name ("use \\def to ...") is a word, not a definition."""
        pending = list(reversed(tokens))
        while pending:
            t = pending.pop()
            if t.kind == "cs" and t.name in DEFINERS and _names_a_macro(pending):
                self.definition(t, pending, where_of(t.pos))

    def expand(self, text: str, origin: list, where_of) -> Expansion:
        """Expand the macros of a display; definitions in it are recorded (and removed from the text).

        A bad definition, or a display that grows past the limits, raises MacroError; a use that
        cannot be expanded is kept as written and recorded in ``Expansion.errors``."""
        tokens = lex(text, origin)
        if not any(t.kind == "cs" and (t.name in self.table or t.name in DEFINERS) for t in tokens):
            return Expansion(text, list(origin))
        pending = list(reversed(tokens))
        out: list = []
        errors: list = []  # (token index in out, file offset, message)
        while pending:
            t = pending.pop()
            if t.kind == "cs" and t.name in DEFINERS:
                self.definition(t, pending, where_of(t.pos))
                continue
            if t.kind == "cs" and t.name in self.table:
                try:
                    self._use(self.table[t.name], t, pending)
                    continue
                except MacroError as err:
                    errors.append((len(out), err.offset, err.message))
            if len(out) >= MAX_TOKENS:
                raise MacroError(f"the display is too long after macro expansion (more than {MAX_TOKENS} tokens)",
                                 t.pos)
            out.append(t)
        return _join(out, errors, origin[-1])

    def _use(self, m: Macro, t: Tok, pending: list):
        if m.name in t.chain:
            path = " -> ".join("\\" + n for n in t.chain[t.chain.index(m.name):] + (m.name,))
            raise MacroError(f"\\{m.name} uses itself ({path}; defined {m.where}): a macro cannot expand to "
                             "itself", t.pos)
        if len(t.chain) >= MAX_NEST:
            raise MacroError(f"macros nested more than {MAX_NEST} deep at \\{m.name}", t.pos)
        if self.steps >= MAX_STEPS:
            raise MacroError(f"macro expansion stopped after {MAX_STEPS} expansions (a macro that doubles "
                             f"itself?) at \\{m.name}", t.pos)
        taken: list = []
        try:
            args = self._arguments(m, t, pending, taken)
        except MacroError:
            pending.extend(reversed(taken))
            raise
        new = []
        chain, via = t.chain + (m.name,), t.via or m
        for b in m.body:
            if b.kind == "par":
                new.extend(args[int(b.name) - 1])
            else:
                new.append(Tok(b.kind, b.raw, b.name, t.pos, False, chain, via))
            if len(new) + len(pending) > MAX_TOKENS or self.work + len(new) > MAX_WORK:
                pending.extend(reversed(taken))
                raise MacroError(f"the expansion of \\{m.name} is too large (more than {MAX_TOKENS} tokens, "
                                 f"or {MAX_WORK} copied in the document)", t.pos)
        self.steps += 1
        self.work += len(new)
        pending.extend(reversed(new))

    @staticmethod
    def _arguments(m: Macro, t: Tok, pending: list, taken: list) -> list:
        args = []
        if m.default is not None:
            _skip_blank(pending, taken)
            if pending and pending[-1].is_char("["):
                taken.append(pending[-1])
                depth, arg = 0, []
                pending.pop()
                while True:
                    if not pending:
                        raise MacroError(f"the optional argument of \\{m.name} is never closed by ']'", t.pos)
                    a = pending.pop()
                    taken.append(a)
                    if a.is_char("]") and depth == 0:
                        break
                    depth += a.is_char("{") - a.is_char("}")
                    arg.append(a)
                args.append(arg)
            else:
                args.append(m.default)
        while len(args) < m.nargs:
            _skip_blank(pending, taken)
            if not pending or _not_an_argument(pending[-1]):
                raise MacroError(f"\\{m.name} takes {m.nargs} argument(s) (defined {m.where}), "
                                 f"but {len(args)} follow", t.pos)
            a = pending.pop()
            taken.append(a)
            if a.is_char("{"):
                try:
                    group = _group(pending, a, f"an argument of \\{m.name}")
                except MacroError:
                    raise MacroError(f"an argument of \\{m.name} is never closed by '}}'", a.pos) from None
                taken.extend(group)
                taken.append(Tok("ch", "}", None, a.pos))
                args.append(group)
            else:
                args.append([a])
        return args


def _names_a_macro(pending: list) -> bool:
    """Do the next tokens (top of ``pending``) start with a macro name: ``\\R``, ``{\\R``, ``*{\\R``?"""
    k = len(pending) - 1
    for _ in range(4):
        while k >= 0 and pending[k].blank:
            k -= 1
        if k < 0:
            return False
        t = pending[k]
        if t.kind == "cs":
            return True
        if not (t.is_char("{") or t.is_char("*")):
            return False
        k -= 1
    return False


def _not_an_argument(t: Tok) -> bool:
    """A token TeX would take as an argument but an author never means as one (``\\f = 1`` lacks it)."""
    if t.kind == "ch":
        return t.raw in "}&=<>"
    return t.kind == "cs" and (t.name in DEFINERS or t.name == "\\")


def _join(out: list, errors: list, end: int) -> Expansion:
    """The text of the tokens, with the file offset and the producing macro of every character."""
    parts, origin, via = [], [], []
    first_error = {}
    for e in errors:
        first_error.setdefault(e[0], e)
    err_at = []
    n = 0
    prev_word = False
    for k, t in enumerate(out):
        raw = t.raw
        if prev_word and raw[:1].isascii() and raw[:1].isalpha():  # \alpha then x: keep them apart
            parts.append(" ")
            origin.append(t.pos)
            via.append(t.via)
            n += 1
        if k in first_error:
            err_at.append((n, first_error[k][1], first_error[k][2]))
        parts.append(raw)
        origin.extend(range(t.pos, t.pos + len(raw)) if t.exact else [t.pos] * len(raw))
        via.extend([t.via] * len(raw))
        n += len(raw)
        prev_word = t.kind == "cs" and raw[1:].isalpha()
        if n > MAX_CHARS:
            raise MacroError(f"the display is too long after macro expansion (more than {MAX_CHARS} characters)",
                             t.pos)
    if len(out) in first_error:
        e = first_error[len(out)]
        err_at.append((n, e[1], e[2]))
    origin.append(end)
    return Expansion("".join(parts), origin, via, err_at, True)
