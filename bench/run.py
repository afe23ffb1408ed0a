"""derive's benchmarks: ratios measured side by side in one run.

    python bench/run.py [--json] [--quick] [--only NAME[,NAME...]]

``real_world_corpus_vs_sympy_import`` (minutes long) runs only when named with ``--only``.

Each benchmark is a function in ``BENCHMARKS`` (name -> function(quick) ->
dict) returning at least ``ratio``, ``target``, ``direction`` (">=" or "<="),
``meets_target`` and details (rates, seconds).  A ratio that cannot be
measured is ``None`` with a ``reason``.  Timings use ``time.perf_counter``;
each timing is repeated and the best kept; the two sides of a ratio are
measured alternately so drift affects both.  Seeds are fixed.

This is a benchmark, not a test: it reports, it never fails on a missed target.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from bench.timing import _vs_sympy_import, alternate, best_of, result  # noqa: E402  (bench/timing.py)

BENCHMARKS: dict = {}


def benchmark(name: str):
    def register(fn):
        BENCHMARKS[name] = fn
        return fn

    return register


# ------------------------------------------------------------ Monte Carlo

MC_SEED = 0
MC_SHAPE = (3, 3, 50)  # states, actions, T


def _mc_setup():
    from derive.engine import sampler as sp
    from derive.mdp import random_instance

    S, A, T = MC_SHAPE
    inst = random_instance(MC_SEED, S, A, T, "plain")
    probs = np.array([[float(x) for x in row] for row in inst.policies["theta"]], dtype=np.float64)
    sp.float_tables(inst)  # build the cached tables outside the timings
    return sp, inst, probs, T


@benchmark("mc_vs_python_loop")
def mc_vs_python_loop(quick: bool) -> dict:
    """Transitions per second: vectorised sample_trajectories over the pure-Python loop sampler."""
    sp, inst, probs, T = _mc_setup()
    n_vec = 50_000 if quick else 200_000
    n_loop = 1_000 if quick else 5_000
    times = alternate({
        "vectorised": lambda: sp.sample_trajectories(inst, probs, n_vec, np.random.default_rng(1)),
        "python_loop": lambda: sp.python_loop_sampler(inst, probs, n_loop, np.random.default_rng(2)),
    }, 2 if quick else 3)
    rate_vec = n_vec * T / times["vectorised"]
    rate_loop = n_loop * T / times["python_loop"]
    return result(rate_vec / rate_loop, 10, ">=", instance=inst.label, T=T,
                  n_vectorised=n_vec, n_python_loop=n_loop,
                  vectorised_transitions_per_s=round(rate_vec), python_loop_transitions_per_s=round(rate_loop),
                  vectorised_seconds=round(times["vectorised"], 5), python_loop_seconds=round(times["python_loop"], 5))


@benchmark("mc_vs_uniform_floor")
def mc_vs_uniform_floor(quick: bool) -> dict:
    """Sampler rate over the rate of merely drawing its 2 uniforms per transition, rng.random((T, 2, n))."""
    sp, inst, probs, T = _mc_setup()
    n = 50_000 if quick else 200_000
    times = alternate({
        "sampler": lambda: sp.sample_trajectories(inst, probs, n, np.random.default_rng(1)),
        "uniforms": lambda: np.random.default_rng(1).random((T, 2, n)),
    }, 3 if quick else 5)
    rate = n * T / times["sampler"]
    floor = n * T / times["uniforms"]
    return result(rate / floor, 0.33, ">=", instance=inst.label, T=T, n=n,
                  sampler_transitions_per_s=round(rate), uniform_floor_transitions_per_s=round(floor),
                  sampler_seconds=round(times["sampler"], 5), uniform_floor_seconds=round(times["uniforms"], 5))


# ------------------------------------------------------------- end to end


@benchmark("catalog_check_vs_sympy_import")
def catalog_check_vs_sympy_import(quick: bool) -> dict:
    """`python -m derive check` (the whole catalog) relative to importing SymPy."""
    return _vs_sympy_import([sys.executable, "-m", "derive", "check"], 10, quick)  # issue 14: <= 10


@benchmark("homework_check_vs_sympy_import")
def homework_check_vs_sympy_import(quick: bool) -> dict:
    """`python -m derive check bench/homework6.md` (a 6-step derivation) relative to importing SymPy."""
    return _vs_sympy_import([sys.executable, "-m", "derive", "check", str(ROOT / "bench" / "homework6.md")], 3, quick)


@benchmark("homework_check_warm_ms")
def homework_check_warm_ms(quick: bool) -> dict:
    """Milliseconds to check bench/homework6.md a second time in one process (the library API, issue 14).

    ``check_file`` as ``derive check`` runs it (exact judging, the symbolic confirmation, one kept worker per
    file); the first call, timed too, pays for the catalog, the instances and the mistakes.  The "ratio" is
    the best of the later calls in milliseconds."""
    from derive.check_derivations import check_file

    path = str(ROOT / "bench" / "homework6.md")
    t0 = time.perf_counter()
    first = check_file(path)
    cold = time.perf_counter() - t0
    warm = best_of(lambda: check_file(path), 1 if quick else 3)
    return result(warm * 1000, 200, "<=", verdict=first["verdict"], first_call_ms=round(cold * 1000, 1))


@benchmark("real_world_corpus_vs_sympy_import")
def real_world_corpus_vs_sympy_import(quick: bool) -> dict:
    """`python -m derive check tests/real_world/` (one process) over importing SymPy, per file (target <= 1).

    Exit status 1 counts as a completed run: the corpus keeps its authors' typos (bench/real_world.py).
    Runs only when named (``--only real_world_corpus_vs_sympy_import``): it takes minutes."""
    corpus = ROOT / "tests" / "real_world"
    files = [f for f in corpus.rglob("*.md") if f.name.lower() != "readme.md"]
    return _vs_sympy_import([sys.executable, "-m", "derive", "check", str(corpus)], 1, quick, ok_codes=(0, 1),
                            per=len(files), repeats=1)


@benchmark("proofs_check_vs_sympy_import")
def proofs_check_vs_sympy_import(quick: bool) -> dict:
    """`python -m derive check proofs/` (every written proof, exact and symbolic) relative to importing SymPy.

    The test suite checks proofs/ by exact evaluation only (tests/test_proofs.py); this row runs the
    symbolic confirmation too, and reports an exit status other than 0 as a failure.  No target yet."""
    return _vs_sympy_import([sys.executable, "-m", "derive", "check", str(ROOT / "proofs")], None, quick)


@benchmark("blog_vs_sympy_import")
def blog_vs_sympy_import(quick: bool) -> dict:
    """`python -m derive blog --no-compile` (the blog with every check) relative to importing SymPy.

    Replaces the 300 s limit tests/test_blog.py::test_full_blog_with_checks used to assert (issue 14)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="derive-bench-blog-") as out:
        return _vs_sympy_import([sys.executable, "-m", "derive", "blog", "--out", out, "--no-compile"], 30, quick)


@benchmark("grade_500_vs_sympy_import")
def grade_500_vs_sympy_import(quick: bool) -> dict:
    """`python -m derive grade CLASS/ --jobs 2` on 500 generated submissions (bench/grade_class.py: homework
    variants with seeded wrong steps) relative to importing SymPy; ``first_wrong_step_right`` counts the
    CSV rows whose first wrong step is the generated one.  60 submissions with --quick.  No target yet."""
    import csv
    import tempfile

    from bench.grade_class import generate

    n = 60 if quick else 500
    with tempfile.TemporaryDirectory(prefix="derive-bench-grade-") as tmp:
        expected = generate(Path(tmp) / "class", n)
        out = _vs_sympy_import([sys.executable, "-m", "derive", "grade", str(Path(tmp) / "class"), "--out",
                                str(Path(tmp) / "report.html"), "--csv", str(Path(tmp) / "grades.csv"),
                                "--jobs", "2"], None, quick, repeats=1)
        if out["ratio"] is not None:
            with open(Path(tmp) / "grades.csv", encoding="utf-8") as fh:
                rows = {r["file"]: r["first_wrong_step"] for r in csv.DictReader(fh)}
            right = sum(rows.get(f) == ("" if k is None else str(k)) for f, k in expected.items())
            out["first_wrong_step_right"] = f"{right}/{n}"
        out["submissions"] = n
    return out


# ------------------------------------------------------------------- GAE

GAE_SHAPE = (256, 1024)  # T, B


def _gae_setup(quick: bool):
    """A (T, B) rollout with dones: about 1 step in 50 terminates and 1 in 100 is truncated."""
    T, B = (128, 256) if quick else GAE_SHAPE
    rng = np.random.default_rng(0)
    r = rng.standard_normal((T, B))
    v = rng.standard_normal((T, B))
    nv = rng.standard_normal((T, B))
    term = rng.random((T, B)) < 0.02
    trunc = (rng.random((T, B)) < 0.01) & ~term
    return T, B, (r, v, nv, term, trunc, 0.99, 0.95)


def python_loop_gae(rewards, values, next_values, terminated, truncated, gamma, lam):
    """The common reversed Python loop over t and over the batch (the baseline)."""
    T, B = rewards.shape
    r, v, nv = rewards.tolist(), values.tolist(), next_values.tolist()
    term, trunc = terminated.tolist(), truncated.tolist()
    out = [[0.0] * B for _ in range(T)]
    for b in range(B):
        last = 0.0
        for t in range(T - 1, -1, -1):
            delta = r[t][b] + gamma * nv[t][b] * (1.0 - term[t][b]) - v[t][b]
            cont = 0.0 if (term[t][b] or trunc[t][b]) else 1.0
            last = delta + gamma * lam * cont * last
            out[t][b] = last
    return np.array(out)


@benchmark("gae_vs_python_loop")
def gae_vs_python_loop(quick: bool) -> dict:
    """derive.gae on (T, B) = (256, 1024) with dones over the reversed Python loop over T and B."""
    from derive.check_code.reference import gae

    T, B, args = _gae_setup(quick)
    assert np.allclose(gae(*args), python_loop_gae(*args))
    times = alternate({"derive": lambda: gae(*args), "python_loop": lambda: python_loop_gae(*args)},
                      2 if quick else 3)
    return result(times["python_loop"] / times["derive"], 20, ">=", T=T, B=B,
                  derive_seconds=round(times["derive"], 6), python_loop_seconds=round(times["python_loop"], 5))


@benchmark("gae_vs_cumsum_floor")
def gae_vs_cumsum_floor(quick: bool) -> dict:
    """Time of one np.cumsum over the time axis of the same (T, B) array over the time of derive.gae."""
    from derive.check_code.reference import gae

    T, B, args = _gae_setup(quick)
    x = args[0]
    times = alternate({"derive": lambda: gae(*args), "cumsum": lambda: np.cumsum(x, axis=0),
                       "cumsum_flat": lambda: np.cumsum(x)}, 10 if quick else 30)
    return result(times["cumsum"] / times["derive"], 0.5, ">=", T=T, B=B,
                  derive_seconds=round(times["derive"], 6), cumsum_axis0_seconds=round(times["cumsum"], 6),
                  cumsum_flat_seconds=round(times["cumsum_flat"], 6),
                  ratio_vs_flat_cumsum=round(times["cumsum_flat"] / times["derive"], 4))


# --------------------------------------------------------------- hostile input

HOSTILE_LIMIT_MS = 2000.0  # the former per-input limit of tests/test_adversarial.py (issue 14: measured here)


def _hostile_corpus() -> list:
    """The corpus of tests/test_adversarial.py (hostile.txt and the generated inputs), loaded from that file."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_adversarial_corpus", ROOT / "tests" / "test_adversarial.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.CORPUS


@benchmark("hostile_corpus_max_ms")
def hostile_corpus_max_ms(quick: bool) -> dict:
    """The slowest input of the hostile formula corpus: milliseconds for parse_math to return or raise.

    The "ratio" of this row is that maximum in milliseconds (best of the repeats per input), against the
    2 s per input that tests/test_adversarial.py used to assert; it is measured and printed, never asserted.
    """
    from derive.read_latex import LatexError, parse_math

    corpus = _hostile_corpus()
    parse_math("x")  # build the parser outside the timings
    repeats = 1 if quick else 3
    worst, worst_text, total = 0.0, "", 0.0
    for text in corpus:
        def one(text=text):
            try:
                parse_math(text, line=5, col=3)
            except LatexError:
                pass

        seconds = best_of(one, repeats)
        total += seconds
        if seconds > worst:
            worst, worst_text = seconds, text
    return result(worst * 1000, HOSTILE_LIMIT_MS, "<=", inputs=len(corpus), repeats=repeats,
                  slowest_input=repr(worst_text[:40]) + (f" ({len(worst_text)} chars)" if len(worst_text) > 40 else ""),
                  mean_ms=round(total / len(corpus) * 1000, 3))


# ------------------------------------------------------------------- main

ONLY_WHEN_NAMED = {"real_world_corpus_vs_sympy_import"}  # minutes long: run with --only NAME


def run(names=None, quick: bool = False) -> dict:
    out = {}
    for name, fn in BENCHMARKS.items():
        if (names and name not in names) or (not names and name in ONLY_WHEN_NAMED):
            continue
        try:
            out[name] = fn(quick)
        except Exception as exc:  # a broken benchmark reports, it does not stop the others
            out[name] = result(None, None, None, reason=f"{type(exc).__name__}: {exc}")
    return out


def table(results: dict) -> str:
    def fmt_ratio(r):
        return "null" if r["ratio"] is None else f"{r['ratio']:.3f}"

    rows = [("benchmark", "ratio", "target", "meets", "details")]
    for name, r in results.items():
        target = "" if r.get("target") is None else f"{r['direction']} {r['target']}"
        meets = {True: "yes", False: "NO", None: "-"}[r["meets_target"]]
        details = ", ".join(f"{k}={v}" for k, v in r.items()
                            if k not in ("ratio", "target", "direction", "meets_target"))
        rows.append((name, fmt_ratio(r), target, meets, details))
    widths = [max(len(str(row[i])) for row in rows) for i in range(4)]
    lines = []
    for row in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row[:4], widths)) + "  " + row[4])
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print one JSON object {name: {...}}")
    ap.add_argument("--quick", action="store_true", help="smaller sizes and fewer repeats")
    ap.add_argument("--only", default="", help="comma-separated benchmark names")
    args = ap.parse_args(argv)
    names = [x for x in args.only.split(",") if x] or None
    unknown = [x for x in names or [] if x not in BENCHMARKS]
    if unknown:
        ap.error(f"unknown benchmark(s) {unknown}; known: {list(BENCHMARKS)}")
    results = run(names, quick=args.quick)
    print(json.dumps(results, indent=2) if args.json else table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
