"""Issue 12 (I2): the last infinite-sum steps of the real-world corpus.

* Lilian Weng's / Sutton & Barto's k-step probability rho^pi(s_0 -> x, k) with a start s_0 that is summed over
  (\\sum_{s_0} rho_0(s_0) ..., the held-out boyin96 proof) or free and not fixed (Lilian Weng's proof): read as
  E_tau[1[s_k = x] | s_0 = s_0] (read_latex/kstep.py); the engine conditions the trajectory on the outer s_0
  (engine/infinite.py, _outer_times) and takes factors free of k out of the series (_constant_factors);
* eta(s) as a file defines it, sum_k rho^pi(s_0 -> s, k), from a start that is not fixed (kstep.eta_from_start).
"""
from __future__ import annotations

from sympy import Sum

from derive.lang import nodes

from derivation_helpers import check, read, verdicts

SUMMED = r"""
    ---
    title: t
    setting: discounted
    ---

    $$
    \sum_{s_0}\rho_0(s_0)\nabla_\theta V^{\pi}(s_0) = \sum_{s_0}\sum_s \sum_{k=0}^{\infty}\gamma^k \rho_0(s_0)
    \rho^\pi(s_0 \rightarrow s, k) \sum_a \nabla_\theta \pi_\theta(a|s) Q^\pi(s,a)
    $$

    $$
    \sum_{s_0}\rho_0(s_0)\nabla_\theta V^{\pi}(s_0) = \sum_{s_0}\sum_s \sum_{k=0}^{\infty}\gamma^{k+1} \rho_0(s_0)
    \rho^\pi(s_0 \rightarrow s, k) \sum_a \nabla_\theta \pi_\theta(a|s) Q^\pi(s,a)
    $$

    $$
    \sum_{s_0}\sum_{x \in \mathcal{S}}\sum_{k=0}^{\infty}\gamma^k\rho_0(s_0)\rho^\pi(s_0 \to x, k) = \frac{1}{1-\gamma}
    $$

    $$
    \sum_{s_0}\sum_{x \in \mathcal{S}}\sum_{k=0}^{\infty}\gamma^k\rho_0(s_0)\rho^\pi(s_0 \to x, k) = \frac{1}{1-\gamma^2}
    $$
"""


def _blocks(text: str, keep: tuple) -> str:
    """The front matter of text and its displays numbered in keep (0-based)."""
    head, *rest = text.split("    $$\n")
    displays = ["    $$\n" + rest[i] + "    $$\n" for i in range(0, len(rest) - 1, 2)]
    return head + "".join(displays[i] for i in keep)


def test_a_summed_start_state_is_the_conditioned_first_state_of_the_k_step_probability(tmp_path):
    rec = check(tmp_path, _blocks(SUMMED, (0, 1)))
    assert verdicts(rec) == ["holds", "fails"]  # gamma^{k+1}: refuted
    assert "summed over" in rec["steps"][0]["read_as"]


def test_the_summed_visits_of_a_summed_start_add_up_to_the_horizon_1_over_1_minus_gamma(tmp_path):
    rec = check(tmp_path, _blocks(SUMMED, (2, 3)))
    assert verdicts(rec) == ["holds", "fails"]  # 1/(1-gamma^2): refuted


def test_the_summed_start_reads_as_a_conditional_expectation():
    e, notes = read(r"\sum_{s_0} \rho_0(s_0) \rho^\pi(s_0 \to x, 2)", setting="discounted")
    given = [g for g in e.atoms(nodes.Given)]
    assert given == [nodes.Given(nodes.St(0), nodes.St(0))]
    assert any(r"\sum_{s_0}" in n for n in notes)


FREE = r"""
    ---
    title: t
    setting: episodic
    ---

    $$
    \nabla_\theta V^{\pi}(s_0) = \sum_{x \in \mathcal{S}} \sum_{k=0}^{\infty} \rho^\pi(s_0 \to x, k)
    \sum_a \nabla_\theta \pi_\theta(a|x) Q^\pi(x,a)
    $$

    $$
    \nabla_\theta V^{\pi}(s_0) = \sum_{x \in \mathcal{S}} \sum_{k=1}^{\infty} \rho^\pi(s_0 \to x, k)
    \sum_a \nabla_\theta \pi_\theta(a|x) Q^\pi(x,a)
    $$
"""


def test_a_free_start_that_is_not_fixed_is_read_for_every_start(tmp_path):
    rec = check(tmp_path, FREE)
    assert verdicts(rec) == ["holds", "fails"]
    assert any("read for every s_0" in n for n in [rec["steps"][0]["read_as"]])


DEFINES_ETA = r"Let $\eta(s) = \sum_{k=0}^\infty \rho^\pi(s_0 \to s, k)$ (Sutton & Barto 2018, p. 325)."


def test_eta_as_the_file_defines_it_from_a_start_that_is_not_fixed():
    from derive.read_latex.reading import Reading

    e, notes = read(r"\eta(s)", setting="episodic", reading=Reading(DEFINES_ETA))
    assert e.atoms(nodes.Given) == {nodes.Given(nodes.St(0), nodes.St(0))}
    assert any("as this file defines it" in n for n in notes)
    e, _ = read(r"\eta(s)", setting="episodic", start="fixed", reading=Reading(DEFINES_ETA))
    assert not e.atoms(nodes.Given)  # a fixed start: S&B's own eta(s)


ETA = r"""
    ---
    title: t
    setting: episodic
    ---

    $$
    \nabla_\theta V^\pi(s_0) = \sum_{s} \sum_{k=0}^\infty \rho^\pi(s_0 \to s, k) \phi(s)
    \quad \scriptstyle{\text{; Let }\eta(s) = \sum_{k=0}^\infty \rho^\pi(s_0 \to s, k)} \\
    $$

    $$
    \sum_{s} \sum_{k=0}^\infty \rho^\pi(s_0 \to s, k) \sum_a \pi_\theta(a|s) Q^\pi(s,a) = \sum_s \eta(s) V^\pi(s)
    $$

    $$
    \sum_{s} \sum_{k=0}^\infty \rho^\pi(s_0 \to s, k) V^\pi(s) = \sum_s \eta(s) \sum_{s'} \rho_0(s') V^\pi(s')
    $$
"""


def test_a_step_with_eta_so_defined_is_decided(tmp_path):
    rec = check(tmp_path, ETA)
    assert verdicts(rec)[-2:] == ["holds", "fails"]


def test_without_that_definition_eta_stays_sutton_and_bartos():
    e, notes = read(r"\eta(s)", setting="episodic")
    assert isinstance(e, Sum) and not e.atoms(nodes.Given)
    assert any("9.2" in n for n in notes)
