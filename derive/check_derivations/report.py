"""Rendering derivation reports: human text and the JSON contract.

JSON: ``{"ok": bool, "results": [{"file", "title", "verdict", "ok", "note",
"steps": [{"step", "line", "col", "relation", "verdict", "lhs", "rhs",
"read_as", "counterexample", "mistake", "mistake_id", "reason", "hints"}], "conventions": [...],
"definitions": [{"line", "col", "lhs", "rhs", "read_as", "error"}]}]}``.
A file that could not be read has ``"verdict": "error"`` and ``"error"``
(``FILE:LINE:COL: message``) instead of steps.
"""
from __future__ import annotations

import json

SHOWN = {"holds": "holds", "fails": "FAILS", "unknown": "unknown", "approximation": "approximation",
         "elided": "elided (steps left out)", "definition": "definition (not judged)"}


def to_json(results: list, ok: bool) -> str:
    return json.dumps({"ok": ok, "results": results}, indent=1, ensure_ascii=False)


def _mdp_lines(mdp: dict) -> list:
    keys = ("rho0", "P[s][a][s']", "R[s][a][s']")
    out = [f"{k} = {json.dumps(mdp[k]).replace(chr(34), '')}" for k in keys if k in mdp]
    pols = mdp.get("policies", {})
    if "theta" in pols:
        out.append(f"pi_theta[s][a] = {json.dumps(pols['theta']).replace(chr(34), '')}")
    for k, v in mdp.get("free functions", {}).items():
        out.append(f"{k} = {json.dumps(v).replace(chr(34), '')}")
    return out


def _step_lines(s: dict) -> list:
    lines = [f"step {s['step']} (line {s['line']}): {SHOWN.get(s['verdict'], s['verdict'])}"]
    if s.get("justification"):
        lines.append(f"  because: {s['justification']}")
    if s["read_as"] is not None:
        lines.append(f"  read as: {s['read_as']}")
    if s["verdict"] == "fails" and s["counterexample"]:
        lines.append(f"  counterexample: {s['reason']}")
        if s["counterexample"].get("mdp"):  # a step with free real numbers has a point, not an MDP
            lines.extend("    " + x for x in _mdp_lines(s["counterexample"]["mdp"]))
    elif s["reason"]:
        lines.append(f"  why: {s['reason']}")
    if s["mistake"]:
        lines.append(f"  mistake: {s['mistake']}")
    for h in s.get("hints") or ():
        lines.append(f"  hint: {h}")
    return lines


def human(results: list) -> str:
    out = []
    for r in results:
        if r["verdict"] == "error":
            out.append(f"{r['file']}: input error\n  {r['error']}")
            continue
        title = f" ({r['title']})" if r["title"] else ""
        out.append(f"{r['file']}{title}")
        if r.get("conventions"):
            out.append("  conventions: " + "; ".join(r["conventions"]))
        for d in r.get("definitions", ()):
            if d.get("kind") == "not a step":  # x \neq y in a chain (read_markdown/strict_steps.py)
                out.append(f"  not a step (line {d['line']}): {d['error']}")
                continue
            out.append(f"  definition (line {d['line']}): "
                       + (f"read as: {d['read_as']}" if d["read_as"] else f"not bound: {d['error']}"))
        for s in r["steps"]:
            out.extend("  " + x for x in _step_lines(s))
        mark = "OK" if r["ok"] else "NOT OK"
        out.append(f"  => {r['verdict']}: {r['note']} [{mark}]")
    return "\n".join(out)
