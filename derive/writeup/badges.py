"""Verification status of what a write-up shows, computed when it is generated.

``Verifier`` runs derive's own checks and memoises them:

* ``entry(id)``: ``check_entry`` with the exact and Monte Carlo methods (the
  symbolic method is slow and is left to ``derive check``);
* ``steps(path)``: the checker's exact judging of every step of a derivation
  file (``judge_exact``, in process, without SymPy).

``badge_*`` turn those records into one short line, e.g.
"✓ exact: 22 random MDPs · Monte Carlo: max |z| = 0.98 (N = 20000) · [pg.psi-reward-to-go]".
``Unchecked`` gives the same interface without running anything (``--no-checks``).
"""
from __future__ import annotations

import re

from ..catalog import catalog
from ..setting import Setting
from .i18n import tr
from .labels import counterexample_lines  # noqa: F401  (re-exported: the write-ups import it from here)

STATED = "stated, not yet verified"


class Verifier:
    on_check = None  # on_check(label) after each check is run: derive blog's progress (cli/progress.py)

    def __init__(self, seed: int = 0, samples: int = 20000):
        self.seed, self.samples = seed, samples
        self._entries: dict = {}
        self._steps: dict = {}

    def has(self, entry_id: str) -> bool:
        return entry_id in catalog().entries

    def entry(self, entry_id: str) -> dict:
        if entry_id not in self._entries:
            from ..check_statements.runner import check_entry

            self._entries[entry_id] = check_entry(catalog().get(entry_id), seed=self.seed, samples=self.samples,
                                                  methods=("exact", "montecarlo"))
            if self.on_check is not None:
                self.on_check(entry_id)
        return self._entries[entry_id]

    def steps(self, path: str) -> tuple:
        """(derivation, [judge record per step])."""
        if path not in self._steps:
            from ..check_derivations.judge import judge_exact
            from ..read_markdown import load_derivation

            d = load_derivation(path)
            try:  # the setting derive check judges the file in (check_derivations/files.py)
                setting = str(Setting.from_front(d.front))
            except ValueError as exc:  # a combination derive cannot evaluate: every step unknown, as derive check says
                self._steps[path] = (d, [_unknown_step(s, f"not judged: {exc}") for s in d.steps])
                return self._steps[path]
            self._steps[path] = (d, [judge_exact(step, setting, self.seed) for step in d.steps])
            if self.on_check is not None:
                self.on_check(path)
        return self._steps[path]


def _unknown_step(step, reason: str) -> dict:
    """The record of a step that was not judged, with the reason."""
    return {"step": step.number, "verdict": "unknown", "reason": reason, "lhs": step.lhs_tex, "rhs": step.rhs_tex,
            "justification": step.justification or "", "counterexample": None, "mistake": None, "mistake_id": None,
            "line": step.line}


class Unchecked(Verifier):
    """Same answers' shape, nothing run: every badge says 'not checked in this build'."""

    def entry(self, entry_id: str) -> dict:
        e = catalog().get(entry_id)
        msg = "not attempted: not checked in this build (--no-checks)"
        return {"id": e.id, "kind": e.kind, "verdict": "unknown", "methods": {"exact": msg, "montecarlo": msg},
                "counterexample": None, "unchecked": True}

    def steps(self, path: str) -> tuple:
        if path not in self._steps:
            from ..read_markdown import load_derivation

            d = load_derivation(path)
            self._steps[path] = (d, [_unknown_step(s, "not checked in this build (--no-checks)") for s in d.steps])
        return self._steps[path]


_STATUS = {"holds": "holds", "fails": "fails", "unknown": "unknown", "n/a": "n/a", "not attempted": "not attempted"}


def _t(template: str, lang: str, **kw) -> str:
    return tr(template, lang).format(**kw)


def _short_exact(text: str, family: str = "random", lang: str = "en") -> str:
    status, _, detail = text.partition(": ")
    if status == "holds":
        m = re.match(r"(\d+) random MDPs", detail)
        out = (_t(f"exact: {{n}} {family} MDPs", lang, n=m.group(1)) if m
               else _t("exact: holds", lang))
        extras = []
        if "float64" in detail:
            extras.append(_t("float64, rel. tol. 1e-9, abs. 1e-12", lang))
        u = re.search(r"undefined on (\d+) instantiations", detail)
        if u:
            extras.append(_t("undefined on {n}, skipped", lang, n=u.group(1)))
        k = re.search(r"(\d+) points? skipped: not differentiable", detail)
        if k:
            extras.append(_t("{n} not differentiable, skipped", lang, n=k.group(1)))
        slack = re.search(r"smallest slack lhs - rhs = (\S+)", detail)
        if slack:
            out = _t("inequality, {exact}, smallest slack lhs − rhs = {slack}", lang, exact=out,
                     slack=slack.group(1).rstrip(";,"))
        sep = "; " if lang == "en" else "；"
        return out + ((" (" if lang == "en" else "（") + sep.join(extras) + (")" if lang == "en" else "）")
                      if extras else "")
    if status == "fails":
        return _t("exact: counterexample found", lang)
    return _t("exact: {status}", lang, status=tr(status, lang))


def _short_mc(text: str, lang: str = "en") -> str:
    status, _, detail = text.partition(": ")
    if status in ("holds", "fails"):
        n = re.search(r"N = (\d+)", detail)
        z = re.search(r"max \|z\| = ([0-9.]+)", detail)
        const = re.search(r"the estimate is constant \(zero sample variance\) and differs from the exact value by (\S+)",
                          detail)
        if const and n:
            return _t("Monte Carlo rejects: the estimate is constant (zero sample variance) and differs from the "
                      "exact value by {d} (N = {n})", lang, d=const.group(1), n=n.group(1))
        if n and z:
            if status == "fails":
                return _t("Monte Carlo rejects: max |z| = {z} (N = {n})", lang, z=z.group(1), n=n.group(1))
            return _t("Monte Carlo: max |z| = {z} (N = {n})", lang, z=z.group(1), n=n.group(1))
        return _t("Monte Carlo: {status}", lang, status=tr(status, lang))
    if status == "n/a":
        if "inequalit" in detail:
            return _t("Monte Carlo: n/a (inequalities are checked exactly)", lang)
        return _t("Monte Carlo: n/a (nothing to sample)", lang)
    return _t("Monte Carlo: {status}", lang, status=tr(status, lang))


def family_of(entry_id: str) -> str:
    """'token' for entries checked on the token MDP family (setting "...; family=token"), else 'random'."""
    entries = catalog().entries
    return Setting.parse(entries[entry_id].setting).family if entry_id in entries else "random"


def badge_entry(record: dict, lang: str = "en") -> str:
    """One line for a catalog entry's record (identity: ✓ when it holds; mistake: ✗ refuted)."""
    if record.get("unchecked"):
        return _t("… not checked in this build · [{id}]", lang, id=record["id"])
    verdict = record["verdict"]
    if record["kind"] == "mistake":
        mark = tr("✗ refuted", lang) if verdict == "fails" else f"? {tr(verdict, lang)}"
    else:
        mark = "✓" if verdict == "holds" else (tr("✗ FAILS", lang) if verdict == "fails" else "?")
    parts = [_short_exact(record["methods"]["exact"], family_of(record["id"]), lang),
             _short_mc(record["methods"]["montecarlo"], lang)]
    return f"{mark} " + " · ".join(parts) + f" · [{record['id']}]"


def badge_step(rec: dict, family: str = "random", lang: str = "en") -> str:
    v = rec["verdict"]
    if v == "holds":
        m = re.search(r"(\d+) random MDPs", rec.get("reason", ""))
        return ("✓ " + _t(f"exact: {{n}} {family} MDPs", lang, n=m.group(1))) if m \
            else "✓ " + _t("exact: holds", lang)
    if v == "fails":
        return tr("✗ fails", lang) + (": " if lang == "en" else "：") + tr(rec.get("reason", ""), lang)
    return "? " + tr(rec.get("reason") or "unknown", lang)


def step_rows(derivation, records, lang: str = "en") -> tuple:
    """The rows of a derivation's steps as every write-up shows them: sides as written, justification, badge."""
    from .doc import Row

    family = derivation.front.get("family", "random")
    return tuple(Row(r["lhs"], r["rhs"], r["step"], tr(r.get("justification", ""), lang), badge_step(r, family, lang),
                     getattr(s, "relation", "=") or "=") for s, r in zip(derivation.steps, records))


def badge_stated(note: str = "", lang: str = "en") -> str:
    if lang != "en":
        return f"⚠ {tr(STATED, lang)}" + (f"（{note}）" if note else "")
    return f"⚠ {STATED}" + (f" ({note})" if note else "")
