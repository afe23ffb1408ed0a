"""A language model's notation, recognised when the file does not state ``family: token`` (issue 10, R2).

DPO (Rafailov et al. 2023), RLHF notes and GRPO write a language model as a policy over responses,
``\\pi_\\theta(y \\mid x)``, or over the tokens of an output, ``\\pi_\\theta(o_{i,t} \\mid q, o_{i,<t})``; such a
file is about derive's token MDP (docs/conventions.md), whether or not its front matter says so.
A file that writes one of these and never an MDP's trajectory (``s_t``, ``a_t``, ``\\tau``, ``S_t``,
``A_t``) is read with ``family: token``, stated on its ``conventions:`` line as inferred.
"""
from __future__ import annotations

import re

_POLICY = r"\\pi\s*(?:_\s*(?:\{[^{}]{0,40}\}|\\?\w+)|\^\s*(?:\{[^{}]{0,10}\}|\*))*\s*(?:\\left\s*)?\("
_GIVEN = r"\s*(?:\||\\mid|\\vert)\s*"
_RESPONSE = re.compile(_POLICY + r"\s*y\s*(?:_\s*(?:\{\s*[wl12]\s*\}|[wl12]))?" + _GIVEN + r"x\s*(?:\\right\s*)?\)")
_TOKEN = re.compile(_POLICY + r"\s*o\s*_\s*\{\s*\w\s*,\s*\w\s*\}" + _GIVEN + r"q\s*,")
_MDP = re.compile(r"(?<![A-Za-z\\])[saSA]\s*_\s*(?:\{\s*t|t(?![A-Za-z]))|\\tau(?![A-Za-z])|τ")


def infer_token_family(front: dict, masked: str):
    """("family", "token", description) when the file writes a language model's notation only, else None."""
    if "family" in front or _MDP.search(masked):
        return None
    m = _RESPONSE.search(masked) or _TOKEN.search(masked)
    if m is None:
        return None
    line = masked.count("\n", 0, m.start()) + 1
    return ("family", "token", f"inferred: family: token (the file writes {m.group(0).strip()[:40]} at line {line}, "
                               "a language model's response to a prompt, and no MDP trajectory s_t, a_t, \\tau)")


# GRPO's group of G completions of one prompt, as the file introduces it: {a_1, a_2, ..., a_G}, a_1, \ldots, a_G,
# \{a_i\}_{i=1}^G (RLHF book ch. 6; Shao et al. 2024, eq. 3 writes outputs o_i: G token sequences, not read)
_DOTS = r"(?:\\[lc]?dots|\\dotsc|\.\.\.|…)"
_GROUP_LIST = re.compile(r"(?<![A-Za-z\\])([ao])\s*_\s*(?:1|\{\s*1\s*\})\s*,\s*(?:\1\s*_\s*(?:2|\{\s*2\s*\})\s*,\s*)?"
                         + _DOTS + r"\s*,\s*\1\s*_\s*(?:G|\{\s*G\s*\})(?![A-Za-z])")
_GROUP_SET = re.compile(r"\\\{\s*([ao])\s*_\s*(?:i|\{\s*i\s*\})\s*\\\}\s*_\s*\{\s*i\s*=\s*1\s*\}\s*\^\s*(?:G|\{\s*G\s*\})")
_MATH_G = r"(?:\$\s*G\s*\$|\\\\?\(\s*G\s*\\\\?\)|G)"  # G, $G$, \( G \), \\( G \\) (HF doc-builder Markdown)
_GROUP_PROSE = re.compile(r"\b(?:group\s+of|each\s+of\s+the)\s+" + _MATH_G
                          + r"\s+(?:outputs|completions|responses|samples|sequences)\b"
                          r"|\$?\s*G\s*\$?\s*个\s*(?:输出|回答|回复|响应|样本|采样)", re.I)
INFERRED_GROUP = 3  # G for a file whose G is a letter: judged for G = 3 (2 <= G <= read_latex MAX_GROUP = 4)


def infer_group(front: dict, masked: str):
    """("group", "3", description) when the file introduces GRPO's group of G completions a_1..a_G of one prompt
    and states no group size, else None (read_latex/notation_grpo_group.py, group_free_index.py)."""
    if "group" in front:
        return None
    m = _GROUP_LIST.search(masked) or _GROUP_SET.search(masked) or _GROUP_PROSE.search(masked)
    if m is None:
        return None
    line = masked.count("\n", 0, m.start()) + 1
    outputs = "" if m.re is not _GROUP_PROSE and m.group(1) == "a" else (
        "; its outputs o_i are read as the completions a_i: r_i, \\hat{A}_i, mean and std of the rewards, G are "
        "read, the tokens o_{i,t} of the G outputs and their lengths |o_i| are not")
    return ("group", str(INFERRED_GROUP),
            f"inferred: group: {INFERRED_GROUP} (the file introduces a group of G completions of one prompt s at "
            f"line {line}, \"{m.group(0).strip()[:40]}\", GRPO's group, Shao et al. 2024, eq. 3; "
            f"its G is a letter, so every statement about the group is judged for G = {INFERRED_GROUP} only{outputs})")


# GRPO's advantage defined under the name A_i (RLHF book ch. 6, eq. GRPO_ADV): A_i = \frac{r_i - \text{mean}(...)}{...}
_TEXT = r"\\(?:text|mathrm|operatorname|textrm)\s*\{\s*"
_ADVANTAGE = re.compile(r"(?<![A-Za-z\\])A\s*_\s*(?:\{\s*i\s*\}|i)\s*(?::=|=|\\coloneqq|\\doteq|\\triangleq)\s*"
                        r"\\frac\s*\{\s*r\s*_\s*(?:\{\s*i\s*\}|i)\s*-\s*" + _TEXT + r"mean\s*\}.{0,80}?\}\s*\{\s*"
                        + _TEXT + r"std\s*\}")


def infer_advantage(front: dict, masked: str):
    """("advantage", "group", description) when a file with a group of G completions defines A_i as GRPO's
    group-normalised advantage, A_i = (r_i - mean(r_1..r_G)) / std(r_1..r_G), else None
    (read_latex/notation_group_advantage.py)."""
    if "advantage" in front or "group" not in front:
        return None
    m = _ADVANTAGE.search(masked)
    if m is None:
        return None
    line = masked.count("\n", 0, m.start()) + 1
    return ("advantage", "group", f"inferred: advantage: group (the file defines A_i as GRPO's group-normalised "
                                  f"advantage at line {line}, \"{m.group(0).strip()[:40]}...\", Shao et al. 2024, "
                                  f"sec. 4.1.2): A_i is read as \\hat{{A}}_i everywhere in the file, before that line too")


__all__ = ["infer_token_family", "infer_group", "infer_advantage"]
