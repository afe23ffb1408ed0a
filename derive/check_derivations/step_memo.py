"""Judged steps remembered within one process (issue 14: a file checked again while it is written).

A step's record is a function of the step itself (its sides, relation, line and column: the whole
parsed ``Step``), the setting, the seed, the symbolic budget, the memory limit and the course catalogs
in use; the key is all of these, the step as its pickle bytes.  A record is remembered only when no
clock decided any part of it: not a step cut by the file's time limit or a failed worker, not a
symbolic confirmation that ran with less than the full budget or timed out, not hints that timed out.
So a remembered record is the one judging the step again would give.  At most ``KEEP`` records (the
oldest are dropped).  ``derive check`` runs each process once; the library API (``check_file``
called again, an editor's long-lived process) is what gains.
"""
from __future__ import annotations

import copy
import pickle
from collections import OrderedDict

from ..catalog import course_paths

KEEP = 4096
_MEMO: OrderedDict = OrderedDict()


def step_key(step, *context) -> bytes | None:
    """The key of a step judged in ``context`` (setting, seed, budgets, ...), or None if it cannot be pickled."""
    try:
        return pickle.dumps((step, context, course_paths()), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # a step that cannot be pickled is simply judged again
        return None


def recall(key):
    """A copy of the remembered record, or None."""
    if key is None or key not in _MEMO:
        return None
    _MEMO.move_to_end(key)
    return copy.deepcopy(_MEMO[key])


def remember(key, record) -> None:
    if key is None:
        return
    _MEMO[key] = copy.deepcopy(record)
    while len(_MEMO) > KEEP:
        _MEMO.popitem(last=False)


def forget() -> None:
    _MEMO.clear()
