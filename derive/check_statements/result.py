"""Verdicts of the verification methods."""
from __future__ import annotations

from dataclasses import dataclass, field

# What a method can say.  "holds" and "fails" are checked claims; the others say
# honestly that no claim was made.
HOLDS = "holds"
FAILS = "fails"
NOT_ATTEMPTED = "not attempted"
TIMED_OUT = "timed out"
NA = "n/a"
STATUSES = (HOLDS, FAILS, NOT_ATTEMPTED, TIMED_OUT, NA)


@dataclass
class MethodResult:
    status: str
    detail: str = ""
    data: dict = field(default_factory=dict)  # machine-readable extras (counterexample, z-scores)

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(self.status)

    def text(self) -> str:
        return f"{self.status}: {self.detail}" if self.detail else self.status


def combine(methods: dict) -> str:
    """The overall verdict on a statement from its methods' verdicts.

    fails if any method found a counterexample; holds if the exact method holds
    and no other method fails; unknown otherwise.
    """
    statuses = [m.status for m in methods.values()]
    if FAILS in statuses:
        return "fails"
    exact = methods.get("exact")
    if exact is not None and exact.status == HOLDS:
        return "holds"
    return "unknown"
