"""The nodes of derive's expression language.

Every RL quantity is a SymPy ``Function`` subclass that prints as the LaTeX a
textbook would use and that the one evaluator (:mod:`derive.engine.evaluate`)
knows how to evaluate on an instance.  Ordinary algebra (``+``, ``*``, powers,
``log``, ``exp``, ``Min``, ``Max``, ``Sum``, ``Product``) is SymPy's own.

Conventions (docs/conventions.md holds the full text):

* trajectory ``tau = (s_0, a_0, r_0, ..., s_{T-1}, a_{T-1}, r_{T-1}, s_T)``,
* ``r_t = R(s_t, a_t, s_{t+1})``,
* ``R(tau) = sum_{t=0}^{T-1} gamma^t r_t`` (gamma = 1 gives the T-step return),
* ``G_t = sum_{t'=t}^{T-1} gamma^{t'-t} r_{t'}``,
* every value function is 0 at the final state ``s_T`` of a finite horizon.

Policies are named by strings: ``theta`` (pi_theta, the one ``nabla_theta``
differentiates), ``old`` (pi_{theta_old}) and ``prime`` (pi').
"""
from __future__ import annotations

from sympy import Function, Integer, S
from sympy.core.symbol import Str

from .symbols import T, gamma, lam

POLICY_LATEX = {
    "theta": r"\pi_{\theta}",
    "old": r"\pi_{\theta_{\text{old}}}",
    "prime": r"\pi'",
    "star": r"\pi_{*}",  # an optimal policy: greedy w.r.t. Q*, ties split evenly (derive/engine/optimal.py)
    "greedy": r"\pi_{\text{greedy}}",  # greedy w.r.t. Q^{pi_theta}, ties split evenly (policy improvement)
}

NOTIME = Str("-")  # time argument of a stationary (discounted) value function


def pol(name: str) -> Str:
    if name not in POLICY_LATEX:
        raise ValueError(f"unknown policy {name!r}")
    return Str(name)


def _p(printer, e) -> str:
    return printer._print(e)


class Node(Function):
    """Base class: an unevaluated function with a textbook LaTeX form.

    Nodes are declared real so that SymPy's Min and Max accept them; a gradient
    is a vector of reals and is compared component by component.
    """

    is_real = True
    is_extended_real = True

    @classmethod
    def eval(cls, *args):
        """SymPy's construction hook, not Python's eval: it receives already-built SymPy arguments.

        Returning None keeps every node unevaluated.  No text ever reaches it: the
        LaTeX reader builds nodes from its parse tree with constructors only.
        """
        return None

    def tex(self, printer) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def _latex(self, printer, exp=None):
        body = self.tex(printer)
        if exp is not None:
            return r"\left(%s\right)^{%s}" % (body, exp)
        return body



# ---------------------------------------------------------------- the MDP


class Pi(Node):
    """pi_pol(a|s): probability of action a in state s under a policy."""

    nargs = 3

    def tex(self, p):
        name, act, st = self.args
        return r"%s(%s \mid %s)" % (POLICY_LATEX[name.name], _p(p, act), _p(p, st))


class Trans(Node):
    """P(s'|s,a): transition probability."""

    nargs = 3

    def tex(self, p):
        nxt, st, act = self.args
        return r"P(%s \mid %s, %s)" % (_p(p, nxt), _p(p, st), _p(p, act))


class Rho0(Node):
    """rho_0(s): initial state distribution."""

    nargs = 1

    def tex(self, p):
        return r"\rho_0(%s)" % _p(p, self.args[0])


class Rew(Node):
    """R(s, a, s'): reward of a transition."""

    nargs = 3

    def tex(self, p):
        return "R(%s, %s, %s)" % tuple(_p(p, x) for x in self.args)


class St(Node):
    """s_t: the state at time t of the trajectory in scope."""

    nargs = 1

    def tex(self, p):
        return "s_{%s}" % _p(p, self.args[0])


class At(Node):
    """a_t: the action at time t of the trajectory in scope."""

    nargs = 1

    def tex(self, p):
        return "a_{%s}" % _p(p, self.args[0])


class Rt(Node):
    """r_t = R(s_t, a_t, s_{t+1})."""

    nargs = 1

    def tex(self, p):
        return "r_{%s}" % _p(p, self.args[0])

    def definition(self):
        u = self.args[0]
        return Rew(St(u), At(u), St(u + 1))


# ---------------------------------------------------------- trajectories


class TrajProb(Node):
    """P(tau | pi) = rho_0(s_0) prod_t pi(a_t|s_t) P(s_{t+1}|s_t,a_t)."""

    nargs = 1

    def tex(self, p):
        name = self.args[0].name
        return r"P(\tau \mid \theta)" if name == "theta" else r"P(\tau \mid %s)" % POLICY_LATEX[name]


class TrajReturn(Node):
    """R(tau) = sum_{t=0}^{T-1} gamma^t r_t (gamma = 1: the T-step return)."""

    nargs = 0

    def tex(self, p):
        return r"R(\tau)"

    def definition(self):
        from sympy import Dummy, Sum

        u = Dummy("t", integer=True)
        return Sum(gamma**u * Rt(u), (u, 0, T - 1))


class Ret(Node):
    """G_t = sum_{t'=t}^{T-1} gamma^{t'-t} r_{t'}: the (discounted) return from t."""

    nargs = 1

    def tex(self, p):
        return "G_{%s}" % _p(p, self.args[0])

    def definition(self):
        from sympy import Dummy, Sum

        u = self.args[0]
        v = Dummy("t'", integer=True)
        return Sum(gamma ** (v - u) * Rt(v), (v, u, T - 1))


# ------------------------------------------------------- value functions


def _time_sub(t) -> str:
    return "" if t == NOTIME else "_{%s}" % t


class V(Node):
    """V^pi_t(s): expected return from state s at time t (stationary when discounted)."""

    nargs = 3

    def tex(self, p):
        name, st, tm = self.args
        sub = "" if tm == NOTIME else "_{%s}" % _p(p, tm)
        return r"V%s^{%s}(%s)" % (sub, POLICY_LATEX[name.name], _p(p, st))


class Q(Node):
    """Q^pi_t(s, a)."""

    nargs = 4

    def tex(self, p):
        name, st, act, tm = self.args
        sub = "" if tm == NOTIME else "_{%s}" % _p(p, tm)
        return r"Q%s^{%s}(%s, %s)" % (sub, POLICY_LATEX[name.name], _p(p, st), _p(p, act))


class A(Node):
    """A^pi_t(s, a) = Q^pi_t(s, a) - V^pi_t(s)."""

    nargs = 4

    def tex(self, p):
        name, st, act, tm = self.args
        sub = "" if tm == NOTIME else "_{%s}" % _p(p, tm)
        return r"A%s^{%s}(%s, %s)" % (sub, POLICY_LATEX[name.name], _p(p, st), _p(p, act))


class Dpi(Node):
    """d^pi(s): normalised discounted state distribution.

    Discounted: d(s) = (1-gamma) sum_t gamma^t Pr(s_t = s).
    Finite horizon: d(s) = sum_{t<T} gamma^t Pr(s_t = s) / sum_{t<T} gamma^t.
    """

    nargs = 2

    def tex(self, p):
        return r"d^{%s}(%s)" % (POLICY_LATEX[self.args[0].name], _p(p, self.args[1]))


class J(Node):
    """J(pi) = E_{tau ~ pi}[R(tau)]."""

    nargs = 1

    def tex(self, p):
        name = self.args[0].name
        return r"J(\theta)" if name == "theta" else r"J(%s)" % POLICY_LATEX[name]


class VRef(Node):
    """Names a value function used by delta, GAE, ...: the true V^pi or a free V."""

    nargs = 1  # Str: a policy name for the true value, or "free:NAME"

    def tex(self, p):
        ref = self.args[0].name
        if ref.startswith("free:"):
            return ref[5:]
        return r"V^{%s}" % POLICY_LATEX[ref]

    def at(self, state):
        """The expression V(state) this reference stands for."""
        ref = self.args[0].name
        if ref.startswith("free:"):
            return FreeFn(Str(ref[5:]), state)
        if isinstance(state, St):
            return V(Str(ref), state, state.args[0])
        return V(Str(ref), state, NOTIME)


def true_v(policy: str = "theta") -> VRef:
    return VRef(Str(policy))


def free_v(name: str = "V") -> VRef:
    return VRef(Str("free:" + name))


class Delta(Node):
    """delta_t = r_t + gamma V(s_{t+1}) - V(s_t), for the named V."""

    nargs = 2

    def tex(self, p):
        u, ref = self.args
        return r"\delta^{%s}_{%s}" % (_p(p, ref), _p(p, u))

    def definition(self):
        u, ref = self.args
        return Rt(u) + gamma * ref.at(St(u + 1)) - ref.at(St(u))


class KAdv(Node):
    """k-step advantage A_t^(k) = sum_{l=0}^{k-1} gamma^l r_{t+l} + gamma^k V(s_{t+k}) - V(s_t)."""

    nargs = 3

    def tex(self, p):
        kk, u, ref = self.args
        return r"\hat{A}^{(%s)}_{%s}" % (_p(p, kk), _p(p, u))

    def definition(self):
        from sympy import Dummy, Sum

        kk, u, ref = self.args
        v = Dummy("l", integer=True)
        return Sum(gamma**v * Rt(u + v), (v, 0, kk - 1)) + gamma**kk * ref.at(St(u + kk)) - ref.at(St(u))


class GAE(Node):
    """A_t^{GAE(gamma,lambda)} = sum_{l=0}^{T-t-1} (gamma lambda)^l delta_{t+l} (truncated at T)."""

    nargs = 2

    def tex(self, p):
        return r"\hat{A}^{\mathrm{GAE}(\gamma,\lambda)}_{%s}" % _p(p, self.args[0])

    def definition(self):
        from sympy import Dummy, Sum

        u, ref = self.args
        v = Dummy("l", integer=True)
        return Sum((gamma * lam) ** v * Delta(u + v, ref), (v, 0, T - u - 1))


class LamRet(Node):
    """lambda-return G_t^lambda = (1-lambda) sum_{n=1}^{T-t-1} lambda^{n-1} G_t^(n) + lambda^{T-t-1} G_t."""

    nargs = 2

    def tex(self, p):
        return r"G^{\lambda}_{%s}" % _p(p, self.args[0])

    def definition(self):
        from sympy import Dummy, Sum

        u, ref = self.args
        m = Dummy("n", integer=True)
        nstep = KAdv(m, u, ref).definition() + ref.at(St(u))
        return (1 - lam) * Sum(lam ** (m - 1) * nstep, (m, 1, T - u - 1)) + lam ** (T - u - 1) * Ret(u)


# --------------------------------------------------- free functions, dists


class FreeFn(Node):
    """An arbitrary function (V(s), b(s), f(x)), instantiated at random."""

    def tex(self, p):
        return "%s(%s)" % (self.args[0].name, ", ".join(_p(p, x) for x in self.args[1:]))


class FreeProb(Node):
    """q(x): an arbitrary distribution over the sample space X."""

    nargs = 2

    def tex(self, p):
        return "%s(%s)" % (self.args[0].name, _p(p, self.args[1]))


class KL(Node):
    """D_KL(q || p) = sum_x q(x) log(q(x)/p(x)) for two named free distributions."""

    nargs = 2

    def tex(self, p):
        return r"D_{\mathrm{KL}}(%s \,\|\, %s)" % (self.args[0].name, self.args[1].name)


# ------------------------------------------------------------- operators


class Grad(Node):
    """nabla_theta of its argument (softmax logits theta of pi_theta)."""

    nargs = 1

    def tex(self, p):
        return r"\nabla_{\theta} \left(%s\right)" % _p(p, self.args[0])


class Inner(Node):
    """<u, v> = sum_k u_k v_k over the components of two gradients (vectors in theta-space)."""

    nargs = 2

    def tex(self, p):
        return r"\left\langle %s, %s \right\rangle" % (_p(p, self.args[0]), _p(p, self.args[1]))


class EvalAt(Node):
    """Evaluation bar: body evaluated with pi_theta set equal to another policy."""

    nargs = 3  # body, Str(from), Str(to)

    def tex(self, p):
        return r"\left. %s \right|_{\theta=\theta_{\text{%s}}}" % (_p(p, self.args[0]), self.args[2].name)


class Indicator(Node):
    """[condition]: 1 where a comparison (x < y, x > y, x <= y, x >= y, x = y) holds, else 0; no gradient."""

    nargs = 1

    def tex(self, p):
        return r"\mathbb{1}\left[%s\right]" % _p(p, self.args[0])


class SetParam(Node):
    """Evaluation bar for a parameter: body with lambda (or epsilon, ...) set to a value."""

    nargs = 3  # body, parameter symbol, value

    def tex(self, p):
        return r"\left. %s \right|_{%s=%s}" % (_p(p, self.args[0]), _p(p, self.args[1]), _p(p, self.args[2]))


class Clip(Node):
    """clip(x, lo, hi) = min(max(x, lo), hi)."""

    nargs = 3

    def tex(self, p):
        return r"\operatorname{clip}(%s, %s, %s)" % tuple(_p(p, x) for x in self.args)


def _body(p, e) -> str:
    """A summand as printed after a big operator: parenthesised when it is a sum."""
    from sympy import Add

    text = _p(p, e)
    return r"\left(%s\right)" % text if isinstance(e, Add) else text


class _Binder(Node):
    """A node that binds its last argument (a variable).

    Its precedence is below a product's, so as a factor it prints in parentheses:
    (max_a Q) x, never max_a Q x, which a reader takes as max_a (Q x).
    """

    precedence = 45

    @property
    def free_symbols(self):
        body, var = self.args[0], self.args[1]
        return body.free_symbols - {var}


class SumOver(_Binder):
    """sum over a whole space: sum_a, sum_{s'}, sum_x."""

    nargs = 2

    def tex(self, p):
        return r"\sum_{%s} %s" % (_p(p, self.args[1]), _body(p, self.args[0]))


class MaxOver(_Binder):
    """max over a whole space: max_a."""

    nargs = 2

    def tex(self, p):
        return r"\max_{%s} %s" % (_p(p, self.args[1]), _body(p, self.args[0]))


class SumTraj(Node):
    """sum over all trajectories tau (no weighting)."""

    precedence = 45

    nargs = 1

    def tex(self, p):
        return r"\sum_{\tau} %s" % _body(p, self.args[0])


# ----------------------------------------------------------- expectations


class Dist(Node):
    """A sampling statement ``var ~ distribution`` inside an expectation."""

    def var(self):
        return self.args[0]

    def density(self):
        """Probability of ``var`` as an expression (None for trajectories)."""
        raise NotImplementedError


class TrajDist(Dist):
    """tau ~ pi: trajectories from rho_0, the policy and the dynamics."""

    nargs = 1

    def var(self):
        return None

    def tex(self, p):
        name = self.args[0].name
        return r"\tau \sim %s" % POLICY_LATEX[name]

    def density(self):
        return TrajProb(self.args[0])


class PolicyDraw(Dist):
    """a ~ pi(.|s)."""

    nargs = 3  # var, policy, state

    def tex(self, p):
        v, name, st = self.args
        return r"%s \sim %s(\cdot \mid %s)" % (_p(p, v), POLICY_LATEX[name.name], _p(p, st))

    def density(self):
        v, name, st = self.args
        return Pi(name, v, st)


class TransDraw(Dist):
    """s' ~ P(.|s, a)."""

    nargs = 3

    def tex(self, p):
        v, st, act = self.args
        return r"%s \sim P(\cdot \mid %s, %s)" % (_p(p, v), _p(p, st), _p(p, act))

    def density(self):
        v, st, act = self.args
        return Trans(v, st, act)


class InitDraw(Dist):
    """s ~ rho_0."""

    nargs = 1

    def tex(self, p):
        return r"%s \sim \rho_0" % _p(p, self.args[0])

    def density(self):
        return Rho0(self.args[0])


class OccDraw(Dist):
    """s ~ d^pi (normalised discounted state distribution)."""

    nargs = 2

    def tex(self, p):
        return r"%s \sim d^{%s}" % (_p(p, self.args[0]), POLICY_LATEX[self.args[1].name])

    def density(self):
        return Dpi(self.args[1], self.args[0])


class FreeDraw(Dist):
    """x ~ q for a named free distribution q on X."""

    nargs = 2

    def tex(self, p):
        return r"%s \sim %s" % (_p(p, self.args[0]), self.args[1].name)

    def density(self):
        return FreeProb(self.args[1], self.args[0])


class Given(Dist):
    """Conditioning on a trajectory variable: E_{tau ~ pi}[X | s_t, a_t], or on its value: [X | s_t = s]."""

    nargs = (1, 2)  # the variable of the trajectory, and the (free) variable it equals

    def var(self):
        return None

    def tex(self, p):
        if len(self.args) == 2:
            return "%s = %s" % (_p(p, self.args[0]), _p(p, self.args[1]))
        return _p(p, self.args[0])

    def density(self):
        return None


class Expect(Node):
    """E_{dists}[body | given]: dists are Dist nodes, drawn in order (later ones may use earlier ones)."""

    def tex(self, p):
        body, dists = self.args[0], self.args[1:]
        draws = [d for d in dists if not isinstance(d, Given)]
        given = [d for d in dists if isinstance(d, Given)]
        sub = ", ".join(_p(p, d) for d in draws)
        cond = (r" \mid " + ", ".join(_p(p, d) for d in given)) if given else ""
        return r"\mathbb{E}_{%s}\left[%s%s\right]" % (sub, _p(p, body), cond)

    @property
    def body(self):
        return self.args[0]

    @property
    def dists(self):
        return self.args[1:]

    @property
    def free_symbols(self):
        bound = {d.var() for d in self.dists if d.var() is not None}
        out = set(self.body.free_symbols)
        for d in self.dists:
            given = isinstance(d, Given)  # E[X | s_t]: the t of s_t is free too
            for x in (d.args if given else d.args[1:]):
                out |= x.free_symbols
        return out - bound


__all__ = [name for name in dir() if not name.startswith("_")] + ["S", "Integer"]
