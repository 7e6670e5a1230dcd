"""What `fiscalpdf run` shows while a batch runs: a line per document and how far the batch is.

- stderr is a terminal: a progress bar (rich) at the bottom of the screen, redrawn in place; each document's
  line is printed above it, so a line never runs into the bar. The bar is cleared when the batch ends.
- stderr is not a terminal (a log file, CI, a test): no bar and no control characters; a plain progress line
  (`[3/8] 2.1 pages/s · 0 failed · ETA 0:00:12`) every 10 % of the documents, on stderr.
Document lines go to stdout, unless the bar shares the screen with it: then they are printed through the bar's
console, above it.
"""

from __future__ import annotations

import sys
from typing import TextIO

from .batch import Progress


class BatchDisplay:
    """Use as a context manager around the batch; `progress` is run_batch's callback, `line` prints a document's
    line (None: nothing to print)."""

    def __init__(self, quiet: bool = False, stdout: TextIO | None = None, stderr: TextIO | None = None):
        self.quiet = quiet
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.live = not quiet and self.stderr.isatty()
        self._bar = None
        self._task = None
        self._last_tenth = 0

    def __enter__(self) -> "BatchDisplay":
        if self.live:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            console = Console(file=self.stderr)
            self._bar = Progress(TextColumn("documents"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[rate]} pages/s · {task.fields[failed]} failed · ETA"),
                                 TimeRemainingColumn(), console=console, transient=True, redirect_stdout=False,
                                 redirect_stderr=False)
            self._bar.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def progress(self, p: Progress) -> None:
        if self.quiet:
            return
        if self._bar is not None:
            rate = f"{p.pages / max(p.elapsed, 1e-6):.1f}"
            if self._task is None:
                self._task = self._bar.add_task("batch", total=p.total, rate=rate, failed=p.failed)
            self._bar.update(self._task, completed=p.done, rate=rate, failed=p.failed)
        elif p.total and p.done and (p.done * 10 // p.total > self._last_tenth or p.done == p.total):
            self._last_tenth = p.done * 10 // p.total
            print(p.line(), file=self.stderr, flush=True)

    def line(self, text: str | None) -> None:
        if text is None:
            return
        if self._bar is not None and self.stdout.isatty():
            self._bar.console.print(text, markup=False, highlight=False, emoji=False, soft_wrap=True)
        else:
            print(text, file=self.stdout, flush=True)
