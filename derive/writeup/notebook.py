"""Jupyter notebook renderer (nbformat v4): the text as markdown cells, code cells that recheck.

Cell ids are fixed (``cell-000``, ...), no outputs or execution counts are
stored, and nbformat writes sorted JSON, so the same document gives the same
bytes.  The code cells import derive (looking for the repository upwards from
the working directory when it is not installed), re-run a couple of checks and
redraw the figures; what they show is rendered Markdown (tables with LaTeX, notebook_tables.py) and
images, never a raw dict.  Their comments and output are in the document's language.
"""
from __future__ import annotations

import nbformat

from .doc import Figure, Heading
from .markdown import block_md

SETUP = {
    "en": "# derive: set up (finds the repository when derive is not installed)\n",
    "zh": "# derive：准备工作（没有安装 derive 时，向上查找仓库目录）\n",
}
SETUP_CODE = """\
import sys, pathlib
try:
    import derive
except ImportError:
    for p in [pathlib.Path.cwd(), *pathlib.Path.cwd().parents]:
        if (p / "derive" / "__init__.py").exists():
            sys.path.insert(0, str(p))
            break
    import derive
from derive.writeup import plots
from derive.writeup.notebook_tables import checks_markdown, figure_markdown
from IPython.display import Image, Markdown, display
SEED = {seed}
LANG = {lang!r}
"""

CHECKS = {
    "en": "# Re-check two statements of 2.6.1: reward-to-go with gamma^t holds, without it fails (exact counterexample)\n",
    "zh": "# 重新检查 2.6.1 的两个式子：带 gamma^t 的 reward-to-go 成立，去掉 gamma^t 则不成立（精确反例）\n",
}
CHECKS_CODE = """\
display(Markdown(checks_markdown(["pg.psi-reward-to-go", "mistake.pg-drops-gamma-t"], seed=SEED, samples=20000,
                                 lang=LANG)))
"""

FIGURE_CODE = {
    "pg-convergence.png": "fig, data = plots.plot_convergence(seed=SEED, n={samples}, lang=LANG)",
    "psi-variance.png": "fig, data = plots.plot_psi_variance(seed=SEED, n={samples}, lang=LANG)",
    "gae-bias-variance.png": "fig, data = plots.plot_gae_bias_variance(seed=SEED, n={gae}, lang=LANG)",
    "ppo-clip.png": "fig, data = plots.plot_ppo_clip(lang=LANG)",
}
REDRAW = {"en": "# Redraw {name} with derive's engine, then show the numbers it plots\n",
          "zh": "# 用 derive 的引擎重画 {name}，并列出图中的数值\n"}


def _lang(lang: str) -> str:
    return lang if lang in SETUP else "en"


def _figure_cell(name: str, seed: int, samples: int, lang: str = "en") -> str:
    line = FIGURE_CODE[name].format(samples=samples, gae=max(5 * samples, 1000))
    return (REDRAW[_lang(lang)].format(name=name) + f"{line}\n"
            f"plots.save(fig, {name!r})\ndisplay(Image(filename={name!r}))\n"
            f"display(Markdown(figure_markdown({name!r}, data, LANG)))\n")


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

    lang = _lang(getattr(doc, "lang", "en"))
    checks = CHECKS[lang] + CHECKS_CODE
    cells.append(nbformat.v4.new_code_cell(SETUP[lang] + SETUP_CODE.format(seed=seed, lang=lang)))
    for b in doc.blocks:
        if isinstance(b, Heading):
            flush()
            if not added_checks and b.text.startswith("2.6.2"):
                cells.append(nbformat.v4.new_code_cell(checks))
                added_checks = True
        if isinstance(b, Figure):
            flush()
            if b.file in FIGURE_CODE:
                cells.append(nbformat.v4.new_code_cell(_figure_cell(b.file, seed, samples, lang)))
            continue
        md = block_md(b, lang)
        if md:
            pending.append(md)
    flush()
    if not added_checks:
        cells.append(nbformat.v4.new_code_cell(checks))
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i:03d}"
    nb.cells = cells
    nbformat.validate(nb)
    return nb


def render(doc, seed: int = 0, samples: int = 20000) -> str:
    return nbformat.writes(build(doc, seed, samples))
