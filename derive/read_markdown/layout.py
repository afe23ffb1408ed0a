"""The layout inside one display: rows, alignment, notes (justifications), prose tails, punctuation.

``_prepare(content)`` blanks what carries no mathematics (offsets kept, so positions stay exact):
environments' ``\\begin``/``\\end``, ``\\nonumber``, ``\\notag``, ``\\label``, TeX comments, the
``&`` markers and the ``\\\\`` row breaks (with ``[4pt]``); it returns the rows with their notes: the
text after ``&&``, a ``\\tag{...}``, trailing ``\\text{...}`` comments, a justification in the left column
(``(代入式7.3.7\\to)&= ...``, ``(\\text{by (2)})&= ...``: a parenthesis holding CJK words or \\text, or ending in an arrow), and prose tails
(``\\text{where} ...``, ``\\text{, for all } s``) with everything after them on the row.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .blocks import ENVIRONMENTS, blank, escaped

_LAYOUT = re.compile(
    r"\\(?:begin|end)\{(?:" + "|".join(re.escape(e) for e in ENVIRONMENTS) + r")\}(?:\{\d{1,2}\}|\{[lcr| ]{1,20}\})?"
    r"|\\(?:nonumber|notag)(?![A-Za-z])|\\label\s*\{[^{}\n]{0,200}\}")
_ROWBREAK = re.compile(r"\\\\(?:[ \t]*\[[^\]\n]{0,20}\])?")
_TAG = re.compile(r"\\tag\*?[ \t]*\{")
# "X \quad\quad (2)": an equation label after spacing at the end of a row (like \tag{2}), never a factor
_EQ_LABEL = re.compile(r"(?:\\q?quad(?![A-Za-z])\s*)+(?:\\[ ,;:]\s*|~\s*)*\(\s*(\d{1,3}(?:[.\-_]\d{1,3})*[a-z]?|[ivx]{1,5}|[a-z])\s*\)\s*$"
                       # "G_t &= R_{t+1} + \cdots &(1)" (microsoft/ai-edu 7.3.2): a numbered label in its own column
                       r"|(?<!\\)&\s*(?:\\q?quad(?![A-Za-z])\s*)*\(\s*(\d{1,3}(?:[.\-_]\d{1,3})*)\s*\)\s*$")
# the end-of-proof mark at the end of a row: "... \right] \quad \textbf{Q.E.D.}" (boyin96), \blacksquare, \qed, \Box
_QED = re.compile(r"(?:\\hfill\s*|\\q?quad(?![A-Za-z])\s*)*(?:\\(?:text(?:bf|rm|it|sf)?|mathrm|mathbf|mbox)\s*\{\s*(?:Q\.?\s*E\.?\s*D\.?"
                  r"|\$?\\(?:blacksquare|square|Box)\$?)\s*\}|\\(?:qed|qedhere|blacksquare|square|Box)(?![A-Za-z]))\s*$")
COMMENT_MACROS = {"text", "textrm", "mbox", "textnormal", "textit"}
SPACING_MACROS = {"quad", "qquad", ",", ";", ":", "!", " "}


class _Braces:
    """Matching braces and brace depth of a text, computed once (linear time)."""

    def __init__(self, text: str):
        self.close_of, self.open_of = {}, {}
        self.depth = [0] * (len(text) + 1)
        stack = []
        d = 0
        i, n = 0, len(text)
        while i < n:
            self.depth[i] = d
            c = text[i]
            if c == "\\" and i + 1 < n:
                self.depth[i + 1] = d
                i += 2
                continue
            if c == "{":
                stack.append(i)
                d += 1
            elif c == "}":
                if stack:
                    o = stack.pop()
                    self.close_of[o], self.open_of[i] = i, o
                d = max(0, d - 1)
            i += 1
        self.depth[n] = d


def _skip_spacing_back(chars: list, lo: int, end: int) -> int:
    """Move ``end`` left over whitespace, '&', '~' and spacing macros (\\quad, \\,, ...)."""
    while end > lo:
        c = chars[end - 1]
        if c.isspace() or c in "&~":
            end -= 1
            continue
        j = end
        while j > lo and chars[j - 1].isalpha():
            j -= 1
        if j < end and j > lo and chars[j - 1] == "\\" and "".join(chars[j:end]) in SPACING_MACROS:
            end = j - 1
            continue
        if end - 1 > lo and chars[end - 2] == "\\" and c in SPACING_MACROS:
            end -= 2
            continue
        return end
    return end


def _drop_comma_before(chars: list, braces: _Braces, lo: int, end: int) -> None:
    """Blank a top-level ',' or ';' that ends the math of a row before its cut note (spacing and \\hspace{...} skipped)."""
    while True:
        end = _skip_spacing_back(chars, lo, end)
        if end > lo and chars[end - 1] == "}" and braces.open_of.get(end - 1) is not None:
            k = braces.open_of[end - 1]
            while k > lo and chars[k - 1].isspace():
                k -= 1
            macro = next((m for m in ("\\hspace*", "\\hspace") if "".join(chars[max(lo, k - len(m)):k]) == m), None)
            if macro is not None:
                end = k - len(macro)
                continue
        break
    if end > lo and chars[end - 1] in ",;" and braces.depth[end - 1] == 0 and (end - 2 < lo or chars[end - 2] != "\\"):
        chars[end - 1] = " "


def _trailing_comment(chars: list, braces: _Braces, lo: int, end: int):
    """(macro start, content) of a \\text{...} that ends the row at ``end``, or None."""
    if end <= lo or chars[end - 1] != "}":
        return None
    open_i = braces.open_of.get(end - 1)
    if open_i is None or open_i < lo:
        return None
    j = open_i
    while j > lo and chars[j - 1] in " \t":
        j -= 1
    k = j
    while k > lo and chars[k - 1].isalpha():
        k -= 1
    if k == j or k <= lo or chars[k - 1] != "\\" or "".join(chars[k:j]) not in COMMENT_MACROS:
        return None
    start = k - 1
    if braces.depth[start] != 0:
        return None
    b = start
    while b > lo and chars[b - 1].isspace():
        b -= 1
    if b > lo and chars[b - 1] in "_^":
        return None  # \\pi_\\text{old}: part of the math
    return start, "".join(chars[open_i + 1:end - 1])


def _clean_note(s: str) -> str:
    s = re.sub(r"(?:^|(?<=\s))([=\-~^*#+`])\1{2,}(?=\s|$)", " ", s)  # a heading underline (rst ~~~~, ^^^^)
    if not re.search(r"\w", s):  # a horizontal rule or bare punctuation is not a justification
        return ""
    s = re.sub(r"\\(?:text|textrm|mathrm|mbox|textit|emph)\s*\{([^{}]*)\}", r"\1", s)
    s = re.sub(r"\\(?:quad|qquad|[,;:!])", " ", s)
    s = re.sub(r"\\(?:scriptstyle|textstyle|small|footnotesize|scriptsize|tiny)(?![A-Za-z])\s*", "", s).strip()
    if len(s) >= 2 and s[0] == "{" and s[-1] == "}" and "{" not in s[1:-1]:
        s = s[1:-1]
    s = re.sub(r"\s+", " ", s).strip().lstrip(",;:. ")
    if len(s) >= 2 and s[0] == "(" and s[-1] == ")":
        s = s[1:-1].strip()
    return s


@dataclass
class _Row:
    start: int
    end: int
    note: str = ""


def _prepare(content: str):
    """Blank layout in a block's content (offsets kept): (cleaned text, rows with their notes, braces)."""
    chars = list(content)
    for m in re.finditer(r"(?<!\\)%[^\n]*", content):  # TeX comments
        blank(chars, m.start(), m.end())
    text = "".join(chars)
    for m in _LAYOUT.finditer(text):
        blank(chars, m.start(), m.end())
    kept = _protect_cases(chars)  # \begin{cases} keeps its & and \\ (read_latex/cases.py reads them)
    text = "".join(chars)
    rows = _Rows()
    pos = 0
    for m in _ROWBREAK.finditer(text):
        rows.append(_Row(pos, m.start()))
        blank(chars, m.start(), m.end())
        pos = m.end()
    rows.append(_Row(pos, len(text)))
    rows.starts = [r.start for r in rows]
    text = "".join(chars)
    braces = _Braces(text)
    for row in rows:
        notes = []
        lead = _LEAD_NOTE.match(text, row.start, row.end)
        lo = row.start  # where the row's mathematics starts
        if lead is not None and braces.depth[row.start] == 0:  # "(实例化\ s \to s_a) &= ...": the row's reason
            notes.append(lead.group(1))
            blank(chars, lead.start(1), lead.end(1))
            lo = lead.end(1)
        if _VDOTS_ROW.fullmatch(text, row.start, row.end):  # "&\\quad\\vdots && \\vdots": layout only
            blank(chars, row.start, row.end)
            continue
        for m in _NOTE_COLUMN.finditer(text, lo, row.end):  # "&= x && note": the note column
            if m.group().count("&") == 1 and "=" not in text[row.start:m.start()]:
                continue  # "& \\text{...}" before the row's relation is not a note column
            if _RELATION_START.match(text, m.end()):
                continue  # "A &= x &&= y": a further column of the chain, not a note
            if braces.depth[m.start()] == 0:
                notes.append(text[m.end():row.end])
                blank(chars, m.start(), row.end)
                row_end = m.start()
                break
        else:
            row_end = row.end
        for m in _TAIL.finditer(text, lo, row_end):  # "\\text{where} ...", "\\text{, for all } s": prose
            if m.group(0).startswith("\\forall") and "=" not in text[row.start:m.start()]:
                continue  # "\\forall s: V(s) = ...": a quantifier before the claim is not a tail
            if braces.depth[m.start()] == 0:
                notes.append(text[m.start():row_end])
                blank(chars, m.start(), row_end)
                row_end = m.start()
                break
        for m in _TAG.finditer(text, row.start, row_end):  # \\tag{...} anywhere in the row
            close = braces.close_of.get(m.end() - 1)
            if close is not None and close < row_end:
                notes.append(text[m.end():close])
                blank(chars, m.start(), close + 1)
        qed = _QED.search("".join(chars[row.start:row_end]))
        if qed is not None and braces.depth[row.start + qed.start()] == 0:  # the end of the proof: layout (R8)
            notes.append("Q.E.D.")
            blank(chars, row.start + qed.start(), row_end)
            row_end = row.start + qed.start()
        label = _EQ_LABEL.search("".join(chars[row.start:row_end]))
        if label is not None and braces.depth[row.start + label.start()] == 0:
            notes.append(label.group(1) or label.group(2))
            blank(chars, row.start + label.start(), row_end)
            row_end = row.start + label.start()
        end = _skip_spacing_back(chars, row.start, row_end)
        removed = None
        while True:  # trailing \\text{...} comments, after the math of the row
            found = _trailing_comment(chars, braces, row.start, end)
            if found is None:
                break
            notes.insert(0, found[1])
            blank(chars, found[0], end)
            removed = found[0]
            end = _skip_spacing_back(chars, row.start, found[0])
        if removed is not None:
            blank(chars, end, removed)  # the \\quad before a comment
        if notes:  # "x = y,\\hspace{1cm}\\forall s": the comma before a cut tail is punctuation, mid-chain too
            _drop_comma_before(chars, braces, row.start, end)
        row.note = "; ".join(n for n in (_clean_note(x) for x in notes) if n)
    for i, c in enumerate(chars):  # alignment markers
        if c == "&" and not escaped(text, i):
            chars[i] = " "
    for start, original in kept:
        chars[start:start + len(original)] = original
    return "".join(chars), rows


_CASES = re.compile(r"\\begin\s*\{\s*cases\s*\}.*?\\end\s*\{\s*cases\s*\}", re.S)


def _protect_cases(chars: list) -> list:
    """Hide each cases environment behind a same-length brace group; [(start, original characters)]."""
    kept = []
    for m in _CASES.finditer("".join(chars)):
        kept.append((m.start(), chars[m.start():m.end()]))
        chars[m.start():m.end()] = ["{"] + [" "] * (m.end() - m.start() - 2) + ["}"]
    return kept


# a justification written in the left column, before the row's "&=" (microsoft/ai-edu: "(代入式7.3.7\to)&= ..."): a
# parenthesis holding words (CJK, \text{...}) or ending with an arrow, or a lone \text{...}; never mathematics
_LEAD_NOTE = re.compile(r"[ \t\n]*((?:\((?=[^()\n]*(?:[\u3400-\u9fff]|\\text|\\(?:to|rightarrow|Rightarrow)\s*\)))[^()\n]{1,80}\)"
                        r"|（[^（）\n]{1,80}）|\\text\s*\{[^{}\n]{1,80}\}))[ \t]*(?=&[ \t]*(?:=|\\approx|\\le|\\ge))")
# a prose tail of a row: \text{where ...}, \text{for all ...}, \text{, ...} and what follows it on the row
_TAIL = re.compile(r"(?:\\(?:scriptstyle|textstyle|small|footnotesize|scriptsize|tiny)\s*\{?\s*)?"
                   r"\\(?:text|textrm|mbox|textnormal|textit)\s*\{\s*(?:[,;.:]|(?:where|with|for|if|since|because|as|"
                   r"using|by|when|whenever|given|which|so|hence|thus|here|note|i\.e\.|e\.g\.)(?![A-Za-z]))"
                   r"|\\forall(?![A-Za-z])"  # "x = y, \forall s \in S": the quantifier (derive reads every step for all s)
                   r"|\\(?:text|textrm|mbox)\s*\{\s*[\u4e00-\u9fff]")  # "\quad \text{忽略} \nabla d \text{项}": Chinese prose
# everything after "&&" on a row is its justification; so is a column that starts with text ("& \\text{by ...}")
_RELATION_START = re.compile(r"\s*(?:=|<|>|\\(?:le|ge|leq|geq|approx|neq|ne)(?![A-Za-z]))")
_LAYOUT_ITEM = r"(?:\s|&|\\(?:q?quad|vdots|ddots|,|;|!)(?![A-Za-z]))*"
_VDOTS_ROW = re.compile(_LAYOUT_ITEM + r"\\vdots" + _LAYOUT_ITEM)
_NOTE_COLUMN = re.compile(r"(?<!\\)&[ \t]*&|(?<!\\)&(?=\s*(?:\\q?quad\s*)*(?:\\(?:scriptstyle|textstyle|small|"
                          r"footnotesize)\s*\{?\s*)?\\(?:text|textrm|mbox|textit|textnormal)\s*\{)"
                          # "=& x & \scriptstyle{P(s',r|s,a) \text{ or } r ...}" (Lilian Weng): a small-type column is a note
                          r"|(?<!\\)&(?=\s*(?:\\q?quad\s*)*\\(?:scriptstyle|scriptsize|footnotesize|tiny)(?![A-Za-z]))"
                          # "v(s_b) &= \mathbb E[G_b|S_{t+1}=s_b] & \in v(s')" (microsoft/ai-edu 7.3.10): what the row is an
                          # instance of, in a column of its own after the row's relation
                          r"|(?<!\\)&(?=\s*\\in(?![A-Za-z]))")
_TAIL_PUNCT = re.compile(r"(?<!\\)[.,;](?:\\[,;!:]|\\q?quad(?![A-Za-z])|\s)*$")
_RST_DIRECTIVE = re.compile(r"[ \t]*(?:\.\. [\w-]+::|:[\w-]+:)")


def _strip_punct(text: str, start: int, end: int) -> int:
    """The end of a segment without a trailing sentence period or comma ("= 1." reads "= 1")."""
    while end > start and text[end - 1].isspace():
        end -= 1
    m = _TAIL_PUNCT.search(text, start, end)
    return m.start() if m else end


class _Rows(list):
    """Rows of a block, with their start offsets for bisection."""

    starts: list = []
    breaks: list = []  # offsets of chain breaks (\\therefore, \\implies, ...: display.py)
