r"""The note for an evaluation bar written without its opening (read_latex/open_bars.py places the opening).

``\nabla_\theta \eta(\pi_\theta)\big\vert_{\theta=\theta'}`` is read as ``\left. \nabla_\theta \eta(\pi_\theta)
\right|_{\theta=\theta'}`` by operators.eval_bar; this wrapper says so in ``read as``.
"""
from __future__ import annotations

from .reading import note
from .registry import BARS, bar

_WRITTEN = BARS["at"]


@bar("at")
def _at(g, sub, ctx):
    r"""``X\big|_{\theta=\theta'}`` with no opening: the bar evaluates X (what precedes it in its group or side),
    read as ``\left. X \right|_{\theta=\theta'}`` (operators.eval_bar), with a note."""
    first = g.parts[0][0] if g.parts and g.parts[0] else None
    if first is not None and getattr(first, "pos", g.pos) < g.pos:  # the opening was placed at the bar: not written
        note(r"an evaluation bar written without its opening (X\big|_{...}, X|_{...}) evaluates X, what precedes it "
             r"in its group or side: \left. X \right|_{...}")
    return _WRITTEN(g, sub, ctx)


__all__: list = []
