"""The catalog of identities and classic mistakes, one module per topic.

Each module lists ``ENTRIES`` (see :class:`derive.catalog.entry.Entry`); this
package gathers them, in blog order, into one registry.
"""
from __future__ import annotations

from functools import lru_cache

from .entry import Catalog, Entry

MODULES = ("returns", "policy_gradient", "values", "actor_critic", "gae", "trust_region", "kl", "llm", "infinite",
           "optimality")


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    import importlib

    cat = Catalog()
    for name in MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        for entry in module.ENTRIES:
            cat.add(entry)
    return cat


__all__ = ["catalog", "Catalog", "Entry"]
