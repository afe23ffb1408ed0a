r"""Conventions a file shows by what it writes, stated on its ``conventions:`` line (issue 10, R6): a behaviour
policy its prose names, and Sutton & Barto's reward index when it writes their capital S_t, A_t, R_{t+1}.

**A behaviour policy**, inferred when the front matter does not declare it.

Off-policy derivations (importance sampling, Retrace, V-trace, off-policy REINFORCE) draw their data from a
*behaviour* policy, written ``\mu`` (Munos et al. 2016; Espeholt et al. 2018; verl's docs) or ``\beta``
(Degris et al. 2012), and say so in the prose: "sampled from a different behavior policy $\mu$".  The
recognition is ``latex.reading.behaviour_from_prose`` (the prose says "behaviour policy" and the math writes
exactly one of ``\mu(a|s)``, ``\mu(a_t|s_t)``, ``d^\mu``, ``\beta(a|s)``, ``d^\beta``); this module states it on
the file's ``conventions:`` line and reads the file as with the front matter ``behaviour: \mu``, so that every
spelling of that policy reads (``\mu(a_t|s_t)``, ``\tau \sim \mu``, ``P_\mu(\tau)``).
"""
from __future__ import annotations

import re


def infer_behaviour(front: dict, masked: str):
    """("behaviour", "\\mu" or "\\beta", description) when the prose names a behaviour policy the math uses."""
    from ..read_latex.reading import behaviour_from_prose

    if "behaviour" in front or "behavior" in front:
        return None
    name = behaviour_from_prose(masked)
    if name is None:
        return None
    return ("behaviour", name, f"inferred: behaviour: {name} (the prose says \"behaviour policy\" and the file writes "
                               f"{name}(a|s)): {name} is the policy that drew the data")




# Sutton & Barto 2018, sec. 3.1: S_0, A_0, R_1, S_1, A_1, R_2, ...: the reward R_{t+1} follows A_t
_SB_STATE = re.compile(r"(?<![A-Za-z\\{])S\s*\\?_\s*(?:\{\s*)?t(?![A-Za-z])")
_SB_REWARD = re.compile(r"(?<![A-Za-z\\{])R\s*\\?_\s*\{\s*t\s*\+\s*1\s*\}")
# S&B eq. 3.8 / Silver lecture 2: G_t = R_{t+1} + \gamma R_{t+2} + ... = \sum_k \gamma^k R_{t+k+1} (capital G_t, no S_t)
_SB_RETURN = re.compile(r"(?<![A-Za-z\\{])G\s*_\s*(?:\{\s*)?t(?![A-Za-z])")
_SB_REWARD_K = re.compile(r"(?<![A-Za-z\\{])R\s*\\?_\s*\{\s*t\s*\+\s*(?:[kl]\s*\+\s*)?1\s*\}")
_LOWER_REWARD = re.compile(r"(?<![A-Za-z\\{])r\s*\\?_\s*(?:\{|\w)")


def sutton_barto_reward_index(masked: str):
    r"""("reward-index", "t+1", description) when the file writes Sutton & Barto's capital S_t and R_{t+1} and no
    lower-case r_t (whose reading the convention would change): R_{t+1} is derive's r_t, stated, never silent."""
    if _LOWER_REWARD.search(masked):
        return None
    if not (_SB_STATE.search(masked) and _SB_REWARD.search(masked)):
        m = _SB_REWARD_K.search(masked) if _SB_RETURN.search(masked) else None
        if m is None:
            return None
        line = masked.count("\n", 0, m.start()) + 1
        return ("reward-index", "t+1", f"inferred: reward-index: t+1 (the file writes the return G_t with Sutton & "
                                       f"Barto's capital R_{{t+1}}, line {line}: G_t = R_{{t+1}} + \\gamma R_{{t+2}} + "
                                       "..., R_{t+1} follows A_t, derive's r_t; Sutton & Barto 2018, eq. 3.8)")
    m = _SB_REWARD.search(masked)
    line = masked.count("\n", 0, m.start()) + 1
    return ("reward-index", "t+1", f"inferred: reward-index: t+1 (the file writes Sutton & Barto's capital S_t and "
                                   f"R_{{t+1}}, line {line}: R_{{t+1}} follows A_t, derive's r_t; Sutton & Barto 2018, "
                                   "sec. 3.1)")


__all__ = ["infer_behaviour", "sutton_barto_reward_index"]
