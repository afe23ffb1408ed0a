"""Jupyter notebook renderer (nbformat v4): the text as markdown cells, code cells that recheck.

Cell ids are fixed (``cell-000``, ...), no outputs or execution counts are
stored, and nbformat writes sorted JSON, so the same document gives the same
bytes.  The code cells import derive (looking for the repository upwards from
the working directory when it is not installed), re-run a couple of checks and
redraw the figures.
"""
from __future__ import annotations

import nbformat

from .doc import Figure, Heading
from .markdown import block_md

SETUP = """\
# derive: set up (finds the repository when derive is not installed)
import sys, pathlib
try:
    import derive
except ImportError:
    for p in [pathlib.Path.cwd(), *pathlib.Path.cwd().parents]:
        if (p / "derive" / "__init__.py").exists():
            sys.path.insert(0, str(p))
            break
    import derive
from derive.catalog import catalog
from derive.check_statements.runner import check_entry
from derive.writeup import plots
from IPython.display import Image, display
SEED = {seed}
"""

CHECKS = """\
# Re-check two statements of 2.6.1: reward-to-go with gamma^t holds, without it fails (exact counterexample)
for entry_id in ["pg.psi-reward-to-go", "mistake.pg-drops-gamma-t"]:
    rec = check_entry(catalog().get(entry_id), seed=SEED, samples=20000, methods=("exact", "montecarlo"))
    lines = [f"{entry_id} -> {rec['verdict']}"] + [f"    {m}: {rec['methods'][m]}" for m in ("exact", "montecarlo")]
    print("\\n".join(lines), flush=True)
"""

FIGURE_CODE = {
    "pg-convergence.png": "fig, data = plots.plot_convergence(seed=SEED, n={samples})",
    "psi-variance.png": "fig, data = plots.plot_psi_variance(seed=SEED, n={samples})",
    "gae-bias-variance.png": "fig, data = plots.plot_gae_bias_variance(seed=SEED, n={gae})",
    "ppo-clip.png": "fig, data = plots.plot_ppo_clip()",
}


def _figure_cell(name: str, seed: int, samples: int) -> str:
    line = FIGURE_CODE[name].format(samples=samples, gae=max(5 * samples, 1000))
    return (f"# Redraw {name} with derive's engine\n{line}\n"
            f"plots.save(fig, {name!r})\nprint(data)\ndisplay(Image(filename={name!r}))\n")


def build(doc, seed: int = 0, samples: int = 20000) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    cells, pending = [], []
    added_checks = False

    def flush():
        if pending:
            cells.append(nbformat.v4.new_markdown_cell("\n\n".join(pending)))
            pending.clear()

    cells.append(nbformat.v4.new_code_cell(SETUP.format(seed=seed)))
    for b in doc.blocks:
        if isinstance(b, Heading):
            flush()
            if not added_checks and b.text.startswith("2.6.2"):
                cells.append(nbformat.v4.new_code_cell(CHECKS))
                added_checks = True
        if isinstance(b, Figure):
            flush()
            if b.file in FIGURE_CODE:
                cells.append(nbformat.v4.new_code_cell(_figure_cell(b.file, seed, samples)))
            continue
        md = block_md(b)
        if md:
            pending.append(md)
    flush()
    if not added_checks:
        cells.append(nbformat.v4.new_code_cell(CHECKS))
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i:03d}"
    nb.cells = cells
    nbformat.validate(nb)
    return nb


def render(doc, seed: int = 0, samples: int = 20000) -> str:
    return nbformat.writes(build(doc, seed, samples))
