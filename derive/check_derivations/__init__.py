"""Checking students' derivations step by step (``derive check FILE.md|DIR``).

    collect(targets) -> [path]                 files.py: DIRs become their *.md files
    check_file(path, timeout, memory_mb, ...)   files.py: the report of one file
    judge_exact(step, setting)                  judge.py: one step's exact verdict
    shrink(lhs, rhs, inst, relation)            shrink.py: a simpler failing MDP
    name_mistake(lhs, rhs, setting)             mistakes.py: the catalog mistake a step makes
    human(results), to_json(results, ok)        report.py
"""
from .files import InputProblem, check_file, collect, file_verdict
from .judge import judge_exact
from .mistakes import name_mistake
from .report import human, to_json
from .shrink import shrink

__all__ = ["InputProblem", "check_file", "collect", "file_verdict", "judge_exact", "name_mistake", "human",
           "to_json", "shrink"]
