"""Test hook (FISCALPDF_TEST_HOOK=tests.batch.fault_hooks:act) run in the worker before each document: a file's
name says what goes wrong with it. Only tests set the variable."""

from __future__ import annotations

import faulthandler
import os
import signal
import time
from pathlib import Path

RELEASE_ENV = "FISCALPDF_TEST_RELEASE"  # hold_*.pdf waits until this file exists


def act(path: Path) -> None:
    name = Path(path).name
    if name.startswith("hang"):
        while True:  # an extractor stuck in a loop
            time.sleep(1)
    if name.startswith("crash"):
        faulthandler.disable()  # pytest's, inherited by a forked worker: no dump in the test log
        os.kill(os.getpid(), signal.SIGSEGV)  # a native library's segfault
    if name.startswith("memory"):
        hog = []
        for _ in range(120):  # up to 6 GB, 50 MB at a time, touched so that it is resident
            hog.append(b"\x01" * (50 * 2**20))
            time.sleep(0.02)
        time.sleep(3600)
    if name.startswith("opencv"):  # what the OCR engine does first in a worker
        import cv2

        cv2.setNumThreads(1)
    if name.startswith("hold"):
        release = Path(os.environ.get(RELEASE_ENV, "/nonexistent"))
        while not release.exists():
            time.sleep(0.05)
