"""The public entry: ``parse_math(text, line=, col=, options=)`` -> an expression of derive's language.

Pipeline: tokens.py (whitelisted macros, bounds) -> grammar.lark (lark LALR,
custom lexer) -> transform.py (syntax objects) -> interpret.py / notation.py
(expressions built with constructors only).  Nothing from the input is ever
passed to ``sympify``, ``parse_expr``, ``eval`` or the like.
"""
from __future__ import annotations

import threading
from pathlib import Path

from lark import Lark
from lark.exceptions import LarkError, UnexpectedInput, UnexpectedToken
from lark.lexer import Lexer

from .bold import bold_note
from .grammar_cache import cached_lark  # the LALR tables cached on disk (issue 14)
from .upright import upright_note
from .errors import LatexError, ParseFail, position
from .limits import rewrite as rewrite_limit
from .product_ellipsis import rewrite as rewrite_product_ellipsis
from .reading import Reading, enter, leave
from .notation_control import rename as rename_control
from .brace_heads import unwrap as unwrap_brace_heads
from .lost_bars import restore as restore_lost_bars
from .vector_products import rewrite_products as rewrite_vector_products
from .listed_states import rewrite_listed as rewrite_listed_states
from .sum_scope import check as check_sum_scope
from .partials import rewrite as rewrite_partials
from .sum_bounds import rewrite as rewrite_sum_bounds
from .arithmetic import check_output
from .interpret import Ctx, interpret
from .group_free_index import read as read_group_free
from .tokens import MAX_LENGTH, describe_char, tokenize
from .transform import ToSyntax

OPTION_VALUES = {"delta": ("true", "V"), "horizon": ("steps", "last-index", "from-1"), "reward-index": ("t", "t+1"),
                 "ratio": ("normal", "inverted"), "setting": ("finite", "discounted", "episodic"),
                 "behaviour": ("\\mu", "\\beta"), "values": ("free", "true"),
                 "family": ("random", "token"), "start": ("random", "fixed"),  # start: fixed (S&B 13.2; kstep.py)  # token: x, y as prompt and response (read_latex/notation_llm.py)
                 "reward": ("transition", "state", "state-action"),  # state: r(s), rewards of the state alone (read_latex/notation_notes.py)
                 "group": ("2", "3", "4"),  # G i.i.d. completions at one state (read_latex/notation_grpo_group.py)
                 "advantage": ("group",),  # A_i is GRPO's group-normalised advantage (notation_group_advantage.py)
                 "group_free": ("step",)}  # a step's side: a free group index i read for every i (group_free_index.py)
# options whose value is an object, not a spelling: the file's definitions (read_markdown/definitions.py)
# and a list collecting notes for the step's "read as" (series.py, conventions.py)
OBJECT_OPTIONS = ("definitions", "notes", "reading",  # reading: reading.Reading, the file's policy slots
                  "group_bind",  # {letter: completion}: a group index bound (read_latex/group_definitions.py)
                  "free")  # labels of symbols read as free quantities (read_latex/free_quantities.py)

_NAMES = {
    "NUMBER": "a number", "SYM": "a symbol", "TEXT": "a name", "OP": "an operator", "PLUS": "'+'",
    "MINUS": "'-'", "MULOP": "'\\times'", "CDOT": "'\\cdot'", "COMMA": "','", "MID": "'|'", "PARALLEL": "'\\|'",
    "EQ": "'='", "SEMI": "';'", "SIM": "'\\sim'", "IN": "'\\in'", "LPAR": "'('", "RPAR": "')'", "LBRACK": "'['",
    "RBRACK": "']'", "LBRACE": "'{'", "RBRACE": "'}'", "LEFT": "\\left", "RIGHT": "\\right", "USCORE": "'_'",
    "CARET": "'^'", "FRAC": "\\frac", "SQRT": "\\sqrt", "$END": "the end of the formula",
    "IND": "\\mathbb{1}", "CMP": "a comparison (> < \\geq \\leq = \\neq)",
    "COLON": "':' (an index range s_{0:t})",
}


class _TokenLexer(Lexer):
    """Hands lark the tokens of tokens.tokenize."""

    def __init__(self, lexer_conf):
        pass

    def lex(self, lexer_state, parser_state=None):
        # lark hands a custom lexer either the input itself or a LexerState around it
        text = lexer_state if isinstance(lexer_state, str) else lexer_state.text
        text = text if isinstance(text, str) else text.text
        yield from tokenize(text)


_PARSER = None
_LOCK = threading.Lock()


def _parser() -> Lark:
    global _PARSER
    with _LOCK:
        if _PARSER is None:
            grammar = (Path(__file__).with_name("grammar.lark")).read_text()
            _PARSER = cached_lark(grammar, parser="lalr", lexer=_TokenLexer, start="start", maybe_placeholders=False)
    return _PARSER


def _describe_token(tok) -> str:
    if tok.type == "$END":
        return "the end of the formula"
    value = str(tok.value)
    pretty = {"LEFT": "\\left" + value, "RIGHT": "\\right" + value, "OP": "\\" + value,
              "FRAC": "\\" + value, "TEXT": "\\text{%s}" % value, "SQRT": "\\sqrt",
              "IND": "\\mathbb{%s}" % value}.get(tok.type)
    if pretty is None:
        pretty = {"cdot": "\\cdot", "times": "\\times", "div": "/", "~": "\\sim", "in": "\\in"}.get(value, value)
    return repr(pretty).replace("\\\\", "\\")


def _syntax_error(err: UnexpectedInput, text: str) -> ParseFail:
    if isinstance(err, UnexpectedToken):
        tok = err.token
        pos = tok.start_pos if tok.type != "$END" else len(text)
        expected = sorted({_NAMES.get(e, e) for e in (err.expected or ()) if not e.startswith("__")})
        what = _describe_token(tok)
        hint = ""
        if tok.type == "$END":
            hint = " (an unclosed group, or an operator without its operand?)"
            expected = [e for e in expected if e in ("')'", "']'", "'}'", "\\right")]
        elif tok.type in ("RBRACE", "RPAR", "RBRACK", "RIGHT"):
            hint = " (unbalanced delimiters or an empty group?)"
        msg = f"the formula ends too early{hint}" if tok.type == "$END" else f"unexpected {what}{hint}"
        if expected and len(expected) <= 6:
            msg += "; expected " + ", ".join(expected)
        return ParseFail(msg, pos)
    pos = getattr(err, "pos_in_stream", 0) or 0
    return ParseFail("cannot read the formula here", pos)


def parse_syntax(text: str):
    """The syntax object of a formula (raises ParseFail with an offset)."""
    try:
        tree = _parser().parse(text)
    except ParseFail:
        raise
    except UnexpectedInput as err:
        raise _syntax_error(err, text) from None
    except LarkError as err:
        inner = getattr(err, "orig_exc", None)
        if isinstance(inner, ParseFail):
            raise inner from None
        raise ParseFail(f"cannot read the formula: {type(err).__name__}", 0) from None
    return ToSyntax().transform(tree)


def check_options(options: dict | None) -> dict:
    options = dict(options or {})
    for key, value in options.items():
        if key in OBJECT_OPTIONS:
            continue
        if key not in OPTION_VALUES:
            raise LatexError(f"unknown option {key!r} (known: {', '.join(OPTION_VALUES)})", 1, 1)
        if value not in OPTION_VALUES[key]:
            raise LatexError(f"option {key} must be one of {', '.join(OPTION_VALUES[key])}, not {value!r}", 1, 1)
    return options


def parse_math(text: str, *, line: int = 1, col: int = 1, options: dict | None = None):
    """Read one LaTeX formula (no '=' at the top level) into an expression of derive's language.

    ``line``/``col`` give the place of ``text[0]`` in the original file, so that every
    ``LatexError`` names the right line and column.  ``options``: ``{"delta": "true" | "V"}``
    (which value function a plain \\delta_t, \\hat{A}_t, G_t^\\lambda use).
    """
    if not isinstance(text, str):
        raise LatexError(f"expected a string, got {type(text).__name__}", line, col)
    opts = check_options(options)
    if len(text) > MAX_LENGTH:
        raise LatexError(f"the formula is too long ({len(text)} characters; at most {MAX_LENGTH})", line, col)
    partial = rewrite_partials(text) if "\\partial" in text else None  # \frac{\partial X}{\partial\theta} (partials.py)
    if partial is not None:
        text = partial[0]
        if isinstance(opts.get("notes"), list) and partial[1] not in opts["notes"]:
            opts["notes"].append(partial[1])
    bounds = rewrite_sum_bounds(text) if "\\ge" in text or ">=" in text else None  # \sum_{t \geq 0} (sum_bounds.py)
    if bounds is not None:
        text = bounds[0]
        if isinstance(opts.get("notes"), list) and bounds[1] not in opts["notes"]:
            opts["notes"].append(bounds[1])
    limit = rewrite_limit(text) if "\\lim" in text else None  # \lim of partial sums or of a sample mean
    if limit is not None:
        try:
            if len(limit) > 2:  # a check text that must read too (read_latex/limits.py)
                parse_math(limit[2], line=line, col=col, options={**opts, "notes": []})
            value = parse_math(limit[0], line=line, col=col, options=options)
        except LatexError:
            pass  # not read: the limit as written gets the tokenizer's reason
        else:
            if isinstance(opts.get("notes"), list):
                opts["notes"].append(limit[1])
            return value
    try:
        if not text.strip():
            raise ParseFail("empty formula", 0)
        syn = parse_syntax(text)
        reading = opts.get("reading") or Reading(text)
        syn = rename_control(unwrap_brace_heads(syn), reading, opts)  # {\pi}(a|s); x_t, u_t as s_t, a_t
        syn, lost = restore_lost_bars(syn)  # \pi_\theta(a_t s_t): the bar the page lost, said in read as (lost_bars.py)
        syn, dots = rewrite_vector_products(syn)  # P_{ss'} R_{ss'}: \sum_{s'} p_{ss'} r_{ss'} (vector_products.py)
        syn, listed = rewrite_listed_states(syn)  # \sum_{s' \in [s_b, s_c]} X: X(s_b) + X(s_c) (listed_states.py)
        lost += dots + listed
        if lost and isinstance(opts.get("notes"), list):
            opts["notes"].extend(n for n in lost if n not in opts["notes"])
        token = enter(reading, opts.get("notes"), opts)
        try:
            value = read_group_free(syn, opts)  # interpret, a free group index i read for every i
        finally:
            leave(token)
        check_sum_scope(value, text)  # \sum_t x_t + y_t with t free in y_t: unknown (read_latex/sum_scope.py)
        bold = bold_note(text) if isinstance(opts.get("notes"), list) else None
        if bold and bold not in opts["notes"]:  # \mathbf{w} read as w: said in "read as" (read_latex/bold.py)
            opts["notes"].append(bold)
        upright = upright_note(text) if isinstance(opts.get("notes"), list) else None
        if upright and upright not in opts["notes"]:  # \mathrm{x} read as x (read_latex/upright.py)
            opts["notes"].append(upright)
        return check_output(value, 0)
    except ParseFail as err:
        ln, cl = position(text, err.pos, line, col)
        return _ellipsis_product(text, line, col, opts, LatexError(err.message, ln, cl))
    except RecursionError:
        raise LatexError("the formula is nested too deeply", line, col) from None
    except LatexError as err:
        return _ellipsis_product(text, line, col, opts, err)
    except MemoryError:
        raise LatexError("the formula is too large", line, col) from None
    except Exception as err:  # a bug in derive, but never a crash on user input
        raise LatexError(f"cannot read the formula (internal error {type(err).__name__}: {str(err)[:200]})",
                         line, col) from None


def _ellipsis_product(text: str, line: int, col: int, opts: dict, err: LatexError):
    """A formula that did not read: read as a product written with an ellipsis (read_latex/product_ellipsis.py),
    or raise its own error."""
    alt = rewrite_product_ellipsis(text, 1 if opts.get("horizon") == "from-1" else 0) \
        if "dots" in text else None  # the rewritten text has no ellipsis left: no loop
    if alt is None:
        raise err from None
    try:
        value = parse_math(alt[0], line=line, col=col, options=opts)
    except LatexError:
        raise err from None
    if isinstance(opts.get("notes"), list):
        opts["notes"].append(alt[1])
    return value


__all__ = ["parse_math", "parse_syntax", "LatexError", "describe_char"]
