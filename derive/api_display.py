"""Rich displays of the API's results (Jupyter's ``_repr_html_``, ``_repr_markdown_``, ``_repr_latex_``).

Every string from the user (the LaTeX as written, file names, titles) is HTML-escaped in HTML; the math
is left for the notebook's MathJax/KaTeX (``\\( ... \\)`` in HTML, ``$$ ... $$`` in Markdown and LaTeX).
A step's "read as" is printed LaTeX (SymPy's printer), with the readings derive states in brackets.
"""
from __future__ import annotations

from html import escape

MARK = {"holds": "✔ holds", "fails": "✘ FAILS", "unknown": "? unknown", "approximation": "≈ approximation",
        "elided": "… elided", "definition": "≔ definition"}
COLOUR = {"holds": "#1a7f37", "fails": "#cf222e"}


def _split_notes(read_as: str | None) -> tuple:
    """(LaTeX, notes) of a step's "read as" (``judge.read_as``: notes appended as `` [n1; n2]``)."""
    if not read_as:
        return "", ""
    if read_as.endswith("]") and " [" in read_as:
        head, _, tail = read_as.rpartition(" [")
        if head.count("{") == head.count("}"):
            return head, tail[:-1]
    return read_as, ""


def _md(text: str) -> str:
    """User text in Markdown: no HTML (a notebook would render it), no math delimiters."""
    return escape(str(text), quote=False).replace("$", r"\$")


def _no_dollar(tex: str) -> str:
    return tex.replace("$", r"\$")


def _step_words(s: dict) -> list:
    words = []
    if s["verdict"] == "fails" and s.get("counterexample"):
        words.append(("counterexample", s.get("reason") or ""))
    elif s.get("reason"):
        words.append(("why", s["reason"]))
    if s.get("mistake"):
        words.append(("mistake", s["mistake"]))
    words.extend(("hint", h) for h in s.get("hints") or ())
    return words


def steps_markdown(steps) -> str:
    blocks = []
    for s in steps:
        tex, notes = _split_notes(s.get("read_as"))
        out = [f"**step {s['step']}** (line {s['line']}): **{MARK.get(s['verdict'], s['verdict'])}**"]
        out.append(f"$$ {_no_dollar(tex)} $$" if tex else f"{_md(s['lhs'])} {s['relation']} {_md(s['rhs'])} (not read)")
        items = ([f"- read as: {_md(notes)}"] if notes else []) + [f"- {name}: {_md(text)}"
                                                                     for name, text in _step_words(s)]
        if items:
            out.append("\n".join(items))
        blocks.append("\n\n".join(out))
    return "\n\n".join(blocks) + "\n"


def steps_html(steps) -> str:
    rows = []
    for s in steps:
        tex, notes = _split_notes(s.get("read_as"))
        colour = COLOUR.get(s["verdict"], "#9a6700")
        math = f"\\({escape(tex)}\\)" if tex else f"<code>{escape(s['lhs'])} {escape(s['relation'])} " \
                                                  f"{escape(s['rhs'])}</code> (not read)"
        extra = "".join(f"<div><b>{escape(name)}:</b> {escape(text)}</div>" for name, text in _step_words(s))
        if notes:
            extra = f"<div><b>read as:</b> {escape(notes)}</div>" + extra
        rows.append(f"<tr><td>{s['step']}</td><td>{s['line']}</td>"
                    f"<td style=\"color:{colour};font-weight:bold\">{escape(MARK.get(s['verdict'], s['verdict']))}</td>"
                    f"<td style=\"text-align:left\">{math}{extra}</td></tr>")
    return ("<table class=\"derive-steps\"><thead><tr><th>step</th><th>line</th><th>verdict</th>"
            "<th style=\"text-align:left\">read as</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def steps_latex(steps) -> str:
    """The steps as written, each with its verdict: one ``aligned`` display."""
    rel = {">=": "\\geq", "<=": "\\leq"}
    rows = [f"\\text{{step {s['step']}: {s['verdict']}}} && {_no_dollar(s['lhs'])} "
            f"{rel.get(s['relation'], s['relation'])} {_no_dollar(s['rhs'])}" for s in steps]
    return "$$\\begin{aligned}" + " \\\\ ".join(rows) + "\\end{aligned}$$" if rows else "$$\\text{no steps}$$"


def _head(data: dict) -> tuple:
    mark = "OK" if data["ok"] else "NOT OK"
    title = f" ({data['title']})" if data.get("title") else ""
    return f"{data['file']}{title}", f"{data['verdict']}: {data.get('note', '')} [{mark}]"


def report_markdown(data: dict) -> str:
    name, verdict = _head(data)
    out = [f"**{_md(name)}**: {_md(verdict)}", ""]
    out.extend(f"- convention: {_md(c)}" for c in data.get("conventions", ()))
    for d in data.get("definitions", ()):
        out.append(f"- definition (line {d['line']}): " + (f"read as ${_no_dollar(d['read_as'])}$" if d["read_as"]
                                                            else f"not bound: {_md(d['error'])}"))
    return "\n".join(out) + "\n\n" + steps_markdown(data.get("steps", ()))


def report_html(data: dict) -> str:
    name, verdict = _head(data)
    notes = "".join(f"<li>convention: {escape(c)}</li>" for c in data.get("conventions", ()))
    notes += "".join(f"<li>definition (line {d['line']}): "
                     + (f"read as \\({escape(d['read_as'])}\\)" if d["read_as"] else f"not bound: {escape(d['error'])}")
                     + "</li>" for d in data.get("definitions", ()))
    return (f"<div class=\"derive-report\"><p><b>{escape(name)}</b>: {escape(verdict)}</p>"
            + (f"<ul>{notes}</ul>" if notes else "") + steps_html(data.get("steps", ())) + "</div>")


def math_markdown(tex: str, notes=()) -> str:
    return f"$$ {_no_dollar(tex)} $$" + (f"\n\nread as: {'; '.join(notes)}" if notes else "")


def math_html(tex: str, notes=()) -> str:
    return f"<div>\\[{escape(tex)}\\]" + (f"<p>read as: {escape('; '.join(notes))}</p>" if notes else "") + "</div>"


def entry_markdown(entry) -> str:
    refs = "; ".join(entry.references)
    out = [f"**{entry.id}** ({entry.kind}, section {entry.section}): {entry.title}",
           f"$$ {_no_dollar(entry.latex)} $$", f"setting: {entry.setting}"]
    if entry.conditions:
        out.append(f"conditions: {entry.conditions}")
    if entry.kind == "mistake":
        out.append(f"mistake: {entry.mistake} (corrects {entry.corrects})")
    if refs:
        out.append(f"references: {refs}")
    return "\n\n".join(out) + "\n"


def entry_html(entry) -> str:
    out = [f"<p><b>{escape(entry.id)}</b> ({escape(entry.kind)}, section {escape(entry.section)}): "
           f"{escape(entry.title)}</p>", f"<div>\\[{escape(entry.latex)}\\]</div>",
           f"<p>setting: {escape(entry.setting)}</p>"]
    if entry.conditions:
        out.append(f"<p>conditions: {escape(entry.conditions)}</p>")
    if entry.kind == "mistake":
        out.append(f"<p>mistake: {escape(entry.mistake)} (corrects {escape(entry.corrects)})</p>")
    if entry.references:
        out.append(f"<p>references: {escape('; '.join(entry.references))}</p>")
    return "<div class=\"derive-entry\">" + "".join(out) + "</div>"


def catalog_html(entries) -> str:
    rows = "".join(f"<tr><td>{escape(e.id)}</td><td>{escape(e.kind)}</td><td>{escape(e.section)}</td>"
                   f"<td style=\"text-align:left\">{escape(e.title)}</td></tr>" for e in entries)
    return ("<table class=\"derive-catalog\"><thead><tr><th>id</th><th>kind</th><th>section</th>"
            "<th style=\"text-align:left\">title</th></tr></thead><tbody>" + rows + "</tbody></table>")


def verification_markdown(data: dict, entry) -> str:
    head = f"**{data['id']}**: {data['verdict']} (expected {data['expected']}; " \
           f"{'as expected' if data['as_expected'] else 'NOT as expected'})"
    methods = "\n".join(f"- {name}: {text}" for name, text in data["methods"].items())
    return f"{head}\n\n$$ {_no_dollar(entry.latex)} $$\n\n{methods}\n"


def verification_html(data: dict, entry) -> str:
    methods = "".join(f"<li>{escape(name)}: {escape(text)}</li>" for name, text in data["methods"].items())
    return (f"<div class=\"derive-verification\"><p><b>{escape(data['id'])}</b>: {escape(data['verdict'])} "
            f"(expected {escape(data['expected'])}; {'as expected' if data['as_expected'] else 'NOT as expected'})"
            f"</p><div>\\[{escape(entry.latex)}\\]</div><ul>{methods}</ul></div>")


class ShowAs:
    """The renderers above, as one namespace for api_report.py (``show.report_html(...)``)."""

    steps_markdown, steps_html, steps_latex = map(staticmethod, (steps_markdown, steps_html, steps_latex))
    report_markdown, report_html = map(staticmethod, (report_markdown, report_html))
    math_markdown, math_html = map(staticmethod, (math_markdown, math_html))
    verification_markdown, verification_html = map(staticmethod, (verification_markdown, verification_html))
