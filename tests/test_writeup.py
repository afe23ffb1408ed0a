"""derive writeup: catalog ids and derivation files in md, tex and ipynb; errors; plots."""
from __future__ import annotations

import nbformat
import pytest

from derive.cli import main
from derive.writeup import plots


def test_writeup_id_markdown(tmp_path, capsys):
    out = tmp_path / "w.md"
    assert main(["writeup", "pg.psi-reward-to-go", "--out", str(out), "--samples", "2000"]) == 0
    md = out.read_text(encoding="utf-8")
    assert "### Statement" in md and "### Derivation" in md and "### References" in md
    assert "mistake.pg-drops-gamma-t" in md and "lhs = " in md  # the mistake's exact counterexample
    assert "✓ exact: 22 random MDPs" in md and "montecarlo: holds" in md


@pytest.mark.parametrize("entry_id", ["kl.k3-gradient-forward", "mistake.k3-detached-ratio", "grpo.mean-baseline-shrinks",
                                      "gpg.alpha-rescales", "trpo.lower-bound"])  # a token entry: the tex test below
def test_writeup_new_topics(tmp_path, entry_id):
    out = tmp_path / "w.md"
    assert main(["writeup", entry_id, "--format", "md", "--out", str(out), "--samples", "500"]) == 0
    md = out.read_text(encoding="utf-8")
    assert f"## {entry_id}:" in md and "### Numeric check" in md
    if entry_id.startswith("mistake."):
        assert "✗ refuted" in md and "lhs = " in md
    else:
        assert "✓ " in md and "✗" not in md.split("### Numeric check")[1]
    if entry_id == "trpo.lower-bound":
        assert "smallest slack" in md and "inequality" in md


def test_writeup_new_topic_tex(tmp_path):
    tex = tmp_path / "w.tex"
    assert main(["writeup", "grpo.leave-one-out", "token.trajectory-ratio", "--format", "tex", "--out", str(tex),
                 "--samples", "500"]) == 0
    body = tex.read_text(encoding="utf-8")
    assert body.rstrip().endswith("\\end{document}")
    # a token-MDP entry says which family its checks ran on (one token write-up in the tests: each costs ~10 s)
    assert "token MDP family" in body and "family=token" in body and "10 token MDPs" in body


def test_writeup_file_tex_and_ipynb(tmp_path):
    tex = tmp_path / "w.tex"
    assert main(["writeup", "proofs/mistakes/pg-drops-gamma-t.md", "--format", "tex", "--out", str(tex)]) == 0
    body = tex.read_text(encoding="utf-8")
    assert "\\begin{aligned}" in body and "fails" in body and body.rstrip().endswith("\\end{document}")
    nbp = tmp_path / "w.ipynb"
    assert main(["writeup", "proofs/2.2.2-t-step-return.md", "--format", "ipynb", "--out", str(nbp)]) == 0
    nbformat.validate(nbformat.read(str(nbp), as_version=4))


def test_writeup_unknown_id(tmp_path, capsys):
    assert main(["writeup", "pg.psi-rewrd-to-go", "--out", str(tmp_path / "x.md")]) == 2
    assert "did you mean: pg.psi-reward-to-go" in capsys.readouterr().err


def test_writeup_bad_file(tmp_path, capsys):
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: x\n---\n$$\na = b\n", encoding="utf-8")
    assert main(["writeup", str(bad), "--out", str(tmp_path / "x.md")]) == 2
    assert f"{bad}:4:1" in capsys.readouterr().err


def test_plots_are_deterministic(tmp_path):
    for d in ("a", "b"):
        fig, _ = plots.plot_convergence(seed=1, n=500)
        plots.save(fig, tmp_path / f"{d}.png")
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()


def test_psi_variance_ordering():
    from derive.writeup.psi_study import psi_study

    var = {(r["form"], r["critic"]): r["variance"] for r in psi_study(seed=0, n=4000)["rows"]}
    assert var[2, "none"] < var[1, "none"]  # dropping past rewards cuts variance
    assert var[5, "true"] < var[4, "true"]  # with the true critics, the baseline V cuts it further


def test_gae_tradeoff():
    _, lam, bias, action_bias, variance = plots.gae_bias_variance(seed=0, n=50000)
    assert variance[-1] > variance[0] and bias[-1] < bias[0]
