"""The one registry decorator: file a function under each of its keys in a table.

The evaluator's rules (``rule = registrar(RULES)`` in derive/engine/registry.py: one rule per node
class) and the LaTeX reader's notation (``head`` and ``op`` in derive/read_latex/registry.py: one reading
per symbol or operator name) are registries, not if/elif chains::

    @rule(nodes.Pi)
    def _pi(e, env): ...
"""
from __future__ import annotations


def registrar(table: dict):
    """A decorator factory: ``@register(k1, k2, ...)`` stores the function under every key in ``table``."""
    def register_under(*keys):
        def register(fn):
            for key in keys:
                table[key] = fn
            return fn

        return register

    return register_under


__all__ = ["registrar"]
