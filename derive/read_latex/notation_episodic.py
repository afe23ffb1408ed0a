r"""Spellings whose reading depends on the episodic setting (derive/episodic.py: gamma = 1, episodes end).

``d^\pi(s)`` in an episodic file is the normalised expected visits, ``eta(s) / sum_{s'} eta(s')`` with
``eta(s) = sum_{t>=0} Pr(s_t = s)``: Sutton & Barto's on-policy distribution mu (2018, eq. 9.3), which
Lilian Weng's proof of the policy gradient theorem writes ``d^\pi(s) = \eta(s) / \sum_s \eta(s)`` ("stationary
distribution").  The engine evaluates it so (engine/values.py); the note says it in ``read as``.

``J(\theta)`` in an episodic file is read only with a fixed start state (front matter ``start: fixed``, stated
or inferred): Sutton & Barto's ``J(\theta) = v_{\pi_\theta}(s_0)`` (2018, eq. 13.4), derive's expected return.
Without it authors mean different objectives (Lilian Weng: ``J(\theta) = \sum_s d^\pi(s) V^\pi(s)``; an off-policy
``\sum_s d^\beta(s) V^\pi(s)``), so ``J`` is refused with that reason rather than read as one of them.
"""
from __future__ import annotations

from .interpret import Ctx, Head
from .registry import HEADS, head
from .errors import fail
from .reading import note

_ORIGINAL_D = HEADS["d"]
_ORIGINAL_J = HEADS["J"]


@head("d")
def _d(h: Head, ctx: Ctx):
    r"""``d^\pi(s)`` in the episodic setting: as before, with the note that it is the normalised expected visits
    (Sutton & Barto 2018, eq. 9.3)."""
    value = _ORIGINAL_D(h, ctx)
    if ctx.options.get("setting") == "episodic":
        note(r"d^\pi(s) in the episodic setting (gamma = 1, episodes end) is the normalised expected visits "
             r"\eta(s) / \sum_{s'} \eta(s'), \eta(s) = \sum_{t \geq 0} \Pr(s_t = s) (Sutton & Barto 2018, eq. 9.3)")
    return value


@head("J")
def _j(h: Head, ctx: Ctx):
    r"""``J(\theta)`` in the episodic setting: read only with a fixed start (front matter ``start: fixed``), as
    Sutton & Barto's ``v_{\pi_\theta}(s_0)``."""
    if ctx.options.get("setting") == "episodic" and ctx.options.get("start") != "fixed":
        fail(r"J(\theta) in the episodic setting: Sutton & Barto's J(\theta) = v_{\pi_\theta}(s_0) needs a fixed start "
             r"state (front matter start: fixed); other objectives (\sum_s d^\pi(s) V^\pi(s)) are not derive's J: "
             r"write the objective itself, or define it (J(\theta) := ...)", h.pos)
    return _ORIGINAL_J(h, ctx)


__all__: list = []
