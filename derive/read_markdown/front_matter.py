"""The YAML front matter of a derivation: which keys exist, their values and defaults."""
from __future__ import annotations

import re

import yaml

from .errors import InputError

MAX_FRONT = 10_000

FRONT_KEYS = {
    "setting": ("finite", "discounted", "episodic"),  # episodic: gamma = 1 with termination (derive/episodic.py)
    "expect": ("holds", "fails"),
    "delta": ("true", "V"),
    "step": None,
    "title": None,
    "gamma": None,
    "family": ("random", "token"),
    "start": ("random", "fixed"),  # mdp.with_fixed_start: rho0 = delta_{s_0} (Sutton & Barto 2018, sec. 13.2)
    "reward": ("transition", "state", "state-action"),  # mdp.with_state_rewards: R(s,a,s') = r(s) (TRPO, sec. 2: r: S -> R)
    "macros": None,  # user macros, name: body | [body, nargs] | [body, nargs, default] (read_latex/macro_files.py)
    "horizon": ("steps", "last-index", "from-1"),  # conventions.py: t = 0..T-1 (derive) or t = 0..T (Spinning Up)
    "reward-index": ("t", "t+1"),  # conventions.py: r_t follows a_t (derive) or R_{t+1} does (Sutton & Barto)
    "behaviour": ("\\mu", "\\beta"),  # read_latex/notation_policies.py: the behaviour policy mu(a|s) or beta(a|s)
    "values": ("free", "true"),  # conventions.py: a bare V(s), Q(s,a) is a free function or the true V^pi, Q^pi
    "assume": None,  # check_statements/scalars.py: assumptions on free real scalars, e.g. "r > 0, A \\geq 0"
    "proves": None,  # the catalog ids the file derives, [pg.reinforce, ...]: write-ups find proofs by id
    "catalog": None,  # catalog/course.py: the course's catalog folder(s), relative to this file
    "group": ("2", "3", "4"),  # read_latex/notation_grpo_group.py: G i.i.d. completions a_1..a_G at one prompt s
    "advantage": ("group",),  # read_latex/notation_group_advantage.py: A_i is GRPO's group-normalised advantage
}
DEFAULTS = {"setting": "finite", "expect": "holds", "delta": "true"}


def read_front_matter(text: str, path: str):
    """(front dict with defaults, offset where the body starts)."""
    front = dict(DEFAULTS)
    if not (text.startswith("---\n") or text == "---" or text.startswith("---\r")):
        return front, 0
    m = re.compile(r"^(---|\.\.\.)[ \t]*$", re.M).search(text, 4)
    if not m:
        raise InputError("the front matter opened by --- on line 1 is never closed (by a --- line)", 1, 1)
    body = text[4:m.start()]
    if len(body) > MAX_FRONT:
        raise InputError(f"the front matter is too long (at most {MAX_FRONT} characters)", 1, 1)
    try:
        data = yaml.safe_load(body)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = 2 + (mark.line if mark else 0)
        col = 1 + (mark.column if mark else 0)
        raise InputError(f"the front matter is not valid YAML: {getattr(err, 'problem', None) or err}",
                         line, col) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError("the front matter must be a list of key: value lines", 2, 1)

    def line_of(key) -> int:
        mm = re.compile(r"^[ \t]*" + re.escape(str(key)) + r"[ \t]*:", re.M).search(body)
        return 2 + (body.count("\n", 0, mm.start()) if mm else 0)

    for key, value in data.items():
        if key not in FRONT_KEYS:
            raise InputError(f"unknown front matter key {key!r} (known: {', '.join(FRONT_KEYS)})", line_of(key), 1)
        if key in ("delta", "values") and value is True:
            value = "true"
        if key in ("behaviour", "behavior") and isinstance(value, str):
            value = "\\" + value.strip().lstrip("\\")  # behaviour: mu, \mu or "\\mu"
        if key == "group" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # group: 3 (the reader's option value is its spelling)
        if key == "reward-index" and isinstance(value, str):
            value = value.replace(" ", "")
        allowed = FRONT_KEYS[key]
        if allowed is not None and value not in allowed:
            raise InputError(f"front matter {key}: must be one of {', '.join(allowed)}, not {value!r}",
                             line_of(key), 1)
        if key == "step" and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            raise InputError(f"front matter step: must be a step number (1, 2, ...), not {value!r}", line_of(key), 1)
        if key == "macros":
            from ..read_latex.macro_files import MacroFileError, macro_map

            try:
                value = macro_map(value, f"front matter macros (line {line_of(key)})", line_of(key))
            except MacroFileError as err:
                raise InputError(err.message, line_of(key), 1) from None
        if key == "gamma":
            value = _fixed_gamma(value, data.get("setting", "finite"), line_of(key))  # whatever the key order
        if key == "assume":
            if not isinstance(value, (str, list)) or len(str(value)) > 1000:
                raise InputError("front matter assume: must be text such as 'r > 0, 0 < \\epsilon < 1'",
                                 line_of(key), 1)
            value = ", ".join(str(v) for v in value) if isinstance(value, list) else value
        if key == "proves":
            value = _catalog_ids(value, body, line_of(key), known="catalog" not in data)
        if key == "catalog":
            value = [value] if isinstance(value, str) else value
            if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value) \
                    or len(value) > 20:
                raise InputError("front matter catalog: must be a folder of catalog files (or a list of them), "
                                 "relative to this file", line_of(key), 1)
        if key == "title":
            if not isinstance(value, (str, int, float)):
                raise InputError("front matter title: must be text", line_of(key), 1)
            value = str(value)
        front[key] = value
    return front, m.end()


_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}")
MAX_IDS = 100


def _catalog_ids(value, body: str, line: int, known: bool = True) -> tuple:
    """front matter proves: catalog ids (a list, or one id); each must name an entry of the catalog.

    An unknown id is an input error at the id's own line and column, with the nearest ids.  With
    ``known=False`` (the file names its own course catalog, not loaded yet) only the spelling is checked."""
    ids = [value] if isinstance(value, str) else value
    if not isinstance(ids, list) or not ids or len(ids) > MAX_IDS or not all(isinstance(i, str) for i in ids):
        raise InputError("front matter proves: must be a list of catalog ids such as [pg.reinforce]", line, 1)
    from difflib import get_close_matches

    from ..catalog import catalog  # lazily: only a file that names ids needs the catalog

    entries = catalog().entries if known else None
    start = sum(len(x) + 1 for x in body.split("\n")[:line - 2])  # offset of the key's line in the body
    for i in ids:
        m = re.compile(r"(?<![\w.\-])" + re.escape(i) + r"(?![\w.\-])").search(body, start)
        ln, col = (line, 1) if m is None else (2 + body.count("\n", 0, m.start()),
                                               m.start() - body.rfind("\n", 0, m.start()))
        if not _ID.fullmatch(i):
            raise InputError(f"front matter proves: {i[:60]!r} is not a catalog id (such as pg.reinforce)", ln, col)
        if entries is not None and i not in entries:
            near = get_close_matches(i, list(entries), n=3, cutoff=0.6)
            raise InputError(f"front matter proves: no catalog entry {i!r}" +
                             (f" (nearest: {', '.join(near)})" if near else " (derive list shows the ids)"), ln, col)
    return tuple(ids)


_GAMMA_TEXT = re.compile(r"^[+-]?(\d+/\d+|(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?)$")


def _fixed_gamma(value, setting, line) -> str:
    """front matter gamma: a number in [0, 1] (< 1 when discounted), e.g. 1, 0.9, "1/2"."""
    from fractions import Fraction

    try:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)) or len(str(value)) > 20 \
                or not _GAMMA_TEXT.match(str(value).strip()):
            raise ValueError  # bounded before Fraction(): "1e-999999999" would take forever
        g = Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError):
        raise InputError(f"front matter gamma: must be a number such as 1, 0.9 or 1/2, not {value!r}", line, 1) from None
    if setting == "episodic" and g != 1:
        raise InputError(f"front matter gamma: the episodic setting is undiscounted (gamma = 1), not {value}", line, 1)
    if not 0 <= g <= 1 or (setting == "discounted" and g == 1):
        raise InputError(f"front matter gamma: must lie in [0, 1] (below 1 when discounted), not {value}", line, 1)
    return str(g)
