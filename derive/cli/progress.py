"""Progress on stderr for runs longer than about a second, on a terminal only (issue 14).

``Progress(total, unit, stream=sys.stderr, enabled=True)`` draws a tqdm bar (tqdm.github.io: ``delay``
hides the bar of a run shorter than ``DELAY`` seconds, ``leave=False`` erases it at the end) when
``enabled`` and ``stream.isatty()``; otherwise every method does nothing, so a pipe, a CI log and
``--json`` get no progress at all (stdout is never written to).  ``advance(label)`` counts one unit done
and shows ``label`` (a catalog id, a file and step); ``note(label)`` shows a label without counting;
``reach(done, label)`` moves to a count; ``set_total(n)`` sets the count once it is known; ``write(text)``
prints a message line above the bar.  tqdm is imported only when a bar is drawn.
"""
from __future__ import annotations

import sys

DELAY = 1.0  # seconds before a bar appears: a quick run shows none
WIDTH = 50  # characters of a label shown


def _short(label: str) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= WIDTH else "..." + label[-(WIDTH - 3):]


class Progress:
    def __init__(self, total: int | None = None, unit: str = "it", stream=None, enabled: bool = True,
                 delay: float | None = None):
        stream = sys.stderr if stream is None else stream
        self.stream = stream
        self.bar = None
        try:
            tty = bool(stream.isatty())
        except (AttributeError, ValueError, OSError):  # a closed or odd stream: no progress
            tty = False
        if enabled and tty:
            from tqdm import tqdm

            tqdm.monitor_interval = 0  # no monitor thread: the checkers fork workers (a fork copies no thread)
            delay = DELAY if delay is None else delay
            self.bar = tqdm(total=total, unit=unit, file=stream, leave=False, dynamic_ncols=True,
                            delay=delay, mininterval=min(0.2, delay))

    @property
    def shown(self) -> bool:
        """Whether a bar is being drawn (a terminal, not --json)."""
        return self.bar is not None

    def set_total(self, total: int) -> None:
        if self.bar is not None:
            self.bar.total = total  # drawn at the next update (refresh() would ignore the delay)

    def note(self, label: str) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(_short(label), refresh=False)
            self.bar.update(0)  # redrawn if the delay and the minimum interval have passed

    def advance(self, label: str = "", n: int = 1) -> None:
        if self.bar is not None:
            if label:
                self.bar.set_postfix_str(_short(label), refresh=False)
            self.bar.update(n)

    def reach(self, done: int, label: str = "") -> None:
        """Show ``done`` units as done (never backwards) and ``label``."""
        if self.bar is not None:
            self.advance(label, n=max(0, done - self.bar.n))

    def write(self, text: str) -> None:
        """A message line on the stream, above the bar (the bar is redrawn below it)."""
        if self.bar is not None:
            self.bar.write(text, file=self.stream)
        else:
            print(text, file=self.stream)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
