"""Instance labels and counterexample lines in the document's language.

derive's engine names a random instance in English (derive/mdp.py, derive/episodic.py), e.g.
``"2 states, 1 actions, T = 2, gamma = 9/10 (deterministic)"`` or
``"token MDP: vocabulary 2, length 2 (7 prefixes), gamma = 1"``.  ``instance_label(label, lang)`` writes
it in ``lang`` piece by piece (the pieces are separated by ", "; each piece is matched by one pattern of
``PIECES`` and its words come from the gettext catalog, locale/zh.po), keeping the numbers, ``T``,
``gamma`` and the lists exactly as the engine wrote them.  A piece no pattern knows is kept as written
(tests/test_blog_zh.py then finds the English and fails: a new label is never silently half-translated).

``counterexample_lines(ce, ..., lang)`` is the exact counterexample MDP and the two sides' values, as
short lines for a code block: the tables (``rho0``, ``P[s][a][s']``, ...) are data and stay as they are;
the words around them ("at", "lhs", "rhs", "on X", "component") are translated.
"""
from __future__ import annotations

import re

from .i18n import tr

# (pattern over one piece of a label, English template with the pattern's groups as fields)
PIECES = (
    (r"(?P<n>\d+) states", "{n} states"),
    (r"(?P<n>\d+) actions", "{n} actions"),
    (r"discounted", "discounted (infinite horizon)"),
    (r"T = (?P<T>\d+)", "T = {T}"),
    (r"gamma = (?P<g>[0-9/]+)", "gamma = {g}"),
    (r"gamma = (?P<g>[0-9/]+) \(gamma0\)", "gamma = {g} (the degenerate case gamma = 0)"),
    (r"gamma = (?P<g>[0-9/]+) \(gamma1\)", "gamma = {g} (the undiscounted case gamma = 1)"),
    (r"gamma = (?P<g>[0-9/]+) \(deterministic\)", "gamma = {g} (deterministic transitions)"),
    (r"gamma = (?P<g>[0-9/]+) \(zero-branches\)", "gamma = {g} (some transition probabilities are 0)"),
    (r"gamma = (?P<g>[0-9/]+) \(fixed\)", "gamma = {g} (fixed by the statement)"),
    (r"fixed start s_0 = (?P<s>\d+)", "fixed start s_0 = {s}"),
    (r"state rewards r\(s\)", "rewards of the state only r(s)"),
    (r"rewards r\(s, a\)", "rewards of the state and action only r(s, a)"),
    (r"episodic", "episodic (ends with a probability)"),
    (r"termination q\(s,a\) = (?P<q>.+)", "termination probability q(s,a) = {q}"),
    (r"token MDP: vocabulary (?P<v>\d+)", "token MDP: vocabulary of {v} tokens"),
    (r"length (?P<L>\d+) \((?P<p>\d+) prefixes\)", "length {L} ({p} prefixes)"),
)
_PIECES = tuple((re.compile(p), template) for p, template in PIECES)


def _pieces(label: str) -> list:
    """The pieces of a label, split at ", " outside brackets (a list such as [[1/5, 1/4], [1, 1/2]] is one piece)."""
    out, depth, start = [], 0, 0
    for i, c in enumerate(label):
        depth += (c in "[(") - (c in "])")
        if depth == 0 and label.startswith(", ", i):
            out.append(label[start:i])
            start = i + 2
    return out + [label[start:]]


def instance_label(label: str, lang: str = "en") -> str:
    """An instance's label ("3 states, 2 actions, T = 3, gamma = 9/10") in ``lang``."""
    if lang == "en":
        return label
    out = []
    for piece in _pieces(label):
        for pattern, template in _PIECES:
            m = pattern.fullmatch(piece)
            if m:
                out.append(tr(template, lang).format(**m.groupdict()))
                break
        else:
            out.append(piece)
    return ("，" if lang == "zh" else ", ").join(out)


WHERE_KEYS = {"component": "component"}  # the other keys (s_0, a_0, t, k, x, ...) are notation


def counterexample_lines(ce: dict | None, policies: tuple = ("theta",), statement: str | None = None,
                         lang: str = "en") -> list:
    """The exact counterexample MDP and values, as short lines (Markdown-code friendly).

    ``policies`` names the policies the statement uses besides pi_theta ('old', 'prime'); free
    distributions (p, q on a sample space X) are shown when the counterexample has them.  With the
    statement's LaTeX, only the free functions and distributions it mentions are shown."""
    if not ce:
        return []
    mdp = ce["mdp"]
    sep = "，" if lang == "zh" else ", "
    where = sep.join(f"{tr(WHERE_KEYS.get(k, k), lang)} = {v}" for k, v in ce.get("where", {}).items())
    head = "MDP" + ("：" if lang == "zh" else ": ") + instance_label(mdp["label"], lang)
    if where:
        head += tr("; at {where}", lang).format(where=where)
    out = [head,
           f"rho0 = {_fmt(mdp['rho0'])}",
           f"P[s][a][s'] = {_fmt(mdp[chr(80) + '[s][a][s' + chr(39) + ']'])}",
           f"R[s][a][s'] = {_fmt(mdp['R[s][a][s' + chr(39) + ']'])}",
           f"pi_theta[s][a] = {_fmt(mdp['policies']['theta'])}"]
    for name in policies:
        if name != "theta" and name in mdp.get("policies", {}):
            out.append(f"pi_{name}[s][a] = {_fmt(mdp['policies'][name])}")
    for k, v in sorted(mdp.get("free functions", {}).items()):
        if statement is None or f"{k.split('[')[0]}(" in statement:
            out.append(f"{k} = {_fmt(v)}")
    if mdp.get("free distributions") and (statement is None or "(x)" in statement):
        out.append(f"X = {_fmt(mdp.get('X', []))}")
        for k, v in sorted(mdp["free distributions"].items()):
            out.append(tr("{name}(x) on X = {values}", lang).format(name=k, values=_fmt(v)))
    out.append(tr("lhs = {lhs}, rhs = {rhs}", lang).format(lhs=ce["lhs"], rhs=ce["rhs"]))
    return out


def _fmt(x) -> str:
    if isinstance(x, list):
        return "[" + ", ".join(_fmt(y) for y in x) + "]"
    return str(x)
