"""The class's grade sheet: CSV (``file,steps,first_wrong_step,mistake,unknown``), a standalone HTML report
(no script, no external resource; every string from a submission HTML-escaped) and a text summary.

Rows are those of grade.py.  In the CSV, ``first_wrong_step`` and ``mistake`` are empty when no step
fails (or the failing step makes no named mistake), ``steps`` is ``error`` for a file derive could not
read (the HTML says why); a cell a spreadsheet would run as a formula starts with ``'``.  The implementations' CSV is ``file,verdict,bug,reason``.
"""
from __future__ import annotations

import csv
import io
from html import escape

from .grade import CSV_HEADER, IMPL_CSV_HEADER, common_mistakes


def _cell(value) -> str:
    """A CSV cell; text a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR first: a
    submission's file name) gets a leading ``'`` (OWASP, "CSV injection")."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(rows: list, impl: bool = False) -> str:
    out = io.StringIO()
    header = IMPL_CSV_HEADER if impl else CSV_HEADER
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for r in rows:
        writer.writerow([_cell(r.get(k)) for k in header])
    return out.getvalue()


STYLE = ("body{font-family:system-ui,sans-serif;margin:2em;color:#1f2328}table{border-collapse:collapse;"
         "margin:1em 0}th,td{border:1px solid #d0d7de;padding:.3em .6em;text-align:left;vertical-align:top}"
         "th{background:#f6f8fa}.fails{color:#cf222e}.holds{color:#1a7f37}.error{color:#9a6700}"
         "small{color:#57606a}")


def _derivation_cells(r: dict) -> list:
    if r.get("error"):
        return [escape(r["file"]), "<span class=\"error\">error</span>", "", "", "",
                f"<small>{escape(r['error'])}</small>"]
    mistake = ""
    if r.get("mistake"):
        mistake = f"{escape(r['mistake'])}<br><small>{escape(r.get('mistake_name') or '')}</small>"
    elif r.get("first_wrong_step") is not None:
        mistake = "<small>(no named mistake)</small>"
    first = "" if r.get("first_wrong_step") is None else \
        f"<span class=\"fails\">{r['first_wrong_step']}</span> <small>(line {r.get('line', '?')})</small>"
    verdict = r.get("verdict", "")
    return [escape(r["file"]), str(r["steps"]), first, mistake, str(r.get("unknown") or 0),
            f"<span class=\"{escape(verdict)}\">{escape(verdict)}</span>"]


def _impl_cells(r: dict) -> list:
    verdict = r.get("verdict", "error")
    return [escape(r["file"]), f"<span class=\"{escape(verdict)}\">{escape(verdict)}</span>",
            escape(r.get("bug") or ""), f"<small>{escape(r.get('reason') or r.get('error') or '')}</small>"]


def _table(head, rows) -> str:
    return ("<table><thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr></thead><tbody>"
            + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
            + "</tbody></table>")


def summary_counts(rows: list, impl: bool = False) -> dict:
    if impl:
        return {"submissions": len(rows), "hold": sum(r.get("verdict") == "holds" for r in rows),
                "fail": sum(r.get("verdict") == "fails" for r in rows),
                "unknown or error": sum(r.get("verdict") not in ("holds", "fails") for r in rows)}
    return {"submissions": len(rows), "every step holds": sum(r.get("verdict") == "holds" for r in rows),
            "a step fails": sum(r.get("first_wrong_step") is not None for r in rows),
            "unreadable": sum(bool(r.get("error")) for r in rows)}


def to_html(rows: list, folder: str, impl: bool = False, kind: str | None = None) -> str:
    what = f"implementations of {kind}" if impl else "derivations"
    counts = summary_counts(rows, impl)
    common = common_mistakes(rows, impl)
    head = ("file", "verdict", "bug", "reason") if impl else \
        ("file", "steps", "first wrong step", "mistake", "unknown", "verdict")
    body = [f"<h1>derive grade: {escape(folder)}</h1>",
            f"<p>{len(rows)} {escape(what)}. " + "; ".join(f"{escape(k)}: {v}" for k, v in counts.items()) + "</p>",
            f"<h2>Most common {'bugs' if impl else 'mistakes'}</h2>"]
    if common:
        body.append(_table(("count", "id", "name"), [[str(n), escape(k), escape(name)] for k, name, n in common]))
    else:
        body.append(f"<p>No named {'bug' if impl else 'mistake'} in this class.</p>")
    body.append("<h2>Submissions</h2>")
    body.append(_table(head, [_impl_cells(r) if impl else _derivation_cells(r) for r in rows]))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            f"<title>derive grade: {escape(folder)}</title><style>{STYLE}</style></head><body>"
            + "\n".join(body) + "</body></html>\n")


def to_text(rows: list, impl: bool = False) -> str:
    """The summary printed on stdout: counts and the most common mistakes."""
    counts = summary_counts(rows, impl)
    lines = [", ".join(f"{k}: {v}" for k, v in counts.items())]
    common = common_mistakes(rows, impl)
    if common:
        lines.append(f"most common {'bugs' if impl else 'mistakes'}:")
        lines.extend(f"  {n:4d}  {k}: {name}" for k, name, n in common[:10])
    return "\n".join(lines)
