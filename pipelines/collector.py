"""Python's cyclic garbage collector, run less often while a document is read and written.

Reading a document allocates hundreds of thousands of small objects — a dict per character and per edge, a
cell per amount — and makes almost no reference cycles, so the collector finds next to nothing, but with
Python's default thresholds (700, 10, 10) it runs about 2,250 times over the corpus (`process_document` of
its 24 files in one process, OCR off), and its older generations' passes rescan everything alive: 1.6 ms a page,
a tenth of the pipeline. With the youngest generation's threshold at 20,000 it runs about 50 times there,
0.45 ms a page (both measured with gc.callbacks, 2026-12-02). What is read does not change; memory does not
grow with it (what a pass would free is the rare cycle, and a pass still comes every 20,000 allocations net).
The thresholds are restored on the way out, so a caller running other work in the same process keeps its own.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

YOUNG_THRESHOLD = 20_000


@contextmanager
def fewer_collections() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], YOUNG_THRESHOLD), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
