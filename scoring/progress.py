"""Progress on stderr that copes with no terminal.

On a terminal: a rich progress bar. Elsewhere (CI, pipes, ``CI=true``): a plain
line at every tenth of the work, so logs show progress without control codes.
"""

from __future__ import annotations

import sys
from types import TracebackType


class Progress:
    """``with Progress(total, label) as p: p.advance()``."""

    def __init__(self, total: int, label: str, min_total: int = 0) -> None:
        self.total, self.label, self.done = total, label, 0
        self.silent = total < min_total  #: short work shows no progress (its result follows at once)
        self.step = max(1, total // 10)
        self.bar = None
        self.task = None

    def __enter__(self) -> "Progress":
        if sys.stderr.isatty() and not self.silent:
            from rich.progress import Progress as RichProgress

            self.bar = RichProgress(transient=True, console=None)
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=self.total)
        return self

    def advance(self) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.advance(self.task)
        elif not self.silent and (self.done % self.step == 0 or self.done == self.total):
            print(f"{self.label}: {self.done}/{self.total}", file=sys.stderr, flush=True)

    def echo(self, line: str) -> None:
        if self.bar is not None:
            self.bar.console.print(line, markup=False, highlight=False)
        else:
            print(line, file=sys.stderr, flush=True)

    def __exit__(self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        if self.bar is not None:
            self.bar.stop()
