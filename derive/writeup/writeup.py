"""``derive writeup``: a write-up of chosen catalog identities (by id) or derivation files.

For an id: statement (its catalog LaTeX, the statement checked), conditions, the
derivation (the proofs/ file that names the id in its front matter ``proves:``, judged
step by step; or the statement alone), the
catalog mistakes that get it wrong (statement, exact counterexample MDP and
values), references, and the numeric check (exact + Monte Carlo).  For a file:
its title and every step with its justification and verdict.

``lang`` (``derive writeup --lang en|zh``): the language of derive's own text (i18n.py); a text the
Chinese catalog does not translate yet (a long ``mistake`` explanation or ``note``) stays in English.
"""
from __future__ import annotations

from ..catalog import catalog
from .badges import Verifier, badge_entry, family_of, step_rows
from .blog import chain_blocks, mistake_blocks
from .blog_display import statement_tex
from .doc import Chain, Document, Heading, Math, Para
from .i18n import tr
from .proof_links import PROOFS, proof_for


def _t(template: str, lang: str, **kw) -> str:
    return tr(template, lang).format(**kw) if kw else tr(template, lang)


TOKEN_FAMILY = ("Checked on the token MDP family (setting \"finite; family=token\"): states are prefixes "
                "(prompt plus the tokens so far), an action appends one token, transitions are "
                "deterministic, the reward is paid at the end and gamma = 1. The exact check's "
                "instances (\"random MDPs\" in the verdict below) are random members of this family "
                "(small vocabularies and lengths).")


def entry_section(entry_id: str, verifier: Verifier, lang: str = "en") -> list:
    cat = catalog()
    e = cat.get(entry_id)
    rec = verifier.entry(entry_id)
    blocks = [Heading(2, f"{e.id}: {tr(e.title, lang)}", added=True),
              Para(_t("Kind: {kind}; blog section {section}; topic {topic}; setting {setting}.", lang,
                      kind=tr(e.kind, lang), section=e.section, topic=e.topic, setting=e.setting), added=True),
              Heading(3, tr("Statement", lang), added=True), Math(statement_tex(e))]
    if family_of(e.id) == "token":
        blocks.insert(2, Para(tr(TOKEN_FAMILY, lang), added=True))
    if e.conditions:
        blocks.append(Para(_t("Conditions: {text}", lang, text=tr(e.conditions, lang)), added=True))
    if e.note:
        blocks.append(Para(tr(e.note, lang), added=True))
    if e.kind == "mistake":
        blocks.append(Para(_t("Mistake: {text}. Corrects: {id}.", lang, text=tr(e.mistake, lang), id=e.corrects),
                           added=True))
    blocks.append(Heading(3, tr("Derivation", lang), added=True))
    proof = proof_for(e)
    if proof:
        blocks.extend(chain_blocks(proof, verifier, lang))
    else:
        section_files = sorted(p.name for p in PROOFS.glob(f"{e.section}-*.md"))
        if section_files:
            blocks.append(Para(_t("No file of proofs/ names this id (front matter proves:); the derivation of blog "
                                  "section {section} is {files} (judged below), and the statement itself is checked "
                                  "under Numeric check.", lang, section=e.section,
                                  files=", ".join("proofs/" + n for n in section_files)), added=True))
            for name in section_files:
                try:
                    blocks.extend(chain_blocks(name, verifier, lang))
                except Exception as exc:  # a file being edited may not parse
                    blocks.append(Para(_t("proofs/{name} could not be read ({error}).", lang, name=name,
                                          error=type(exc).__name__), added=True))
        else:
            blocks.append(Para(tr("No derivation in proofs/ names this id; the statement alone is checked below.",
                                  lang), added=True))
    mistakes = [m for m in cat if m.kind == "mistake" and m.corrects == e.id]
    if mistakes:
        blocks.append(Heading(3, tr("Common mistakes", lang), added=True))
        for m in mistakes:
            blocks.append(Para(f"{m.id}: {tr(m.mistake, lang)}", added=True))
            blocks.extend(mistake_blocks(m.id, verifier, lang))
    if e.references:
        blocks.append(Heading(3, tr("References", lang), added=True))
        blocks.extend(Para("• " + r, added=True) for r in e.references)
    blocks.append(Heading(3, tr("Numeric check", lang), added=True))
    blocks.append(Para(badge_entry(rec, lang), added=True))
    if lang == "en":
        for method in ("exact", "montecarlo"):
            blocks.append(Para(f"{method}: {rec['methods'][method]}", added=True))
    return blocks


def file_section(path: str, verifier: Verifier, lang: str = "en") -> list:
    d, recs = verifier.steps(path)
    rows = step_rows(d, recs, lang)
    title = d.front.get("title", path)
    verdicts = [r["verdict"] for r in recs]
    overall = "fails" if "fails" in verdicts else ("holds" if verdicts and all(v == "holds" for v in verdicts)
                                                  else "unknown")
    blocks = [Heading(2, f"{tr(title, lang)}", added=True),
              Para(_t("File {path}; setting {setting}; expect {expect}; {n} steps; verdict: {verdict}.", lang,
                      path=path, setting=d.front.get("setting", "finite"), expect=d.front.get("expect", "holds"),
                      n=len(rows), verdict=tr(overall, lang)), added=True),
              Chain(path, rows)]
    for r in recs:
        if r["verdict"] == "fails" and r.get("counterexample"):
            from .badges import counterexample_lines
            from .doc import Verbatim

            blocks.append(Para(_t("Step {n} fails: {reason}", lang, n=r["step"], reason=tr(r["reason"], lang)) +
                               (_t(" (mistake: {name})", lang, name=tr(r["mistake"], lang)) if r.get("mistake")
                                else ""), added=True))
            blocks.append(Verbatim(tuple(counterexample_lines(r["counterexample"], lang=lang))))
    return blocks


def build_writeup(targets, verifier: Verifier | None = None, lang: str = "en") -> Document:
    verifier = verifier or Verifier()
    doc = Document(_t("derive write-up: {targets}", lang, targets=", ".join(targets)), lang=lang)
    doc.add(Heading(1, doc.title, added=True))
    for t in targets:
        if t.endswith(".md"):
            doc.add(*file_section(t, verifier, lang))
        else:
            doc.add(*entry_section(t, verifier, lang))
    return doc
