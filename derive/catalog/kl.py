"""KL estimators k1, k2, k3 and their gradients (added section 2.10).

Notation of Schulman's note: x ~ q, r = p(x) / q(x); k1 = -log r, k2 = (log r)^2 / 2,
k3 = (r - 1) - log r, all estimating KL(q || p).  For a policy, q = pi_theta(.|s) and
p = pi_ref(.|s) (here pi' plays the reference model).
"""
from __future__ import annotations

from sympy import log

from ..lang.nodes import KL, Expect, Grad, PolicyDraw, SumOver
from ..lang.symbols import a, b, s, x
from .build import OLD, PRIME, TH, at_old, dist, draw, pi
from .entry import Entry
from .references import OPEN_INSTRUCT_530, SCHULMAN_KL, TRL_4637, TRL_4638, cite

R_X = dist("p", x) / dist("q", x)
R_POL = pi(a, s, PRIME) / pi(a, s)  # r = pi_ref / pi_theta at a ~ pi_theta


def k3(r):
    return (r - 1) - log(r)


def forward_kl():
    """KL(pi_ref(.|s) || pi_theta(.|s))."""
    return SumOver(pi(b, s, PRIME) * log(pi(b, s, PRIME) / pi(b, s)), b)


def reverse_kl():
    """KL(pi_theta(.|s) || pi_ref(.|s))."""
    return SumOver(pi(b, s) * log(pi(b, s) / pi(b, s, PRIME)), b)


REF = (cite(SCHULMAN_KL),)

ENTRIES = [
    Entry("kl.k1-unbiased", "identity", "k1 = -log r is unbiased for KL(q||p)", "kl", "2.10",
          Expect(-log(R_X), draw(x, "q")), KL(*(dist("q", x).args[:1] + dist("p", x).args[:1])),
          conditions="x ~ q; q and p positive on X; values go through log (float64, tolerance 1e-9)",
          references=REF),
    Entry("kl.k3-unbiased", "identity", "k3 = (r - 1) - log r is unbiased for KL(q||p)", "kl", "2.10",
          Expect(k3(R_X), draw(x, "q")), KL(*(dist("q", x).args[:1] + dist("p", x).args[:1])),
          conditions="x ~ q; E_q[r] = 1, so the r - 1 term is a zero-mean control variate",
          references=REF),
    Entry("kl.k3-nonnegative", "identity", "k3 >= 0 for every sample", "kl", "2.10",
          k3(R_X), 0, relation=">=",
          conditions="every x with q(x), p(x) > 0 (log r <= r - 1)",
          references=REF),
    Entry("kl.k1-gradient-zero", "identity", "The expected gradient of k1 on samples from pi_theta is zero", "kl",
          "2.10",
          Expect(Grad(-log(R_POL)), PolicyDraw(a, TH, s)), 0,
          conditions="a ~ pi_theta(.|s): grad k1 = grad log pi_theta, whose mean is 0 (EGLP); k1 as a loss "
                     "gives no KL gradient at all",
          references=REF + (TRL_4637,)),
    Entry("kl.k3-gradient-forward", "identity", "The expected gradient of k3 is the gradient of the FORWARD KL",
          "kl", "2.10",
          Expect(Grad(k3(R_POL)), PolicyDraw(a, TH, s)), Grad(forward_kl()),
          conditions="a ~ pi_theta(.|s), r = pi_ref/pi_theta: E[grad k3] = grad KL(pi_ref || pi_theta), not the "
                     "reverse KL(pi_theta || pi_ref) that the loss is meant to penalise",
          references=REF + (OPEN_INSTRUCT_530, TRL_4637, TRL_4638)),
    Entry("kl.k3-ratio-reverse", "identity", "With the importance ratio, k3's gradient is the reverse KL's at "
          "theta_old", "kl", "2.10",
          at_old(Expect(Grad(pi(a, s) / pi(a, s, OLD) * k3(R_POL)), PolicyDraw(a, OLD, s))), at_old(Grad(reverse_kl())),
          conditions="samples from pi_old, gradient at theta = theta_old; the ratio pi_theta/pi_old is inside the "
                     "gradient (differentiated), not a detached weight",
          references=REF + (TRL_4638,)),
    Entry("mistake.k3-detached-ratio", "mistake", "A detached importance weight turns k3 into the reverse KL",
          "kl", "2.10",
          at_old(Expect(pi(a, s) / pi(a, s, OLD) * Grad(k3(R_POL)), PolicyDraw(a, OLD, s))), at_old(Grad(reverse_kl())),
          mistake="the ratio must be differentiated with k3: with a detached weight (equal to 1 at theta_old) the "
                  "expected gradient is still the forward KL's",
          corrects="kl.k3-ratio-reverse", references=REF + (TRL_4638,)),
    Entry("mistake.kl-expected-log-ratio", "mistake", "E_q[log r] = KL(q||p)", "kl", "2.10",
          Expect(log(R_X), draw(x, "q")), KL(*(dist("q", x).args[:1] + dist("p", x).args[:1])),
          mistake="sign error: E_q[log(p/q)] = -KL(q||p); the estimator is k1 = -log r",
          corrects="kl.k1-unbiased", references=REF),
    Entry("mistake.k2-unbiased", "mistake", "k2 = (log r)^2 / 2 is unbiased", "kl", "2.10",
          Expect(log(R_X) ** 2 / 2, draw(x, "q")), KL(*(dist("q", x).args[:1] + dist("p", x).args[:1])),
          mistake="k2 is biased (low variance, bias growing with the KL); it matches KL only to second order "
                  "when p is close to q",
          corrects="kl.k3-unbiased", references=REF),
    Entry("mistake.k3-gradient-is-reverse", "mistake", "E[grad k3] is the gradient of the reverse KL", "kl", "2.10",
          Expect(Grad(k3(R_POL)), PolicyDraw(a, TH, s)), Grad(reverse_kl()),
          mistake="on samples from pi_theta, k3's expected gradient is that of KL(pi_ref || pi_theta) (forward); "
                  "the reverse KL needs the importance ratio (or the k1/k2 gradient forms)",
          corrects="kl.k3-gradient-forward", references=(OPEN_INSTRUCT_530, TRL_4637)),
]
