r"""Control notation: the state ``x_t`` and the action (control input) ``u_t`` (issue 10).

Control-theory texts and the RL books written from them (Bertsekas, *Reinforcement Learning and Optimal
Control*, 2019, ch. 1: x_k, u_k; Levine's CS285 lecture 4 mentions x_t, u_t beside s_t, a_t; the held-out
helpingstar/Math-RL chapters 3-4: ``\mathrm{x}_t``, ``\mathrm{u}_t``, ``\pi_\theta(\mathrm{u}_t|\mathrm{x}_t)``,
``p(\mathrm{x}_{t+1}|\mathrm{x}_t, \mathrm{u}_t)``, ``r(\mathrm{x}_t, \mathrm{u}_t)``) write the state as x and the
action as u.  In a file that does so, every symbol x is read as the state s and every u as the action a:

===================================================  ==================================================
written (a file writing x_t and u_t)                  read as
===================================================  ==================================================
``x_t``, ``x_{t+1}``, ``x_0``, ``x_k``                  ``s_t``, ``s_{t+1}``, ``s_0``, ``s_k``
``u_t``, ``u_k``                                      ``a_t``, ``a_k``
``x``, ``x'``, ``u``, ``u'`` (bare)                     ``s``, ``s'``, ``a``, ``a'``
``\pi_\theta(u_t|x_t)``, ``p(x_{t+1}|x_t,u_t)``        ``\pi_\theta(a_t|s_t)``, ``P(s_{t+1}|s_t,a_t)``
===================================================  ==================================================

The convention is inferred from the file (never guessed from one formula): its text must write both a state
``x_<index>`` and an action ``u_<index>`` (with or without ``\mathrm``/``\mathbf``), write no ``s_<index>`` or
``a_<index>`` of its own (the letters would collide), and not be a ``family: token`` file (where x is the
prompt, read_latex/notation_llm.py).  Every step read so says it in its "read as" notes.  A file writing
``f(x)`` with a sample x and no ``u_t`` keeps x as a point of a sample space (notation.py).

``rename(syn, reading, options)`` returns the syntax tree with the letters renamed (a new tree where anything
changed; the input is not modified), or the tree itself when the file does not use control notation.
"""
from __future__ import annotations

import re

from .bold import strip_bold
from .upright import strip_upright
from .errors import fail
from .registry import head
from .syntax import Atom, rewrite

NOTE = (r"x_t, u_t are the state s_t and the action a_t (control notation, inferred: the file writes x_t and u_t "
        r"and no s_t, a_t)")

_IDX = r"\s*_\s*\{?\s*(?:[0-9]|[tkTHnij](?![A-Za-z]))"
_X = re.compile(r"(?<![A-Za-z\\])x" + _IDX)
_U = re.compile(r"(?<![A-Za-z\\])u" + _IDX)
_S_OR_A = re.compile(r"(?<![A-Za-z\\])[sa]" + _IDX)
_RENAME = {"x": "s", "u": "a"}
_CACHE_ATTR = "_control_notation"


def uses_control_notation(text: str) -> bool:
    """The file writes a state x_<index> and an action u_<index>, and no state s_<index> or action a_<index>."""
    plain = strip_upright(strip_bold(text))
    return bool(_X.search(plain) and _U.search(plain) and not _S_OR_A.search(plain))


def convention(front: dict, text: str):
    """The ``conventions:`` line's entry (read_markdown/conventions.py) when the file uses control notation, else
    None: ("note", "control", description); a note sets no option."""
    if front.get("family") == "token" or not uses_control_notation(text):
        return None
    return ("note", "control", "inferred: control notation (the file writes x_t and u_t and no s_t, a_t): x is "
                               "the state s and u the action a")


def active(reading, options: dict) -> bool:
    """Control notation is on for this file (cached on the file's Reading)."""
    if options.get("family") == "token" or reading is None:
        return False
    got = getattr(reading, _CACHE_ATTR, None)
    if got is None:
        got = uses_control_notation(getattr(reading, "text", "") or "")
        setattr(reading, _CACHE_ATTR, got)
    return got


def _renamed_atom(a: Atom):
    if a.kind != "sym" or not a.name or a.name[0] not in _RENAME:
        return None
    rest = a.name[1:]
    if rest and set(rest) != {"'"}:  # x, x', x'' only
        return None
    return Atom(a.pos, a.kind, _RENAME[a.name[0]] + rest)


def rename(syn, reading, options: dict):
    """The syntax tree with x read as s and u as a, when the file uses control notation (and the note said)."""
    if not active(reading, options):
        return syn
    out = rewrite(syn, atom=lambda a: _renamed_atom(a) or a)
    if out is not syn:
        notes = options.get("notes")
        if isinstance(notes, list) and NOTE not in notes and len(notes) < 20:
            notes.append(NOTE)
    return out


@head("u")
def _u(h, ctx):
    """``u`` where control notation is off (the file writes s_t or a_t too, or no x_t): not read, with the reason."""
    fail(r"u is read as the action (control notation x_t, u_t) only in a file that writes x_t and u_t and no s_t, "
         r"a_t; write a_t (and s_t) for the action (and state)", h.pos)


__all__ = ["rename", "uses_control_notation", "active", "convention", "NOTE"]
