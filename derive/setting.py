"""The setting a statement or a derivation is judged in: one value, built once.

A setting says which class of MDPs the exact, symbolic and Monte Carlo checks draw (derive/mdp.py):

* ``horizon``: ``finite`` (T steps, t = 0..T-1), ``discounted`` (infinite horizon, 0 <= gamma < 1)
  or ``episodic`` (undiscounted with termination, derive/episodic.py);
* ``gamma``: a fixed discount (``None``: drawn per instance); ``gamma = 1`` is the undiscounted
  finite-horizon case of Spinning Up and of language models;
* ``family``: ``random`` MDPs or ``token`` MDPs (a language model: the state is the prefix,
  ``mdp.token_instance``);
* ``start``: ``random`` rho_0 or ``fixed`` (rho_0 = delta_{s_0}, Sutton & Barto 2018, sec. 13.2, eq. 13.4);
* ``reward``: ``transition`` rewards R(s, a, s') or ``state`` rewards r(s) (TRPO, Schulman et al.
  2015, sec. 2: "r: S -> R").

It is built from a derivation's front matter (``Setting.from_front``) or from the text of a catalog
entry's ``setting:`` line (``Setting.parse``), e.g. ``"finite; gamma=1; family=token"``.
``str(setting)`` is the canonical text (the horizon, then ``gamma=``, ``family=``, ``start=``,
``reward=`` when they differ from the default), the form JSON reports and caches have always used.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from fractions import Fraction

HORIZONS = ("finite", "discounted", "episodic")
OPTIONS = {  # option -> (its default, the values it may take)
    "family": ("random", ("random", "token")),
    "start": ("random", ("random", "fixed")),
    "reward": ("transition", ("transition", "state", "state-action")),
}
_GAMMA_TEXT = re.compile(r"^[+-]?(\d+/\d+|(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?)$")  # bounded before Fraction()
MAX_SETTING = 200


@dataclass(frozen=True)
class Setting:
    """A class of MDPs: horizon, fixed discount, family, start distribution, reward form (module docstring)."""

    horizon: str = "finite"
    gamma: Fraction | None = None
    family: str = "random"
    start: str = "random"
    reward: str = "transition"

    def __post_init__(self):
        if self.horizon not in HORIZONS:
            raise ValueError(f"unknown setting {self.horizon!r}")
        for key, (_, allowed) in OPTIONS.items():
            if getattr(self, key) not in allowed:
                raise ValueError(f"unknown setting option '{key}={getattr(self, key)}'")
        if self.gamma is not None:
            object.__setattr__(self, "gamma", Fraction(self.gamma))
        if self.horizon == "episodic" and self.reward in ("state", "state-action"):
            # derive/episodic.py pays 0 on the transitions that end an episode, while r(s) is paid in every state
            raise ValueError("the episodic setting with state rewards r(s) is not supported: an episode's last "
                             "transition would pay 0 instead of r(s); write the rewards R(s, a, s')")
        if self.horizon == "episodic":  # undiscounted with termination (derive/episodic.py)
            if self.gamma is not None and self.gamma != 1:
                raise ValueError("the episodic setting is undiscounted: gamma = 1")
        elif self.gamma is not None and (not 0 <= self.gamma <= 1 or (self.horizon == "discounted"
                                                                     and self.gamma == 1)):
            raise ValueError(f"gamma must lie in [0, 1] (and be < 1 when discounted), not {self.gamma}")

    @classmethod
    def parse(cls, text: str) -> "Setting":
        """A catalog entry's ``setting:`` text: ``'finite; gamma=1; family=token'`` (options in any order).

        Raises ``ValueError`` on an unknown horizon, option or value, a gamma outside [0, 1] (or 1 when
        discounted), and the episodic setting with state rewards."""
        if not isinstance(text, str) or len(text) > MAX_SETTING:
            raise ValueError(f"unknown setting {str(text)[:60]!r}")
        parts = [p.strip() for p in text.split(";")]
        if parts[0] not in HORIZONS:
            raise ValueError(f"unknown setting {text!r}")
        fields = {}
        for part in parts[1:]:
            key, _, value = part.partition("=")
            key, value = key.strip(), value.strip()
            if key != "gamma" and key not in OPTIONS:
                raise ValueError(f"unknown setting option {part!r}")
            if key == "gamma":
                if not _GAMMA_TEXT.match(value) or len(value) > 20:
                    raise ValueError(f"gamma must be a number such as 1, 0.9 or 1/2, not {value!r}")
                try:
                    fields["gamma"] = Fraction(value)
                except ZeroDivisionError:
                    raise ValueError(f"gamma must be a number such as 1, 0.9 or 1/2, not {value!r}") from None
            else:
                fields[key] = value
        return cls(parts[0], **fields)

    @classmethod
    def from_front(cls, front: dict) -> "Setting":
        """The setting of a derivation's front matter (read_markdown/front_matter.py, after conventions.py's
        inferences): keys ``setting``, ``gamma``, ``family``, ``start``, ``reward``."""
        gamma = front.get("gamma")
        return cls(front.get("setting", "finite"), None if gamma is None else Fraction(str(gamma)),
                   **{key: front.get(key) or default for key, (default, _) in OPTIONS.items()})

    @classmethod
    def of(cls, setting) -> "Setting":
        """``setting`` itself, or the parse of its text."""
        return setting if isinstance(setting, Setting) else cls.parse(setting)

    def with_(self, **changes) -> "Setting":
        """The same setting with some fields changed (validated again), e.g. ``with_(gamma=1)``."""
        return replace(self, **changes)

    @property
    def discount(self):
        """The fixed discount the instances use: ``gamma``, 1 when episodic, ``None`` when drawn per instance."""
        return Fraction(1) if self.horizon == "episodic" else self.gamma

    def __str__(self) -> str:
        text = self.horizon
        if self.gamma is not None:
            text += f"; gamma={self.gamma}"
        for key, (default, _) in OPTIONS.items():
            if getattr(self, key) != default:
                text += f"; {key}={getattr(self, key)}"
        return text


__all__ = ["Setting", "HORIZONS", "OPTIONS"]
