"""The tokenizer: LaTeX math text -> a list of lark Tokens, with a macro whitelist.

Everything not listed here is an error naming the command (``\\input``,
``\\write18``, ``\\def``, ``\\catcode``, ...): nothing is ever expanded or executed.
The tokenizer also bounds the input: nesting depth of braces / parentheses /
brackets / ``\\left``, the number of digits of a number.

Token types (the terminals declared in grammar.lark):

=========  ==========================================================
NUMBER     ``12``, ``0.5``
SYM        a letter or symbol; value is its canonical name: ``s``, ``s'``,
           ``\\gamma``, ``\\pi'``, ``hat:A`` (``\\hat{A}``), ``cal:S``
TEXT       ``\\text{old}``, ``\\mathrm{KL}``, ``\\operatorname{clip}``: the content
OP         ``sum prod max min log exp nabla expect`` (``\\mathbb{E}``)
FRAC SQRT  ``\\frac`` (``\\dfrac``, ``\\tfrac``), ``\\sqrt``
LEFT RIGHT ``\\left(`` ... ``\\right)``; value is the delimiter
others     ``+ - \\cdot \\times / = , | \\| \\sim \\in ( ) [ ] { } _ ^``
=========  ==========================================================
"""
from __future__ import annotations

import re

from lark import Token

from .cases import cases_tokens
from .tokens_extra import letter_tokens, macro_tokens, range_colon, slice_message, unicode_token
from .errors import fail
from .commands import CHAIN_BREAKS, known_commands, unknown_command  # noqa: F401  (re-exported)
from .commands import DEFINABLE_GREEK
from .command_tables import (CMP_MACROS, ELLIPSES, FRAC_MACROS, OP_MACROS, RELATION_MACROS, SERIES_ELLIPSES,
                             SIMPLE_MACROS, SIZE_MACROS, SPACING, SYMBOL_MACROS)
from .presentation import NAMES as PRESENTATION_MACROS
from .token_brackets import BRACKET_MACROS, _CLOSERS, _MACRO, _OPENERS, _SPACE, _IndicatorState, _delimiter, _evaluation_bar
from .presentation import strip_presentation
from .open_bars import open_before, plain_bar
from .preference_tokens import comparison

MAX_LENGTH = 20_000  # characters of one math block
MAX_DEPTH = 60  # nesting of { ( [ \left
MAX_DIGITS = 30  # digits of one number

_SINGLE = {"SYM", "NUMBER", "TEXT"}  # tokens that can be a one-token argument of ^ _ \frac \sqrt

_DIGITS = frozenset("0123456789")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+")
_EXPECT = re.compile(
    r"\\(?:mathop|operatorname\*?)\s*\{\s*\\mathbb\s*(?:\{\s*E\s*\}|E)\s*\}|\\mathbb\s*(?:\{\s*E\s*\}|E(?![A-Za-z]))")
_HAT = re.compile(r"\\(?:wide)?hat\s*(?:\{\s*([A-Za-z])\s*\}|([A-Za-z]))")
_CAL = re.compile(r"\\mathcal\s*(?:\{\s*([A-Za-z])\s*\}|([A-Za-z]))")
_TEXT = re.compile(r"\\(text|textrm|mathrm|operatorname\*?|mathit|textit|mbox|textnormal|mathsf|textsf)"
                   r"\s*(?:\{([^{}]*)\}|([A-Za-z]))")
_VARIANCE = re.compile(r"\\(?:operatorname|mathrm|text)\s*\{\s*Var\s*\}|\\mathbb\s*\{\s*V\s*\}|\\Var(?![A-Za-z])")
_ARGMAX = re.compile(r"\\(?:arg\s*(?:\\[,!;: ]\s*)*\\max(?![A-Za-z])"
                     r"|(?:operatorname\*?|mathrm|text)\s*\{\s*arg\s*(?:\\[,!;: ]\s*)*max\s*\})")
_TEXT_OK = re.compile(r"[A-Za-z0-9 ]{1,40}")
_INDICATOR = re.compile(r"\\(?:mathbb|mathbf|mathds|bm)\s*(?:\{\s*([1I])\s*\}|([1I])(?![A-Za-z0-9]))")
# s^\prime, s^{\prime}, s^{\prime\prime}, s^{'}, s^{''}: each \prime or ' in the group is one prime
_PRIME_SUP = re.compile(r"\^\s*(?:\\prime(?![A-Za-z])|\{\s*((?:(?:\\prime(?![A-Za-z])|')\s*)+)\})")
_PRIME_ONE = re.compile(r"\\prime(?![A-Za-z])|'")


def describe_char(ch: str) -> str:
    if ch.isprintable() and not ch.isspace():
        return repr(ch)
    return "U+%04X" % ord(ch)


class _Args:
    """Tracks arguments of ^ _ \\frac \\sqrt written without braces (``x^2``, ``\\frac12``).

    As in TeX, such an argument is a single token, and for digits a single digit:
    ``x^23`` is ``x^{2} 3`` and ``\\frac12`` is ``\\frac{1}{2}``.
    """

    def __init__(self):
        self.stack = []  # [depth, remaining]

    def waiting(self, depth: int) -> bool:
        return bool(self.stack) and self.stack[-1][0] == depth

    def push(self, depth: int, count: int):
        self.stack.append([depth, count])

    def done_one(self, depth: int):
        if self.waiting(depth):
            self.stack[-1][1] -= 1
            if self.stack[-1][1] == 0:
                self.stack.pop()

    def interrupt(self, depth: int):
        while self.stack and self.stack[-1][0] >= depth:
            self.stack.pop()


def tokenize(text: str) -> list:
    """The tokens of a math text (raises ParseFail with the offset on bad input)."""
    if len(text) > MAX_LENGTH:
        fail(f"the formula is too long ({len(text)} characters; at most {MAX_LENGTH})", 0)
    text = strip_presentation(text)
    out: list = []
    args = _Args()
    depth = 0
    i, n = 0, len(text)
    ind = _IndicatorState()
    jumps: dict = {}  # offset -> offset: text the tokenizer skips (tokens_extra: \\underset's second argument)

    def emit(kind, value, start, end):
        nonlocal depth
        ind.check(kind, value, depth, start)
        if kind in _OPENERS:
            depth += 1
            if depth > MAX_DEPTH:
                fail(f"the formula is nested too deeply (more than {MAX_DEPTH} levels of braces, "
                     f"parentheses or brackets)", start)
            if kind == "LBRACE" and args.waiting(depth - 1):
                pass  # the argument is this group; counted when it closes
            else:
                args.interrupt(depth - 1)
        elif kind in _CLOSERS:
            depth = max(0, depth - 1)
            args.interrupt(depth + 1)
            if kind == "RBRACE":
                args.done_one(depth)
        elif kind in _SINGLE:
            args.done_one(depth)
        else:
            args.interrupt(depth)
        out.append(Token(kind, value, start_pos=start, line=1, column=start + 1, end_pos=end))
        ind.after(kind, value, depth)
        if kind in ("USCORE", "CARET"):
            args.push(depth, 1)
        elif kind == "FRAC":
            args.push(depth, 2)
        elif kind == "SQRT":
            args.push(depth, 1)

    while i < n:
        if i in jumps:
            i = jumps.pop(i)
            continue
        ch = text[i]
        if ch.isspace() or ch == "~":
            i += 1
            continue
        if ch == "%":  # a TeX comment runs to the end of the line
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if ch in _DIGITS or (ch == "." and i + 1 < n and text[i + 1] in _DIGITS):
            if args.waiting(depth):
                j = i + 1 if ch.isdigit() else i + 2
            else:
                j = _NUMBER.match(text, i).end()
            digits = sum(c in _DIGITS for c in text[i:j])
            if digits > MAX_DIGITS:
                fail(f"the number starting {text[i:i + 12]}... has {digits} digits (at most {MAX_DIGITS})", i)
            emit("NUMBER", text[i:j], i, j)
            i = j
            continue
        if ch in "EPoyl" and (hit := letter_tokens(text, i, tokenize)) is not None:  # E[X]; P(s \to x, k); o_{i,<t}
            for tok in hit[0]:
                emit(*tok)
            i = hit[1]
            continue
        if ch.isalpha() and ch.isascii():
            j = i + 1
            while j < n and text[j] == "'":
                j += 1
            emit("SYM", text[i:j], i, j)
            i = _primes(text, j, out)
            continue
        if ch == "\\":
            i = _macro(text, i, emit, out, ind, jumps)
            continue
        simple = {"(": "LPAR", ")": "RPAR", "[": "LBRACK", "]": "RBRACK", "{": "LBRACE", "}": "RBRACE",
                  "+": "PLUS", "-": "MINUS", "*": "MULOP", "/": "MULOP", "=": "EQ", ",": "COMMA",
                  "^": "CARET", "_": "USCORE", ";": "SEMI"}
        if ch == "^":
            m = _PRIME_SUP.match(text, i)
            if m and out and out[-1].type == "SYM" and (len(out) < 2 or out[-2].type not in ("USCORE", "CARET")):
                out[-1].value += "'"
                i = m.end()
                continue
        if ch == "*" and out and (out[-1].type in ("CARET", "USCORE") or (
                out[-1].type == "LBRACE" and len(out) > 1 and out[-2].type in ("CARET", "USCORE")
                and text[i + 1:i + 2] == "}")):
            emit("SYM", "*", i, i + 1)  # V^*, v_*, \pi_*: the optimal value or policy (derive/lang/optimal.py)
            i += 1
            continue
        if ch in simple:
            value = {"*": "times", "/": "div"}.get(ch, ch)
            emit(simple[ch], value, i, i + 1)
            i += 1
            continue
        if ch == "|":
            if i + 1 < n and text[i + 1] == "|":
                emit("PARALLEL", "||", i, i + 2)
                i += 2
            elif plain_bar(text, i + 1):  # f(\theta)|_{\theta=\theta_{old}}: an evaluation bar (open_bars.py)
                open_before(out, emit, "", i)
                emit("RIGHT", "|", i, i + 1)
                i += 1
            else:
                emit("MID", "|", i, i + 1)
                i += 1
            continue
        if ch == "'":
            fail("a prime (') must follow a letter such as s' or \\pi'", i)
        if ch in "<>":  # inside an indicator, or a preference P(i > j); else refused (preference_tokens.py)
            i = comparison(text, i, ind.comparing(depth), bool(ind.stack), emit)
            continue
        if ch == "&":
            fail("stray '&' (alignment markers belong inside an aligned environment)", i)
        if ch == ":" and i + 1 < n and text[i + 1] == "=":
            fail("':=' (a definition) is not supported here", i)
        uni = unicode_token(text, i, ind.comparing(depth))
        if uni is not None:
            i = _unicode(text, i, uni, emit, out)
            continue
        if ch == ":":  # s_{0:t}, \tau_{t:}, G_{t:t+n}: index ranges (notation_notes.py names the nearest spelling)
            if range_colon(text, i):  # s_{0:t}, a_{t:T-1}, \tau_{:t}: read by read_latex/index_ranges.py
                emit("COLON", ":", i, i + 1)
                i += 1
                continue
            fail(slice_message(text, i), i)
        fail(f"unexpected character {describe_char(ch)}", i)
    if ind.pending is not None:
        fail("an indicator must be followed by its condition in brackets, e.g. \\mathbb{1}[x > 0]", ind.pending)
    if depth > 0:
        pass  # the grammar reports the unclosed group with its position
    return out


def _primes(text: str, j: int, out: list) -> int:
    """Attach a following ^\\prime to the last symbol token."""
    m = _PRIME_SUP.match(text, j)
    while m:
        out[-1].value += "'" * (len(_PRIME_ONE.findall(m.group(1))) if m.group(1) else 1)
        j = m.end()
        m = _PRIME_SUP.match(text, j)
    return j


def _unicode(text: str, i: int, uni, emit, out: list) -> int:
    """Emit the token of a Unicode math character (tokens_extra.UNICODE / GREEK): the offset after it."""
    kind, value, end = uni
    if kind != "MACRO":
        emit(kind, value, i, end)
        return end
    if value in SYMBOL_MACROS or value in DEFINABLE_GREEK:  # \phi: defined by the file (notation_defined.py)
        j = end
        while j < len(text) and text[j] == "'":
            j += 1
        emit("SYM", SYMBOL_MACROS.get(value, "\\" + value) + text[end:j], i, j)
        return _primes(text, j, out)
    fail(f"unknown or unsupported symbol {text[i]} (\\{value})", i)


def _macro(text: str, i: int, emit, out: list, ind=None, jumps=None) -> int:
    hit = macro_tokens(text, i, {} if jumps is None else jumps, tokenize)
    if hit is None and text.startswith("\\begin", i):  # \begin{cases}: a piecewise value (read_latex/cases.py)
        hit = cases_tokens(text, i, tokenize)
    if hit is not None:
        for kind, value, start, end in hit[0]:
            emit(kind, value, start, end)
        return hit[1]
    m = _ARGMAX.match(text, i)
    if m:  # \arg\max_a, \operatorname*{arg\,max}_a: an action (derive/lang/optimal.py)
        emit("OP", "argmax", i, m.end())
        return m.end()
    m = _INDICATOR.match(text, i)
    if m:
        emit("IND", m.group(1) or m.group(2), i, m.end())
        ind.pending = i
        return m.end()
    m = _VARIANCE.match(text, i)
    if m:  # \operatorname{Var}_{x \sim p}[X]: the variance (derive/read_latex/variance.py)
        emit("OP", "var", i, m.end())
        return m.end()
    for rx, kind in ((_EXPECT, "expect"), (_HAT, "hat"), (_CAL, "cal"), (_TEXT, "text")):
        m = rx.match(text, i)
        if not m:
            continue
        if kind == "expect":
            emit("OP", "expect", i, m.end())
        elif kind in ("hat", "cal"):
            emit("SYM", f"{kind}:{m.group(1) or m.group(2)}", i, m.end())
            return _primes(text, m.end(), out)
        else:
            content = m.group(2) if m.group(2) is not None else m.group(3)
            content = content.strip()
            if not _TEXT_OK.fullmatch(content):
                fail(f"unsupported text in \\{m.group(1)}{{{content[:30]}}}: only letters, digits and spaces "
                     "(names such as old, clip, KL)", i)
            emit("TEXT", content, i, m.end())
        return m.end()
    m = _MACRO.match(text, i)
    if not m or m.end() == i + 1:
        fail("a lone backslash at the end of the formula", i)
    name = m.group(1)
    end = m.end()
    if name == "operatorname" and end < len(text) and text[end] == "*":
        fail("\\operatorname* needs a name in braces, e.g. \\operatorname*{clip}", i)
    if name in SPACING:
        return end
    if name in SYMBOL_MACROS or name in DEFINABLE_GREEK:  # \phi: defined by the file (notation_defined.py)
        j = end
        while j < len(text) and text[j] == "'":
            j += 1
        emit("SYM", SYMBOL_MACROS.get(name, "\\" + name) + text[end:j], i, j)
        return _primes(text, j, out)
    if name in OP_MACROS:
        emit("OP", OP_MACROS[name], i, end)
        return end
    if name in SIMPLE_MACROS:
        kind, value = SIMPLE_MACROS[name]
        emit(kind, value, i, end)
        return end
    if name in FRAC_MACROS:
        emit("FRAC", name, i, end)
        return end
    if name == "sqrt":
        j = _SPACE.match(text, end).end() if _SPACE.match(text, end) else end
        if j < len(text) and text[j] == "[":
            fail("\\sqrt[n]{...} (an n-th root) is not supported; write a power", i)
        emit("SQRT", name, i, end)
        return end
    if name in ("left", "right"):
        delim, j = _delimiter(text, end, name, i)
        emit("LEFT" if name == "left" else "RIGHT", delim, i, j)
        return j
    if name == "middle":
        delim, j = _delimiter(text, end, name, i)
        if delim not in ("|", "||"):
            fail(f"\\middle{delim} is not supported (only \\middle| and \\middle\\|)", i)
        emit("MID" if delim == "|" else "PARALLEL", delim, i, j)
        return j
    if name in ("lvert", "rvert"):  # \\lvert x \\rvert: |x| with its two sides marked, as \\left| x \\right|
        emit("LEFT" if name == "lvert" else "RIGHT", "|", i, end)
        return end
    if name in SIZE_MACROS:
        delim, j = _delimiter(text, end, name, i)
        bar = _evaluation_bar(text, j, delim, name, out, i)
        if bar == "OPEN":  # X\big|_{...} without \big.: the bar evaluates X (read_latex/open_bars.py)
            open_before(out, emit, "\\" + name, i)
            bar = "RIGHT"
        if bar is not None:
            emit(bar, delim, i, j)
            return j
        kind = {"(": "LPAR", ")": "RPAR", "[": "LBRACK", "]": "RBRACK", "|": "MID", "||": "PARALLEL", "{": "LEFT",
                "}": "RIGHT", "/": "MULOP"}.get(delim)  # \Big\{ ... \Big\}: the braces \left\{ ... \right\}
        if kind is None:
            fail(f"\\{name}{delim} is not supported (use \\left{delim} ... \\right)", i)
        emit(kind, "div" if delim == "/" else delim, i, j)
        return j
    if name in CMP_MACROS and ind.comparing():
        emit("CMP", CMP_MACROS[name], i, end)
        return end
    if name == "{" and ind.pending is not None:
        emit("LBRACE", "\\{", i, end)
        return end
    if name == "}" and ind.comparing() and ind.stack[-1][1:] == ("LBRACE", "\\{"):
        emit("RBRACE", "\\}", i, end)
        return end
    if name in RELATION_MACROS:
        fail(f"the relation \\{name} is not supported here: derive checks equalities (=) only", i)
    if name in SERIES_ELLIPSES:  # a term of a series a + b + \\cdots (read_latex/series.py)
        emit("SYM", "...", i, end)
        return end
    if name in ELLIPSES:
        fail(f"\\{name}: an ellipsis cannot be evaluated; write the sum or product with \\sum or \\prod", i)
    if name in ("mathbb", "mathop"):
        fail(f"\\{name} is only supported as \\mathbb{{E}} (an expectation)", i)
    if name in ("hat", "widehat", "mathcal"):
        fail(f"\\{name} must be applied to a single letter, e.g. \\{name}{{A}}", i)
    if name == "\\":
        fail("a line break \\\\ outside an aligned environment", i)
    if name in BRACKET_MACROS:  # \lbrack x \rbrack, \lbrace x \rbrace, bare \{ x \}: brackets (issue 10 R1)
        emit(*BRACKET_MACROS[name], i, end)
        return end
    if name == "prime":
        fail("\\prime must be written as a superscript of a letter: s^\\prime (or s')", i)
    if len(name) == 1 and not name.isalpha():
        fail(f"unknown LaTeX command \\{name}", i)
    if name in PRESENTATION_MACROS:
        fail(f"\\{name} must be followed by its argument in braces, e.g. \\{name}{{x}}", i)
    if name in ("begin", "end"):
        env = re.compile(r"\s*\{([A-Za-z*]{1,30})\}").match(text, end)
        fail(f"\\{name}{{{env.group(1) if env else '...'}}} is not read here: derive reads the layout environments "
             "aligned, align, gather, split, multline, eqnarray, array (around whole rows) and \\begin{cases}", i)
    fail(unknown_command(name), i)
