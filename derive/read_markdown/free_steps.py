r"""Free quantities in a step: a side that fails only because of symbols the file never defines (issue 10, R9).

``c \nabla_\theta J(\theta) = \nabla_\theta (c J(\theta))`` with a constant ``c``; ``\sum_s d(s) \phi(s)`` with a
feature map ``\phi`` (Sutton & Barto 2018, sec. 13.2).  When reading a side fails with "unknown symbol X",
"X is not defined in this file" or "X must be applied to arguments" and X stands in a value position (not in a
subscript, a superscript or a sum's limits, where it would be an index or a label), the side is read again with
X named free (read_latex/free_quantities.py: a free real number, or a free function of the variables it is
applied to), up to ``MAX_FREE`` symbols per side.  The reading is kept only when the whole side then reads;
otherwise the side keeps its first error.  ``read as`` states each free reading; a failing step with a free
quantity is not a certain failure (check_derivations/free_steps.py).

Never free: ``E`` (an expectation written without \mathbb; read as a number, ``E[X]`` would become a product),
symbols inside a changed display (macros, escapes: positions would not match).
"""
from __future__ import annotations

import dataclasses
import re

from ..read_latex.errors import ParseFail
from ..read_latex.parser import parse_syntax
from ..read_latex.syntax import Atom, Scripted, Syn

MAX_FREE = 4
NEVER = {"E"}
def _label(message: str):
    m = re.match(r"^unknown symbol (\S+)$", message) or re.match(
        r"^(\S+) is not defined in this file: derive gives it no meaning", message) or re.match(
        r"^(\S+) must be applied to arguments: \S+\(s\)$", message)
    return m.group(1) if m else None


def _walk(x, in_script: bool, out: dict):
    """Atom positions -> whether the atom stands in a sub/superscript."""
    if isinstance(x, Atom):
        out[x.pos] = out.get(x.pos, False) or in_script
        return
    if isinstance(x, Scripted):
        _walk(x.base, in_script, out)
        for s in (x.sub, x.sup):
            if s is not None:
                _walk(s, True, out)
        return
    if isinstance(x, (list, tuple)):
        for y in x:
            _walk(y, in_script, out)
        return
    if isinstance(x, Syn):
        for f in dataclasses.fields(x):
            v = getattr(x, f.name)
            if isinstance(v, (Syn, list, tuple)):
                _walk(v, in_script, out)


def _value_position(tex: str, offset: int) -> bool:
    """Whether a symbol at ``offset`` of ``tex`` stands in a value position (not in any script)."""
    try:
        syn = parse_syntax(tex)
    except ParseFail:
        return False
    where: dict = {}
    _walk(syn, False, where)
    return where.get(offset) is False


def _offset(seg, err, line: int, col: int):
    lines = seg.tex.split("\n")
    k = err.line - line
    if not 0 <= k < len(lines):
        return None
    return sum(len(x) + 1 for x in lines[:k]) + (err.col - col if k == 0 else err.col - 1)


def read_free(seg, text: str, options: dict, parse) -> None:
    """Re-read ``seg`` (a reader segment, already parsed) with its undefined symbols free, when that reads it.

    ``parse(seg, options)`` parses a segment with the given options.  ``seg`` is changed in place only on success
    (it may be shared with the neighbouring step of a chain: both then read the same)."""
    from ..read_latex.errors import position

    if seg.error is None or seg.disp is not None or not seg.tex:
        return
    line, col = position(text, seg.start)
    free: set = set()
    trial = seg
    for _ in range(MAX_FREE):
        err = trial.error
        label = _label(err.message)
        off = _offset(seg, err, line, col)
        if label is None or label in NEVER or label in free or off is None or not _value_position(seg.tex, off):
            return
        free.add(label)
        trial = dataclasses.replace(seg, value=None, error=None, parsed=False, notes=list(seg.notes))
        parse(trial, {**options, "free": frozenset(free)})
        if trial.error is None:
            seg.value, seg.error, seg.notes = trial.value, None, trial.notes
            return


__all__ = ["read_free", "MAX_FREE"]
