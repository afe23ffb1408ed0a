"""Human-readable output of the command line."""
from __future__ import annotations

SHORT = {"holds": "holds", "fails": "FAILS", "not attempted": "not att.", "timed out": "timeout", "n/a": "n/a"}


def _status(text: str) -> str:
    for key, short in SHORT.items():
        if text.startswith(key):
            return short
    return text[:9]


def table(records, verbose: bool = False) -> str:
    width = max(len(r["id"]) for r in records) if records else 10
    head = f"{'id':<{width}}  {'kind':<8}  {'exact':<9}  {'symbolic':<9}  {'monte carlo':<11}  verdict"
    lines = [head, "-" * len(head)]
    for r in records:
        m = r["methods"]
        mark = "" if r["as_expected"] else "   <-- unexpected"
        verdict = r["verdict"] if r["kind"] == "identity" else ("refuted" if r["verdict"] == "fails" else r["verdict"])
        lines.append(f"{r['id']:<{width}}  {r['kind']:<8}  {_status(m['exact']):<9}  {_status(m['symbolic']):<9}  "
                     f"{_status(m['montecarlo']):<11}  {verdict}{mark}")
        if verbose or not r["as_expected"]:
            for name, text in m.items():
                lines.append(f"    {name}: {text}")
    n_id = sum(r["kind"] == "identity" for r in records)
    held = sum(r["kind"] == "identity" and r["verdict"] == "holds" for r in records)
    refuted = sum(r["kind"] == "mistake" and r["verdict"] == "fails" for r in records)
    lines.append("")
    lines.append(f"{held}/{n_id} identities hold; {refuted}/{len(records) - n_id} mistakes refuted")
    return "\n".join(lines)


def progress_printer(stream):
    """A callback that shows progress on a terminal (and stays silent in pipes and CI logs)."""
    if not stream.isatty():
        return None

    def show(done, total, record):
        stream.write(f"\r[{done}/{total}] {record['id'][:60]:<60}")
        if done == total:
            stream.write("\r" + " " * 80 + "\r")
        stream.flush()

    return show
