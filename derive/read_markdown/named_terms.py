r"""A term named by the equation that introduces it: ``E[f(t,t')] = E[X]`` binds ``f(t,t') := X`` (issue 10).

Spinning Up's proof that the past does not distract (openai/spinningup
docs/spinningup/extra_pg_proof1.rst, "Proof for Don't Let the Past Distract You") writes

    and consider the term
    \underE{\tau \sim \pi_{\theta}}{f(t,t')} = \underE{\tau \sim \pi_{\theta}}{\nabla_{\theta} \log \pi_{\theta}(a_t |s_t) R(s_{t'}, a_{t'}, s_{t'+1})}

and uses ``f(t,t')`` for the rest of the proof: a free function of two times, named by the term
it stands for inside the same expectation.  The reading is exact and structural, never guessed:

* one side is an expectation ``W[ f(i, j, ...) ]`` of a free function name (``f``, ``g``, ``h``)
  applied to time indices only (``t``, ``t'``, ``k``, ...; definitions.INDEX_PARAMS), a name the file has
  not defined;
* the other side is the *same* written wrapper ``W[ X ]`` (the same expectation, spelled the same,
  spaces aside) around a term X;
* then ``f(i, j, ...) := X`` is bound for the rest of the file (definitions.py: later uses substitute
  the indices), echoed as a definition with this reason, and the step itself stays a step (it then
  reads ``W[X] = W[X]``, true by the definition it makes).

Anything else (a function of variables, a wrapper that differs, no expectation) is left to the
usual reading, which names what it cannot read.
"""
from __future__ import annotations

import re

from .definitions import INDEX_PARAMS

_CALL = re.compile(r"(?<![\\A-Za-z])([fgh])\s*\(\s*((?:[a-z]'{0,2}\s*,\s*)*[a-z]'{0,2})\s*\)")
_OPENERS = ("\\left[", "[", "\\left(", "(", "\\{", "\\left\\{")
_EXPECTATION = re.compile(r"\\mathbb\s*\{?\s*E|\\mathrm\s*\{?\s*E|\\operatorname\s*\{?\s*E|\\E\b|(?<![\\A-Za-z])E(?![A-Za-z])")


def _squash(tex: str) -> tuple:
    """(tex without spaces, map from each kept character to its offset in tex)."""
    keep = [(c, i) for i, c in enumerate(tex) if not c.isspace()]
    return "".join(c for c, _ in keep), [i for _, i in keep]


def _strip_end(tex: str) -> str:
    return tex.rstrip().rstrip(".,;").rstrip()


def named_term(lhs_tex: str, rhs_tex: str, defined: set) -> tuple | None:
    """(name tex ``f(t,t')``, body tex X, which side names it: 'lhs'/'rhs') for ``W[f(..)] = W[X]``, else None.

    ``defined``: the names the file has already defined (a defined f is used, not named again)."""
    for side, named, other in (("lhs", lhs_tex, rhs_tex), ("rhs", rhs_tex, lhs_tex)):
        named, other = _strip_end(named), _strip_end(other)
        calls = list(_CALL.finditer(named))
        if len(calls) != 1 or calls[0].group(1) in defined:
            continue
        m = calls[0]
        args = [a.strip() for a in m.group(2).split(",")]
        if not all(a in INDEX_PARAMS for a in args) or len(set(args)) != len(args):
            continue
        pre, post = named[:m.start()].rstrip(), named[m.end():].lstrip()
        if not any(pre.endswith(o) for o in _OPENERS) or not _EXPECTATION.search(pre):
            continue
        sp, _ = _squash(pre)
        sq, _ = _squash(post)
        so, where = _squash(other)
        if not so.startswith(sp) or not so.endswith(sq) or len(so) <= len(sp) + len(sq):
            continue
        body = other[where[len(sp)]:where[len(so) - len(sq) - 1] + 1].strip()
        if not _balanced(body) or _CALL.search(body) and _CALL.search(body).group(1) == m.group(1):
            continue
        return f"{m.group(1)}({','.join(args)})", body, side
    return None


def _balanced(tex: str) -> bool:
    depth = 0
    for k, c in enumerate(tex):
        if k and tex[k - 1] == "\\":
            continue
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0



def bind_named_term(lhs, rhs, options: dict, define) -> dict | None:
    """Bind ``f(t,t') := X`` when the step ``lhs = rhs`` names it (``named_term``), before either side is read.

    ``lhs``/``rhs``: the reader's segments (``tex``, ``start``, ``parsed``, ``notes``); ``define(name, body,
    seg)`` binds and returns the definition's record (reader._define).  The reading is echoed in the step's
    notes and in the record; a name that cannot be bound is left to the usual reading."""
    defs = options.get("definitions")
    if defs is None or lhs.parsed or rhs.parsed:
        return None
    found = named_term(lhs.tex, rhs.tex, {d.name for d in defs.entries})
    if found is None:
        return None
    name, body, side = found
    rec = define(name, body, rhs if side == "lhs" else lhs)
    if rec.get("read_as"):
        why = "named by this equation: the same expectation of the term it stands for"
        rec["read_as"] += f" ({why})"
        lhs.notes.append(f"{name} := {body} ({why}; the step holds by this definition)")
    return rec


__all__ = ["named_term", "bind_named_term"]
