"""Issue 14 (speed a user feels): what the speed-ups must keep exact, and the progress display.

No timed assertion here (the figures are bench/run.py's): each test checks a behaviour that would be
wrong without the change: the LALR tables cached on disk and refused when unsafe, one evaluation per
side and instance in a chain (same values, same recorded free objects), the expectation's terms split
once, the catalog's mistakes read only when a step fails, the progress bar on a terminal only.
"""
from __future__ import annotations

import gc
import io
import os
import stat

import pytest

from derive.check_statements import side_values
from derive.check_statements.exact import cached_instances, check_exact
from derive.check_statements.quantifiers import base_envs
from derive.engine import linearity
from derive.engine.fields import EXACT
from derive.engine.tables import tables_for
from derive.engine.tensor import Undefined
from derive.read_latex import grammar_cache, parse_math

TINY = 'start: NUMBER ("+" NUMBER)*\n%import common.NUMBER\n%ignore " "\n'


# ------------------------------------------------------------ the lark tables cached on disk


def test_tables_are_saved_private_then_loaded(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(d))
    built = grammar_cache.cached_lark(TINY, parser="lalr")
    files = list(d.glob("lark-*.pickle"))
    assert len(files) == 1 and stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(d.stat().st_mode) == 0o700
    loads = []
    real = grammar_cache.Lark.load
    monkeypatch.setattr(grammar_cache.Lark, "load", classmethod(lambda cls, f: loads.append(1) or real(f)))
    again = grammar_cache.cached_lark(TINY, parser="lalr")
    assert loads == [1]
    assert again.parse("1 + 2 + 3") == built.parse("1 + 2 + 3")
    assert not list(d.glob(".lark-*"))  # no temporary file left


def test_another_grammar_or_version_gets_its_own_file(tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path))
    grammar_cache.cached_lark(TINY, parser="lalr")
    grammar_cache.cached_lark(TINY.replace('"+"', '"-"'), parser="lalr")
    assert len(list(tmp_path.glob("lark-*.pickle"))) == 2
    key = grammar_cache.cache_key(TINY, {"parser": "lalr"})
    assert key != grammar_cache.cache_key(TINY, {"parser": "lalr", "start": "start"})


def test_only_the_newest_tables_are_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path))
    for i in range(grammar_cache.KEEP + 2):
        grammar_cache.cached_lark(TINY + f"// edit {i}\n", parser="lalr")  # another text, another key
    assert len(list(tmp_path.glob("lark-*.pickle"))) == grammar_cache.KEEP


def test_a_file_with_another_key_is_not_loaded(tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path))
    key = grammar_cache.cache_key(TINY, {"parser": "lalr"})
    path = tmp_path / f"lark-{key}.pickle"
    path.write_bytes(b"another-key\nnot a pickle")
    os.chmod(path, 0o600)
    assert grammar_cache.cached_lark(TINY, parser="lalr").parse("4 + 5") is not None
    assert path.read_bytes().startswith(key.encode())  # rebuilt and saved under the right key


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_file_others_can_write_is_never_unpickled(tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path))
    key = grammar_cache.cache_key(TINY, {"parser": "lalr"})
    path = tmp_path / f"lark-{key}.pickle"
    path.write_bytes(key.encode() + b"\n" + b"garbage that would raise if unpickled")
    os.chmod(path, 0o666)
    monkeypatch.setattr(grammar_cache.Lark, "load", classmethod(lambda cls, f: pytest.fail("unpickled")))
    assert grammar_cache.cached_lark(TINY, parser="lalr").parse("1") is not None


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_directory_others_can_write_is_not_used(tmp_path, monkeypatch):
    d = tmp_path / "shared"
    d.mkdir()
    os.chmod(d, 0o777)
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(d))
    assert grammar_cache.cached_lark(TINY, parser="lalr").parse("1 + 1") is not None
    assert list(d.iterdir()) == []


def test_no_usable_directory_falls_back_to_building(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(blocker / "cache"))
    assert grammar_cache.cached_lark(TINY, parser="lalr").parse("2") is not None
    for off in ("", "off", "0"):  # turned off, as for the catalog's cache (docs/catalog.md)
        monkeypatch.setenv("DERIVE_CACHE_DIR", off)
        assert grammar_cache.cache_dir() is None
    assert grammar_cache.cached_lark(TINY, parser="lalr").parse("3") is not None


def test_xdg_cache_home_is_followed_and_a_relative_one_ignored(tmp_path, monkeypatch):
    monkeypatch.delenv("DERIVE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert grammar_cache.cache_dir() == tmp_path / "derive"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/dir")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert grammar_cache.cache_dir() == tmp_path / "home" / ".cache" / "derive"


def test_the_formula_parser_is_built_through_the_cache():
    import inspect

    from derive.read_latex import parser

    assert "cached_lark(" in inspect.getsource(parser._parser)


# ------------------------------------------------------- one evaluation per side and instance


def _envs(lhs, rhs, k=0):
    inst = cached_instances("finite", 0, True)[k]
    tables = tables_for(inst, EXACT)
    return inst, [env for env, _ in base_envs(tables, (lhs, rhs))]


def test_a_side_is_evaluated_once_per_instance_and_environment(monkeypatch):
    lhs = parse_math(r"\mathbb{E}_{\tau\sim\pi_\theta}[R(\tau)]")
    rhs = parse_math(r"\sum_{t=0}^{T-1} \mathbb{E}_{\tau\sim\pi_\theta}[r_t]")
    inst, envs = _envs(lhs, rhs, 3)
    calls = []
    real = side_values.evaluate
    monkeypatch.setattr(side_values, "evaluate", lambda e, env: calls.append(e) or real(e, env))
    inst.cache.get(("tables", EXACT.name)).memo.pop(side_values._SLOT, None)
    first = side_values.side_value(lhs, envs[0])
    second = side_values.side_value(lhs, envs[0])
    assert second is first and calls == [lhs]
    expected = real(lhs, envs[0])
    assert (first.v.data == expected.v.data).all()
    with pytest.raises(ValueError):  # a remembered value cannot be changed in place
        first.v.data[...] = 0


def test_a_hit_records_the_free_objects_again(monkeypatch):
    lhs = parse_math(r"f(s)")
    inst, envs = _envs(lhs, lhs, 2)
    inst.cache.get(("tables", EXACT.name)).memo.pop(side_values._SLOT, None)
    with inst.recording():
        side_values.side_value(lhs, envs[0])
        first = set(inst.used)
    assert first  # the free function f was used
    with inst.recording():
        side_values.side_value(lhs, envs[0])  # remembered
        assert inst.used == first


def test_undefined_is_remembered_and_raised_again(monkeypatch):
    s5 = parse_math(r"r_{T+3}")
    inst, envs = _envs(s5, s5, 0)
    inst.cache.get(("tables", EXACT.name)).memo.pop(side_values._SLOT, None)
    calls = []
    real = side_values.evaluate
    monkeypatch.setattr(side_values, "evaluate", lambda e, env: calls.append(e) or real(e, env))
    for _ in range(2):
        with pytest.raises(Undefined):
            side_values.side_value(s5, envs[0])
    assert len(calls) == 1


def test_a_chain_gives_the_verdicts_and_counterexample_of_separate_checks():
    a = parse_math(r"\mathbb{E}_{\tau\sim\pi_\theta}[R(\tau)]")
    b = parse_math(r"\sum_{t=0}^{T-1} \mathbb{E}_{\tau\sim\pi_\theta}[\gamma^t r_t]")
    c = parse_math(r"\sum_{t=0}^{T-1} \mathbb{E}_{\tau\sim\pi_\theta}[r_t]")  # wrong unless gamma = 1
    first = check_exact(a, b, "finite")
    wrong = check_exact(b, c, "finite")  # b remembered from the step before
    for inst in cached_instances("finite", 0, True):
        tables_for(inst, EXACT).memo.pop(side_values._SLOT, None)
    fresh = check_exact(b, c, "finite")
    assert first.status == "holds" and wrong.status == fresh.status == "fails"
    assert wrong.detail == fresh.detail and wrong.data == fresh.data


def test_the_terms_of_a_body_are_split_once():
    body = parse_math(r"\sum_{t=0}^{T-1} \gamma^t r_t + R(\tau)")
    linearity._TERMS.clear()
    terms = linearity.terms_of(body)
    assert linearity.terms_of(body) is terms
    assert len(terms) == len(linearity.split_terms(body))


# ------------------------------------------------------------------- the worker's fork


def _answer():
    return gc.get_freeze_count()


def test_the_worker_forks_frozen_and_the_parent_is_unfrozen():
    from derive.check_statements.sandbox import kept_worker, run_limited

    assert run_limited(_answer) > 0  # the child's collector skips the inherited objects
    with kept_worker(1024):
        assert run_limited(_answer, memory_mb=1024) > 0
    assert gc.get_freeze_count() == 0


# ------------------------------------------------ the catalog's mistakes, only for a failing step

HOLDS = "$$\\mathbb{E}_{s\\sim\\rho_0}[V^\\pi(s)] = \\mathbb{E}_{s\\sim\\rho_0}[V^\\pi(s)]$$\n"
FAILS = "$$\\gamma V^\\pi(s) = V^\\pi(s)$$\n"


@pytest.mark.parametrize("text, reads", [(HOLDS, 0), (FAILS, 1)])
def test_mistakes_are_read_only_once_a_step_fails(tmp_path, monkeypatch, text, reads):
    from derive.check_derivations import files, judge

    calls = []
    monkeypatch.setattr(files, "_mistakes", lambda setting: calls.append(setting))
    # naming the mistake and the hints (both inherited by the forked worker) are other tests' business
    monkeypatch.setattr(judge, "name_mistake", lambda *args, **kw: None)
    monkeypatch.setattr(files, "hints_for", lambda *args, **kw: [])
    path = tmp_path / "d.md"
    path.write_text(text)
    rec = files.check_file(str(path), symbolic_budget=0)
    assert rec["verdict"] == ("holds" if reads == 0 else "fails")
    assert len(calls) == reads


# ---------------------------------------------------------------------------- progress


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_on_a_terminal_only():
    from derive.cli.progress import Progress

    pipe = io.StringIO()
    with Progress(3, "step", pipe, delay=0) as bar:
        bar.advance("one")
        assert not bar.shown
    assert pipe.getvalue() == ""
    tty = _Tty()
    with Progress(3, "step", tty, delay=0) as bar:
        bar.advance("pg.reinforce")
        assert bar.shown
    assert "pg.reinforce" in tty.getvalue() and "1/3" in tty.getvalue()
    quiet = _Tty()
    with Progress(3, "step", quiet, enabled=False, delay=0) as bar:  # --json
        bar.advance("x")
    assert quiet.getvalue() == ""


def test_progress_waits_before_drawing():
    from derive.cli.progress import Progress

    tty = _Tty()
    with Progress(3, "step", tty, delay=3600) as bar:  # a run shorter than the delay shows nothing
        bar.set_total(4)
        bar.note("step 1/4")
        bar.advance("step 2/4")
    assert "step" not in tty.getvalue()


@pytest.mark.parametrize("json_flag", [False, True])
def test_derive_check_shows_steps_on_a_terminal_and_nothing_with_json(tmp_path, monkeypatch, capsys, json_flag):
    from derive.cli import main, progress

    path = tmp_path / "d.md"
    path.write_text(HOLDS)
    monkeypatch.setattr(progress, "DELAY", 0.0)
    err = _Tty()
    monkeypatch.setattr("sys.stderr", err)
    code = main(["check", str(path), "--symbolic-budget", "0"] + (["--json"] if json_flag else []))
    assert code == 0
    out = capsys.readouterr().out
    if json_flag:
        assert err.getvalue() == "" and out.lstrip().startswith("{")
    else:
        assert "step 1/1" in err.getvalue()  # the bar, on stderr
        assert "step 1/1" not in out and "holds" in out


def test_catalog_check_constants_match_their_modules():
    from derive.check_statements.montecarlo import DEFAULT_SAMPLES
    from derive.check_statements.runner import METHODS
    from derive.cli import check_cmd

    assert check_cmd.METHODS == METHODS and check_cmd.DEFAULT_SAMPLES == DEFAULT_SAMPLES


def test_benchmark_rows_of_issue_14_exist():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("bench_run", Path(__file__).parent.parent / "bench" / "run.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for name in ("homework_check_vs_sympy_import", "homework_check_warm_ms", "blog_vs_sympy_import",
                 "catalog_check_vs_sympy_import", "real_world_corpus_vs_sympy_import"):
        assert name in mod.BENCHMARKS


def test_blog_reports_each_phase_to_its_progress(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from derive.writeup import generate

    seen = []
    # the hook's wiring only (the blog itself is tests/test_blog.py's): the document and its renderers stubbed
    monkeypatch.setattr(generate, "build_blog", lambda verifier, **kw: seen.append(verifier.on_check) or
                        SimpleNamespace(lang="en"))
    stub = SimpleNamespace(render=lambda *args, **kw: "")
    for name in ("markdown", "tex", "notebook"):
        monkeypatch.setattr(generate, name, stub)
    generate.write_blog(tmp_path, checks=True, figures=False, compile_pdf=False, on_check=seen.append)
    assert seen == [seen.append, "figures", "files"]  # the verifier reports its checks; then the phases


def test_the_verifier_reports_each_check():
    from derive.writeup.badges import Verifier

    seen = []
    v = Verifier(seed=0, samples=200)
    v.on_check = seen.append
    entry_id = "pg.reinforce" if v.has("pg.reinforce") else next(iter(__import__("derive.catalog").catalog.catalog().entries))
    v.entry(entry_id)
    v.entry(entry_id)  # remembered: not checked again
    assert seen == [entry_id]


def test_the_remembered_values_are_bounded_oldest_first():
    exprs = [parse_math(f"\\gamma^{{{k}}} r_0") for k in range(side_values.KEEP + 3)]
    inst, envs = _envs(exprs[0], exprs[0], 1)
    memo = tables_for(inst, EXACT).memo
    memo.pop(side_values._SLOT, None)
    for e in exprs:
        side_values.side_value(e, envs[0])
    kept = memo[side_values._SLOT]
    assert len(kept) == side_values.KEEP
    assert (exprs[-1], side_values._signature(envs[0])) in kept
    assert (exprs[0], side_values._signature(envs[0])) not in kept
