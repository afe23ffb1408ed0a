"""The structure a newcomer can see (issue 17, item 4): small modules, one definition of each shared table."""
import re
from pathlib import Path

import derive

PACKAGE = Path(derive.__file__).resolve().parent
MAX_LINES = 400


def _modules(outside=("latex",)):
    for p in sorted(PACKAGE.rglob("*.py")):
        rel = p.relative_to(PACKAGE)
        if rel.parts[0] not in outside:
            yield rel, p.read_text(encoding="utf-8")


def test_no_module_over_400_lines_outside_latex():
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
    from derive.read_latex import interpret, notation
    from derive.writeup import doc

    assert judge.RELATION_TEX is relations.RELATION_TEX is doc.RELATION_TEX
    assert entry.RELATIONS == {"=": "=", ">=": r"\geq"}
    assert interpret.MAX_EXPONENT == rules_algebra.MAX_EXPONENT == limits.MAX_EXPONENT == 64
    assert notation.PARAMETERS == {r"\gamma": symbols.gamma, r"\lambda": symbols.lam, r"\epsilon": symbols.eps,
                                   r"\beta": symbols.beta}
    # the registries are filled through the one decorator
    assert evaluate.rule.__qualname__ == notation.head.__qualname__ == notation.op.__qualname__ \
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
