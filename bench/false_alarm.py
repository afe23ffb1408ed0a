"""Measure the Monte Carlo test's false-alarm rate on true identities.

    python bench/false_alarm.py --seeds 200 [--samples 20000] [--json] [--conditional]

For every seed, every catalog identity that has a sampling estimator is checked
by the Monte Carlo method alone (a fresh random MDP and fresh samples per
seed).  Every "fails" is a false alarm, since the identities are proved by the
exact and symbolic methods.  The test's nominal family-wise rate is ALPHA per
statement.  ``--conditional`` measures only the identities whose sampled side is a conditional
expectation over infinite trajectories (derive/engine/infinite_conditional.py).
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from derive.catalog import catalog  # noqa: E402
from derive.check_statements.montecarlo import ALPHA, check_montecarlo  # noqa: E402


def _conditional(e) -> bool:
    """The sampled side would be E[X | s_k = s (, a_k = a)] over infinite trajectories (no unconditional one)."""
    from derive.lang import nodes
    from derive.mdp import parse_setting
    from sympy import preorder_traversal
    return parse_setting(e.setting)[0] == "discounted" and any(
        isinstance(x, nodes.Given) for side in (e.lhs, e.rhs) for x in preorder_traversal(side))


def run_seed(args):
    seed, samples, only_conditional = args
    out = []
    for e in catalog():
        if e.kind != "identity" or (only_conditional and not _conditional(e)):
            continue
        r = check_montecarlo(e.lhs, e.rhs, e.setting, e.relation, seed=seed, samples=samples, ranges=e.ranges,
                             full_support=e.full_support, sample_side=e.sample_side, stream=e.id)
        if r.status in ("holds", "fails"):
            out.append((e.id, r.status, r.data.get("max_abs_z"), r.data.get("threshold")))
    return seed, out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--samples", type=int, default=20_000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--conditional", action="store_true",
                        help="only the identities sampled as conditional expectations over infinite trajectories")
    args = parser.parse_args()
    start = time.perf_counter()
    with mp.get_context("fork").Pool(args.jobs) as pool:
        results = pool.map(run_seed, [(s, args.samples, args.conditional) for s in range(args.seeds)])
    checks = sum(len(r) for _, r in results)
    alarms = [(seed, i, z, th) for seed, r in results for (i, status, z, th) in r if status == "fails"]
    seeds_with_alarm = len({a[0] for a in alarms})
    report = {
        "seeds": args.seeds,
        "samples": args.samples,
        "nominal_rate_per_statement": ALPHA,
        "statements_per_seed": checks // max(args.seeds, 1),
        "checks": checks,
        "false_alarms": len(alarms),
        "rate_per_statement": len(alarms) / max(checks, 1),
        "seeds_with_any_false_alarm": seeds_with_alarm,
        "rate_per_full_run": seeds_with_alarm / max(args.seeds, 1),
        "alarms": [{"seed": s, "id": i, "max_abs_z": z, "threshold": th} for s, i, z, th in alarms],
        "seconds": round(time.perf_counter() - start, 1),
    }
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        print(f"{report['checks']} Monte Carlo checks of true identities ({report['statements_per_seed']} per seed, "
              f"{args.seeds} seeds, N = {args.samples})")
        print(f"false alarms: {len(alarms)} -> rate per statement {report['rate_per_statement']:.5f} "
              f"(nominal {ALPHA}); runs with any false alarm: {seeds_with_alarm}/{args.seeds}")
        for a in report["alarms"]:
            print(f"  seed {a['seed']}: {a['id']} |z| = {a['max_abs_z']:.2f} > {a['threshold']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
