"""What a spelling names: policies (\\pi, \\pi_\\theta, \\pi_{\\theta_k}, \\tilde\\pi, ...), \\tau, the
parameters, and the shapes of scripts and arguments (one expression, a head and its call).

Shared by the notation modules; holds no reading (the readings are filed in
:mod:`derive.read_latex.registry`).  The policy slots are explained in :mod:`derive.read_latex.reading`
and the table of flexible spellings in :mod:`derive.read_latex.notation_policies`.
"""
from __future__ import annotations

from ..lang import nodes
from ..lang import symbols as sy
from .errors import fail
from .interpret import Ctx, call_group, is_call_group, misplaced
from .reading import current, note, option
from .syntax import Group, Placeholder, Rel, Scripted, Syn, Term, raw, single

INTEGER_LETTERS = ("t", "k", "l", "n", "T", "i", "j", "m")
FREE_FUNCTIONS = ("f", "g", "h")
FREE_DISTRIBUTIONS = ("p", "q")
PARAMETERS = sy.PARAMETER_COMMANDS  # \gamma, \lambda, \epsilon, \beta (one table: derive/lang/symbols.py)

# ----------------------------------------------------------- policies

# spellings of the parameter of a policy (raw text, see syntax.raw)
THETA_SPELLINGS = {
    r"\theta": "theta", "theta": "theta",
    r"\theta_{old}": "old", "old": "old", r"\theta_{prime}": "prime", "prime": "prime", r"\theta'": "prime",
}


def policy_name(x: Syn, what: str, allow_theta: bool = True) -> str:
    """The policy a spelling names: \\pi, \\pi_\\theta -> theta; \\pi_{\\theta_{old}}, \\pi_{old} -> old; \\pi' -> prime."""
    r = raw(single(x)).replace(" ", "")
    if r == r"\pi":
        return "theta"
    if r == r"\pi'":
        from .notation_greedy import greedy_policy_name  # \pi'(s) \doteq \arg\max_a q_\pi(s,a) (S&B eq. 4.9)

        return greedy_policy_name(r) or "prime"
    if r in (r"\pi_{*}", r"\pi^{*}", r"\pi_*", r"\pi^*"):  # an optimal policy (greedy w.r.t. Q*)
        return "star"
    if r == r"\pi_{greedy}":  # \pi_{\text{greedy}}: greedy w.r.t. Q^{\pi_\theta} (policy improvement)
        return "greedy"
    if r.startswith(r"\pi_{") and r.endswith("}") and r[5:-1] in THETA_SPELLINGS:
        return THETA_SPELLINGS[r[5:-1]]
    if allow_theta and r in THETA_SPELLINGS:
        return THETA_SPELLINGS[r]
    slot = flexible_policy(r, x.pos, allow_theta)
    if slot is not None:
        return slot
    fail(f"{what}: {r[:40] or 'nothing'} is not a policy (write \\pi, \\pi_\\theta, \\pi_{{\\theta_{{old}}}} "
         "or \\pi')", x.pos)


def default_ref(ctx: Ctx):
    """The value function delta_t, GAE, ... use: the true V^pi, or the free V (front matter delta: V)."""
    return nodes.free_v("V") if ctx.options.get("delta") == "V" else nodes.true_v()


def single_expr(x: Syn):
    """The one expression of a script / argument (a brace group with one item), or fail."""
    if isinstance(x, Group) and x.kind == "brace":
        if len(x.parts[0]) != 1:
            fail("a list where a single expression is expected", x.parts[0][1].pos)
        x = x.parts[0][0]
    if isinstance(x, (Rel, Placeholder)):
        misplaced(x)
    return x


def head_and_call(x: Syn):
    """Split ``\\pi_\\theta(\\cdot|s)`` (two juxtaposed items) into the head item and its call group."""
    x = single(x)
    if isinstance(x, Term) and len(x.items) == 2 and is_call_group(x.items[1]) and not isinstance(x.items[1], Scripted):
        return x.items[0], call_group(x.items[1])
    return x, None


def is_tau(x: Syn) -> bool:
    """Is the script x the trajectory \\tau?"""
    return raw(single(x)).replace(" ", "") == r"\tau"


# the parameter written in \pi_{...} (or alone, in J(\theta_k)): canonical raw -> (preferred slot, label)
FLEXIBLE = {
    r"\theta_{k}": ("old", r"\pi_{\theta_k}"),
    r"\theta_{k+1}": ("prime", r"\pi_{\theta_{k+1}}"),
    r"\theta_{new}": ("prime", r"\pi_{\theta_{new}}"),
    "new": ("prime", r"\pi_{new}"),
    "ref": ("prime", r"\pi_{ref}"),
    r"\theta_{ref}": ("prime", r"\pi_{\theta_{ref}}"),
    "1": ("prime", r"\pi_1"),
    "2": ("old", r"\pi_2"),
    r"\theta_{1}": ("prime", r"\pi_{\theta_1}"),
    r"\theta_{2}": ("old", r"\pi_{\theta_2}"),
    "tilde": ("prime", r"\tilde\pi"),
    r"\mu": ("old", r"\mu (the declared behaviour policy)"),
    r"\beta": ("old", r"\beta (the declared behaviour policy)"),
}


def flexible_policy(r: str, pos: int, allow_theta: bool):
    """The slot of a spelling of FLEXIBLE (``r`` is the canonical raw text), or None."""
    key = None
    if r.startswith(r"\pi_{") and r.endswith("}"):
        key = r[5:-1]
    elif r == r"tilde:\pi":
        key = "tilde"
    elif allow_theta and r.startswith(r"\theta_{"):
        key = r
    elif r in (r"\mu", r"\beta") and declared_behaviour() == r:  # front matter behaviour: \mu, or the prose
        key = r
    if key not in FLEXIBLE:
        return None
    reading, notes = current()
    preferred, label = FLEXIBLE[key]
    return reading.slot(key, preferred, label, pos, notes)


def declared_behaviour():
    r"""The behaviour policy's name: front matter ``behaviour:``, else the one the prose calls "behaviour policy"
    (reading.behaviour_from_prose: the file writes exactly one of \beta(a|s), \mu(a|s), d^\beta, d^\mu), else None."""
    declared = option("behaviour")
    if declared is not None:
        return declared
    inferred = current()[0].behaviour
    if inferred is not None:
        note(f"{inferred} is the behaviour policy: the file's prose says \"behaviour policy\" (front matter "
             f"behaviour: {inferred} says it explicitly)")
    return inferred


__all__ = ["INTEGER_LETTERS", "FREE_FUNCTIONS", "FREE_DISTRIBUTIONS", "PARAMETERS", "THETA_SPELLINGS", "FLEXIBLE",
           "policy_name", "flexible_policy", "declared_behaviour", "default_ref", "single_expr", "head_and_call", "is_tau"]
