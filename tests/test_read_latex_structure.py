"""The LaTeX reader's structure (issue 17, item 4): small modules, no import cycle, registries in a leaf
module filled from one place, and a docstring on every reading.

The import graph is computed with ``ast`` from the source (function-level imports count), as
/tmp/cycles.py does for the whole package: ``from . import x`` is an edge to the package itself too.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from import_graph import cycles, import_graph as derive_import_graph, restricted

PACKAGE = Path(__file__).resolve().parent.parent / "derive" / "read_latex"
MAX_LINES = 400
REGISTRARS = ("head", "op", "bar")
# strongly connected components allowed in read_latex's import graph: none (the readings call the
# interpreter through the leaf tables of registry.py, never by importing each other in a circle)
ALLOWED_CYCLES: list = []


def _modules() -> dict:
    """Dotted name -> path of every module of derive/read_latex."""
    out = {}
    for path in sorted(PACKAGE.glob("*.py")):
        name = "derive.read_latex" if path.stem == "__init__" else f"derive.read_latex.{path.stem}"
        out[name] = path
    return out


def import_graph(modules: dict) -> dict:
    """module -> set of read_latex modules it imports (anywhere in its body; tests/import_graph.py)."""
    graph = restricted(derive_import_graph(), "derive.read_latex")
    return {m: graph.get(m, set()) for m in modules}


def test_the_cycle_finder_finds_a_cycle():
    """The check below can fail: a two-module circle and a self-contained leaf."""
    edges = {"a": {"b"}, "b": {"a", "c"}, "c": set()}
    assert cycles(edges) == [["a", "b"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_over_400_lines():
    long = {p.name: n for p in PACKAGE.glob("*.py") if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}, f"modules of derive/read_latex over {MAX_LINES} lines: {long}"


def test_no_import_cycle_in_read_latex():
    found = cycles(import_graph(_modules()))
    assert [c for c in found if c not in ALLOWED_CYCLES] == []


def test_registry_is_a_leaf_and_interpret_imports_no_reading():
    """registry.py imports nothing from read_latex; interpret.py imports no notation module (it looks
    readings up in the registry's tables)."""
    modules = _modules()
    edges = import_graph(modules)
    assert edges["derive.read_latex.registry"] == set()
    readings = {m for m in modules if m.rsplit(".", 1)[1].startswith(("notation", "operators", "expectations"))}
    assert edges["derive.read_latex.interpret"] & readings == set()


def test_readings_registered_from_one_place():
    """Only readings.py (and the package, which imports it) imports the notation modules for their readings:
    no notation module imports another one at its bottom to register it."""
    for path in PACKAGE.glob("*.py"):
        if path.stem in ("readings", "__init__"):
            continue
        tree = ast.parse(path.read_text())
        for node in tree.body:  # module level
            if isinstance(node, ast.ImportFrom) and node.module is None and node.level == 1:
                pytest.fail(f"{path.name}:{node.lineno}: 'from . import ...' of whole modules belongs in readings.py")


def _decorated_readings():
    """(file, line, name) of every function filed with @head(...), @op(...) or @bar(...)."""
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(d, ast.Call) and isinstance(d.func, ast.Name) and d.func.id in REGISTRARS
                    for d in node.decorator_list):
                yield path.name, node.lineno, node.name, ast.get_docstring(node)


def test_every_decorated_reading_has_a_docstring():
    found = list(_decorated_readings())
    assert len(found) > 50  # the check sees the readings
    missing = [f"{f}:{line} {name}" for f, line, name, doc in found if not doc]
    assert missing == []


def test_every_registered_reading_has_a_docstring():
    """Also the readings filed by assignment (a wrapper that keeps the earlier reading of a name)."""
    import derive.read_latex  # noqa: F401  (fills the registries)
    from derive.read_latex.registry import BARS, HEADS, OPS

    assert len(HEADS) > 50 and {"sum", "expect", "log"} <= set(OPS) and "at" in BARS
    missing = sorted(f"{table}[{key!r}] {fn.__module__}.{fn.__qualname__}"
                     for table, tab in (("HEADS", HEADS), ("OPS", OPS), ("BARS", BARS))
                     for key, fn in tab.items() if not (fn.__doc__ or "").strip())
    assert missing == []


def test_evaluation_bar_goes_through_the_registry():
    """\\left. X \\right|_{\\lambda=0} is read by the reading filed in BARS (not by a direct import)."""
    from derive.read_latex import parse_math
    from derive.read_latex.registry import BARS

    calls = []
    original = BARS["at"]

    def spy(g, sub, ctx):
        calls.append(sub)
        return original(g, sub, ctx)

    BARS["at"] = spy
    try:
        value = parse_math(r"\left. \gamma \lambda \right|_{\lambda=0}")
    finally:
        BARS["at"] = original
    assert len(calls) == 1 and value is not None
