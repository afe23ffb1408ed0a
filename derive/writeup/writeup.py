"""``derive writeup``: a write-up of chosen catalog identities (by id) or derivation files.

For an id: statement (its catalog LaTeX, the statement checked), conditions, the
derivation (the proofs/ file that names the id in its front matter ``proves:``, judged
step by step; or the statement alone), the
catalog mistakes that get it wrong (statement, exact counterexample MDP and
values), references, and the numeric check (exact + Monte Carlo).  For a file:
its title and every step with its justification and verdict.
"""
from __future__ import annotations

from ..catalog import catalog
from .badges import Verifier, badge_entry, family_of, step_rows
from .blog import chain_blocks, mistake_blocks
from .blog_display import statement_tex
from .doc import Chain, Document, Heading, Math, Para
from .proof_links import PROOFS, proof_for


def entry_section(entry_id: str, verifier: Verifier) -> list:
    cat = catalog()
    e = cat.get(entry_id)
    rec = verifier.entry(entry_id)
    blocks = [Heading(2, f"{e.id}: {e.title}", added=True),
              Para(f"Kind: {e.kind}; blog section {e.section}; topic {e.topic}; setting {e.setting}.", added=True),
              Heading(3, "Statement", added=True), Math(statement_tex(e))]
    if family_of(e.id) == "token":
        blocks.insert(2, Para("Checked on the token MDP family (setting \"finite; family=token\"): states are prefixes "
                              "(prompt plus the tokens so far), an action appends one token, transitions are "
                              "deterministic, the reward is paid at the end and gamma = 1. The exact check's "
                              "instances (\"random MDPs\" in the verdict below) are random members of this family "
                              "(small vocabularies and lengths).", added=True))
    if e.conditions:
        blocks.append(Para(f"Conditions: {e.conditions}", added=True))
    if e.note:
        blocks.append(Para(e.note, added=True))
    if e.kind == "mistake":
        blocks.append(Para(f"Mistake: {e.mistake}. Corrects: {e.corrects}.", added=True))
    blocks.append(Heading(3, "Derivation", added=True))
    proof = proof_for(e)
    if proof:
        blocks.extend(chain_blocks(proof, verifier))
    else:
        section_files = sorted(p.name for p in PROOFS.glob(f"{e.section}-*.md"))
        if section_files:
            blocks.append(Para(f"No file of proofs/ names this id (front matter proves:); the derivation of blog section "
                               f"{e.section} is {', '.join('proofs/' + n for n in section_files)} (judged below), and "
                               "the statement itself is checked under Numeric check.", added=True))
            for name in section_files:
                try:
                    blocks.extend(chain_blocks(name, verifier))
                except Exception as exc:  # a file being edited may not parse
                    blocks.append(Para(f"proofs/{name} could not be read ({type(exc).__name__}).", added=True))
        else:
            blocks.append(Para("No derivation in proofs/ names this id; the statement alone is checked "
                               "below.", added=True))
    mistakes = [m for m in cat if m.kind == "mistake" and m.corrects == e.id]
    if mistakes:
        blocks.append(Heading(3, "Common mistakes", added=True))
        for m in mistakes:
            blocks.append(Para(f"{m.id}: {m.mistake}", added=True))
            blocks.extend(mistake_blocks(m.id, verifier))
    if e.references:
        blocks.append(Heading(3, "References", added=True))
        blocks.extend(Para("• " + r, added=True) for r in e.references)
    blocks.append(Heading(3, "Numeric check", added=True))
    blocks.append(Para(badge_entry(rec), added=True))
    for method in ("exact", "montecarlo"):
        blocks.append(Para(f"{method}: {rec['methods'][method]}", added=True))
    return blocks


def file_section(path: str, verifier: Verifier) -> list:
    d, recs = verifier.steps(path)
    rows = step_rows(d, recs)
    title = d.front.get("title", path)
    verdicts = [r["verdict"] for r in recs]
    overall = "fails" if "fails" in verdicts else ("holds" if verdicts and all(v == "holds" for v in verdicts)
                                                  else "unknown")
    blocks = [Heading(2, f"{title}", added=True),
              Para(f"File {path}; setting {d.front.get('setting', 'finite')}; expect {d.front.get('expect', 'holds')}; "
                   f"{len(rows)} steps; verdict: {overall}.", added=True),
              Chain(path, rows)]
    for r in recs:
        if r["verdict"] == "fails" and r.get("counterexample"):
            from .badges import counterexample_lines
            from .doc import Verbatim

            blocks.append(Para(f"Step {r['step']} fails: {r['reason']}" +
                               (f" (mistake: {r['mistake']})" if r.get("mistake") else ""), added=True))
            blocks.append(Verbatim(tuple(counterexample_lines(r["counterexample"]))))
    return blocks


def build_writeup(targets, verifier: Verifier | None = None) -> Document:
    verifier = verifier or Verifier()
    doc = Document("derive write-up: " + ", ".join(targets))
    doc.add(Heading(1, doc.title, added=True))
    for t in targets:
        if t.endswith(".md"):
            doc.add(*file_section(t, verifier))
        else:
            doc.add(*entry_section(t, verifier))
    return doc
