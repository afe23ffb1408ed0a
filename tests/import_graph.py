"""derive's module import graph and its cycles, for the structure tests (test_layout, test_engine_structure,
test_read_latex_structure): one finder, counting function-level imports."""
from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

DERIVE = Path(__file__).resolve().parent.parent / "derive"


def _module_name(package: Path, path: Path) -> str:
    parts = (package.name,) + path.relative_to(package).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(package: Path = DERIVE) -> dict:
    """module -> set of the package's modules it imports, anywhere in its source (function-level imports and
    ``if TYPE_CHECKING:`` blocks count).  ``from P import x`` is an edge to P and, when P.x is a module, to P.x;
    relative imports are resolved against the module's package."""
    return {m: set(ts) for m, ts in _graph(package).items()}


@lru_cache(maxsize=4)
def _graph(package: Path) -> dict:
    files = {_module_name(package, p): p for p in package.rglob("*.py")}
    graph = {}
    for mod, path in files.items():
        here = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here.split(".")[:len(here.split(".")) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                targets.update([target] + [f"{target}.{a.name}" for a in node.names])
            elif isinstance(node, ast.Import):
                targets.update(a.name for a in node.names)  # import a.b.c imports a.b.c
        graph[mod] = tuple(sorted(t for t in targets if t in files and t != mod))
    return graph


def restricted(graph: dict, prefix: str) -> dict:
    """The subgraph of the modules under ``prefix`` (edges leaving it dropped)."""
    inside = lambda m: m == prefix or m.startswith(prefix + ".")  # noqa: E731
    return {m: {t for t in ts if inside(t)} for m, ts in graph.items() if inside(m)}


def cycles(graph: dict) -> list:
    """The strongly connected components with more than one module (Tarjan's algorithm, iterative), sorted."""
    index, low, on_stack, stack, out, counter = {}, {}, set(), [], [], [0]
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, children = work[-1]
            w = next(children, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph.get(w, ())))))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return sorted(out)
