"""A generated class for ``derive grade``: variants of tests/homework files with seeded wrong steps.

    generate(folder, n=500, seed=0) -> {file name: expected first wrong step (None when every step holds)}

Each submission is one homework file (tests/homework/correct or tests/homework/mistakes, chosen by a
seeded ``random.Random``), its front matter's ``expect:``/``step:`` removed (students do not write them) and
a student's title.  A third of the correct files get a wrong step inserted after a seeded display: a
block ``$$ = 1 + \\left( R \\right) $$`` that continues the chain from that display's last side R, so it
fails on every instance.  The expected first wrong step is the number of the steps up to that display
plus one (counted by derive's reader, which reads the files as written); for the mistakes files it is
their front matter's ``step:``.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOMEWORK = ROOT / "tests" / "homework"
_DISPLAY = re.compile(r"\$\$.*?\$\$", re.S)


def _front(text: str) -> tuple:
    """(front matter lines without expect/step, body, the file's expected step or None)."""
    m = re.match(r"---\n(.*?)\n---\n", text, re.S)
    if not m:
        return [], text, None
    lines = m.group(1).splitlines()
    step = next((int(x.split(":", 1)[1]) for x in lines if x.startswith("step:")), None)
    kept = [x for x in lines if not x.startswith(("expect:", "step:", "title:"))]
    return kept, text[m.end():], step


def _with_wrong_step(body: str, front_lines: list, rng: random.Random):
    """(body with a wrong step after a seeded display, its step number), or (body, None) if none fits."""
    from derive.read_markdown import read_derivation

    displays = list(_DISPLAY.finditer(body))
    if not displays:
        return body, None
    block = displays[rng.randrange(len(displays))]
    head = "---\n" + "\n".join(front_lines) + "\n---\n" if front_lines else ""
    upto = read_derivation(head + body[:block.end()]).steps  # the steps up to and including that display
    if not upto or upto[-1].error is not None:
        return body, None
    wrong = f"\n\n$$\n= 1 + \\left( {upto[-1].rhs_tex} \\right)\n$$\n"
    return body[:block.end()] + wrong + body[block.end():], len(upto) + 1


def generate(folder, n: int = 500, seed: int = 0) -> dict:
    """Write ``n`` submissions into ``folder`` (student_000.md, ...); their expected first wrong steps."""
    rng = random.Random(seed)
    sources = sorted((HOMEWORK / "correct").glob("*.md")) + sorted((HOMEWORK / "mistakes").glob("*.md"))
    out, folder = {}, Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        src = sources[rng.randrange(len(sources))]
        front, body, step = _front(src.read_text(encoding="utf-8"))
        if src.parent.name == "correct" and rng.random() < 1 / 3:
            body, step = _with_wrong_step(body, front, rng)
        name = f"student_{i:03d}.md"
        head = "\n".join([f"title: homework of student {i} ({src.stem})"] + front)
        (folder / name).write_text(f"---\n{head}\n---\n{body}", encoding="utf-8")
        out[name] = step
    return out


if __name__ == "__main__":
    import sys

    expected = generate(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 500)
    print(sum(v is not None for v in expected.values()), "of", len(expected), "submissions have a wrong step")
