"""Long displays broken into lines that fit the page (the blog's PDF, issue 15 item 4).

``fit(tex, avail)`` returns the body of a display: the formula itself when its estimated width fits
``avail`` points, else an ``aligned`` environment whose rows are cut at top-level ``=``, relations and
binary ``+``/``-`` (never inside a brace group), filled greedily; when the cut points lie inside a
``\\left ... \\right`` pair, the pairs become ``\\biggl ... \\biggr`` first (a ``\\left``/``\\right`` pair
cannot span two rows).  The continuation rows are indented by ``\\quad`` after the alignment point.
The preamble's ``\\derivefit`` (tex.py) then shrinks, in TeX, a row that is still wider than the line:
the estimate decides where to cut, TeX's own measure guarantees that nothing runs off the page.

Width estimate (``width``), in points for an 11 pt Latin Modern page: a letter or symbol 5.8, a binary
operator with its spaces 12, a relation 15, a sub- or superscript 0.7 of its content (stacked:
the wider one), ``\\frac`` the wider of numerator and denominator, text 5.5 per character.
"""
from __future__ import annotations

import re

LINE = 470.0  # points: A4 with 2.2 cm margins (tex.py's geometry, 489 pt), less a little
FILL = 0.88  # rows are filled to this share of the room: the estimate is within about 15% of TeX's width
RELATIONS = {"=", "<", ">"}
REL_CMDS = {"le", "leq", "ge", "geq", "approx", "neq", "ne", "equiv", "propto", "coloneqq", "simeq", "cong",
            "leqslant", "geqslant", "ll", "gg"}
BIN_CMDS = {"cdot", "times", "pm", "mp", "circ", "odot", "otimes", "oplus"}
BIG_OPS = {"sum", "prod", "int", "iint", "oint", "bigcup", "bigcap", "coprod"}
ONE_ARG = {"text", "textrm", "mathrm", "mathbf", "mathbb", "mathcal", "mathsf", "mathtt", "mathit", "mathfrak",
           "operatorname", "boldsymbol", "bm", "hat", "bar", "tilde", "widehat", "widetilde", "overline", "vec",
           "dot", "ddot", "textbf", "textit", "emph", "mbox", "underline", "check", "breve", "acute", "grave",
           "displaystyle", "textstyle"}
TEXTUAL = {"text", "textrm", "mbox", "textbf", "textit", "emph", "operatorname"}
DELIMS = {"left", "right", "middle", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "Biggl", "Biggr", "big",
          "Big", "bigg", "Bigg", "bigm", "Bigm"}
SPACES = {",": 3.0, ";": 5.0, ":": 4.0, "!": -2.0, " ": 4.0, "quad": 11.0, "qquad": 22.0, "enspace": 5.5}
_TOKEN = re.compile(r"\\([A-Za-z]+|.)|(\s+)|(.)", re.S)


class Item:
    __slots__ = ("kind", "text", "start", "end", "children")

    def __init__(self, kind, text, start, end, children=None):
        self.kind, self.text, self.start, self.end, self.children = kind, text, start, end, children


def parse(tex: str, pos: int = 0, closer: str | None = None):
    """(items, end): commands, characters and brace groups (a group holds its items)."""
    items = []
    while pos < len(tex):
        ch = tex[pos]
        if ch == "}" and closer == "}":
            return items, pos + 1
        if ch == "{":
            inner, end = parse(tex, pos + 1, "}")
            items.append(Item("group", tex[pos:end], pos, end, inner))
            pos = end
            continue
        m = _TOKEN.match(tex, pos)
        if m.group(1) is not None:
            items.append(Item("cmd", m.group(1), pos, m.end()))
        elif m.group(2) is None:
            items.append(Item("char", m.group(3), pos, m.end()))
        pos = m.end()
    return items, pos


def width(items, scale: float = 1.0) -> float:
    total, i, last_script = 0.0, 0, None
    while i < len(items):
        it = items[i]
        nxt = items[i + 1] if i + 1 < len(items) else None
        w, used = _one(it, nxt, items, i, scale)
        if it.kind == "char" and it.text in "^_" and nxt is not None:
            w = width([nxt], 1) * 0.7 * scale
            if last_script is not None:  # x_a^b: stacked, the wider one counts
                w, total = max(w, last_script), total - last_script
            last_script = w
        else:
            last_script = None
        total += w
        i += used
    return total


def _one(it, nxt, items, i, scale):
    """(width, items used) of the item at ``i``."""
    if it.kind == "group":
        return width(it.children, scale), 1
    if it.kind == "char":
        c = it.text
        if c in "^_":
            return 0.0, 2 if nxt is not None else 1
        if c in "+-":
            return 12.0 * scale, 1
        if c in RELATIONS:
            return 15.0 * scale, 1
        if c in "()[]|/":
            return 4.5 * scale, 1
        if c in ",;":
            return 4.5 * scale, 1
        if c in "'&":
            return (2.0 if c == "'" else 0.0) * scale, 1
        return 5.8 * scale, 1
    name = it.text
    if name in ("frac", "dfrac", "tfrac", "binom"):
        a = items[i + 1: i + 2]
        b = items[i + 2: i + 3]
        return max(width(a, scale * 0.9), width(b, scale * 0.9)) + 4, 3
    if name == "sqrt":
        return width(items[i + 1: i + 2], scale) + 9 * scale, 2
    if name in TEXTUAL and nxt is not None:
        text = nxt.text.strip("{}") if nxt.kind == "group" else nxt.text
        return len(text) * 5.5 * scale + (3 if name == "operatorname" else 0), 2
    if name in ONE_ARG:
        return (width([nxt], scale) if nxt is not None else 0.0), 2
    if name in DELIMS:
        return 5.0 * scale, 2 if nxt is not None else 1
    if name in SPACES:
        return SPACES[name] * scale, 1
    if name in REL_CMDS or name in ("to", "mid", "in", "sim", "gets", "Rightarrow", "mapsto"):
        return 15.0 * scale, 1
    if name in BIN_CMDS:
        return 12.0 * scale, 1
    if name in BIG_OPS:
        return 14.0 * scale, 1
    if name in ("log", "exp", "min", "max", "sup", "inf", "lim", "det", "ln", "sin", "cos", "arg", "Pr"):
        return (len(name) * 5.5 + 3) * scale, 1
    if name in ("ldots", "cdots", "dots"):
        return 15.0 * scale, 1
    if name == "\\":
        return 0.0, 1
    return 6.0 * scale, 1


def estimate(tex: str) -> float:
    return width(parse(tex)[0])


# ------------------------------------------------------------------ cutting


OPENERS = {"bigl", "Bigl", "biggl", "Biggl"}
CLOSERS = {"bigr", "Bigr", "biggr", "Biggr"}


def _cuts(items) -> list:
    """Indices of top-level items before which a row may start: never inside a \\left...\\right pair (it
    cannot span rows); a relation only outside every bracket, a binary + or - inside sized or plain brackets
    too (the continuation of a long bracket)."""
    out, pairs, soft, prev, sized = [], 0, 0, None, False
    for k, it in enumerate(items):
        if soft == 0:
            sized = it.kind == "cmd" and it.text in OPENERS
        if it.kind == "cmd" and it.text == "left":
            pairs += 1
        elif it.kind == "cmd" and it.text == "right":
            pairs -= 1
        elif it.kind == "cmd" and it.text in OPENERS or it.kind == "char" and it.text in "([":
            soft += 1
        elif it.kind == "cmd" and it.text in CLOSERS or it.kind == "char" and it.text in ")]":
            soft = max(soft - 1, 0)
        elif pairs == 0 and k > 0 and prev is not None:
            binary = it.kind == "char" and it.text in "+-" and not _operator(prev)
            if ((_relation(it) or _stacked_relation(items, k)) and soft == 0) or binary:
                out.append(k)
            elif soft == 1 and prev.kind == "char" and prev.text == "," and sized:  # <a, b>: after the comma
                out.append(k)
        prev = it
    return out


def _stacked_relation(items, k: int) -> bool:
    """``\\overset{?}{=}``, ``\\stackrel{def}{=}``: a relation with a note above it."""
    it = items[k]
    if it.kind != "cmd" or it.text not in ("overset", "stackrel", "underset") or k + 2 >= len(items):
        return False
    rel = items[k + 2]
    inner = rel.children if rel.kind == "group" else [rel]
    return len(inner) == 1 and _relation(inner[0])


def _relation(it) -> bool:
    return (it.kind == "char" and it.text in RELATIONS) or (it.kind == "cmd" and it.text in REL_CMDS)


def _operator(it) -> bool:
    return ((it.kind == "char" and it.text in "+-=<>(,[&^_") or (it.kind == "cmd" and (
            it.text in REL_CMDS or it.text in BIN_CMDS or it.text in DELIMS)))


_LEFT = re.compile(r"\\(left|right|middle)(?![A-Za-z])\s*(\\[A-Za-z]+|\\.|.)")


def unpaired(tex: str) -> str:
    """``\\left``/``\\right``/``\\middle`` as ``\\biggl``/``\\biggr``/``\\bigm`` (``\\left.`` dropped)."""
    def sub(m: re.Match) -> str:
        kind, delim = m.group(1), m.group(2)
        if delim == ".":
            return ""
        return {"left": "\\biggl", "right": "\\biggr", "middle": "\\bigm"}[kind] + delim

    return _LEFT.sub(sub, tex)


def _rows(tex: str, avail: float) -> list | None:
    """The rows (source slices) of a greedy fill, or None when there is no cut point."""
    items, _ = parse(tex)
    cuts = _cuts(items)
    if not cuts:
        return None
    pieces, last = [], 0
    for k in cuts + [len(items)]:
        if k > last:
            pieces.append(items[last:k])
        last = k
    rows, current, used = [], [], 0.0
    for piece in pieces:
        w = width(piece)
        relation = _relation(piece[0]) or _stacked_relation(piece, 0)
        if current and (used + w > avail or (relation and used > avail * 0.45)):  # a long side ends its row
            rows.append(current)
            current, used = [], 30.0  # the continuation's \quad and alignment
        current.extend(piece)
        used += w
    rows.append(current)
    return [tex[r[0].start:r[-1].end].strip() for r in rows if r]


def opened(tex: str, avail: float) -> str:
    """``\\frac{N}{D}`` whose numerator is wider than ``avail`` as ``\\frac{1}{D} \\biggl( N \\biggr)``, and one whose
    denominator is as ``\\biggl( N \\biggr) \\biggm/ \\biggl( D \\biggr)``: the same number, written so that the sums
    in N and D can be cut into rows."""
    items, _ = parse(tex)
    out, pos, k = [], 0, 0
    while k < len(items):
        it = items[k]
        if (it.kind == "cmd" and it.text in ("frac", "dfrac") and k + 2 < len(items)
                and items[k + 1].kind == "group" and max(width([items[k + 1]]), width([items[k + 2]])) > avail):
            num, den = items[k + 1], items[k + 2]
            n_tex, d_tex = (tex[x.start + 1:x.end - 1] if x.kind == "group" else x.text for x in (num, den))
            out.append(tex[pos:it.start])
            if width([den]) > avail:  # (N) / (D): both can be cut
                out.append(f"\\biggl( {n_tex} \\biggr) \\biggm/ \\biggl( {d_tex} \\biggr)")
            else:
                out.append(f"\\frac{{1}}{{{d_tex}}} \\biggl( {n_tex} \\biggr)")
            pos, k = den.end, k + 3
            continue
        k += 1
    out.append(tex[pos:])
    return "".join(out)


def rows_of(tex: str, avail: float) -> list:
    """The rows a long formula is cut into to fit ``avail`` points ([tex] when it fits or cannot be cut):
    as written; else with \\left/\\right unpaired; else with wide fractions opened (``opened``)."""
    tex = tex.strip()
    if "\\\\" in tex or "&" in tex or "\\begin" in tex or estimate(tex) <= avail * FILL:
        return [tex]
    target = avail * FILL
    best = None
    for candidate in (tex, unpaired(tex), opened(unpaired(tex), target)):
        rows = _rows(candidate, target)
        if rows is not None and (best is None or max(map(estimate, rows)) < max(map(estimate, best))):
            best = rows
        if best is not None and max(map(estimate, best)) <= avail:
            break
    return best or [tex]


def continued(row: str) -> str:
    """A continuation row: at the alignment point when it starts with a relation, else indented."""
    items, _ = parse(row)
    return f"&{row}" if items and _relation(items[0]) else f"&\\quad {row}"


def fit(tex: str, avail: float = LINE) -> str:
    """The display body (module docstring): unchanged when it fits, else an ``aligned`` of rows."""
    tex = tex.strip()
    rows = rows_of(tex, avail)
    if len(rows) < 2:
        return tex  # fits, cannot be cut, or laid out by its author
    first = rows[0]
    lines = [f"&{first}"] + [continued(r) for r in rows[1:]]
    items, _ = parse(first)
    rel = next((items[k] for k in _cuts(items) if _relation(items[k])), None)
    if rel is not None and estimate(first[:rel.start]) < avail * 0.45:  # lhs &= rhs: rows align at the relation
        lines = [f"{first[:rel.start].strip()} &{first[rel.start:rel.end]} {first[rel.end:].strip()}"] + \
                [continued(r) for r in rows[1:]]
    return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"
