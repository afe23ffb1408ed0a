"""Names of the commands derive reads, and the message for one it does not (issue 10, item 12).

``unknown_command(name)`` says what to do so that one edit fixes the formula: a forbidden
primitive (``\\csname``, ``\\input``) is refused; a macro definition belongs to a document;
anything else "is not defined: define it with \\newcommand{\\name}{...} or pass --macros FILE",
with the nearest known command (difflib) when one is close (``\\fracc`` -> ``\\frac``).
"""
from __future__ import annotations

import difflib

from .command_tables import (_DELIM_MACROS, CMP_MACROS, ELLIPSES, FRAC_MACROS, OP_MACROS, RELATION_MACROS,
                             SIMPLE_MACROS, SIZE_MACROS, SPACING, SYMBOL_MACROS, TEXT_MACROS)
from .macros import DEFINERS, FORBIDDEN
from .presentation import NAMES as PRESENTATION_MACROS

CHAIN_BREAKS = {"therefore", "because", "implies", "Rightarrow", "Longrightarrow", "impliedby", "iff",
                "Leftrightarrow", "Longleftrightarrow"}
# commands read by regexes, tokens_extra or the Markdown reader, for "did you mean" suggestions
_OTHER_KNOWN = {"mathbb", "mathop", "hat", "widehat", "mathcal", "mathbf", "mathds", "bm", "left", "right", "middle",
                "sqrt", "prime", "begin", "end", "overset", "stackrel", "underset", "operatorname", "tilde",
                "widetilde", "bar", "overline", "Pr", "boldsymbol", "pmb", "symbf", "mathbfit"}  # bold: bold.py


def known_commands() -> set:
    """Every command name the reader knows (computed, so that additions to the tables count)."""
    return (set(SPACING) | set(SYMBOL_MACROS) | set(OP_MACROS) | set(SIMPLE_MACROS) | FRAC_MACROS | TEXT_MACROS
            | SIZE_MACROS | set(RELATION_MACROS) | ELLIPSES | set(CMP_MACROS) | set(_DELIM_MACROS)
            | PRESENTATION_MACROS | _OTHER_KNOWN | CHAIN_BREAKS) - {" ", "\n", "\t"}


# standard LaTeX that derive does not read, with the reason and the nearest supported spelling
_LIMIT = ("a limit is not read: derive evaluates a series to infinity directly, \\sum_{k=0}^{\\infty} ..., "
          "and finite sums; write the limit as that series (or its value)")
STANDARD_UNREAD = {
    "lim": "\\lim: a limit is read only as a whole side, over partial sums, \\lim_{k \\to \\infty} \\sum_{l=0}^{k} X "
           "or \\lim_{n \\to \\infty} (1 + \\gamma + \\dots + \\gamma^n) (the series to infinity), or over a sample mean, \\lim_{N \\to \\infty} \\frac{1}{N}"
           "\\sum_{i=1}^{N} X^{(i)} (the expectation \\mathbb{E}[X]); otherwise " + _LIMIT,
    "to": "\\to (k \\to \\infty, or a map s \\to s'): " + _LIMIT,
    "succ": "\\succ (a preference, as in DPO's y_w \\succ y_l) is not read: derive checks =, \\geq and \\leq "
            "between numbers; it reads the Bradley-Terry probability p^*(y_1 \\succ y_2 \\mid x) (family: token)",
    "approx": "\\approx is not an equality: derive checks =, \\geq and \\leq",
    "propto": "\\propto (proportional) is not an equality: derive checks =, \\geq and \\leq",
    # issue 10 (R2): what these mean has no value on derive's finite MDPs, or is read in one spelling only
    "partial": "\\partial: a partial derivative is read only with respect to the policy parameter, "
               "\\frac{\\partial X}{\\partial \\theta}, \\frac{\\partial}{\\partial \\theta} X or \\partial_\\theta X "
               "(read as \\nabla_\\theta X, read_latex/partials.py); derive reads no other derivative",
    "det": "\\det (a determinant, as in a Gaussian policy's density over continuous actions) is not read: derive "
           "checks on finite MDPs with categorical policies \\pi(a|s); a continuous density cannot be checked there",
    "cup": "\\cup (a union of sets, or a trajectory split into parts, (s_0) \\cup \\tau_{a_0:a_T}) is notation, not a "
           "value derive evaluates: write the sum or expectation over the whole trajectory, \\sum_\\tau, "
           "\\mathbb{E}_{\\tau \\sim \\pi_\\theta}[X]",
    "cap": "\\cap (an intersection of sets) is not read: derive evaluates numbers, not sets; write an event's "
           "probability with an indicator, \\mathbb{E}[\\mathbb{1}[\\ldots]]",
}
_INDICATOR_ONLY = {"mathbf", "mathds", "bm"}  # tokens.py: \mathbf{1}\{...\} only
_GREEK_FUNCTIONS = {"phi", "varphi", "psi", "Phi", "Psi", "chi", "xi", "zeta", "nu", "omega", "kappa", "iota"}
# Greek letters an author may define ("Let $\phi(s) = ...$"): symbols of the reader, meaning nothing until defined
# (read_latex/notation_defined.py); not in known_commands(), so \newcommand{\phi}{f} stays allowed
DEFINABLE_GREEK = frozenset(_GREEK_FUNCTIONS | {"sigma", "varsigma", "varphi"})


def unknown_command(name: str) -> str:
    """The message for a command derive does not read: what to do, and the nearest known spelling."""
    if name in FORBIDDEN:
        return (f"\\{name} is not allowed: derive reads math only and expands nothing but macros defined with "
                "\\newcommand, \\def or \\DeclareMathOperator")
    if name in DEFINERS:
        return (f"\\{name} defines a macro: definitions are read in a Markdown derivation (derive check FILE.md), "
                "before their use, not inside one formula")
    if name in CHAIN_BREAKS:
        return f"\\{name} separates two chains of a display; it cannot stand inside a formula"
    if name in STANDARD_UNREAD:
        return STANDARD_UNREAD[name]
    if name in _GREEK_FUNCTIONS:
        return (f"\\{name} is not a name derive reads (its Greek names: \\gamma, \\lambda, \\epsilon, \\beta, "
                f"\\pi, \\theta, \\tau, \\rho, \\delta, \\eta, \\mu): for a function of a state write f(s) and "
                f"define it (\"let $f(s) = ...$\")")
    if name in _INDICATOR_ONLY:  # known, but only as the indicator \mathbf{1}: never "nearest is \mathbf" itself
        if name == "mathds":  # double-struck: only the indicator (bold type is \mathbf, read_latex/bold.py)
            return "\\mathds is read only in the indicator \\mathds{1}\\{...\\}"
        return (f"\\{name} needs its argument: \\{name}{{x}} (bold type, read as x) or the indicator "
                f"\\{name}{{1}}\\{{...\\}}")
    msg = (f"\\{name} is not defined (derive does not read it): define it with \\newcommand{{\\{name}}}{{...}} "
           "(or \\DeclareMathOperator), or pass --macros FILE")
    near = difflib.get_close_matches(name, sorted(known_commands() - {name}), n=1, cutoff=0.6)
    if near:
        msg += f"; the nearest supported command is \\{near[0]}"
    return msg
