"""derive's Python API (docs/api.md): the command line's checks as functions.

    check(text_or_path, *, setting=None, gamma=None, assume=None, **options) -> Report
    equal(lhs_latex, rhs_latex, **options) -> StepResult      one equation, judged as one step
    verify(entry_id, *, seed=0, samples=20000, methods=...) -> Verification
    catalog() -> Catalog                                      the catalog's entries, in blog order
    parse(latex, **options) -> Expression | Equation          how derive reads a formula

Bad input raises ``DeriveError`` (api_options.py) with ``line`` and ``column``.  ``check`` runs exactly
what ``derive check FILE --json`` runs (check_derivations/files.py ``check_derivation``: the same
time- and memory-limited workers), so ``Report.data`` is that command's record.
"""
from __future__ import annotations

from .api_options import DeriveError, split_options, text_or_path as _source
from .api_report import Equation, Expression, Report, StepResult, Verification

__all__ = ["check", "equal", "verify", "catalog", "parse", "DeriveError", "Report", "StepResult", "Expression",
           "Equation", "Verification"]


def _read_text(path: str) -> str:
    """The file's text, with the reader's limits (read_markdown/reader.py ``load_derivation``)."""
    from .read_markdown.reader import MAX_FILE

    try:
        with open(path, "r", encoding="utf-8", errors="strict") as fh:
            text = fh.read(MAX_FILE + 1)
    except UnicodeDecodeError as err:
        raise DeriveError(f"{path} is not UTF-8 text (byte {err.start})", 1, 1, path) from None
    except FileNotFoundError:
        raise DeriveError("no such file", 1, 1, path) from None
    except OSError as err:
        raise DeriveError(f"cannot read the file: {err.strerror or err}", 1, 1, path) from None
    if len(text) > MAX_FILE:
        raise DeriveError(f"the file is too large (more than {MAX_FILE} characters)", 1, 1, path)
    return text


def _front_of(text: str, path: str) -> dict:
    from .read_markdown.errors import InputError
    from .read_markdown.front_matter import read_front_matter

    try:
        return read_front_matter(text.replace("\r\n", "\n").lstrip("\ufeff"), path)[0]
    except InputError as err:
        raise DeriveError(err.message, err.line, err.col, path) from None


def _read(text: str, path: str, overrides: dict):
    from .read_latex import LatexError
    from .read_markdown import read_derivation

    try:
        return read_derivation(text, path, overrides=overrides)
    except LatexError as err:
        raise DeriveError(err.message, err.line, err.col, path) from None


def _judge(d, path: str, run: dict) -> dict:
    from .check_derivations.files import check_derivation
    from .read_latex import LatexError

    try:
        return check_derivation(d, path, timeout=run["timeout"], memory_mb=run["memory_mb"],
                                symbolic_budget=run["symbolic_budget"], seed=run["seed"])
    except LatexError as err:  # front matter catalog: folders that cannot be read
        raise DeriveError(err.message, err.line, err.col, path) from None


def check(text_or_path, *, setting=None, gamma=None, assume=None, **options) -> Report:
    """Judge every step of a Markdown derivation, as ``derive check FILE --json`` does.

    ``text_or_path``: Markdown text, or the path of a ``.md`` file (a ``pathlib.Path``, or a one-line
    ``str`` naming an existing file or ending in ``.md``).  ``setting`` ("finite", "discounted",
    "episodic"), ``gamma`` (e.g. ``"0.9"``, ``"1/2"``), ``assume`` (e.g. ``"r > 0"``) and the other front
    matter keys (``delta``, ``family``, ``start``, ``reward``, ``horizon``, ``reward_index``, ``behaviour``,
    ``values``, ``group``) replace the file's front matter; ``seed`` (0), ``timeout`` (120 s for the whole
    derivation), ``memory_mb`` (2048) and ``symbolic_budget`` (3 s per step) are the command line's
    ``--seed``, ``--timeout``, ``--memory``, ``--symbolic-budget``.
    """
    text, path = _source(text_or_path)
    if text is None:
        text = _read_text(path)
    given = dict(options, setting=setting, gamma=gamma, assume=assume)
    base = _front_of(text, path) if gamma is not None and setting is None else {}
    try:
        overrides, run = split_options(given, base)
    except DeriveError as err:
        raise DeriveError(err.message, err.line, err.column, path) from None
    return Report(_judge(_read(text, path, overrides), path, run))


def equal(lhs_latex: str, rhs_latex: str, **options) -> StepResult:
    """Judge the one equation ``lhs = rhs`` as a derivation's step (options as in ``check``).

    Positions (``DeriveError.line``/``.column``, ``StepResult.line``/``.column``) are in the text
    ``LHS = RHS``: the left side from line 1, column 1, one space, ``=``, one space, then the right side."""
    for side in (lhs_latex, rhs_latex):
        if not isinstance(side, str):
            raise DeriveError(f"derive.equal takes the two sides as LaTeX text, not {type(side).__name__}")
    equation = f"{lhs_latex} = {rhs_latex}"
    if "$" in equation:
        where = equation.index("$")
        raise DeriveError("write the sides without $ (derive.equal takes the LaTeX inside the math)",
                          *_line_col(equation, where))
    if "\n\n" in equation.replace("\r", "") or len(equation) > 20_000:
        raise DeriveError("derive.equal takes one equation (no blank line, at most 20000 characters)")
    overrides, run = split_options(options)
    d = _read("$$" + equation + "$$", "<input>", overrides)  # "$$" shifts line 1 by two columns
    if not d.steps:  # the "=" is not at the top level (an unclosed brace before it): the reader's message
        parse(equation)
        raise DeriveError("no relation at the top level of LHS = RHS (is a brace left open?)")
    if len(d.steps) != 1:
        raise DeriveError(f"derive.equal takes one equation, but LHS = RHS has {len(d.steps)} relations "
                          "(derive.check judges a chain of steps)")
    step = d.steps[0]
    if step.error is not None:
        raise DeriveError(step.error.message, step.error.line, step.error.col - (2 if step.error.line == 1 else 0))
    data = _judge(d, "<input>", run)["steps"][0]
    if data["line"] == 1:
        data["col"] -= 2
    return StepResult(data)


def _line_col(text: str, offset: int) -> tuple:
    from .read_latex.errors import position

    return position(text, offset)


PARSE_OPTIONS = ("delta", "horizon", "reward-index", "setting", "behaviour", "values", "family", "start", "reward",
                 "group")


def parse(latex: str, **options):
    """Read a formula as ``derive check`` reads a step's side: an ``Expression``, or an ``Equation`` when the
    text has one relation (``=``, ``\\geq``, ``\\leq``) at the top level.  Options: the front matter keys of
    ``check`` that change a reading (``setting``, ``delta``, ``horizon``, ``reward_index``, ...)."""
    from .read_latex import LatexError, parse_math, split_relations
    from .read_latex.reading import Reading

    if not isinstance(latex, str):
        raise DeriveError(f"derive.parse takes LaTeX text, not {type(latex).__name__}")
    front, _ = split_options(options)
    front.pop("assume", None), front.pop("gamma", None)
    opts = {k: v for k, v in front.items() if k in PARSE_OPTIONS}

    def side(text: str, offset: int) -> Expression:
        line, col = _line_col(latex, offset)
        notes: list = []
        value = parse_math(text, line=line, col=col, options={**opts, "notes": notes, "reading": Reading(latex)})
        return Expression(value, text, notes)

    try:
        rels = split_relations(latex, limit=2)
        if not rels:
            return side(latex, 0)
        if len(rels) > 1 or rels[0].kind not in ("=", ">=", "<="):
            what = "a chain of relations" if len(rels) > 1 else f"the relation {rels[0].spelling}"
            raise DeriveError(f"derive.parse reads one expression or one equation, not {what} "
                              "(derive.check judges a chain)", *_line_col(latex, rels[-1].start))
        lhs_text, rhs_text = latex[:rels[0].start], latex[rels[0].end:]
        if not lhs_text.strip() or not rhs_text.strip():
            raise DeriveError("this relation needs both sides", *_line_col(latex, rels[0].start))
        return Equation(side(lhs_text, 0), side(rhs_text, rels[0].end), rels[0].kind, latex)
    except LatexError as err:
        raise DeriveError(err.message, err.line, err.col) from None


def catalog():
    """The catalog (derive/catalog/entry.py ``Catalog``): iterate for the entries in blog order, ``.get(id)``
    for one; each ``Entry`` has ``id``, ``kind``, ``title``, ``latex``, ``setting``, ``references``, ..."""
    from .catalog import catalog as built_in

    return built_in()


def verify(entry_id: str, *, seed: int = 0, samples: int = 20000, methods=("exact", "symbolic", "montecarlo")):
    """Check one catalog entry by the three methods (``derive check ID --json``): a ``Verification``."""
    import difflib

    cat = catalog()
    if not isinstance(entry_id, str) or entry_id not in cat.entries:
        near = difflib.get_close_matches(str(entry_id), list(cat.entries), n=3, cutoff=0.5)
        raise DeriveError(f"unknown catalog id {entry_id!r}" + (f" (did you mean: {', '.join(near)}?)" if near
                                                                 else " (see derive.catalog())"))
    methods = tuple(methods)
    from .check_statements.runner import METHODS, check_entries

    bad = [m for m in methods if m not in METHODS]
    if bad or not methods:
        raise DeriveError(f"unknown method {bad[0] if bad else ''!r}; choose from {', '.join(METHODS)}")
    _, run = split_options({"seed": seed})
    if isinstance(samples, bool) or not isinstance(samples, int) or not 1 <= samples <= 10_000_000:
        raise DeriveError(f"samples must be an integer between 1 and 10000000, not {samples!r}")
    entry = cat.get(entry_id)
    record = check_entries([entry], jobs=1, seed=run["seed"], samples=samples, methods=methods)[0]
    return Verification(record, entry)
