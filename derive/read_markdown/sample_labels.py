r"""A step about one sample: ``\nabla\log P(\tau^{(i)}|\theta) = \sum_t \nabla\log\pi_\theta(a_t^{(i)}|s_t^{(i)})`` (issue 10).

Lecture notes write the i-th sampled trajectory with a label, ``\tau^{(i)}``, ``s_t^{(i)}``, ``a_t^{(i)}``,
``R(\tau^{(i)})``, also in an ``=`` step whose two sides are about that one trajectory (luweiagi's notes,
"将轨迹分解成状态和动作"; Abbeel's and Levine's lectures).  Such a step says the identity holds for the
trajectory drawn, whichever it is: for every trajectory.  It is read with the label removed, and said so.

Only the exact case is read: the same label ``^{(i)}`` (or ``^(i)``) on *every* variable of the trajectory
the step writes (so no labelled and unlabelled variables, which would be two trajectories, are merged),
one label letter, and that letter nowhere else once the labels are removed (no sum over the samples:
a sample mean is read by read_markdown/approx_steps.py).  Anything else keeps the ordinary reader's reason.
"""
from __future__ import annotations

import dataclasses
import re

_LABEL = re.compile(r"\^\s*(?:\{\s*\(\s*([A-Za-z])\s*\)\s*\}|\(\s*([A-Za-z])\s*\))")
# a variable of the trajectory as written: \tau, s_t, a_t, r_t, S_t, A_t, R_{t+1}, G_t
_VARIABLE = re.compile(r"\\tau(?![A-Za-z])|(?<![A-Za-z\\])[sarSARG]\s*_")


def strip_sample_label(tex: str, letter: str):
    """(tex without the labels ^{(letter)}, labels removed, trajectory variables written)."""
    out, n = re.subn(r"\^\s*(?:\{\s*\(\s*" + letter + r"\s*\)\s*\}|\(\s*" + letter + r"\s*\))", "", tex)
    return out, n, len(_VARIABLE.findall(tex))


def per_sample_sides(lhs, rhs, parse):
    """(lhs, rhs, note) of an ``=`` step about one labelled sample, read with the label removed; or None.

    ``lhs``/``rhs``: the reader's segments; ``parse(seg)`` sets their value or error."""
    letters = {a or b for a, b in _LABEL.findall(lhs.tex + " " + rhs.tex)}
    if len(letters) != 1:
        return None
    (letter,) = letters
    stripped = []
    for seg in (lhs, rhs):
        tex, n, variables = strip_sample_label(seg.tex, letter)
        if n != variables or re.search(r"(?<![A-Za-z\\])" + letter + r"(?![A-Za-z])", tex):
            return None  # an unlabelled variable (another trajectory), or the label letter used otherwise
        stripped.append(tex)
    note = (f"a statement about the sampled trajectory \\tau^{{({letter})}}, whichever it is (every variable "
            f"labelled ^{{({letter})}}): read as an identity for every trajectory, the label removed")
    out = []
    for seg, tex in zip((lhs, rhs), stripped):
        alt = dataclasses.replace(seg, tex=tex, value=None, error=None, parsed=False,
                                  notes=list(seg.notes) + [note], disp=None)
        parse(alt)
        if alt.error is not None:
            return None
        out.append(alt)
    return out[0], out[1], note


__all__ = ["per_sample_sides", "strip_sample_label"]
