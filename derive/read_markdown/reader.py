"""Read a Markdown derivation: front matter, display-math chains, steps.

Format (docs/notation.md, "Markdown derivations"):

* optional YAML front matter between a first line ``---`` and the next ``---``
  (or ``...``) line; keys ``setting`` (finite | discounted), ``expect``
  (holds | fails), ``step`` (the step number the expectation is about),
  ``delta`` (true | V), ``title``; anything else is an error;
* display math ``$$ ... $$`` and ``\\[ ... \\]`` (one or several lines), also a
  bare ``\\begin{align*} ... \\end{align*}``; inside, ``aligned``, ``align``,
  ``align*``, ``split``, ``gathered``, ``equation`` environments: ``&`` and
  ``\\\\`` are layout only, so the rows form one chain ``e0 = e1 = e2 ...``;
* every ``=`` at the top level of a chain is a step ``e_{i} = e_{i+1}``,
  numbered from 1 across the file; a block starting with ``=`` continues the
  chain of the previous block; a row of an aligned environment that starts
  with an expression (not ``=``, ``+``, ``-``) and has its own ``=`` starts a
  new chain;
* inline ``$...$`` / ``\\(...\\)`` math inside a sentence, code spans and fenced code blocks
  are never steps (inline math alone on its line, or in a file without displays, is a
  display: blocks.py); a block without a top-level relation is ignored;
* each display is first made readable (display.py): Markdown escapes undone, user macros
  expanded (read_latex/macros.py; ``macros:`` front matter, ``--macros FILE``, definitions in the
  text before the use), every character keeping its file offset; presentation without
  mathematics is blanked (read_latex/presentation.py); ``\\therefore``, ``\\implies``, ... break
  the chain;
* ``\\geq``/``\\leq`` steps are read with ``Step.relation`` ">=" / "<=", ``>``/``<`` with ">" / "<"
  (strict_steps.py); ``\\neq``,
  ``\\approx``, ... make a step that is reported as unsupported; ``:=``, ``\\equiv``,
  ``\\coloneqq`` introduce definitions, which are not steps;
* ``X = e`` where X has no meaning yet (``\\hat{g}``, ``L^{CLIP}(\\theta)``) is a step that defines X, verdict
  "definition" (first_use.py); a symbol used without a definition (``K``, ``\\phi(s)``) is read as a free
  quantity, said in ``read as`` (free_steps.py, read_latex/free_quantities.py).

The justification of a step is, in this order: the note of
``\\overset{note}{=}``, a ``\\tag{...}`` or trailing ``\\text{...}`` on the row of its
``=``, prose after the closing ``$$`` on the same line (for every step of that
block), or the Markdown paragraph immediately before the block (for its first
step).  A step whose side cannot be parsed gets ``error`` (a LatexError with the
line and column) and ``lhs``/``rhs`` None; the other steps are still read.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..lang import nodes as N
from ..read_latex import LatexError
from ..read_latex.errors import position
from ..read_latex.relations import split_relations
from .blocks import find_blocks, mask_code
from .errors import InputError
from .conventions import apply as apply_conventions, prose_parameters
from .prose_definitions import given_as, introduced_as_definition, restated, tails_are_steps, where_after
from ..read_latex.reading import Reading
from .definitions import Definitions, definable, inline_definitions
from ..check_statements.assumptions import note_assumptions, prose_assumptions
from .front_matter import read_front_matter
from .layout import _clean_note, _prepare, _strip_punct
from .display import chain_breaks, new_table, read_display, scan_prose
from ..read_latex.group_free_index import step_error as free_index_error  # r_i with i free
from .segments import _Seg, _normalise, _parse, _row_note, _row_of, _segment, _sides  # each relation's sides, read once
from .prose_around import _front_line, _introduces, _paragraph_before, _paragraph_start, _prose_after
from .named_terms import bind_named_term  # Spinning Up's f(t,t'), named by its expectation
from .elided_steps import elide
from .first_use import define_step  # X = e where X has no meaning yet: the step defines X (issue 10, R9)
from .free_steps import read_free  # K, \phi(s) used without a definition: free quantities (issue 10, R9)
from .strict_steps import NEQ_REASON, not_a_step, strict_relation  # x > y, x < y steps; \\neq refused
from .approx_steps import READ_RELATIONS, sample_mean_error, sample_mean_sides  # \approx, \propto steps (check_derivations/approx.py)
from ..read_latex.presentation import strip_presentation, type_notes  # type_notes: \mathbf{w}, \mathrm{x} in read as
from ..read_latex.scan import bracket_depth

MAX_FILE = 200_000  # characters
MAX_STEPS = 200
CHECKED_RELATIONS = ("=", ">=", "<=")


@dataclass
class Step:
    number: int
    lhs_tex: str
    rhs_tex: str
    lhs: object
    rhs: object
    line: int  # of the relation (=) of this step
    col: int
    justification: str = ""
    error: LatexError | None = None
    relation: str = "="  # "=", ">=" or "<=" (lhs <= rhs); another relation's spelling when error is set
    notes: list = field(default_factory=list)  # readings "read as" states (a series' general term, \sum_t, ...)
    options: dict = field(default_factory=dict)  # the parse options (conventions, definitions) for hints
    assumptions: list = field(default_factory=list)  # [(tex, line, col)]: front matter assume: and prose "for A >= 0"
    approx: dict = field(default_factory=dict)  # \approx steps: {"sample_mean": "lhs" | "rhs"} (approx_steps.py)


@dataclass
class Derivation:
    front: dict
    steps: list = field(default_factory=list)
    path: str = "<input>"
    conventions: list = field(default_factory=list)  # descriptions of the conventions in force (conventions.py)
    definitions: list = field(default_factory=list)  # records of the file's definitions (definitions.py)

    @property
    def title(self) -> str:
        return self.front.get("title") or ""

    @property
    def setting(self) -> str:
        return self.front["setting"]


# --------------------------------------------------------------- the reader


def read_derivation(text: str, path: str = "<input>", macros: dict | None = None,
                    overrides: dict | None = None) -> Derivation:
    """Read a Markdown derivation (see the module docstring); raises InputError for file-level problems.

    ``macros``: definitions from a --macros FILE (``macro_files.read_macro_file``), before the file's own.
    ``overrides``: front matter keys given by the caller (the Python API's ``setting=``, ``gamma=``, ...,
    validated by ``front_matter.read_front_matter``: derive/api_options.py); they replace the file's.
    """
    if not isinstance(text, str):
        raise InputError("the derivation must be text", 1, 1)
    if len(text) > MAX_FILE:
        raise InputError(f"the file is too large ({len(text)} characters; at most {MAX_FILE})", 1, 1)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):  # a byte-order mark is not a column
        text = text[1:]
    front, body_start = read_front_matter(text, path)
    front.update(overrides or {})
    masked = mask_code(text, body_start, rst_roles=True)
    written = "".join(f"\n{k}: {v}" for k, v in (overrides or {}).items())  # the caller's keys count as written
    conventions = apply_conventions(front, masked, text[:body_start] + written)
    defs = Definitions()
    options = {"delta": front["delta"], "setting": front["setting"], "definitions": defs}
    options.update({k: front[k] for k in ("horizon", "reward-index", "behaviour", "values", "family", "reward", "start",
                                                  "group", "advantage")
                    if k in front})
    options["reading"] = Reading(masked)  # the file's policy slots and notation (read_latex/reading.py)
    def_records: list = []
    assumed = [(front["assume"], *_front_line(text, "assume"))] if front.get("assume") else []
    steps: list = []
    previous: _Seg | None = None  # last expression of the previous chain (a block starting with = continues it)
    prev_end = body_start
    table = new_table(front, macros)  # user macros (display.py, read_latex/macros.py)
    prose_from = body_start
    blocks = find_blocks(masked)
    early: set = set()  # offsets of "where $X = ...$" definitions already bound for the display before them
    for bi, block in enumerate(blocks):
        scan_prose(table, text, masked, prose_from, block.start)
        prose_from = block.end
        base = read_display(table, text, masked, block.cstart, block.cend)  # base + k: file offset of char k
        laid_out, rows = _prepare(base.text)
        content, rows.breaks = chain_breaks(strip_presentation(laid_out), lambda i: bracket_depth(laid_out, 0, i))
        room = MAX_STEPS - len(steps)
        rels = split_relations(content, limit=4 * MAX_STEPS)
        if len(rels) > 4 * MAX_STEPS:
            line, col = position(text, base + rels[-1].start)
            raise InputError(f"too many relations in one display (at most {4 * MAX_STEPS})", line, col)
        counted = [r for r in rels if r.kind != "definition"]
        if len(counted) > room:
            line, col = position(text, base + counted[room].start)
            raise InputError(f"too many steps (at most {MAX_STEPS})", line, col)
        after = _prose_after(masked, block.end)
        before = _paragraph_before(masked, prev_end, block.start)
        # "when $\lambda = 1$" (or a heading "### 当 λ = 1：" right above): the display is judged at that value
        set_param = prose_parameters(before) or prose_parameters(_last_chunk(masked[prev_end:block.start]))
        block_assumed = [(tex, *position(text, off)) for tex, off in
                         prose_assumptions(masked, _paragraph_start(masked, prev_end, block.start), block.start)]
        for off, content_ in inline_definitions(masked, prev_end, block.start):
            if off not in early:
                _define_inline(text, content_, off, options, def_records, table, masked)
        # "$$ J = E[R(\tau)] $$ where $R(\tau) = ...$": the definition is this display's too, bound before it
        for off, content_ in where_after(masked, block.end, blocks[bi + 1].start if bi + 1 < len(blocks) else len(masked)):
            early.add(off)
            _define_inline(text, content_, off, options, def_records, table, masked)
        if len(rels) == 1 and rels[0].kind == "=" and (_introduces(before, masked[block.end:block.end + 40])
                                                        or given_as(before, content[:rels[0].start])):
            rels[0].kind = "definition"  # "where $$ X = ... $$": a definition in prose (not bound when X cannot be)
        elif rels and all(r.kind == "=" for r in rels) and (why := introduced_as_definition(
                masked, prev_end, block.start, content[:rels[0].start], content[rels[0].end:],
                multirow := any(_row_of(rows, r.start) is not _row_of(rows, rels[0].start) for r in rels))):
            rels[0].kind, rels[0].why = "definition", why  # "X is defined as:"
            if not tails_are_steps(why, multirow):
                for r in rels[1:]:
                    r.kind = "definition-tail"  # the definition's own restatement A = B: shown, not judged
            elif len(rels) > 1:  # said, as the reading is ambiguous between authors (prose_definitions.py)
                rels[0].why = why + "; the further relations of its chain are read as steps"
        nl = masked.find("\n", block.end)
        prev_end = len(masked) if nl < 0 else nl
        if not rels:
            if getattr(base, "errors", None):  # a display that cannot be read must not vanish silently
                line, col = position(text, base.errors[0][1])
                raise InputError(base.errors[0][2], line, col)
            previous = None
            continue
        lhs_of, rhs_of = _sides(text, content, base, rows, rels)
        first_in_block = True
        for k, rel in enumerate(rels):
            lhs, rhs = lhs_of[k], rhs_of[k]
            if k == 0 and not lhs.tex:
                if previous is None:
                    line, col = position(text, base + rel.start)
                    lhs = _Seg("", base + rel.start, None,
                               LatexError("this '=' has no left-hand side (and no earlier expression to continue)",
                                          line, col), True)
                else:
                    lhs = previous
            line, col = position(text, base + rel.start)
            if rel.kind == "definition" and rel.note and not definable(lhs.tex):
                rel.kind, rel.spelling = "=", "="  # X \overset{\text{def}}{=} Y in a chain: a step "by definition"
            if rel.kind == "definition":
                first_in_block = False
                def_records.append(_define(text, lhs, rhs_of[k], options, line, col))
                if getattr(rel, "why", None) and def_records[-1]["read_as"]:
                    def_records[-1]["read_as"] += f" ({rel.why})"
                continue
            if rel.kind == "definition-tail":
                def_records.append(restated(_normalise(lhs.tex), _normalise(rhs_of[k].tex), line, col))
                continue
            if rel.kind == "inequality" and len(rels) > 1:  # x = y \neq z: not a step (real_world/README.md), shown
                def_records.append(not_a_step(_normalise(lhs.tex), _normalise(rhs_of[k].tex), rel.spelling, line, col))
                continue
            note = _clean_note(rel.note) or _row_note(rows, rel.start)
            if not note:
                note = _clean_note(after or (before if first_in_block else ""))
            first_in_block = False
            if len(steps) >= MAX_STEPS:
                raise InputError(f"too many steps (at most {MAX_STEPS})", line, col)
            strict = strict_relation(rel)  # x > y, x < y: judged exactly (strict_steps.py)
            step = Step(len(steps) + 1, _normalise(lhs.tex), _normalise(rhs.tex), None, None, line, col,
                        note, None, strict or (rel.kind if rel.kind in CHECKED_RELATIONS
                                               else READ_RELATIONS.get(rel.kind, rel.spelling)))
            if rel.kind == "=" and define_step(step, lhs, rhs, text, options):  # X = e, X new: defines X (first_use.py)
                step.options = {**options, "definitions": defs.snapshot()}
                steps.append(step)
                continue
            if rel.kind not in CHECKED_RELATIONS and rel.kind not in READ_RELATIONS and strict is None:
                step.error = LatexError(NEQ_REASON.format(spelling=rel.spelling) if rel.kind == "inequality" else
                                        f"the relation {rel.spelling} ({rel.kind}) is not supported: derive checks "
                                        "=, \\geq, \\leq, > and <", line, col)
            else:
                if rel.kind == "=":  # E[f(t,t')] = E[X] names f(t,t') (named_terms.py)
                    bind_named_term(lhs, rhs, options, lambda name, body, seg: _define_rec(
                        text, _Seg(name, lhs.start), _Seg(body, seg.start), options, line, col, def_records))
                for seg in (lhs, rhs):  # a free group index i: read for every i (read_latex/group_free_index.py)
                    _parse(seg, text, {**options, "group_free": "step"}, line, col)
                for seg in (lhs, rhs):  # K, \phi(s) used without a definition: free quantities (free_steps.py)
                    read_free(seg, text, {**options, "group_free": "step"}, lambda s, o: _parse(s, text, o, line, col))
                lhs, rhs = elide(step, lhs, rhs)  # X = \cdots: steps left out, verdict elided (elided_steps.py)
                # sample means in \approx and = steps (approx_steps.py): new segments, the shared ones unchanged
                lhs, rhs = sample_mean_sides(step, lhs, rhs, lambda x: _parse(x, text, options, line, col))
                step.notes = list(dict.fromkeys(lhs.notes + rhs.notes + [n for seg in (lhs, rhs) for n in type_notes(
                    laid_out, seg.lo if seg.disp is not None else seg.start - (base + 0), seg.tex)]))
                step.options = {**options, "definitions": defs.snapshot()}
                step.assumptions = assumed + block_assumed + note_assumptions(note, line, col)
                err = (sample_mean_error(lhs, step.relation, position(text, lhs.start))
                       or sample_mean_error(rhs, step.relation, position(text, rhs.start)))
                if err is None and lhs.error is None and rhs.error is None and (why := free_index_error(
                        lhs.value, rhs.value, lhs.notes, rhs.notes, options.get("group"))):
                    err = LatexError(why, line, col)
                if err is not None:
                    step.error = err
                else:
                    step.lhs, step.rhs = lhs.value, rhs.value
                    from .implicit_given import condition_implicit  # Q(s_t, a_t) = E[...]: given s_t, a_t (issue 10, R3)

                    step.lhs, step.rhs = condition_implicit(step, step.lhs_tex, step.rhs_tex)
                    if set_param is not None and re.search(r"\\lambda|GAE", lhs.tex + rhs.tex):
                        step.lhs, step.rhs = (v if isinstance(v, N.SetParam) and v.args[1] == set_param[0]
                                              else N.SetParam(v, *set_param[:2]) for v in (lhs.value, rhs.value))
                        step.notes.append(set_param[2])
            steps.append(step)
        previous = rhs_of[-1]
    if "step" in front and front["step"] > len(steps):
        raise InputError(f"front matter step: {front['step']}, but the file has {len(steps)} step(s)", 1, 1)
    for off, content_ in inline_definitions(masked, prev_end, len(masked)):
        if off not in early:
            _define_inline(text, content_, off, options, def_records, table, masked)
    return Derivation(front, steps, path, conventions, def_records)


def load_derivation(path, macros: dict | None = None, overrides: dict | None = None) -> Derivation:
    """Read a Markdown derivation from a file (UTF-8), refusing files over the size limit before reading them.

    ``macros``: definitions of a --macros FILE (``derive.read_latex.macro_files.read_macro_file``)."""
    from pathlib import Path

    p = Path(path)
    try:
        with p.open("r", encoding="utf-8", errors="strict") as fh:
            text = fh.read(MAX_FILE + 1)
    except UnicodeDecodeError as err:
        raise InputError(f"{p} is not UTF-8 text (byte {err.start})", 1, 1) from None
    if len(text) > MAX_FILE:
        raise InputError(f"the file is too large (more than {MAX_FILE} characters)", 1, 1)
    return read_derivation(text, str(p), macros, overrides)


def _define(text: str, lhs: _Seg, rhs: _Seg, options: dict, line: int, col: int) -> dict:
    """Bind one definition ``lhs := rhs``: its record (read as, or the reason it is not bound)."""
    rec = {"line": line, "col": col, "lhs": _normalise(lhs.tex), "rhs": _normalise(rhs.tex), "read_as": None,
           "error": None}
    if not lhs.tex or not rhs.tex:
        rec["error"] = f"{line}:{col}: a definition needs both sides"
        return rec
    lline, lcol = position(text, lhs.start)
    rline, rcol = position(text, rhs.start)
    try:
        d = options["definitions"].define(lhs.tex, rhs.tex, options, lline, lcol, rline, rcol)
    except LatexError as err:
        rec["error"] = f"{err.line}:{err.col}: {err.message}"
        return rec
    import sympy

    rec["read_as"] = f"{rec['lhs']} := {sympy.latex(d.value)}"
    if getattr(d, "group", ()):  # \tilde{A}_i := ...: one reading per completion (read_latex/group_definitions.py)
        rec["read_as"] += (f" (the reading for {d.group[0]} = 1; each of the G = {len(d.group[1])} completions has its "
                           f"own, {d.group[0]} = 1..{len(d.group[1])})")
    return rec


def _define_rec(text, lhs, rhs, options, line, col, records: list) -> dict:
    rec = _define(text, lhs, rhs, options, line, col)
    records.append(rec)
    return rec


def _define_inline(text: str, content: str, offset: int, options: dict, records: list, table=None, masked=None):
    """A prose definition "let $X = e$": bound when its left side can be a definition, else left alone.

    The file's macros apply to it as to a display (``\\newcommand{\\phi}{f}`` then "Let $\\phi(s) = ...$"
    binds f); ``offset`` then becomes the expanded text's map to file offsets (display.Display)."""
    if table is not None and masked is not None:
        try:
            disp = read_display(table, text, masked, offset, offset + len(content))
        except LatexError:
            disp = None
        if disp is not None and disp.changed and not disp.errors:
            content, offset = disp.text, disp
    rels = split_relations(content, limit=2)
    if len(rels) != 1 or rels[0].kind not in ("=", "definition"):
        return
    lhs = _segment(text, content, offset, 0, rels[0].start)
    rhs = _segment(text, content, offset, rels[0].end, _strip_punct(content, rels[0].end, len(content)))
    line, col = position(text, offset + rels[0].start)
    rec = _define(text, lhs, rhs, options, line, col)
    if rec["error"] is None:
        records.append(rec)



def _last_chunk(region: str) -> str:
    """The last non-blank paragraph (a heading included) of the text between two displays."""
    chunks = [c for c in re.split(r"\n[ \t]*\n", region) if c.strip()]
    return chunks[-1] if chunks else ""

__all__ = ["read_derivation", "load_derivation", "Derivation", "Step", "InputError"]
