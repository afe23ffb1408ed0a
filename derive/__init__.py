"""derive: reinforcement-learning identities verified exactly, symbolically and by Monte Carlo.

The Python API (docs/api.md; derive/api.py), loaded on first use so that ``import derive`` stays cheap:

    derive.check(text_or_path, *, setting=None, gamma=None, assume=None) -> Report
    derive.equal(lhs_latex, rhs_latex, **options) -> StepResult
    derive.verify(entry_id) -> Verification
    derive.catalog() -> Catalog
    derive.parse(latex) -> Expression | Equation
    derive.DeriveError: bad input, with .line and .column

The reference implementations are re-exported too: ``from derive import gae, discounted_returns,
lambda_returns, td_errors``.  In Jupyter, ``%load_ext derive`` gives the ``%%derive`` cell magic
(derive/jupyter.py).
"""

_IMPL = ("gae", "discounted_returns", "lambda_returns", "td_errors")
_API = ("check", "equal", "verify", "parse", "DeriveError", "Report", "StepResult", "Expression", "Equation",
        "Verification")


def __getattr__(name):
    if name in _IMPL:
        from .check_code import reference

        return getattr(reference, name)
    if name in _API:
        from . import api

        return getattr(api, name)
    if name == "catalog":  # the subpackage derive.catalog, callable: derive.catalog() (catalog/__init__.py)
        import importlib

        return importlib.import_module(".catalog", __name__)
    raise AttributeError(f"module 'derive' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_IMPL) + list(_API) + ["catalog"])


def load_ipython_extension(ipython):
    """``%load_ext derive``: the ``%%derive`` cell magic (derive/jupyter.py)."""
    from .jupyter import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython):
    from .jupyter import unload_ipython_extension as unload

    unload(ipython)
