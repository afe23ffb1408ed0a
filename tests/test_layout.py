"""The structure a newcomer can see (issue 17, item 4): small modules, one definition of each shared table,
no import cycle."""
import re
from functools import lru_cache
from pathlib import Path

import pytest

import derive
from import_graph import cycles, import_graph

PACKAGE = Path(derive.__file__).resolve().parent
MAX_LINES = 400


def _modules(outside=()):
    for p in sorted(PACKAGE.rglob("*.py")):
        rel = p.relative_to(PACKAGE)
        if rel.parts[0] not in outside:
            yield rel, p.read_text(encoding="utf-8")


def test_no_module_over_400_lines():
    big = {str(rel): text.count("\n") for rel, text in _modules() if text.count("\n") > MAX_LINES}
    assert not big, f"modules over {MAX_LINES} lines: {big}"


def _defined(pattern: str) -> list:
    rx = re.compile(pattern, re.M)
    return [str(rel) for rel, text in _modules(outside=()) for _ in rx.finditer(text)]


def test_shared_tables_are_defined_once():
    assert _defined(r"^RELATION_TEX\s*=") == ["lang/relations.py"]
    assert _defined(r"^MAX_EXPONENT\s*=") == ["lang/limits.py"]
    assert _defined(r"^PARAMETERS\s*=\s*\{") == ["lang/symbols.py"]
    assert _defined(r"^\s*def register\(") == ["lang/registry.py"]


def test_every_user_reads_the_one_table():
    from derive.catalog import entry
    from derive.check_derivations import judge
    from derive.engine import evaluate, rules_algebra
    from derive.lang import limits, relations, symbols
    from derive.read_latex import arithmetic, registry, spellings
    from derive.writeup import doc

    assert judge.RELATION_TEX is relations.RELATION_TEX is doc.RELATION_TEX
    assert entry.RELATIONS == {"=": "=", ">=": r"\geq"}
    assert arithmetic.MAX_EXPONENT == rules_algebra.MAX_EXPONENT == limits.MAX_EXPONENT == 64
    assert spellings.PARAMETERS == {r"\gamma": symbols.gamma, r"\lambda": symbols.lam, r"\epsilon": symbols.eps,
                                   r"\beta": symbols.beta}
    # the registries are filled through the one decorator
    assert evaluate.rule.__qualname__ == registry.head.__qualname__ == registry.op.__qualname__ \
        == "registrar.<locals>.register_under"


def test_nodes_module_gathers_every_node():
    from sympy import Function

    from derive.lang import nodes, objectives, optimal
    from derive.lang import expectation_nodes, mdp_nodes, node_base, operator_nodes, value_nodes

    parts = (node_base, mdp_nodes, value_nodes, operator_nodes, expectation_nodes)
    for mod in parts:
        for name in mod.__all__:
            assert getattr(nodes, name) is getattr(mod, name), name
            assert name in nodes.__all__, name
    assert {m.__name__ for m in parts} == nodes.NODE_MODULES
    # read_latex/notation_llm.py tells the language's own nodes from objectives' and optimal's by their module
    own = [c for m in parts for c in vars(m).values() if isinstance(c, type) and issubclass(c, Function)
           and c.__module__ == m.__name__]
    assert nodes.St in own and nodes.Expect in own and len(own) >= 40
    assert optimal.VStar.__module__ not in nodes.NODE_MODULES
    assert objectives.OptTheta.__module__ not in nodes.NODE_MODULES


# ------------------------------------------------ the import graph has no cycle (issue 17, item 4)

# Cycles still allowed: {frozenset of module prefixes: reason}; a strongly connected component is allowed when all
# its modules lie under the prefixes of one key, e.g.
#     frozenset({"derive.read_latex"}): "the LaTeX reader's registries, being moved to one leaf module (issue 17)",
# Shrink it as cycles are broken: test_allowed_cycles_still_exist fails when an allowed one is gone, and a cycle
# anywhere else (or one that reaches outside its prefixes) fails test_no_import_cycle.  Empty since issue 17.
ALLOWED_CYCLES: dict = {}


def _within(comp, prefixes) -> bool:
    """Whether every module of the cycle lies under one of the prefixes."""
    return all(any(m == q or m.startswith(q + ".") for q in prefixes) for m in comp)


@lru_cache(maxsize=1)
def _derive_cycles() -> tuple:
    return tuple(tuple(c) for c in cycles(import_graph()))


def test_no_import_cycle():
    found = [c for c in _derive_cycles() if not any(_within(c, k) for k in ALLOWED_CYCLES)]
    assert not found, "import cycles (move the shared piece into the module it belongs in): " + \
        "; ".join(" <-> ".join(c) for c in found)


def test_allowed_cycles_still_exist():
    found = _derive_cycles()
    gone = [sorted(k) for k in ALLOWED_CYCLES if not any(_within(c, k) for c in found)]
    assert not gone, f"these cycles are broken: remove them from ALLOWED_CYCLES: {gone}"


def _package(tmp_path, files: dict) -> Path:
    root = tmp_path / "pkg"
    for name, text in files.items():
        f = root / name
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(text)
    return root


@pytest.mark.parametrize("files, expected", [
    ({"__init__.py": "", "a.py": "from .b import x\n", "b.py": "def f():\n    from . import a\n"},  # in a function
     [["pkg.a", "pkg.b"]]),
    ({"__init__.py": "from . import sub\n", "sub/__init__.py": "", "sub/c.py": "import pkg\n"}, []),
    ({"__init__.py": "from .sub.c import y\n", "sub/__init__.py": "", "sub/c.py": "from .. import z\n"},
     [["pkg", "pkg.sub.c"]]),
    ({"__init__.py": "", "a.py": "from pkg.b import x\n", "b.py": "from .c import y\n", "c.py": "import pkg.a\n"},
     [["pkg.a", "pkg.b", "pkg.c"]]),
    ({"__init__.py": "", "a.py": "from .b import x\n", "b.py": "import os\n"}, []),
])
def test_the_cycle_finder_finds_cycles(tmp_path, files, expected):
    assert cycles(import_graph(_package(tmp_path, files))) == expected
