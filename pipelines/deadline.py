"""A time limit for one stage of one document, inside the worker.

The supervisor's --timeout stops a whole document; this stops one later-stage extractor (camelot on a
mangled page can lay it out for minutes) so that the document still ends with what the other stages read.
It uses SIGALRM, so it applies in a process's main thread on Unix — where workers run documents — and is
a no-op elsewhere (the supervisor's limit still holds there).
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator


class StageTimeout(BaseException):
    """A BaseException, like KeyboardInterrupt: the libraries it interrupts catch and log `Exception` per
    operator and would carry on."""


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise StageTimeout(f"gave up after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
