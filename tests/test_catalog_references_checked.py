"""Issue 13 (V1): every place cited by the topics kl-penalty, whitening, ppo-practice, truncation and entropy
was checked against the paper's text; this test pins the checked places so a number written from memory
cannot come back unnoticed.  The table names what each checked place says (references.py's header)."""
from __future__ import annotations

from derive.catalog import catalog
from derive.catalog import references as R

CAT = catalog()
TOPICS = ("kl-penalty", "whitening", "ppo-practice", "truncation", "entropy")
ENTRIES = [e for e in CAT if e.topic in TOPICS]

CHECKED = {  # paper -> the places cited in these topics, each checked against the paper's text
    R.ZIEGLER_2019: {"eq. 2"},  # R(x, y) = r(x, y) - beta log pi(y|x)/rho(y|x)
    R.INSTRUCTGPT: {"eq. 2"},  # objective(phi): r_theta - beta log(pi^RL/pi^SFT) + gamma E_pretrain[log pi^RL]
    R.DEEPSEEKMATH: {"eq. 3", "eq. 4"},  # GRPO objective; the k3 estimator of D_KL[pi_theta || pi_ref]
    R.PPO_PAPER: {"eq. 2", "eq. 6", "eq. 7", "eq. 9"},  # L^PG, L^CPI, L^CLIP, L^{CLIP+VF+S}
    R.TRPO_PAPER: {"eq. 14"},  # the importance-sampled objective E[pi_theta/q Q_old]
    R.SB: {"eq. 7.1", "eq. 13.8"},  # the n-step return G_{t:t+n}; the REINFORCE update
    R.GAE_PAPER: {"eq. 10"},  # E[delta^{V^{pi,gamma}}] = A^{pi,gamma}
    R.SAC_PAPER: {"eq. 3", "eq. 4", "Lemma 2"},  # soft value; KL projection; soft policy improvement
    R.SOFT_Q: {"Theorem 1", "eq. 15", "eqs. 18-19"},  # optimal max-ent policy; Q_soft of pi; the one-state bound
    R.A3C_PAPER: {"Sec. 4"},  # the entropy regularisation term of A3C's gradient
}
UNNUMBERED = (R.DUAL_CLIP, R.ENGSTROM_2020, R.PARDO_2018, R.RLHF_N_DETAILS)  # no number was confirmed


def _places(ref: str, paper: str) -> set:
    """'eq. 2 and 6 (Sec. 2.1: ...)' -> {'eq. 2', 'eq. 6'}; 'Theorem 1 (eqs. 5-6)' -> {'Theorem 1'}."""
    where = ref[len(paper) + 2:].split(" (")[0]
    head, _, tail = where.partition(" and ")
    return {head} | ({head.split(" ")[0] + " " + tail} if tail else set())


def test_every_cited_place_was_checked():
    for e in ENTRIES:
        for ref in e.references:
            for paper, places in CHECKED.items():
                if ref.startswith(paper + ", "):
                    assert _places(ref, paper) <= places, (e.id, ref)
            for paper in UNNUMBERED:
                assert not ref.startswith(paper + ", "), (e.id, ref)


def test_threads_that_say_what_the_entry_says():
    refs = [ref for e in ENTRIES for ref in e.references]
    assert not any("skrl#363" in ref for ref in refs)  # no such thread found: replaced
    for entry_id in ("truncation.dropped-bootstrap-bias", "mistake.truncation-as-termination",
                     "mistake.truncation-td-error-without-bootstrap"):
        assert R.SB3_633 in CAT.get(entry_id).references, entry_id
    k1 = CAT.get("mistake.kl-penalty-k1-as-loss").references
    assert R.OPEN_INSTRUCT_535 in k1 and R.TRL_4637 not in k1  # trl#4637 is about k3 with the importance ratio


def test_soft_q_learning_attributions():
    bound = CAT.get("entropy.soft-greedy-bound").references
    assert R.SOFT_Q + ", eqs. 18-19 (Appendix A.1, the proof of Theorem 4)" in bound
    assert R.SOFT_Q + ", Theorem 1" not in bound  # Theorem 1 is the trajectory-level optimum, not this bound
    # soft Q-learning's Q_soft (eq. 15) also leaves the first action's entropy out: the same bookkeeping as SAC
    assert "bookkeeping differs" not in CAT.get("entropy.soft-bellman-v").conditions
