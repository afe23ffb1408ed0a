r"""Definition by first use: ``X = e`` where X has no meaning yet defines X (issue 10, R9).

Authors name a quantity on the spot without ``:=`` or a "let": the estimator of the HF course and of
Abbeel's lecture notes ``\hat{g} = \frac{1}{m}\sum_{i=1}^{m} ...``, the PPO paper's (Schulman et al. 2017)
``L^{CLIP}(\theta) = \hat{\mathbb{E}}_t[...]`` (eq. 7), OmniSafe's ``\bar{A}^R(s) = ...`` (TRPO appendix,
eq. 23), verl's ``L_{\text{PPO}}(\theta) = ...``, a constant ``B = \mathbb{E}[G_{t+1} | S_t = s]``.

The rule: the first relation of a chain (its left side written in the display, not continued from the
previous one) is ``=``, its left side is a definition pattern (read_markdown/definitions.py: a symbol with
scripts and arguments, not one of derive's fixed letters), and reading that left side alone fails because
its head has no meaning (an unknown symbol such as ``\hat{g}``, ``\bar{A}``, ``K``; a letter derive gives no
meaning of its own, ``\phi``, ``\Psi``, ``L^{CLIP}``; a free-function letter written bare, ``g``; a known letter
with a name as subscript, ``J_{\text{PPO}}(\theta)``, where derive reads no subscript), the error
lying in the head or its scripts, not in the arguments.  Then the step is the definition of X: bound for
the rest of the file exactly like ``X := e``, kept as a step (the corpus counts such a step, n/a), read as
``X = e`` with the note "X is not defined before: this step defines it", and given the verdict
``definition`` (check_derivations/first_use.py): never holds, never fails.  A symbol that has a reading
(``V^\pi(s)``, ``J(\theta)``, ``Q(s,a)``) or that the file defined before is a claim, as always.  When the
right side cannot be read, the step is unknown with that reason (and X stays unbound).
"""
from __future__ import annotations

import re

import sympy

from ..read_latex import LatexError, parse_math
from ..read_latex.errors import position
from ..read_latex.syntax import Atom, Scripted, raw, single
from .definitions import _pattern, definable

DEFINES = "defines"  # Step.relation of such a step; its verdict is "definition" (check_derivations/first_use.py)
VERDICT = "definition"
NO_MEANING = re.compile(r"^unknown symbol |is not defined in this file|^\S+ must be applied to arguments"
                        r"|is read only as the name of")


class Written(sympy.Symbol):
    """The defined symbol as the author wrote it (printed back verbatim in ``read as``)."""

    def _latex(self, printer):
        return self.name


def _offset(tex: str, line: int, col: int) -> int:
    lines = tex.split("\n")
    return sum(len(x) + 1 for x in lines[:line - 1]) + col - 1


def _named(item) -> bool:
    r"""Whether the pattern's subscript is a name (``\text{PPO}``, ``\mathrm{clip}``, ``PPO``), not an index."""
    sub = single(item.sub) if isinstance(item, Scripted) and item.sub is not None else None
    if sub is None:
        return False
    spelled = raw(sub).replace(" ", "")
    return bool(re.fullmatch(r"(?:\\(?:text|mathrm|textrm|operatorname|rm)\{)?[A-Za-z]{2,}\}?", spelled)) or \
        (isinstance(sub, Atom) and sub.kind == "text")


def undefined_head(lhs_tex: str, options: dict) -> bool:
    """Whether ``lhs_tex`` is a definition pattern whose head has no meaning in derive's notation or the file."""
    tex = lhs_tex.strip()
    if not tex or len(tex) > 200 or not definable(tex) or re.match(r"E\b|E\s*$", tex):
        return False  # E: an expectation written without \mathbb (a defined E would make E[X] a product)
    try:
        parse_math(tex, line=1, col=1, options={**options, "notes": []})
    except LatexError as err:
        item, call = _pattern(tex, 1, 1)
        if err.message.startswith("unexpected subscript on "):  # J_{\text{PPO}}(\theta): a named variant of J
            if not _named(item):
                return False
        elif not NO_MEANING.search(err.message):
            return False
        if call is None:
            return True
        # arguments are names (s, a, \theta, s_t), not expressions: K (V(s) + Q(s, a)) is a product, not a pattern
        return call.sep is None and all(isinstance(single(arg), (Atom, Scripted)) for arg in call.parts[0]) \
            and _offset(tex, err.line, err.col) < call.pos
    return False


def define_step(step, lhs, rhs, text: str, options: dict) -> bool:
    """Make ``step`` (``lhs = rhs``, segments of the reader) the definition of its left side when that side is
    a first use (see the module docstring); True when it did.  ``options["definitions"]`` gains the binding."""
    if not undefined_head(lhs.tex, options) or not rhs.tex:
        return False
    lline, lcol = position(text, lhs.start)
    rline, rcol = position(text, rhs.start)
    name = " ".join(lhs.tex.split())
    step.relation = DEFINES
    said: list = []  # what reading the right side states (a series' general term, \sum_t, ...)
    try:
        d = options["definitions"].define(lhs.tex, rhs.tex, {**options, "notes": said}, lline, lcol, rline, rcol)
    except LatexError as err:
        step.error = LatexError(f"{err.message} (in the right side of {name} = ...: {name} is not defined before, so "
                                "this step would define it)", err.line, err.col)
        return True
    step.lhs, step.rhs = Written(name), d.value
    step.notes = list(dict.fromkeys(rhs.notes + said + [
        f"{name} is not defined before: this step defines it (for the rest of the file); a definition is not judged"]))
    return True


__all__ = ["define_step", "undefined_head", "DEFINES", "VERDICT", "Written"]
