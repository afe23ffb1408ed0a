"""Jupyter: ``%load_ext derive`` registers the ``%%derive`` cell magic.

    %%derive [--setting finite|discounted|episodic] [--gamma G] [--assume TEXT] [--seed N] [--timeout S]
    $$ V^\\pi(s) = \\sum_a \\pi(a|s) Q^\\pi(s,a) $$

The cell is a Markdown derivation (front matter allowed), judged as ``derive.check`` judges it; the cell's
value is the ``Report``, which the notebook shows with per-step verdicts (``Report._repr_html_``).  Bad
input (a front matter error, an unknown option) is printed as ``<cell>:LINE:COL: message``, never as a
traceback; line 1 is the cell's first line after ``%%derive``.
"""
from __future__ import annotations

import argparse
import shlex
import sys

OPTIONS = ("setting", "gamma", "assume", "seed", "timeout")


class _Args(argparse.ArgumentParser):
    def error(self, message):
        raise ValueError(message)


def _parser() -> argparse.ArgumentParser:
    p = _Args(prog="%%derive", add_help=False)
    p.add_argument("--setting", choices=("finite", "discounted", "episodic"))
    p.add_argument("--gamma")
    p.add_argument("--assume")
    p.add_argument("--seed", type=int)
    p.add_argument("--timeout", type=float)
    return p


def derive_cell(line: str, cell: str):
    """The ``%%derive`` magic: the cell's ``Report``, or None after printing the input error."""
    from .api import DeriveError, check

    try:
        args = _parser().parse_args(shlex.split(line or ""))
    except ValueError as exc:
        print(f"%%derive: {exc}", file=sys.stderr)
        return None
    options = {k: getattr(args, k) for k in OPTIONS if getattr(args, k) is not None}
    try:
        report = check(cell if "\n" in cell or "$" in cell else cell + "\n", **options)  # never a file name
    except DeriveError as err:
        print(f"<cell>:{err.line}:{err.column}: {err.message}", file=sys.stderr)
        return None
    return report


def load_ipython_extension(ipython) -> None:
    ipython.register_magic_function(derive_cell, magic_kind="cell", magic_name="derive")


def unload_ipython_extension(ipython) -> None:
    ipython.magics_manager.magics["cell"].pop("derive", None)
