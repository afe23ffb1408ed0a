"""The command line: list, check, exit codes, JSON contract, determinism."""
from __future__ import annotations

import json
import subprocess
import sys


from derive.cli import main


def run(*args):
    proc = subprocess.run([sys.executable, "-m", "derive", *args], capture_output=True, text=True, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


def test_list_json_contract(capsys):
    assert main(["list", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data) >= 55
    for item in data:
        assert {"id", "kind", "title", "topic", "section", "latex"} <= set(item)
        assert item["kind"] in ("identity", "mistake")


def test_check_json_contract(capsys):
    ids = ["pg.psi-reward-to-go", "mistake.pg-drops-gamma-t", "ppo.clip-positive-advantage"]
    assert main(["check", *ids, "--json", "--jobs", "1"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True
    by_id = {r["id"]: r for r in report["results"]}
    assert by_id["pg.psi-reward-to-go"]["verdict"] == "holds"
    assert by_id["mistake.pg-drops-gamma-t"]["verdict"] == "fails"
    assert by_id["mistake.pg-drops-gamma-t"]["counterexample"]["mdp"]["states"] >= 1
    prefixes = ("holds", "fails", "not attempted", "timed out", "n/a")
    for r in report["results"]:
        assert set(r["methods"]) == {"exact", "symbolic", "montecarlo"}
        assert all(v.startswith(prefixes) for v in r["methods"].values())
        assert r["kind"] in ("identity", "mistake")


def test_unknown_id_suggests_nearest(capsys):
    assert main(["check", "pg.psi-rewrd-to-go"]) == 2
    err = capsys.readouterr().err
    assert "pg.psi-reward-to-go" in err


def test_bad_usage_exit_2():
    code, out, err = run("check", "--samples", "zero")
    assert code == 2 and "Traceback" not in err
    code, out, err = run("frobnicate")
    assert code == 2 and "Traceback" not in err


def test_same_seed_same_bytes():
    args = ("check", "pg.reinforce", "is.identity", "mistake.inverted-ratio", "--json", "--seed", "7",
            "--methods", "exact,montecarlo")
    first = run(*args)
    second = run(*args)
    assert first[0] == 0 and first[1] == second[1]


def test_human_table(capsys):
    assert main(["check", "values.bellman-v", "mistake.v-max-q", "--jobs", "1", "--methods", "exact"]) == 0
    out = capsys.readouterr().out
    assert "values.bellman-v" in out and "refuted" in out and "1/1 identities hold" in out
