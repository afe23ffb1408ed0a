"""What the notebook's code cells display: Markdown tables with LaTeX, not raw dicts (issue 15, item 6).

``checks_markdown(ids, seed, samples, lang)`` re-checks catalog entries and returns a table: the
statement as LaTeX (``$...$``, rendered by Jupyter), the verdict, and the short exact and Monte Carlo
results (the badges of write-ups, badges.py).  ``figure_markdown(name, data, lang)`` is the table of the
numbers a figure shows (the dict ``plots.plot_*`` returns).  Both are plain Markdown strings, shown with
``IPython.display.Markdown``; the same seed gives the same text.
"""
from __future__ import annotations

from .badges import _short_exact, _short_mc, family_of
from .blog_display import statement_tex
from .i18n import tr

HEAD = {
    "checks": ("entry", "statement", "verdict", "exact check", "Monte Carlo"),
    "psi": ("psi_t", "variance of one trajectory", "max |mean - exact|", "z (standard errors)"),
    "gae": ("lambda", "bias (RMS)", "action-dependent bias", "variance"),
    "pair": ("quantity", "value"),
}


def _row(cells) -> str:
    return "| " + " | ".join(str(c).replace("|", "\\|") if not str(c).startswith("$") else str(c) for c in cells) \
        + " |"


def _table(head, rows, lang) -> str:
    head = [tr(h, lang) for h in head]
    return "\n".join([_row(head), "|" + "---|" * len(head)] + [_row(r) for r in rows])


def _fmt(x) -> str:
    return f"{x:.4g}" if isinstance(x, float) else str(x)


def checks_markdown(ids, seed: int = 0, samples: int = 20000, lang: str = "en") -> str:
    """Check each entry (exact + Monte Carlo) and tabulate the results."""
    from ..catalog import catalog
    from ..check_statements.runner import check_entry

    rows = []
    for entry_id in ids:
        e = catalog().get(entry_id)
        rec = check_entry(e, seed=seed, samples=samples, methods=("exact", "montecarlo"))
        tex = " ".join(statement_tex(e).split()).replace("|", "\\vert ")
        verdict = rec["verdict"]
        if e.kind == "mistake" and verdict == "fails":
            verdict = tr("✗ refuted", lang)
        else:
            verdict = {"holds": "✓", "fails": tr("✗ FAILS", lang)}.get(verdict, "? " + tr(verdict, lang))
        rows.append((f"`{entry_id}`", f"${tex}$", verdict, _short_exact(rec["methods"]["exact"], family_of(entry_id), lang),
                     _short_mc(rec["methods"]["montecarlo"], lang)))
    return _table(HEAD["checks"], rows, lang)


def figure_markdown(name: str, data: dict, lang: str = "en") -> str:
    """The numbers behind one figure, as a table."""
    if "rows" in data:
        rows = [(f"`{r['label']}`", _fmt(r["variance"]), _fmt(r["max_abs_error"]), _fmt(r.get("bias_z", ""))) for r in data["rows"]]
        return _table(HEAD["psi"], rows, lang)
    if "lambda" in data:
        rows = [(_fmt(lam), _fmt(b), _fmt(ab), _fmt(v)) for lam, b, ab, v in
                zip(data["lambda"], data["bias"], data["action_bias"], data["variance"])]
        return _table(HEAD["gae"], rows, lang)
    rows = [(tr(k, lang), _fmt(v)) for k, v in data.items()]
    return _table(HEAD["pair"], rows, lang)
