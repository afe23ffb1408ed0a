"""derive: reinforcement-learning identities verified exactly, symbolically and by Monte Carlo.

The reference implementations are re-exported lazily (importing ``derive`` stays cheap):
``from derive import gae, discounted_returns, lambda_returns, td_errors``.
"""

_IMPL = ("gae", "discounted_returns", "lambda_returns", "td_errors")


def __getattr__(name):
    if name in _IMPL:
        from .check_code import reference

        return getattr(reference, name)
    raise AttributeError(f"module 'derive' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_IMPL))
