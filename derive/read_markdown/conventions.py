"""Index conventions of a derivation: stated in the front matter, or inferred from what the file writes.

derive's own conventions (docs/conventions.md): a trajectory of horizon T has the times
t = 0..T-1 and the reward of step t is ``r_t = R(s_t, a_t, s_{t+1})``.  The main sources
write two other conventions, chosen in the front matter:

* ``horizon: last-index`` (Spinning Up, the Hugging Face Deep RL course: ``t = 0..T``, the
  last index is T): the author's ``T`` (and ``H``) is derive's ``T - 1``, so that derive's
  horizon is the author's T + 1.  ``horizon: steps`` is derive's default.
* ``horizon: from-1`` (CS285, CS224R, Hung-yi Lee, Easy RL: ``t = 1..T``, ``s_1`` the first state): the
  author's time u of s_u, a_u, r_u, ... is derive's u - 1; ``p(s_1)`` is rho_0 (read_latex/notation_from1.py).
  Inferred when a file writes ``\\sum_{t=1}^{T}`` (or ``\\prod``) and s_1 or a_1, never s_0, a_0 or ``\\sum_{t=0}``.
* ``reward-index: t+1`` (Sutton & Barto 2018, sec. 3.1: the reward ``R_{t+1}`` follows the
  action ``A_t``): the author's ``r_{t+1}`` is derive's ``r_t``.

Conventions a file shows without saying them (``infer``):

* a finite-horizon derivation that never writes gamma is undiscounted: gamma = 1 on every
  instance (Spinning Up's ``R(\\tau) = \\sum_t r_t``);
* a file that writes a bare ``V(s) = E[G_t | s_t = s]`` (or ``Q(s,a) = E[G_t | s_t = s, a_t = a]``, or lower-case
  ``v(s)``, ``q(s,a)`` as Sutton & Barto without the subscript pi, e.g. for a Markov reward process), with no
  critic (no ``\\delta^V``, ``\\hat V``, ``V_\\phi``, no ``delta:``), defines its bare V, Q as the values of
  its policy: they are read as ``V^\\pi``, ``Q^\\pi`` (front matter ``values: true``);
* a file that writes a bare ``V(\\cdot)`` and never ``V^\\pi`` means its own V in ``\\delta_t``
  and ``\\hat{A}_t`` (front matter ``delta: V``); so does a file that writes ``\\delta^V_t`` (the
  GAE paper's TD error of an approximate V, Schulman et al. 2016, sec. 3).

The reward index a file's one-step recursions show (``G_t = r_{t+1} + \\gamma G_{t+1}``), which decides over the
weaker clues above, is conventions_reward.py; a bare V, Q that the prose calls the value function, after the file
defines ``V^\\pi``, is conventions_values.py.  The rules are stated once in docs/conventions.md ("Conventions
inferred from the file").

Every convention in force is listed on the file's ``conventions:`` line (and in ``--json``); a conflict the file
shows is listed there too, as a note that sets nothing.
"""
from __future__ import annotations

import re

from ..lang import symbols as sy

STATED = {
    ("horizon", "last-index"): "horizon: last-index (t = 0..T: the written T is the last index, derive's T - 1)",
    ("horizon", "from-1"): "horizon: from-1 (t = 1..T, s_1 the first state: the written s_t, a_t, r_t are derive's "
                           "s_{t-1}, a_{t-1}, r_{t-1}; p(s_1) is rho_0)",
    ("reward-index", "t+1"): "reward-index: t+1 (r_{t+1} follows a_t: the written r_{t+1} is derive's r_t)",
    ("reward", "state"): "reward: state (r(s), a reward of the state alone: random MDPs with R(s, a, s') = r(s))",
}

_GAMMA = re.compile(r"\\(?:var)?gamma(?![A-Za-z])|γ")
_BARE_V = re.compile(r"(?<![A-Za-z\\])V\s*(?:\\left\s*)?\(")
_TRUE_V = re.compile(r"(?<![A-Za-z\\])V\s*(?:_\s*(?:\{[^{}]*\}|\w))?\s*\^")
_USES_V = re.compile(r"\\delta(?![A-Za-z])|\\(?:wide)?hat\s*\{?\s*A|G\s*_\s*(?:\{[^{}]*\}|\w)\s*\^\s*\{?\s*\\lambda")
_FRONT_DELTA = re.compile(r"^[ \t]*delta[ \t]*:", re.M)
# \delta^V_t, \delta_{t+l}^{V}: the TD error of a named free V (GAE paper, sec. 3), not \delta^{V^\pi}
_DELTA_V = re.compile(r"\\delta(?![A-Za-z])\s*(?:_\s*(?:\{[^{}]*\}|\w)\s*)?\^\s*(?:V(?![A-Za-z])|\{\s*V\s*\})(?!\s*\^)")
# a bare V(s) = E[G_t | s_t = s] or Q(s,a) = E[G_t | s_t = s, a_t = a]: the file defines its V, Q as the value
_BARE_DEFINED = re.compile(
    r"(?<![A-Za-z\\_^])([VQvq])\s*(?:\\left\s*)?\(\s*s\s*(?:,\s*a\s*)?(?:\\right\s*)?\)\s*&?\s*(?::=|=|\\doteq|\\coloneqq)\s*&?\s*"
    r"(?:\\mathbb\s*\{?\s*E\s*\}?|E)\s*(?:_\s*(?:\{\s*\\pi\s*\}|\\pi))?\s*(?:\\left|\\big|\\Big)?\s*[\[(]\s*G\s*_\s*\{?\s*t\s*\}?\s*"
    r"(?:\\middle|\\big|\\Big)?\s*(?:\\mid|\||\\vert)\s*[sS]\s*_\s*\{?\s*t\s*\}?\s*=\s*s(?![A-Za-z_'])")
_CRITIC = re.compile(r"\\delta(?![A-Za-z])\s*(?:_\s*(?:\{[^{}]*\}|\w)\s*)?\^|\\hat\s*\{?\s*[VQ](?![A-Za-z])|[VQ]\s*_\s*\{?\s*(?:\\phi|w|\\psi|\\omega)")
# what depends on gamma: R(\tau), G_t, V, Q, A, J, d^\pi, \delta_t, \hat{A}_t, \eta
_DISCOUNTED = re.compile(r"(?<![A-Za-z\\])(?:R\s*(?:\\left\s*)?\(\s*\\tau|G\s*_|[VQAJ]\s*[\^_(]|d\s*\^)"
                         r"|\\delta(?![A-Za-z])|\\(?:wide)?hat\s*\{?\s*A|\\eta(?![A-Za-z])")


# V^\pi(s), A^{\pi}(s,a), Q^{\pi_\theta}(s,a), v_\pi(s), q_\pi(s,a): a value whose state has no time index
_UNTIMED = re.compile(r"(?<![A-Za-z\\])(?:[VQA]\s*\^\s*(?:\{\s*\\pi[^{}]*\}|\\pi(?![A-Za-z]))"
                      r"|[vq]\s*_\s*(?:\{\s*\\pi[^{}]*\}|\\pi(?![A-Za-z]))"
                      r"|[VQA]\s*\^\s*(?:\{\s*\*\s*\}|\*)|[vq]\s*_\s*(?:\{\s*\*\s*\}|\*)"  # optimal: V^*(s), v_*(s)
                      r"|[VQA]\s*_\s*(?:\{\s*(?:\\tilde\s*\{?\s*)?\\pi[^{}]*\}|\\pi(?![A-Za-z])))"  # TRPO's A_\pi(s,a)
                      r"\s*(?:\\left\s*)?\(\s*s\s*'*\s*[,)]")
# Silver's lecture 2: \mathcal{R}_s^a, \mathcal{P}_{ss'}^a (and the MRP's \mathcal{R}_s, \mathcal{P}_{ss'}): stationary values
_SILVER = re.compile(r"\\mathcal\s*\{\s*(?:R\s*\}\s*[_^]|P\s*\}\s*(?:\^\s*(?:\{[^{}]*\}|\\?\w+)\s*)?_\s*\{\s*s\s*,?\s*s')")
# a finite horizon written: the letter T or H (not T \to \infty, the infinite-horizon limit), or a sum or product with an upper limit other than infinity
_FINITE = re.compile(r"(?<![A-Za-z\\])[TH](?![A-Za-z])(?!\s*\\(?:to|rightarrow|longrightarrow)\s*\\infty)|\\(?:sum|prod)(?![A-Za-z])\s*(?:_\s*(?:\{[^{}]*\}|\\?\w+)\s*)?"
                     r"\^\s*(?!\{?\s*\\infty)")
# next to a sum to infinity, the k-step sums of the GAE paper (eq. 14: \sum_{l=0}^{k-1} \gamma^l \delta_{t+l}) are no horizon
_K_STEP = re.compile(r"\\(?:sum|prod)(?![A-Za-z])\s*_\s*\{[^{}]*\}\s*\^\s*(?:\{\s*[kn]\s*(?:-\s*1\s*)?\}|[kn](?![A-Za-z]))")
# a sum to infinity: \sum_{l=0}^{\infty}, \sum_{k \geq 0}^\infty
_INFINITE = re.compile(r"\\sum(?![A-Za-z])\s*(?:_\s*(?:\{[^{}]*\}|\\?\w+)\s*)?\^\s*\{?\s*\\infty")
_FRONT_SETTING = re.compile(r"^[ \t]*setting[ \t]*:", re.M)
# what only the discount's form (not the values) depends on: returns, rewards, TD errors, J
_RETURNS = re.compile(r"(?<![A-Za-z\\])(?:G\s*_|[RrJ]\s*[_(]|d\s*\^|R\s*\()|\\delta(?![A-Za-z])|\\(?:wide)?hat\s*\{?\s*A"
                      r"|(?<![A-Za-z\\])r(?![A-Za-z])")  # a bare reward r: "(r + V^\pi(s'))", \sum_{s', r}


def _discounted(front: dict, masked: str, front_text: str):
    r"""The description of an inferred discounted infinite-horizon setting, or None.

    Students write ``V^\pi(s)``, ``A^\pi(s,a)``, ``v_\pi(s)`` without a time index: values of a
    stationary policy, which exist without a horizon only when discounted (Sutton & Barto 2018,
    sec. 3.5).  Inferred when the file states no setting, writes such a value, and writes no finite
    horizon; and either writes gamma, or writes no return or reward at all (its steps relate values
    only, so the form of the discount cannot change them).  Likewise a file that writes a sum to
    infinity (GAE's \hat{A}_t = \sum_{l=0}^\infty (\gamma\lambda)^l \delta_{t+l}, Schulman et al. 2016,
    eq. 16) and gamma, and no finite horizon: its series of random variables are then judged pathwise,
    as E[(lhs - rhs)^2] = 0 (engine/infinite.py, as_second_moment).
    """
    untimed, infinite = _UNTIMED.search(masked) or _SILVER.search(masked), _INFINITE.search(masked)
    finite = _FINITE.search(_K_STEP.sub(" ", masked) if infinite else masked)
    from .conventions_returns import infinite_horizon  # T only in estimates or one truncation (issue 12, I1)

    overruled = infinite_horizon(_K_STEP.sub(" ", masked), _FINITE) if finite and infinite else ""
    finite = None if overruled else finite
    if _FRONT_SETTING.search(front_text) or front.get("gamma") is not None \
            or front.get("family", "random") != "random" or not (untimed or infinite) or finite:
        return None
    if _GAMMA.search(masked):
        why = "values without a time index" if untimed else "sums to infinity"
        return f"inferred: discounted, infinite horizon ({why}, gamma written{'; ' + overruled if overruled else ''})"
    if infinite or _RETURNS.search(masked):
        return None
    return ("inferred: discounted, infinite horizon (values without a time index; no gamma, return or reward "
            "written: the steps relate values only)")


def _episodic(front: dict, masked: str, front_text: str):
    r"""The description of an inferred episodic setting (derive/episodic.py), or None.

    Values without a time index (``V^\pi(s)``, ``q_\pi(s,a)``), no finite horizon and no gamma, next to
    returns or rewards (``r + V^\pi(s')``): the undiscounted episodic task of Sutton & Barto 2018,
    sec. 13.2 and Lilian Weng's proof of the policy gradient theorem (gamma = 1, every episode ends).
    """
    if _FRONT_SETTING.search(front_text) or front.get("gamma") is not None \
            or front.get("family", "random") != "random" or _FINITE.search(masked) or _GAMMA.search(masked) \
            or not _UNTIMED.search(masked):
        return None
    return ("inferred: episodic (values without a time index, no gamma written): gamma = 1 and every episode "
            "ends (derive's sums over s' are over the non-terminal states, d^pi is eta / sum eta; Sutton & Barto 2018, "
            "sec. 13.2)")


# time from 1 (CS285, CS224R, Hung-yi Lee, Easy RL): \sum_{t=1}^{T} (or \prod) with s_1 or a_1, never s_0, a_0 or \sum_{t=0}
_SUM_FROM_1 = re.compile(r"\\(?:sum|prod)\s*_\s*\{\s*t\s*=\s*1\s*\}\s*\^\s*(?:\{\s*)?T(?![A-Za-z])")
_FIRST_1 = re.compile(r"(?<![A-Za-z\\])[sSaA]\s*_\s*(?:1|\{\s*1\s*\})(?![0-9])")
_ZERO = re.compile(r"(?<![A-Za-z\\])[sSaA]\s*_\s*(?:0|\{\s*0\s*\})(?![0-9])|\\sum\s*_\s*\{\s*t'?\s*=\s*0")


# r(s), r(s_t): a reward of the state alone (TRPO, sec. 2); r(s, a), R(s, a, s'): a reward of the action too
_STATE_REWARD = re.compile(r"(?<![A-Za-z\\])r\s*(?:\\left\s*)?\(\s*s'*\s*(?:_\s*(?:\{[^{}]*\}|\w))?\s*(?:\\right\s*)?\)")
_ACTION_REWARD = re.compile(r"(?<![A-Za-z\\])[rR]\s*(?:\\left\s*)?\(\s*[sS][^()]{0,30}?,\s*[aA]")
# a reward of the next state: r(s, a, s'), R(s_t, a_t, s_{t+1}), r_{t+1} paid on arriving (p(s', r | s, a) too)
_NEXT_STATE_REWARD = re.compile(r"(?<![A-Za-z\\])[rR]\s*(?:\\left\s*)?\(\s*[sS][^()]{0,30}?,\s*[aA][^(),]{0,20},\s*[sS]|p\s*\(\s*s'\s*,\s*r")


# capital R_t (or R_{t+1}) right before gamma V(s_{t+1}) (a TD error or a Bellman backup written with lower-case
# states): the reward of the step from s_t to s_{t+1}, which fixes the file's reward index ("\_" from Markdown too)
_V_NEXT = r"\s*\+\s*\\gamma\s*V(?:\s*\^\s*(?:\{(?:[^{}]|\{[^{}]*\})*\}|\\?\w+))?\s*(?:\\left\s*)?\(\s*s\s*\\?_\s*\{\s*t\s*\+\s*1\s*\}"
_R_T_TD = re.compile(r"(?<![A-Za-z\\])R\s*\\?_\s*(?:\{\s*t\s*\}|t)" + _V_NEXT)
_R_T1_TD = re.compile(r"(?<![A-Za-z\\])R\s*\\?_\s*\{\s*t\s*\+\s*1\s*\}" + _V_NEXT)
_SB_CAPS = re.compile(r"(?<![A-Za-z\\{])S\s*\\?_\s*(?:\{\s*)?[t0-9](?![A-Za-z])")


def infer(front: dict, masked: str, front_text: str) -> list:
    """Conventions the file shows without stating them: [(key, value, description)].

    ``masked``: the body with code blanked; ``front_text``: the raw front matter (to know whether
    ``delta`` was given explicitly).
    """
    masked = masked.replace("\\_", "_").replace("\\*", "*")  # Markdown escapes in math (\_ is _), as the reader reads them
    out = []
    from .conventions_llm import infer_token_family  # pi(y|x) and no s_t, a_t: a language model (family: token)

    llm = infer_token_family(front, masked)
    if llm is not None:
        out.append(llm)
        front = {**front, "family": "token"}  # the inferences below see the token family
    from ..read_latex.notation_control import convention as control_notation  # x_t, u_t (issue 10, R2)

    control = control_notation(front, masked)
    if control is not None:
        out.append(control)
    from .conventions_llm import infer_group  # {a_1, ..., a_G}: GRPO's group of completions (issue 10, R1)

    group = infer_group(front, masked)
    if group is not None:
        out.append(group)
    from .conventions_llm import infer_advantage  # A_i = (r_i - mean)/std: GRPO's advantage named A_i (R10)

    advantage = infer_advantage({**front, **({"group": group[1]} if group else {})}, masked)
    if advantage is not None:
        out.append(advantage)
    from .conventions_written import infer_behaviour  # "a behavior policy $\mu$" (issue 10, R6)

    behaviour = infer_behaviour(front, masked)
    if behaviour is not None:
        out.append(behaviour)
    if "horizon" not in front and _SUM_FROM_1.search(masked) and _FIRST_1.search(masked) and not _ZERO.search(masked):
        out.append(("horizon", "from-1", "inferred: horizon: from-1 (the file writes \\sum_{t=1}^{T} (or \\prod) and s_1 or a_1, "
                                          "never s_0 or a_0: t = 1..T; derive's s_0 is the written s_1, p(s_1) is rho_0)"))
    discounted = _discounted(front, masked, front_text)
    episodic = None if discounted else _episodic(front, masked, front_text)
    if discounted:
        out.append(("setting", "discounted", discounted))
    elif episodic:
        out.append(("setting", "episodic", episodic))
    elif front.get("setting", "finite") == "finite" and front.get("gamma") is None \
            and front.get("family", "random") == "random" and not _GAMMA.search(masked) \
            and _DISCOUNTED.search(masked):
        out.append(("gamma", "1", "inferred: undiscounted (no gamma written): gamma = 1 on every instance"))
    if "reward-index" not in front and not _SB_CAPS.search(masked):
        after = [k for k, rx in (("t", _R_T_TD), ("t+1", _R_T1_TD)) if rx.search(masked)]
        if len(after) == 1:
            which = "R_t" if after[0] == "t" else "R_{t+1}"
            out.append(("reward-index", after[0], f"inferred: reward-index: {after[0]} (the file writes {which} + "
                                                  r"\gamma V(s_{t+1}): the reward of the step from s_t to s_{t+1})"))
        elif not after:
            from .conventions_written import sutton_barto_reward_index  # G_t = \sum_k \gamma^k R_{t+k+1} (S&B 3.8)
            from .conventions_returns import rewards_from_one  # \sum_t \gamma^t r_{t+1}: rewards numbered from 1

            sb = sutton_barto_reward_index(masked) or rewards_from_one(masked)
            if sb is not None:
                out.append(sb)
    elif "reward-index" not in front:
        from .conventions_written import sutton_barto_reward_index  # capital S_t, A_t, R_{t+1} (issue 10, R6)

        sb = sutton_barto_reward_index(masked)
        if sb is not None:
            out.append(sb)
    if "reward-index" not in front:
        from .conventions_reward import settle  # G_t = r_{t+1} + \gamma G_{t+1}: the recursions decide (issue 10, R3)

        out = settle(out, masked)
    if "reward" not in front and front.get("family", "random") == "random" and _STATE_REWARD.search(masked) \
            and not _ACTION_REWARD.search(masked):
        out.append(("reward", "state", "inferred: reward: state (the file writes r(s), a reward of the state alone, "
                                       "and never r(s, a)): random MDPs with R(s, a, s') = r(s) (TRPO, Schulman et "
                                       "al. 2015, sec. 2: r: S -> R)"))
    if "reward" not in front and front.get("family", "random") == "random" and front.get("setting") != "episodic" \
            and _ACTION_REWARD.search(masked) and not _NEXT_STATE_REWARD.search(masked) \
            and not any(key == "reward" for key, _, _ in out):
        out.append(("reward", "state-action", "inferred: reward: state-action (the file writes r(s, a), a reward of the "
                                              "state and action, and never a reward of the next state): random MDPs "
                                              "with R(s, a, s') = r(s, a), so that R(\\tau) = \\sum_t r(s_t, a_t) on every "
                                              "path"))
    from .conventions_start import fixed_start  # "a fixed start state s_0", 固定的初始状态 (issue 10, R3)

    said = fixed_start(masked) if "start" not in front and front.get("family", "random") == "random" else None
    if said:
        out.append(("start", "fixed", f"inferred: start: fixed (the text says \"{said}\": every episode starts in one "
                                      "particular state s_0, as Sutton & Barto 2018, sec. 13.2 assume: rho_0 = delta_{s_0})"))
    from .conventions_values import named_true_values  # the prose calls a bare V the value function (issue 10, R3)

    defined = _BARE_DEFINED.search(masked)
    if defined and "values" not in front and not _FRONT_DELTA.search(front_text) and not _CRITIC.search(masked):
        line = masked.count("\n", 0, defined.start()) + 1
        what = {"V": "V(s) means V^pi", "v": "v(s) means v_pi = V^pi", "Q": "Q(s,a) means Q^pi",
                "q": "q(s,a) means q_pi = Q^pi"}[defined.group(1)]
        out.append(("values", "true", f"inferred: bare {what} (and so the other bare V, Q), as the file defines "
                                      f"it at line {line} (as with values: true)"))
    elif "values" not in front and not _FRONT_DELTA.search(front_text) and named_true_values(masked):
        out.append(named_true_values(masked))  # "the state-value function $V(s_t)$" after V^pi(s) = E[...]
    elif not _FRONT_DELTA.search(front_text) and _USES_V.search(masked) and _BARE_V.search(masked) \
            and not _TRUE_V.search(masked):
        out.append(("delta", "V", "inferred: \\delta_t and \\hat{A}_t use the file's own V "
                                  "(it writes V(\\cdot) and never V^\\pi), as with delta: V"))
    elif not _FRONT_DELTA.search(front_text) and _DELTA_V.search(masked):
        out.append(("delta", "V", "inferred: \\delta_t and \\hat{A}_t use the file's own V "
                                  "(it writes \\delta^V, the TD error of its V, as in the GAE paper), as with delta: V"))
    return out


# "when $\lambda = 1$", "当 $\lambda = 0$ 时" right before a display: the display is about that value of lambda
# (also Unicode λ, bold **λ = 1**, "λ = 1 时", "在 λ = 1 的极限下", and a list item "- $\lambda=0$：" introducing the display)
_LAM = r"(?:\*\*\s*)?(?:\$\s*\\lambda\s*=\s*(?P<v>0|1|0?\.\d{1,4})\s*\$|λ\s*=\s*(?P<w>0|1|0?\.\d{1,4})(?![\d.]))(?:\s*\*\*)?"
_PARAM_SET = re.compile(r"(?:(?:\b(?:when|if|with|for|setting|at|in the limit)\s+|当\s*|若\s*|在\s*|令\s*)" + _LAM
                        + r"|" + _LAM.replace("?P<v>", "?P<v2>").replace("?P<w>", "?P<w2>")
                        + r"\s*(?:时|的时候|的极限下|的情况下|下)"
                        + r"|(?m:^[ \t]*(?:[-*+][ \t]+|#{1,6}[ \t]+))" + _LAM.replace("?P<v>", "?P<v3>").replace("?P<w>", "?P<w3>")
                        + r"\s*[：:，,])")


def prose_parameters(before: str):
    r"""The value of lambda the prose just before a display sets for it ("when $\lambda = 1$", GAE's extreme
    cases, Schulman et al. 2016, eqs. 17-18), as (symbol, value, description), or None (none, or two differ)."""
    from sympy import Rational

    found = {next(v for v in m.groups() if v is not None) for m in _PARAM_SET.finditer(before[-300:])}
    if len(found) != 1:
        return None
    (value,) = found
    return sy.lam, Rational(value), f"the text sets \\lambda = {value} for this display"


def apply(front: dict, masked: str, front_text: str) -> list:
    """Add the inferred conventions to ``front``; return every convention in force (descriptions)."""
    said = [desc for (key, value), desc in STATED.items() if front.get(key) == value]
    inferred = infer(front, masked, front_text)
    for key, value, _ in inferred:
        if key != "note":  # a note states an ambiguity the file shows; it sets nothing
            front[key] = value
    return said + [desc for _, _, desc in inferred]


__all__ = ["infer", "apply", "STATED"]  # horizon, reward_time: derive/read_latex/notation.py
