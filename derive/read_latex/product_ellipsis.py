"""Products written with an ellipsis, as trajectory probabilities are written in lecture notes.

    p(s_1) p_\\theta(a_1|s_1) p(s_2|s_1,a_1) p_\\theta(a_2|s_2) p(s_3|s_2,a_2) \\cdots          (Easy RL, eq. 4.1)
    p(S_0) \\pi(A_0|S_0) p(S_1|S_0,A_0) \\pi(A_1|S_1) p(S_2|S_1,A_1) \\cdots \\pi(A_T|S_T) p(S_{T+1}|S_T,A_T)

The factors before the ellipsis are a head followed by a block of k factors written at least twice,
each copy the previous one with every time index (the integer subscript of s, a, r, S, A, R) one
larger.  The head and the period are the smallest that fit, so the reading is unique.  The product
is ``HEAD \\prod_{t=t_0}^{E} BLOCK(t)``: up to the last block written after the ellipsis (it must be
the block at one time E, e.g. ``T``), or, with nothing after the ellipsis, over the trajectory's
times (``\\prod_t``, only when the first block is at the trajectory's first time: 0, or 1 with
``horizon: from-1``).  ``rewrite(text, first)`` returns the text to parse and its note, or None
(the tokenizer then refuses the ellipsis with its own reason).
"""
from __future__ import annotations

import re

_ELLIPSIS = re.compile(r"\\(?:cdots|dots|ldots|dotsm|dotsb)(?![A-Za-z])")
_HEAD = re.compile(r"\s*(?:\\cdot(?![A-Za-z])\s*)?(\\[A-Za-z]+|[A-Za-z])")
_SCRIPT = re.compile(r"\s*[_^]\s*(?:\{|\\[A-Za-z]+|[A-Za-z0-9'])")
_INDEX = re.compile(r"(?<![A-Za-z\\])([sSaArR])(\s*_\s*)(?:\{\s*(?:([A-Za-z])\s*(?:([+-])\s*(\d+))?|(\d+))\s*\}"
                    r"|(\d)|([A-Za-z]))")  # 1 symbol, 3 letter, 4 sign, 5 offset, 6 {n}, 7 digit, 8 letter
_NO_FACTOR = {"sum", "prod", "frac", "left", "right", "cdot", "cdots", "dots", "ldots", "mathbb", "nabla", "log", "exp"}
MAX_FACTORS = 40


def _group_end(text: str, i: int, opener: str) -> int:
    """End (exclusive) of the group opened at text[i] (``(``, ``{``, or ``\\left(``), or -1."""
    depth, j = 0, i
    while j < len(text):
        if text.startswith("\\left", j):
            depth += 1
            j += 5
            continue
        if text.startswith("\\right", j):
            depth -= 1
            j += 6
            if depth == 0:
                return j + 1 if j < len(text) else -1
            continue
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c in "({[":
            depth += 1
        elif c in ")}]":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return -1


def factors(text: str):
    """The factors of a product written as applications ``f_x^y(...)``, or None."""
    out, i = [], 0
    while i < len(text) and len(out) <= MAX_FACTORS:
        if not text[i:].strip():
            return out
        m = _HEAD.match(text, i)
        if not m or m.group(1).lstrip("\\") in _NO_FACTOR:
            return None
        start, j = m.start(1), m.end()
        while True:  # sub- and superscripts
            s = _SCRIPT.match(text, j)
            if not s:
                break
            k = s.end() - 1
            j = _group_end(text, k, "{") if text[k] == "{" else s.end()
            if j < 0:
                return None
        a = re.compile(r"\s*(\\left\s*)?\(").match(text, j)
        if not a:
            return None
        end = _group_end(text, a.start(1) if a.group(1) else a.end() - 1, "(")
        if end < 0:
            return None
        out.append(text[start:end].strip())
        i = end
    return out if i >= len(text) else None


def _indices(factor: str):
    """[(letter, offset)] of the time indices of a factor, and the factor with them blanked."""
    found = []

    def repl(m):
        if m.group(6) or m.group(7):
            found.append(("", int(m.group(6) or m.group(7))))
        elif m.group(8):
            found.append((m.group(8), 0))
        else:
            off = int(m.group(5) or 0) * (-1 if m.group(4) == "-" else 1)
            found.append((m.group(3), off))
        return m.group(1) + "_{#}"

    return found, _INDEX.sub(repl, re.sub(r"\s+", "", factor))


def _shifted(f: str, g: str, d: int) -> bool:
    """Whether factor g is factor f with every (integer) time index larger by d."""
    (fi, fb), (gi, gb) = _indices(f), _indices(g)
    return bool(fi) and fb == gb and len(fi) == len(gi) and all(
        a == "" and b == "" and y == x + d for (a, x), (b, y) in zip(fi, gi))


def _template(block: list, t0: int) -> str:
    def one(f):
        def repl(m):
            n = int(m.group(6) or m.group(7) or 0)
            off = n - t0
            return m.group(1) + "_{t" + (f"+{off}" if off > 0 else f"-{-off}" if off < 0 else "") + "}"
        return _INDEX.sub(repl, f)
    return " ".join(one(f) for f in block)


def _fmt(letter: str, off: int) -> str:
    if not letter:
        return str(off)
    return letter + (f"+{off}" if off > 0 else f"-{-off}" if off < 0 else "")


def _period(fs: list):
    """(head length, period) with two full blocks written, smallest head then period, or None."""
    for h in range(len(fs)):
        for k in range(1, (len(fs) - h) // 2 + 1):
            if all(_shifted(fs[h + j], fs[h + j + k], 1) for j in range(len(fs) - h - k)):
                return h, k
    return None


def _last_block(after: list, block: list, t0: int):
    """The time E (text) at which ``after`` is the block, or None."""
    if len(after) != len(block):
        return None
    E = None
    for f, g in zip(block, after):
        (fi, fb), (gi, gb) = _indices(f), _indices(g)
        if fb != gb or len(fi) != len(gi):
            return None
        for (_, x), (letter, y) in zip(fi, gi):
            e = (letter, y - (x - t0))
            if E is None:
                E = e
            elif E != e:
                return None
    return None if E is None else _fmt(*E)


def rewrite(text: str, first: int = 0):
    """(text to parse, note) for a product written with one ellipsis, or None."""
    dots = list(_ELLIPSIS.finditer(text))
    if len(dots) != 1:
        return None
    d = dots[0]
    before, after = factors(text[:d.start()]), factors(text[d.end():])
    if not before or after is None:
        return None
    found = _period(before)
    if found is None:
        return None
    h, k = found
    block = before[h:h + k]
    times = [x for f in block for letter, x in _indices(f)[0] if letter == ""]
    if not times:
        return None
    t0 = min(times)
    general = _template(block, t0)
    head = " ".join(before[:h])
    if after:
        end = _last_block(after, block, t0)
        if end is None:
            return None
        prod, upto = f"\\prod_{{t={t0}}}^{{{end}}}", f"t = {t0}..{end} (the last block written after the ellipsis)"
    elif t0 == first:
        prod, upto = "\\prod_{t}", "over the trajectory's times (nothing written after the ellipsis)"
    else:
        return None
    new = f"{head} {prod} {general}".strip()
    note = (f"product with an ellipsis: {('head ' + head + ', ') if head else ''}the block {general} repeated with "
            f"t one larger (inferred from the written factors), {upto}")
    return new, note


__all__ = ["rewrite", "factors"]
