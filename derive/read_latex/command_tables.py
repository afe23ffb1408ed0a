"""The commands the tokenizer (:mod:`derive.read_latex.tokens`) knows, by what it makes of them:
spacing (dropped), symbols (``\\gamma`` -> ``\\gamma``, ``\\Pr`` -> ``P``), operators (``\\sum``, ``\\ln`` -> log),
fractions, text, sizes, relations, ellipses, delimiters after ``\\left``/``\\right`` and comparisons
inside an indicator.  :func:`derive.read_latex.commands.known_commands` lists them all.
"""
from __future__ import annotations

SPACING = {",", ";", "!", ":", ">", " ", "\n", "\t", "quad", "qquad", "enspace", "thinspace", "medspace", "thickspace",
           "negthinspace", "negmedspace", "negthickspace", "displaystyle", "textstyle", "limits", "nolimits"}

SYMBOL_MACROS = {
    "gamma": r"\gamma", "lambda": r"\lambda", "epsilon": r"\epsilon", "varepsilon": r"\epsilon",
    "beta": r"\beta", "pi": r"\pi", "rho": r"\rho", "tau": r"\tau", "theta": r"\theta", "delta": r"\delta",
    "infty": r"\infty", "infin": r"\infty", "eta": r"\eta", "mu": r"\mu",
    "top": r"\top", "intercal": r"\top", "dagger": r"\dagger",  # x^\top, M^\dagger (read_latex/matrix_marks.py)
    "Pr": "P",  # \Pr(s_t = s): a probability, read like P(...) (derive/read_latex/notation_optimal.py)
}
OP_MACROS = {"sum": "sum", "prod": "prod", "max": "max", "min": "min", "log": "log", "ln": "log",
             "exp": "exp", "nabla": "nabla", "int": "int"}
SIMPLE_MACROS = {
    "cdot": ("CDOT", "cdot"), "times": ("MULOP", "times"), "mid": ("MID", "|"), "vert": ("MID", "|"),
    "|": ("PARALLEL", "||"), "parallel": ("PARALLEL", "||"), "Vert": ("PARALLEL", "||"),
    "sim": ("SIM", "~"), "in": ("IN", "in"),
}
FRAC_MACROS = {"frac", "dfrac", "tfrac"}
TEXT_MACROS = {"text", "textrm", "mathrm", "operatorname", "mathit", "textit", "mbox", "textnormal", "mathsf",
               "textsf"}
SIZE_MACROS = {b + s for b in ("big", "Big", "bigg", "Bigg") for s in ("", "l", "r", "m")}
RELATION_MACROS = {"le", "leq", "ge", "geq", "ne", "neq", "approx", "propto", "equiv", "coloneqq", "triangleq",
                   "doteq", "lt", "gt", "leqslant", "geqslant", "simeq", "cong"}
ELLIPSES = {"ldots", "cdots", "dots", "vdots", "ddots", "dotsc", "dotsb"}
SERIES_ELLIPSES = {"ldots", "cdots", "dots", "dotsc", "dotsb"}

# delimiters after \left, \right, \big...: canonical form
_DELIM_CHARS = {"(": "(", ")": ")", "[": "[", "]": "]", ".": ".", "|": "|", "/": "/"}
_DELIM_MACROS = {"{": "{", "}": "}", "lbrace": "{", "rbrace": "}", "|": "||", "Vert": "||", "vert": "|",
                 "lvert": "|", "rvert": "|", "lbrack": "[", "rbrack": "]", "langle": "<", "rangle": ">"}

# comparisons inside an indicator bracket: spelling -> canonical value of a CMP token
CMP_MACROS = {"gt": ">", "lt": "<", "ge": ">=", "geq": ">=", "geqslant": ">=", "le": "<=", "leq": "<=",
              "leqslant": "<=", "ne": "!=", "neq": "!="}
