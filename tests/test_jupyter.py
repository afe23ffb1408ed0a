"""Jupyter (issue 16, item 2): ``%load_ext derive``, the ``%%derive`` cell magic, rich displays."""
from __future__ import annotations

import pytest

from derive.jupyter import derive_cell, load_ipython_extension

BELLMAN = r"""$$ V^\pi(s) = \sum_a \pi(a|s) Q^\pi(s,a)
   = \sum_a \pi(a|s) \sum_{s'} P(s'|s,a) \left[ R(s,a,s') + V^\pi(s') \right] $$"""


class _FakeShell:
    def __init__(self):
        self.registered = []

    def register_magic_function(self, func, magic_kind, magic_name):
        self.registered.append((func, magic_kind, magic_name))


def test_load_ext_registers_the_cell_magic():
    import derive

    shell = _FakeShell()
    derive.load_ipython_extension(shell)
    assert shell.registered == [(derive_cell, "cell", "derive")]
    load_ipython_extension(shell)
    assert len(shell.registered) == 2


@pytest.mark.parametrize("line, cell, said", [
    ("--setting continuous", BELLMAN, "%%derive: argument --setting: invalid choice"),
    ("--nope", BELLMAN, "%%derive: unrecognized arguments: --nope"),
    ("", "---\nsetting: nope\n---\n" + BELLMAN, "<cell>:2:1: front matter setting: must be one of"),
    ("--gamma 3", BELLMAN, "<cell>:1:1: option gamma: must lie in [0, 1]"),
])
def test_bad_input_is_a_message_never_a_traceback(line, cell, said, capsys):
    assert derive_cell(line, cell) is None
    assert capsys.readouterr().err.startswith(said)


@pytest.mark.slow
def test_the_magic_returns_the_report():
    report = derive_cell("--setting discounted", BELLMAN)
    assert [s.verdict for s in report.steps] == ["holds", "fails"]
    assert report.steps[1].mistake_id == "mistake.bellman-missing-gamma"
    assert "FAILS" in report._repr_html_()


@pytest.mark.slow
def test_a_notebook_uses_the_magic_and_the_displays():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("%load_ext derive"),
                nbformat.v4.new_code_cell("%%derive --setting discounted\n" + BELLMAN),
                nbformat.v4.new_code_cell("import derive\nderive.parse(r'\\mathbb{E}[G_t]')"),
                nbformat.v4.new_code_cell("derive.catalog()['return.discounted-peel']")]
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3").execute()
    for cell in nb.cells[1:]:
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.outputs
    magic = nb.cells[1].outputs[-1]["data"]
    assert {"text/html", "text/markdown", "text/latex", "text/plain"} <= set(magic)
    assert "derive-steps" in magic["text/html"] and "✘ FAILS" in magic["text/html"]
    assert "missing gamma in the Bellman equation" in magic["text/markdown"]
    expr = nb.cells[2].outputs[-1]["data"]
    assert expr["text/latex"] == "$$\\mathbb{E}_{\\tau \\sim \\pi_{\\theta}}\\left[G_{t}\\right]$$"
    entry = nb.cells[3].outputs[-1]["data"]
    assert "return.discounted-peel" in entry["text/html"] and "text/markdown" in entry
