"""Checking implementations: GAE, returns, lambda-returns and TD errors in a user's code.

* ``reference``: derive's own vectorised NumPy versions (``gae``, ``discounted_returns``,
  ``lambda_returns``, ``td_errors``), exact against the ground truth;
* ``truth``: the ground truth, per episode from the definitions, in exact Fractions;
* ``rollouts``: rollouts of random MDPs with terminations, truncations and both;
* ``bugs``: a reference buggy version of each known bug, to name the bug a failing code makes;
* ``runner``, ``sandbox``, ``child``: the user's function run in a fresh sandboxed interpreter
  (bubblewrap or rlimits), answering in plain data with deadlines;
* ``check``: ``check_impl`` (the verdict, the shrunk counterexample, the bug's name) and ``SpecError``;
  import them from ``derive.check_code.check`` (this package's ``__init__`` imports only ``reference``).

The conventions (signatures, index and done rules) are in docs/implementations.md.
"""
from .reference import discounted_returns, gae, lambda_returns, td_errors

__all__ = ["gae", "discounted_returns", "lambda_returns", "td_errors"]
