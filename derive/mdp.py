"""Finite MDPs and the random instances identities are checked on.

An ``Instance`` is everything an expression can refer to: the MDP (states,
actions, rho_0, P(s'|s,a), R(s,a,s'), gamma, horizon T or None for the infinite
discounted setting), three tabular softmax policies (``theta``, ``old``,
``prime``), the parameters lambda, epsilon, beta, c_1, c_2, a finite sample
space X with point values for free distributions, and a seed from which free
functions (V(s), b(s), f(x)) and free distributions (p(x), q(x)) are drawn
on first use.

All numbers are exact ``Fraction``s.  Softmax policies are stored as their
probabilities (strictly positive); theta itself is never needed because the
score function d log pi(a|s) / d theta[s', b] = [s = s'] ([a = b] - pi(b|s)) is
a rational function of the probabilities.
"""
from __future__ import annotations

import random
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction

from .setting import OPTIONS, Setting

F = Fraction


@dataclass
class Instance:
    n_states: int
    n_actions: int
    rho0: list
    P: list  # P[s][a][s']
    R: list  # R[s][a][s']
    gamma: Fraction
    horizon: int | None  # None: infinite horizon, discounted
    policies: dict  # name -> [s][a]
    params: dict  # lambda, epsilon, beta, c_1, c_2
    points: list  # numeric value of each point of X
    seed: int
    label: str = ""
    free_functions: dict = field(default_factory=dict)
    free_dists: dict = field(default_factory=dict)
    full_support: bool = True
    fixed_start: bool = False  # rho0 = delta_{s_0} and a free s_0 is that state (front matter start: fixed)
    state_rewards: bool = False  # R(s, a, s') = r(s) (front matter reward: state; with_state_rewards)
    state_action_rewards: bool = False  # R(s, a, s') = r(s, a) (reward: state-action; with_state_action_rewards)
    episodic: bool = False  # gamma = 1, P substochastic: the rest of each row ends the episode (derive/episodic.py)
    cache: dict = field(default_factory=dict, repr=False, compare=False)
    # the free objects one statement's evaluation used (set by record_free_objects; None: not recording)
    used: set | None = field(default=None, repr=False, compare=False)

    @contextmanager
    def recording(self):
        """Within: remember which free objects are used, so that describe() lists only those."""
        saved, self.used = self.used, set()
        try:
            yield self
        finally:
            self.used = saved

    def note_used(self, key) -> None:
        if self.used is not None:
            self.used.add(key)

    # ----------------------------------------------------------- free objects
    def free_function(self, name: str, shape: tuple) -> list:
        """The table of an arbitrary function (drawn once per name and shape)."""
        key = (name, shape)
        self.note_used(key)
        if key not in self.free_functions:
            rng = random.Random(self.seed * 7919 + zlib.crc32(repr(key).encode()))
            count = 1
            for n in shape:
                count *= n
            flat = [F(rng.randint(-6, 6), rng.choice([1, 1, 2, 3])) for _ in range(count)]
            self.free_functions[key] = _reshape(flat, shape)
        return self.free_functions[key]

    def free_dist(self, name: str) -> list:
        """A distribution on X (strictly positive unless full_support is False)."""
        self.note_used(name)
        if name not in self.free_dists:
            rng = random.Random(self.seed * 104729 + zlib.crc32(name.encode()))
            lo = 1 if self.full_support else 0
            weights = [rng.randint(lo, 5) for _ in self.points]
            if sum(weights) == 0:
                weights[0] = 1
            self.free_dists[name] = [F(w, sum(weights)) for w in weights]
        return self.free_dists[name]

    # ------------------------------------------------------------- describing
    @property
    def size(self) -> tuple:
        return (self.n_states * self.n_actions * (self.horizon or 1), self.n_states, self.n_actions, self.horizon or 0)

    def describe(self) -> dict:
        """A JSON-ready description (fractions as strings) for counterexamples.

        While recording (``used`` is a set), only the free functions and distributions the statement's
        evaluation used are listed: an instance draws each free object once, lazily, and keeps it, so a
        worker that judged other statements first holds more of them; the same statement then prints the
        same bytes whatever was judged before it, in whichever worker."""
        def fr(x):
            if isinstance(x, list):
                return [fr(y) for y in x]
            return str(x)

        out = {
            "label": self.label,
            "seed": self.seed,
            "states": self.n_states,
            "actions": self.n_actions,
            "horizon": self.horizon if self.horizon is not None else
            ("infinite (episodic: P[s][a] sums to 1 - q(s,a), the rest ends the episode)" if self.episodic
             else "infinite (discounted)"),
            "gamma": fr(self.gamma),
            "rho0": fr(self.rho0),
            "P[s][a][s']": fr(self.P),
            "R[s][a][s']": fr(self.R),
            "policies": {k: fr(v) for k, v in self.policies.items()},
            "params": {k: fr(v) for k, v in self.params.items()},
        }
        def shown(key):
            return self.used is None or key in self.used

        functions = {k: v for k, v in self.free_functions.items() if shown(k)}
        dists = {k: v for k, v in self.free_dists.items() if shown(k)}
        if functions:
            out["free functions"] = {f"{k[0]}{list(k[1])}": fr(v) for k, v in sorted(functions.items())}
        if dists:
            out["X"] = fr(self.points)
            out["free distributions"] = {k: fr(v) for k, v in sorted(dists.items())}
        return out


def _reshape(flat, shape):
    if not shape:
        return flat[0]
    step = len(flat) // shape[0]
    return [_reshape(flat[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]


# --------------------------------------------------------------- generation


def _simplex(rng, n, zeros=False, deterministic=False):
    if deterministic:
        hot = rng.randrange(n)
        return [F(int(i == hot)) for i in range(n)]
    lo = 0 if zeros else 1
    w = [rng.randint(lo, 4) for _ in range(n)]
    if zeros and n > 1 and 0 not in w:
        w[rng.randrange(n)] = 0
    if sum(w) == 0:
        w[rng.randrange(n)] = 1
    total = sum(w)
    return [F(x, total) for x in w]


def _policy(rng, n_states, n_actions):
    # A softmax policy has full support; its probabilities are drawn rational.
    return [_simplex(rng, n_actions) for _ in range(n_states)]


def random_instance(seed: int, n_states: int, n_actions: int, horizon: int | None,
                    flavour: str = "plain", n_points: int = 3, full_support: bool = True) -> Instance:
    """A seeded random instance; ``flavour`` picks a degenerate case to include."""
    rng = random.Random(seed)
    zeros = flavour == "zero-branches"
    det = flavour == "deterministic"
    rho0 = _simplex(rng, n_states, zeros=zeros)
    P = [[_simplex(rng, n_states, zeros=zeros, deterministic=det) for _ in range(n_actions)] for _ in range(n_states)]
    R = [[[F(rng.randint(-3, 4), rng.choice([1, 1, 2])) for _ in range(n_states)] for _ in range(n_actions)]
         for _ in range(n_states)]
    if flavour == "gamma0":
        gamma = F(0)
    elif flavour == "gamma1" and horizon is not None:
        gamma = F(1)
    else:
        gamma = rng.choice([F(1, 2), F(2, 3), F(3, 4), F(9, 10), F(1, 3)])
    policies = {name: _policy(rng, n_states, n_actions) for name in ("theta", "old", "prime")}
    params = {
        "lambda": rng.choice([F(0), F(1), F(1, 2), F(1, 3), F(3, 4), F(9, 10)]),
        "epsilon": rng.choice([F(1, 5), F(1, 10), F(3, 10)]),
        "beta": rng.choice([F(1, 2), F(1), F(2)]),
        "c_1": rng.choice([F(1, 2), F(1)]),
        "c_2": rng.choice([F(1, 100), F(1, 10)]),
    }
    points = sorted({F(rng.randint(-4, 6), rng.choice([1, 2])) for _ in range(n_points)})
    while len(points) < n_points:
        points.append(points[-1] + 1)
    label = f"{n_states} states, {n_actions} actions, " + (f"T = {horizon}" if horizon is not None else "discounted")
    label += f", gamma = {gamma}" + ("" if flavour == "plain" else f" ({flavour})")
    return Instance(n_states, n_actions, rho0, P, R, gamma, horizon, policies, params, points, seed, label,
                    full_support=full_support)


# (states, actions, horizon, flavour): small first, so the first counterexample is the smallest.
FINITE_SCHEDULE = [
    (1, 1, 1, "plain"), (1, 2, 1, "gamma0"), (2, 1, 1, "plain"), (1, 2, 2, "gamma1"),
    (2, 2, 1, "zero-branches"), (2, 1, 2, "deterministic"), (2, 2, 2, "plain"), (2, 2, 2, "gamma1"),
    (1, 3, 3, "plain"), (3, 1, 2, "zero-branches"), (2, 2, 2, "gamma0"), (2, 3, 2, "plain"),
    (3, 2, 2, "deterministic"), (2, 2, 3, "plain"), (3, 3, 1, "plain"), (2, 2, 3, "zero-branches"),
    (3, 2, 2, "gamma1"), (2, 3, 2, "zero-branches"), (1, 2, 4, "plain"), (2, 2, 4, "plain"),
    (3, 2, 3, "plain"), (3, 3, 2, "plain"),
]
DISCOUNTED_SCHEDULE = [
    (1, 1, None, "plain"), (1, 2, None, "gamma0"), (2, 1, None, "plain"), (2, 2, None, "zero-branches"),
    (2, 1, None, "deterministic"), (2, 2, None, "plain"), (1, 3, None, "plain"), (3, 1, None, "zero-branches"),
    (2, 2, None, "gamma0"), (2, 3, None, "plain"), (3, 2, None, "deterministic"), (2, 2, None, "plain"),
    (3, 3, None, "plain"), (2, 3, None, "zero-branches"), (3, 2, None, "plain"), (3, 2, None, "plain"),
    (2, 2, None, "deterministic"), (3, 3, None, "zero-branches"), (1, 2, None, "plain"), (3, 3, None, "plain"),
    (2, 3, None, "plain"), (3, 2, None, "gamma0"),
]


def setting_options(setting) -> tuple:
    """'finite; gamma=1; family=token' -> ('finite', {'gamma': '1', 'family': 'token'}): the options that differ
    from their defaults (derive/setting.py validates them; raises ``ValueError`` on an unknown one)."""
    s = Setting.of(setting)
    options = {} if s.gamma is None else {"gamma": str(s.gamma)}
    options.update({key: getattr(s, key) for key, (default, _) in OPTIONS.items() if getattr(s, key) != default})
    return s.horizon, options


def parse_setting(setting) -> tuple:
    """'finite' | 'discounted' | 'episodic', with its fixed discount: 'finite; gamma=1' -> ('finite', Fraction(1)),
    'discounted' -> ('discounted', None), 'episodic' -> ('episodic', Fraction(1)) (derive/setting.py)."""
    s = Setting.of(setting)
    return s.horizon, s.discount


def token_instance(seed: int, vocab: int, length: int) -> Instance:
    """A language model as an MDP: the state is the prefix, a token is an action, transitions are deterministic.

    States are the prefixes of length 0..L (index 0 is the empty prefix, rho_0 = [empty]); action a
    appends token a; the reward R(s, a, s') = f(s') is paid when s' is a full sequence (length L),
    0 otherwise; gamma = 1 and the horizon is T = L.  Policies are softmax tables over the vocabulary
    for every prefix (an autoregressive policy pi(y_t | y_<t)).
    """
    rng = random.Random(seed)
    prefixes = [()]
    for n in range(1, length + 1):
        prefixes += [p + (a,) for p in prefixes if len(p) == n - 1 for a in range(vocab)]
    index = {p: i for i, p in enumerate(prefixes)}
    S = len(prefixes)
    rho0 = [F(int(i == 0)) for i in range(S)]
    P, R = [], []
    for p in prefixes:
        prow, rrow = [], []
        for a in range(vocab):
            nxt = p + (a,) if len(p) < length else p  # a full sequence is absorbing (never reached before T)
            prow.append([F(int(j == index[nxt])) for j in range(S)])
            final = F(rng.randint(-3, 4), rng.choice([1, 2])) if len(nxt) == length else F(0)
            rrow.append([final if j == index[nxt] else F(0) for j in range(S)])
        P.append(prow)
        R.append(rrow)
    policies = {name: _policy(rng, S, vocab) for name in ("theta", "old", "prime")}
    params = {"lambda": rng.choice([F(0), F(1), F(1, 2), F(3, 4)]), "epsilon": F(1, 5), "beta": F(1, 2),
              "c_1": F(1, 2), "c_2": F(1, 100)}
    label = f"token MDP: vocabulary {vocab}, length {length} ({S} prefixes), gamma = 1"
    return Instance(S, vocab, rho0, P, R, F(1), length, policies, params, [F(0), F(1), F(2)], seed, label)


TOKEN_SCHEDULE = [(2, 1), (2, 2), (2, 2), (3, 1), (2, 2), (3, 2), (2, 2), (3, 2), (2, 2), (3, 2)]


def with_fixed_start(inst: Instance) -> Instance:
    """The same instance with a point-mass start distribution rho0 = delta_{s_0} (s_0 = state 0).

    Sutton & Barto 2018, sec. 13.2: "every episode starts in some particular (non-random) state s_0",
    so J(theta) = v_{pi_theta}(s_0) (eq. 13.4).  Front matter ``start: fixed``.
    """
    from dataclasses import replace

    rho0 = [F(int(i == 0)) for i in range(inst.n_states)]
    return replace(inst, rho0=rho0, label=inst.label + ", fixed start s_0 = 0", fixed_start=True, free_functions={},
                   free_dists={}, cache={})


def with_state_rewards(inst: Instance) -> Instance:
    """The same instance with rewards of the state alone: R(s, a, s') = r(s) = R[s][0][0] of the seeded table.

    TRPO (Schulman et al. 2015, sec. 2: "r: S -> R is the reward function") and many lecture notes write r(s);
    such a file is judged on this class of MDPs only (front matter ``reward: state``, or inferred when the file
    writes r(s) and never a reward of an action; read_markdown/conventions.py)."""
    from dataclasses import replace

    R = [[[inst.R[s][0][0] for _ in range(inst.n_states)] for _ in range(inst.n_actions)] for s in range(inst.n_states)]
    return replace(inst, R=R, label=inst.label + ", state rewards r(s)", state_rewards=True, free_functions={},
                   free_dists={}, cache={})


def with_state_action_rewards(inst: Instance) -> Instance:
    """The same instance with rewards of the state and action alone: R(s, a, s') = r(s, a) = R[s][a][0] of the seeded
    table, whatever the next state.

    Levine's CS285 notes, Spinning Up's r(s_t, a_t) and many posts define the reward as r: S x A -> R and the return
    as R(tau) = sum_t r(s_t, a_t), an identity on every path only when the reward does not depend on s'; such a
    file is judged on this class of MDPs (front matter ``reward: state-action``, or inferred when the file writes
    r(s, a) and never a reward of the next state; read_markdown/conventions.py)."""
    from dataclasses import replace

    R = [[[inst.R[s][a][0] for _ in range(inst.n_states)] for a in range(inst.n_actions)] for s in range(inst.n_states)]
    return replace(inst, R=R, label=inst.label + ", rewards r(s, a)", state_action_rewards=True, free_functions={},
                   free_dists={}, cache={})


def with_rewards(inst: Instance, reward: str) -> Instance:
    """The instance with the reward form a setting names: transition (as drawn), state or state-action."""
    if reward == "state":
        return with_state_rewards(inst)
    return with_state_action_rewards(inst) if reward == "state-action" else inst


def with_gamma(inst: Instance, gamma) -> Instance:
    """The same instance with its discount fixed (a fresh cache)."""
    from dataclasses import replace

    label = inst.label.split(", gamma")[0] + f", gamma = {gamma} (fixed)"
    return replace(inst, gamma=Fraction(gamma), label=label, free_functions={}, free_dists={}, cache={})


def instances(setting: str, seed: int = 0, count: int | None = None, full_support: bool = True) -> list:
    """The seeded list of random instances for a setting ('finite', 'discounted', or with '; gamma=G')."""
    given = Setting.of(setting)
    if given.family == "token":
        return [token_instance(seed * 1000 + i, v, n) for i, (v, n) in enumerate(TOKEN_SCHEDULE)]
    setting, fixed_gamma = given.horizon, given.discount
    schedule = FINITE_SCHEDULE if setting == "finite" else DISCOUNTED_SCHEDULE
    if count is not None:
        reps = (count + len(schedule) - 1) // len(schedule)
        schedule = (schedule * reps)[:count]
    out = []
    for i, (ns, na, h, flavour) in enumerate(schedule):
        inst = random_instance(seed * 1000 + i, ns, na, h, flavour, full_support=full_support)
        if setting == "episodic":
            from .episodic import episodic_instance

            inst = episodic_instance(inst)
        else:
            inst = inst if fixed_gamma is None else with_gamma(inst, fixed_gamma)
        inst = with_rewards(inst, given.reward)
        out.append(with_fixed_start(inst) if given.start == "fixed" else inst)
    return out


def fixed_start(setting) -> bool:
    """Whether a setting says ``start=fixed`` (front matter ``start: fixed``)."""
    return Setting.of(setting).start == "fixed"
