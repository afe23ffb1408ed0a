"""A counterexample lists the free objects its own statement used, not everything its instance drew before.

Instances are cached and shared by the statements a worker judges; free functions and distributions are
drawn lazily and kept.  Without recording, the same statement printed different counterexample bytes
depending on which statements its worker had judged first (derive check --jobs 2 vs --jobs 1)."""
from __future__ import annotations

from derive.mdp import instances


def test_describe_lists_only_what_the_statement_used():
    inst = instances("finite", 0, full_support=True)[0]
    inst.free_function("f_before", (inst.n_states,))  # drawn by an earlier statement
    inst.free_dist("p_before")
    with inst.recording():
        inst.free_function("g", (inst.n_states,))
        shown = inst.describe()
    assert list(shown["free functions"]) == [f"g[{inst.n_states}]"] and "free distributions" not in shown
    everything = inst.describe()  # not recording: every drawn object, as before
    assert {"f_before", "g"} <= {k.split("[")[0] for k in everything["free functions"]}
