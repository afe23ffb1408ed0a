"""What one file (or one formula) has said so far, for readings that must be consistent across it.

derive has three policy slots (``theta``: the one ``\\nabla_\\theta`` differentiates, ``old``,
``prime``; docs/conventions.md).  Authors name policies in many ways (``\\pi_{\\theta_k}``,
``\\tilde\\pi``, ``\\pi_{\\text{ref}}``, ``\\pi_1``, ...); :class:`Reading` maps each spelling to a
slot, the same slot everywhere in the file, two different spellings never to the same slot.

* ``\\pi``, ``\\pi_\\theta`` are always ``theta``; ``\\pi_{\\theta_{old}}`` always ``old``; ``\\pi'``
  always ``prime``.
* Other spellings take their preferred slot (``\\pi_{\\theta_k}``: old, the policy that collected the
  data in TRPO/PPO iterations; ``\\tilde\\pi``, ``\\pi_{\\theta_{k+1}}``, ``\\pi_{new}``,
  ``\\pi_{ref}``: prime), else the other free slot among old and prime.  ``theta`` is never
  given to another spelling, so ``\\nabla_\\theta`` always differentiates ``\\pi_\\theta``.
* The fixed spellings a file writes anywhere (found by a scan of its text) reserve their slot
  up front, so the mapping does not depend on the order of the steps.

Every mapped spelling is stated once in the step's notes ("read as").
"""
from __future__ import annotations

import re
from contextvars import ContextVar

from .errors import fail

SLOTS = ("theta", "old", "prime")
SLOT_TEX = {"theta": r"\pi_\theta", "old": r"\pi_{\theta_{old}}", "prime": r"\pi'"}

_PRIME = re.compile(r"\\(?:pi|theta)\s*(?:'|\^\s*\{?\s*\\prime)")
_OLD = re.compile(r"(?<![A-Za-z])old(?![A-Za-z])")
# Sutton & Barto's capital state S_t (S_{t+1}, S_0): capital A_t alone is not a sign (GAE's advantage A_t)
# a Markov reward process: a transition written without an action, p(s'|s), P(s_{t+1} | s_t)
_MRP_TRANSITION = re.compile(r"(?<![A-Za-z\\])[pP]\s*(?:\\left\s*)?\(\s*s\s*(?:'|\^\s*\{?\s*\\prime\s*\}?|_\s*\{\s*t\s*\+\s*1\s*\})\s*"
                             r"(?:\\middle\s*|\\big\s*)?(?:\\mid|\||\\vert)\s*s\s*(?:_\s*\{?\s*t\s*\}?)?\s*(?:\\right\s*)?\)")
# or p_{ss'}, the transition of a Markov reward process written with two state subscripts (microsoft/ai-edu 7.3; R8)
_MRP_PAIR = re.compile(r"(?<![A-Za-z\\])p\s*_\s*\{\s*s\s*,?\s*s\s*(?:'|\^\s*\{?\s*\\prime\s*\}?)\s*\}")
_SB_CAPITALS = re.compile(r"(?<![A-Za-z\\{])S\s*_\s*(?:\{\s*)?[t0-9](?![A-Za-z])")


_BEHAVIOUR_PROSE = re.compile(r"behaviou?r\s+policy", re.I)


def behaviour_from_prose(text: str):
    r"""``\beta`` or ``\mu`` when the prose says "behaviour policy" and the math writes exactly one of them as
    a policy (``\beta(a|s)``, ``d^\beta``), else None (then only front matter ``behaviour:`` declares it)."""
    if not _BEHAVIOUR_PROSE.search(text):
        return None
    found = [name for name in ("beta", "mu")
             if re.search(r"\\%s\s*(?:\\left\s*)?\(\s*a(?![A-Za-z])|d\s*\^\s*\{?\s*\\%s(?![A-Za-z])" % (name, name), text)]
    return "\\" + found[0] if len(found) == 1 else None


class Reading:
    """Per-file state: the policy slots taken and the conventions shown by the file's text."""

    def __init__(self, text: str = ""):
        self.text = text
        self.slots: dict = {}  # canonical spelling -> slot
        self.reserved = {"theta"}
        if _PRIME.search(text):
            self.reserved.add("prime")
        if _OLD.search(text):
            self.reserved.add("old")
        self.sutton_barto = bool(_SB_CAPITALS.search(text))  # capital S_t, A_t (Sutton & Barto 2018)
        # p(s'|s), p_{ss'}: a Markov reward process (R(s) its expected reward)
        self.mrp = bool(_MRP_TRANSITION.search(text) or _MRP_PAIR.search(text))
        self.behaviour = behaviour_from_prose(text)  # \beta or \mu named "behaviour policy" by the prose, or None

    def slot(self, key: str, preferred: str, label: str, pos: int, notes) -> str:
        """The slot of a flexible spelling ``key`` (e.g. ``\\theta_k``), assigning one on first use."""
        if key in self.slots:
            return self.slots[key]
        taken = set(self.slots.values()) | self.reserved
        order = [preferred] + [s for s in ("prime", "old") if s != preferred]
        for s in order:
            if s not in taken:
                self.slots[key] = s
                if notes is not None and len(notes) < 20:
                    notes.append(f"{label} is read as derive's policy {SLOT_TEX[s]} (one slot per policy in this file)")
                return s
        used = [f"{k} as {SLOT_TEX[v]}" for k, v in sorted(self.slots.items())]
        used += [SLOT_TEX[v] for v in sorted(self.reserved) if v not in self.slots.values()]
        fail(f"{label}: derive has three policy slots (\\pi_\\theta, \\pi_{{\\theta_{{old}}}}, \\pi') and this file "
             f"already uses them all ({', '.join(used)})", pos)


_CURRENT: ContextVar = ContextVar("derive_latex_reading", default=None)


def current() -> tuple:
    """(Reading, notes list or None) of the formula being read."""
    got = _CURRENT.get()
    if got is None:
        return Reading(), None
    return got[:2]


def option(name: str):
    """An option of the formula being read (e.g. ``behaviour``), or None."""
    got = _CURRENT.get()
    return None if got is None else got[2].get(name)


def enter(reading: Reading, notes, options=None):
    return _CURRENT.set((reading, notes, dict(options or {})))


def leave(token):
    _CURRENT.reset(token)


def note(text: str):
    """Record a reading the step's "read as" states (when the caller collects notes)."""
    notes = current()[1]
    if notes is not None and text not in notes and len(notes) < 20:
        notes.append(text)


def note_in(ctx, text: str):
    """Record a reading the step's "read as" must state in ``ctx.options["notes"]`` (the reader's context,
    read_latex/interpret.py), when the caller collects them."""
    notes = ctx.options.get("notes")
    if notes is not None and text not in notes and len(notes) < 20:
        notes.append(text)


__all__ = ["Reading", "current", "enter", "leave", "note", "note_in", "SLOTS"]
