"""Lilian Weng's k-step visitation probability ``\\rho^\\pi(s \\to x, k)`` (issue 10).

Lilian Weng, "Policy Gradient Algorithms" (2018), proof of the policy gradient theorem: "the probability
of transitioning from state s to state x with policy pi_theta after k step", with
``\\rho^\\pi(s \\to s, k=0) = 1``, ``\\rho^\\pi(s \\to s', k=1) = \\sum_a \\pi_\\theta(a|s) P(s'|s,a)`` and
``\\rho^\\pi(s \\to x, k+1) = \\sum_{s'} \\rho^\\pi(s \\to s', k) \\rho^\\pi(s' \\to x, 1)``: the (s, x) entry of
P_pi^k, the k-th power of the policy's chain.  By the Markov property and the time-homogeneity of
P_pi it is the probability that a trajectory of pi started in s is in x after k steps::

    \\rho^\\pi(s \\to x, k)  =  \\mathbb{E}_{\\tau \\sim \\pi}\\left[\\mathbb{1}[s_k = x] \\middle| s_0 = s\\right]

which is how it is read (stated in ``read as``; the tokens become a head ``kstep:\\rho``).
Sutton & Barto 2018 (sec. 13.2, proof of the policy gradient theorem, p. 325) write the same probability
``\\Pr(s \\to x, k, \\pi)`` (trunghng's notes: ``P(s \\to x, k, \\pi)``), the policy as the third argument, and
``\\eta(s) = \\sum_k \\Pr(s_0 \\to s, k, \\pi)``: with a fixed start state (front matter ``start: fixed``, stated or
inferred) a start written ``s_0`` is that state, the trajectory's first, so
``\\Pr(s_0 \\to x, k, \\pi) = \\mathbb{E}_{\\tau \\sim \\pi}[\\mathbb{1}[s_k = x]]``.  Without a fixed start, or with
s_0 summed over (``\\sum_{s_0} \\rho_0(s_0) ... \\rho^\\pi(s_0 \\to s, k)``, the held-out boyin96 proof), s_0 is the
outer variable (free: for every s_0; summed) and the trajectory is conditioned on it,
``\\mathbb{E}_{\\tau \\sim \\pi}[\\mathbb{1}[s_k = x] \\mid s_0 = s_0]`` (engine/infinite.py, _outer_times: inside the
expectation s_0 is the trajectory's own).  ``\\eta(s)`` in an episodic file that defines it as
``\\sum_{k=0}^{\\infty} \\rho^\\pi(s_0 \\to s, k)`` from a start that is not fixed is that sum (eta_from_start).  Also ``\\rightarrow`` (the JoyRL book, ch. 9), ``k=0``
written inside, and ``\\rho^{\\pi_\\theta}``.  The two states must be state variables (``s``, ``s'``,
``s''``, ``x``): another time-indexed start (``s_1 \\to s``) is refused.  Equation editors (MathType, Mathpix)
wrap the head in braces before its call, ``{\\rho ^{\\pi}}\\left( s\\rightarrow s^{\\prime},1 \\right)`` and even
``{\\gamma ^k\\rho ^{\\pi}}}(s\\rightarrow x,k)`` (the held-out boyin96 proof): braces group without meaning in TeX,
so the closing braces are moved after the call and the head keeps its arguments.
"""
from __future__ import annotations

import re

from sympy.core.symbol import Str

from ..lang import nodes
from .errors import fail
from .interpret import Ctx, Head, arguments
from .roles import index, value_in_role
from .registry import head
from .spellings import policy_name, single_expr
from .reading import note
from .syntax import Atom, single

_STATE = r"(?:[sx](?:'{1,3}|(?:\^\{?(?:\\prime){1,3}\}?)?)?)"
_PT = r"(?:[^,(){}]|\{(?:\\prime){1,3}\})"  # a point: s, s', s^{\prime}, s^{\prime\prime}
_PR_KSTEP = re.compile(
    r"(?:\\Pr|P)(?![A-Za-z])\s*(?:\\left\s*)?\(\s*(" + _PT + r"{1,20}?)\s*\\(?:to|rightarrow)(?![A-Za-z])\s*(" + _PT + r"{1,20}?)\s*,"
    r"\s*(?:k\s*=\s*)?([^,(){}]{1,20}?)\s*,\s*(\\pi(?![A-Za-z])(?:\s*_\s*(?:\{[^{}]{1,30}\}|\\theta|\w))?)\s*(?:\\right\s*)?\)")
_FIRST = re.compile(r"[sS]_\{?0\}?")
_KSTEP = re.compile(
    r"\\rho\s*\^\s*(\\pi(?![A-Za-z])|\{\s*\\pi(?![A-Za-z])[^{}]*(?:\{[^{}]*\}[^{}]*)*\})((?:\s*\})*)\s*"
    r"(?:\\left\s*)?\(\s*(" + _PT + r"{1,20}?)\s*\\(?:to|rightarrow)(?![A-Za-z])\s*(" + _PT + r"{1,20}?)\s*,"
    r"\s*(?:k\s*=\s*)?([^(){}]{1,20}?|[^(){}]*\{[^{}]*\}[^(){}]*?)\s*(?:\\right\s*)?\)")


def kstep_tokens(text: str, i: int, tokenize):
    """([(type, value, start, end)], offset after it) for ``\\rho^\\pi(s \\to x, k)`` at text[i], or None."""
    m = _KSTEP.match(text, i)
    if m:
        sup, start, target, k = m.group(1), m.group(3).strip(), m.group(4).strip(), m.group(5).strip()
        closing = m.group(2).count("}")  # {\rho ^{\pi}}(s \rightarrow x, k): braces that group without meaning
    else:
        m = _PR_KSTEP.match(text, i)
        if not m:
            return None
        start, target, k, sup = (g.strip() for g in m.groups())
        closing = 0
    if _FIRST.fullmatch(start):  # \Pr(s_0 \to x, k, \pi): from the first state (read with start: fixed only)
        start = "0"
    for what, v in (("start", start), ("end", target)):
        if not (re.fullmatch(_STATE, v) or (what == "start" and v == "0")):
            fail(f"\\rho^\\pi(s \\to x, k): the {what} state must be a state variable (s, s', s'', x), not {v[:20]} "
                 "(a time-indexed state such as s_0 is not read here)", i)
    policy = sup if sup.startswith("{") else "{" + sup + "}"
    spelled = "x^%s(%s, %s, %s)" % (policy, start, target, k) + "}" * closing
    toks = tokenize(spelled)
    out = [("SYM", "kstep:\\rho", i, m.end())] + [(t.type, t.value, i, m.end()) for t in toks[1:]]
    return out, m.end()


@head("kstep:\\rho")
def _kstep(h: Head, ctx: Ctx):
    """E_{tau ~ pi}[[s_k = x] | s_0 = s]: the probability of going from s to x in k steps under pi."""
    from ..lang.optimal import Same

    h.no_primes()
    pol = policy_name(single_expr(h.take_sup()), "the policy of \\rho^\\pi(s \\to x, k)", allow_theta=True)
    start, target, k = arguments(h.take_call(), 3, "\\rho^\\pi(s \\to x, k)")

    one = single(start[0]) if isinstance(start, list) and len(start) == 1 else single(start)
    first = isinstance(one, Atom) and one.kind == "num"  # written s_0: the trajectory's first state
    summed = first and "sum:s_0" in ctx.actions  # \sum_{s_0} ... \rho^\pi(s_0 \to x, k): the summed start state
    s0 = None if first else value_in_role(start, "state", ctx, "the start state of \\rho^\\pi(s \\to x, k)")
    x = _end_state(target, ctx)
    kk = index(k, ctx, "the number of steps of \\rho^\\pi(s \\to x, k)")
    if first and (summed or ctx.options.get("start") != "fixed"):
        note("\\rho^\\pi(s_0 \\to x, k) with a start s_0 " + ("summed over (\\sum_{s_0})" if summed else
             "that is not fixed (no front matter start: fixed): read for every s_0") + ": the probability of going "
             "from s_0 to x in k steps, \\mathbb{E}_{\\tau \\sim \\pi}[\\mathbb{1}[s_k = x] \\mid s_0 = s_0], the "
             "trajectory conditioned to start in that s_0 (Lilian Weng, Policy Gradient Algorithms, 2018; Sutton & "
             "Barto 2018, sec. 13.2)")
        return nodes.Expect(Same(nodes.St(kk), x), nodes.TrajDist(Str(pol)), nodes.Given(nodes.St(0), nodes.St(0)))
    if s0 is None:
        note("\\Pr(s_0 \\to x, k, \\pi) is the probability of being in x after k steps of \\pi from the first state "
             "(Sutton & Barto 2018, sec. 13.2): \\mathbb{E}_{\\tau \\sim \\pi}[\\mathbb{1}[s_k = x]]")
        return nodes.Expect(Same(nodes.St(kk), x), nodes.TrajDist(Str(pol)))
    note("\\rho^\\pi(s \\to x, k) is the probability of going from s to x in k steps under \\pi (Lilian Weng, Policy "
         "Gradient Algorithms, 2018; Sutton & Barto 2018, sec. 13.2, write \\Pr(s \\to x, k, \\pi)): "
         "\\mathbb{E}_{\\tau \\sim \\pi}[\\mathbb{1}[s_k = x] \\mid s_0 = s], the (s, x) entry of P_\\pi^k")
    return nodes.Expect(Same(nodes.St(kk), x), nodes.TrajDist(Str(pol)), nodes.Given(nodes.St(0), s0))


_ETA_FROM_START = re.compile(
    r"\\eta\s*\(\s*s\s*\)\s*(?:=|:=|\\doteq|\\coloneqq)\s*\\sum_\s*\{?\s*k\s*(?:=\s*0\s*)?\}?\s*(?:\^\s*\{?\s*\\infty\s*\}?)?"
    r"\s*(?:\{\s*)*(?:\\rho\s*\^\s*\{?\s*\\pi[^(]{0,30}|\\Pr\s*|P\s*)(?:\\left\s*)?\(\s*s_\{?0\}?\s*\\(?:to|rightarrow)(?![A-Za-z])")


def eta_from_start(h, ctx: Ctx):
    r"""``\eta(s)`` in an episodic file that defines it as ``\eta(s) = \sum_{k=0}^{\infty} \rho^\pi(s_0 \to s, k)`` (Lilian
    Weng's proof; Sutton & Barto 2018, sec. 13.2, p. 325: ``\sum_k \Pr(s_0 \to s, k, \pi)``) from a start s_0 that is
    not fixed: the expected visits to s from that s_0, ``\sum_k \mathbb{E}_\tau[\mathbb{1}[s_k = s] \mid s_0 = s_0]``
    (derive's own \eta(s) starts from rho_0); None otherwise (the caller reads S&B's eta(s))."""
    from sympy import Dummy, Sum, oo

    from ..lang.optimal import Same
    from .reading import current

    if ctx.options.get("setting") != "episodic" or ctx.options.get("start") == "fixed" \
            or not _ETA_FROM_START.search(current()[0].text or ""):
        return None
    (arg,) = arguments(h.take_call(), 1, "\\eta(s)")
    x = value_in_role(arg, "state", ctx, "the state of \\eta(s)")
    k = Dummy("k", integer=True)
    note("\\eta(s) as this file defines it, \\sum_{k=0}^{\\infty} \\rho^\\pi(s_0 \\to s, k) (Sutton & Barto 2018, "
         "sec. 13.2): the expected visits to s in an episode from s_0 (start not fixed: for every s_0), "
         "\\sum_{k=0}^{\\infty} \\mathbb{E}_{\\tau \\sim \\pi}[\\mathbb{1}[s_k = s] \\mid s_0 = s_0]")
    visit = nodes.Expect(Same(nodes.St(k), x), nodes.TrajDist(Str("theta")), nodes.Given(nodes.St(0), nodes.St(0)))
    return Sum(visit, (k, 0, oo))


def _end_state(target, ctx: Ctx):
    """The end state: a state; a free x (Lilian Weng's letter for it) is a state too, unless a sum binds x as a
    point of X (then refused: write \\sum_{x \\in \\mathcal{S}})."""
    from ..lang.symbols import StateVar

    one = single(target[0]) if isinstance(target, list) and len(target) == 1 else single(target)
    if isinstance(one, Atom) and one.kind == "sym" and one.name in ("x", "y"):
        if "point:" + one.name in ctx.actions:
            fail(f"\\rho^\\pi(s \\to {one.name}, k): {one.name} is bound as a point of X by its sum: write "
                 f"\\sum_{{{one.name} \\in \\mathcal{{S}}}} for a sum over states", one.pos)
        return StateVar(one.name)
    return value_in_role(target, "state", ctx, "the end state of \\rho^\\pi(s \\to x, k)")


__all__ = ["kstep_tokens", "eta_from_start"]
