"""Spellings of published derivations that the tokenizer maps onto derive's tokens.

Each is a whitelist entry, never an expansion of user text:

* Unicode math characters (``∼ ∈ ∇ ∑ ∏ · ∞ 𝔼 ⋯ …`` and Greek letters ``γ π θ ...``) are the
  tokens of their macros (``\\sim``, ``\\in``, ``\\nabla``, ...);
* ``\\hat{\\mathbb{E}}`` is PPO's empirical average (operator ``hatexpect``, Schulman et al.
  2017, eq. (1));
* ``\\underset{s \\sim \\mu}{\\mathbb{E}}`` is ``\\mathbb{E}_{s \\sim \\mu}``;
* a bare capital ``E`` directly followed by a bracket (``E[X]``, ``E_\\pi[X]``) is the expectation;
* ``\\tilde\\pi``, ``\\bar{R}``, ``\\overline{R}`` are decorated symbols (``tilde:\\pi``, ``bar:R``),
  given a meaning (or refused) by the notation;
* ``\\Pr`` is a name (``text:Pr``).
"""
from __future__ import annotations

import re

from .errors import fail
from .scan import matching_brace

# character -> (token type, value); Greek letters map to the macro they spell
UNICODE = {
    "∼": ("SIM", "~"), "∈": ("IN", "in"), "∇": ("OP", "nabla"), "∑": ("OP", "sum"), "∏": ("OP", "prod"),
    "·": ("CDOT", "cdot"), "⋅": ("CDOT", "cdot"), "×": ("MULOP", "times"), "∣": ("MID", "|"),
    "−": ("MINUS", "-"), "∞": ("SYM", r"\infty"), "∫": ("OP", "int"),
    "\U0001D53C": ("OP", "expect"),  # 𝔼 (U+1D53C, double-struck E): \mathbb{E}
    "⋯": ("SYM", "..."), "…": ("SYM", "..."),  # \cdots, \ldots: a term of a series (read_latex/series.py)
}
GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi",
    "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "ϕ": "phi", "χ": "chi",
    "ψ": "psi", "ω": "omega", "Δ": "Delta", "Σ": "Sigma", "Π": "Pi", "Ω": "Omega", "Φ": "Phi",
}
RELATIONS = {"≤": ("<=", "le"), "≥": (">=", "ge"), "≠": ("!=", "ne")}

_HAT_E = re.compile(r"\\(?:wide)?hat\s*\{\s*\\mathbb\s*(?:\{\s*E\s*\}|E)\s*\}")
_DECOR = re.compile(r"\\(tilde|widetilde|bar|overline)\s*(?:\{\s*(\\[A-Za-z]+|[A-Za-z])\s*\}|(\\[A-Za-z]+|[A-Za-z]))")
_PR = re.compile(r"\\Pr(?![A-Za-z])")
_UNDERSET = re.compile(r"\\underset\s*\{")
_BB_D = re.compile(r"\\mathbb\s*(?:\{\s*D\s*\}|D(?![A-Za-z]))")
_ROMAN_E = re.compile(r"\\(?:mathrm|operatorname\*?|mathbf|textbf|mathsf|rm|bf)\s*(?:\{\s*E\s*\}|E(?![A-Za-z]))")
_TEXT_OP = re.compile(r"\\(?:text|textrm|mathrm|operatorname|rm)\s*\{\s*(log|ln|exp)\s*\}")
_BB_P = re.compile(r"\\mathbb\s*(?:\{\s*P\s*\}|P(?![A-Za-z]))")
_BB_P_CALL = re.compile(r"\\mathbb\s*\{\s*P\s*(?=\()")  # \mathbb{P(\tau;\theta)}: the font over the whole call
_PREFERENCE = re.compile(r"(?:\\Pr|\\mathbb\s*\{\s*P\s*\}|(?<![A-Za-z\\])[pP])\s*(?:\^\s*(?:\*|\{\s*\*\s*\}))?\s*(?:\\left\s*)?\(\s*[^()]{0,30}$")  # p^*( before \succ
_BARE_LOG = re.compile(r"log(?![a-oq-zA-OQ-Z])")  # log p, logp(s_1), log\pi, log[...]; not logit, logistic
_E_BODY = re.compile(r"\s*(?:\[|\\left\s*\[|\\[bB]igg?l?\s*\[|(?:\\left\s*|\\[bB]igg?l?\s*)?\\lbrack(?![A-Za-z]))")  # E \lbrack X \rbrack (R8)
_E_ARG = re.compile(r"\s*(?:\{|\\[A-Za-z]+|[A-Za-z0-9])")
DECOR_NAMES = {"tilde": "tilde", "widetilde": "tilde", "bar": "bar", "overline": "bar"}


def _skip_script(text: str, j: int) -> int:
    """After '_' or '^' at text[j]: the offset after its argument (one token or a brace group), or -1."""
    m = _E_ARG.match(text, j + 1)
    if not m:
        return -1
    if text[m.end() - 1] == "{":
        close = matching_brace(text, m.end() - 1)
        return -1 if close < 0 else close + 1
    return m.end()


def letter_tokens(text: str, i: int, tokenize):
    """Tokens for the letter at text[i]: ``E[X]`` (the expectation), ``log`` without a backslash (``\\log``), or
    ``P(s \\to x, k, \\pi)`` (the k-step probability, read_latex/kstep.py): ([(type, value, start, end)], offset after
    it), or None."""
    if text[i] == "E":
        return ([("OP", "expect", i, i + 1)], i + 1) if bare_expectation(text, i) else None
    if text[i] == "l":  # log written without its backslash (the HF course, lecture notes): \log (R10)
        return ([("OP", "log", i, i + 3)], i + 3) if _BARE_LOG.match(text, i) and not (
            i and (text[i - 1].isalpha() or text[i - 1] == "\\")) else None
    if text[i] in "oy":  # GRPO's prefix o_{i,<t}, a response's prefix y_{<t} (read_latex/notation_groups.py)
        from .notation_groups import prefix_tokens

        return prefix_tokens(text, i, tokenize)
    from .kstep import kstep_tokens

    return kstep_tokens(text, i, tokenize)


def bare_expectation(text: str, i: int) -> bool:
    """Is the capital E at text[i] an expectation: followed (after optional scripts) by a bracket, or with a
    subscript that draws (``E_{\\tau \\sim p_\\theta(\\tau)} r(\\tau)``, read_latex/expectation_unbracketed.py)?"""
    j = i + 1
    if j < len(text) and (text[j].isalnum() or text[j] == "'"):
        return False
    for _ in range(2):  # E_{...}^{...}[
        k = j
        while k < len(text) and text[k] in " \t\n":
            k += 1
        if k < len(text) and text[k] in "_^":
            j = _skip_script(text, k)
            if j < 0:
                return False
    return bool(_E_BODY.match(text, j)) or (j > i + 1 and "\\sim" in text[i + 1:j])  # E_{x \sim p} X (no brackets)


def unicode_token(text: str, i: int, comparing: bool):
    """(type, value, end) for the Unicode character at text[i], or None."""
    ch = text[i]
    if ch in UNICODE:
        kind, value = UNICODE[ch]
        return kind, value, i + 1
    if ch in GREEK:
        return "MACRO", GREEK[ch], i + 1
    if ch in RELATIONS:
        if comparing:
            return "CMP", RELATIONS[ch][0], i + 1
        fail(f"the relation {ch} (\\{RELATIONS[ch][1]}) is not supported here: derive checks equalities (=) "
             "(a comparison belongs inside an indicator \\mathbb{1}[x > y])", i)
    return None


def macro_tokens(text: str, i: int, jumps: dict, tokenize):
    """Tokens for a macro at text[i] of this module: ([(type, value, start, end)], offset to go on), or None.

    ``jumps`` receives {offset: offset} skips for the tokenizer (the second argument of \\underset);
    ``tokenize`` is the tokenizer (read_latex/tokens.py), for the groups read inside.
    """
    if text.startswith("\\{", i):  # GRPO's group \{o_i\}_{i=1}^G: refused naming it (notation_groups.py)
        from .notation_groups import group_set

        hit = group_set(text, i, tokenize)  # \{a_i\}_{i=1}^G: the group's completions a_1, \ldots, a_G
        if hit is not None:
            return hit
    if text.startswith("\\sum", i):  # \sum_{j=1, j\neq i}^G: a group's leave-one-out sum (group_sums.py)
        from .group_sums import leave_one_out

        hit = leave_one_out(text, i, tokenize)
        if hit is not None:
            return hit
    m = _BB_D.match(text, i)
    if m:  # \mathbb{D}_{KL}[P \| Q] (DPO, GRPO; read_latex/notation_objectives.py)
        return [("OP", "bbkl", i, m.end())], m.end()
    m = _ROMAN_E.match(text, i)
    if m:  # \mathrm{E}[X], \operatorname{E}_\pi[X], \mathbf{E}[X]: the expectation in roman or bold type
        return [("OP", "expect", i, m.end())], m.end()
    m = _TEXT_OP.match(text, i)
    if m:  # \text{log}, \operatorname{log}, \mathrm{exp}: the operator itself (luweiagi's notes; notation_notes.py)
        return [("OP", {"log": "log", "ln": "log", "exp": "exp"}[m.group(1)], i, m.end())], m.end()
    m = _BB_P.match(text, i)
    if m:  # \mathbb{P}(s'|s,a), \mathbb{P}(\tau;\theta): blackboard-bold P is the probability P (notation_notes.py)
        return [("SYM", "P", i, m.end())], m.end()
    m = _BB_P_CALL.match(text, i)
    if m:  # \mathbb{P(\tau;\theta)} (luweiagi's notes): read as \mathbb{P}(\tau;\theta), its closing brace skipped
        close = matching_brace(text, text.index("{", i))
        if close >= 0:
            jumps[close] = close + 1
            return [("SYM", "P", i, m.end())], m.end()
    if text.startswith("\\succ", i) and not text[i + 5:i + 6].isalpha() and _PREFERENCE.search(text, 0, i):
        return [("SYM", "succ:", i, i + 5)], i + 5  # p^*(y_1 \succ y_2|x), Bradley-Terry (notation_dpo.py)
    if text.startswith(("\\rho", "\\Pr"), i):  # \rho^\pi(s \to x, k), \Pr(s \to x, k, \pi): the k-step probability (kstep.py)
        from .kstep import kstep_tokens

        hit = kstep_tokens(text, i, tokenize)
        if hit is not None:
            return hit
    m = _HAT_E.match(text, i)
    if m:
        return [("OP", "hatexpect", i, m.end())], m.end()
    m = _DECOR.match(text, i)
    if m:
        letter = m.group(2) or m.group(3)
        name = DECOR_NAMES[m.group(1)] + ":" + (letter if not letter.startswith("\\") else letter)
        return [("SYM", name, i, m.end())], m.end()
    m = _PR.match(text, i)
    if m:
        return [("TEXT", "Pr", i, m.end())], m.end()
    m = _UNDERSET.match(text, i)
    if m:
        open1 = m.end() - 1
        close1 = matching_brace(text, open1)
        if close1 < 0:
            fail("\\underset{...}{...}: unbalanced braces", i)
        k = close1 + 1
        while k < len(text) and text[k] in " \t\n":
            k += 1
        close2 = matching_brace(text, k) if k < len(text) and text[k] == "{" else -1
        inner = text[k + 1:close2].strip() if close2 > 0 else ""
        # also Spinning Up's \\E = {\\mathrm E} (its site macros, expanded by read_latex/macros.py)
        if re.fullmatch(r"\{?\s*(?:\\mathbb\s*(?:\{\s*E\s*\}|E)|E|\\(?:operatorname|mathrm|text|textrm)\s*(?:\{\s*E\s*\}|E))\s*\}?",
                        inner) is None:
            fail("\\underset is only supported for an expectation: \\underset{s \\sim \\mu}{\\mathbb{E}}", i)
        jumps[close1 + 1] = close2 + 1
        return [("OP", "expect", i, m.end() - 1), ("USCORE", "_", open1, open1)], open1
    return None


_RANGE_BEFORE = re.compile(r"(?:\\tau|(?<![\\A-Za-z])[sSaAr])\s*_\s*\{[^{}:]*$")


def range_colon(text: str, i: int) -> bool:
    """Whether the ':' at ``i`` is an index range of trajectory variables, s_{0:t}, a_{t:T-1}, \\tau_{:t}, \\tau_{t:}
    (read by read_latex/index_ranges.py): directly in the subscript braces of s, a, S, A, r or \\tau."""
    if _RANGE_BEFORE.search(text[max(0, i - 40):i]):
        return True
    return _tau_slice(text, i)


def _tau_slice(text: str, i: int) -> bool:
    """``\\tau_{x_{t+1}:u_T}``, ``\\tau_{\\mathrm{x}_0:\\mathrm{u}_t}``: a slice of the trajectory whose ends carry their
    own braces (helpingstar/Math-RL 3.7, 4.2; read by read_latex/joint_density.py, run_integrals.py)."""
    depth, k = 0, i - 1
    while k >= 0 and i - k < 80:
        c = text[k]
        if c == ":" or c == "\n":
            return False
        if c == "}":
            depth += 1
        elif c == "{":
            if depth == 0:
                return bool(re.search(r"\\tau\s*_\s*$", text[max(0, k - 12):k]))
            depth -= 1
        k -= 1
    return False


def slice_message(text: str, i: int) -> str:
    """The error for ':' (issue 10 R3): an index range s_{0:t}, \\tau_{t:}, G_{t:t+n} names its nearest spelling."""
    before = text[max(0, i - 12):i]
    if re.search(r"(?:\\tau|\b[sSaArRG])\s*_\s*\{[^{}]*$", before):
        return ("an index range such as s_{0:t}, a_{t:T-1}, \\tau_{:t} or G_{t:t+n} (the variables from one time to "
                "another) is not read: write the expectation over the trajectory, \\mathbb{E}_{\\tau \\sim \\pi_\\theta}"
                "[X] (conditioned on s_t with [X \\mid s_t]), and returns as G_t or \\sum_{t'=t}^{T-1} r_{t'}")
    return "unexpected character ':' (a ratio a:b is not read: write \\frac{a}{b}; a definition is :=)"
