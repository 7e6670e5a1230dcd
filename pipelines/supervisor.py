"""Worker processes that each take one document at a time, watched by the parent for time, memory and death.

Why not `concurrent.futures.ProcessPoolExecutor`: one worker that dies (a segfault in a native library, the
kernel's OOM killer) breaks the whole pool and every document queued on it. Here each worker is a plain
process on its own pipe; the supervisor loop notices a dead worker, a document past `timeout` or a worker past
`max_memory` resident, kills that worker only, records the document as failed with `worker_crashed`,
`timeout` or `out_of_memory`, starts a fresh worker and goes on.

Memory is watched as resident set size (RSS), sampled every `POLL` seconds: an address-space limit
(`RLIMIT_AS`) alone makes some native code (camelot's dependencies) segfault instead of raising, so it is set
only as a high backstop, far above `max_memory`.

A worker writes its document's Parquet files itself (atomically, see writers) and sends the result back; the
parent writes the row of a document whose worker it had to kill.
"""

from __future__ import annotations

import importlib
import multiprocessing as mp
import os
import signal
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Callable, Iterable

import psutil

from ..errors import Status
from ..extract.pdf import quiet_parsers
from ..model import DocumentResult
from ..options import ExtractOptions, Limits
from .document import process_document
from .writers import write_document

POLL = 0.1  # seconds between checks of the busy workers
# Set to 'module:function' to call function(path) in the worker before each document. Tests use it to make a
# document hang, crash its worker or eat memory; nothing in fiscalpdf sets it.
TEST_HOOK_ENV = "FISCALPDF_TEST_HOOK"
SETTINGS_PREFIX = "FISCALPDF_"  # the environment variables a worker takes from its parent as they are now


@dataclass(frozen=True)
class Task:
    doc_id: str
    path: Path
    duplicate_paths: tuple[str, ...] = ()


@dataclass
class _Worker:
    process: mp.Process
    conn: Connection
    done: int = 0
    task: Task | None = None
    started: float = 0.0
    peak_rss: int = 0  # of the current document, as sampled every POLL seconds


def _worker_main(conn: Connection, out: Path, options: ExtractOptions, limits: Limits,
                 settings: dict[str, str]) -> None:
    """The worker's loop: receive a task, process and write the document, send the result; None stops it.
    `settings`: the parent's FISCALPDF_* environment when it started the worker (a worker forked from the fork
    server has the server's environment, of when the server started)."""
    for name in [n for n in os.environ if n.startswith(SETTINGS_PREFIX) and n not in settings]:
        del os.environ[name]
    os.environ.update(settings)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _set_address_space_backstop(limits.address_space_backstop)
    quiet_parsers()
    hook = _load_hook()
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        if task is None:
            return
        conn.send(work_on(task, out, options, hook))


def work_on(task: Task, out: Path, options: ExtractOptions, hook: Callable[[Path], None] | None) -> DocumentResult:
    """What a worker does with one document: process it and write its files."""
    if hook is not None:
        hook(task.path)
    result = process_document(task.path, options)
    result.duplicate_paths = list(task.duplicate_paths)
    write_document(out, result)
    return result


def _set_address_space_backstop(limit: int) -> None:
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or hard > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):  # not on this platform: the RSS watch still applies
        pass


def _load_hook() -> Callable[[Path], None] | None:
    spec = os.environ.get(TEST_HOOK_ENV)
    if not spec:
        return None
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def _context() -> mp.context.BaseContext:
    """Workers fork from a fork server (Linux) or are spawned (macOS, Windows), never forked from the caller.

    A process forked from the caller inherits its native libraries' thread pools half alive: after the caller
    ran OCR or camelot in-process (a notebook, the test session), OpenCV's pool is copied without its threads,
    and the worker's first cv2.setNumThreads waited forever for them (seen in the test session's corpus batch).
    The fork server is a fresh interpreter that imports this module and runs nothing else, started once per
    caller (measured: 0.6 s, its imports); each worker then forks from it with fiscalpdf already imported, in 9-10
    ms (7-9 ms forked from the caller)."""
    if sys.platform.startswith("linux"):
        context = mp.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return mp.get_context("spawn")


@dataclass
class WorkerPool:
    """Runs tasks on `workers` supervised processes; `run` yields each document's result as it finishes."""

    workers: int
    out: Path
    options: ExtractOptions
    limits: Limits = field(default_factory=Limits)

    def run(self, tasks: Iterable[Task]) -> Iterable[DocumentResult]:
        pending = deque(tasks)
        pool: list[_Worker] = []
        try:
            while pending or any(w.task for w in pool):
                while pending and (idle := self._idle(pool)) is not None:
                    self._assign(idle, pending.popleft())
                busy = [w for w in pool if w.task is not None]
                ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=POLL)
                for w in busy:
                    result = self._collect(w, ready)
                    if result is not None:
                        yield result
                pool = [w for w in pool if w.process.is_alive() or w.task is not None]
        finally:
            for w in pool:
                self._stop(w)

    def _idle(self, pool: list[_Worker]) -> _Worker | None:
        for w in pool:
            if w.task is None and w.process.is_alive():
                if w.done < self.limits.tasks_per_worker:
                    return w
                self._stop(w)
        # a worker that died on its document stays until the loop collects that document's failure
        pool[:] = [w for w in pool if w.process.is_alive() or w.task is not None]
        if len(pool) < self.workers:
            pool.append(self._start())
            return pool[-1]
        return None

    def _start(self) -> _Worker:
        context = _context()
        parent, child = context.Pipe()
        settings = {n: v for n, v in os.environ.items() if n.startswith(SETTINGS_PREFIX)}
        process = context.Process(target=_worker_main, args=(child, self.out, self.options, self.limits, settings),
                                  name="fiscalpdf-worker")
        process.start()
        child.close()
        return _Worker(process, parent)

    def _assign(self, w: _Worker, task: Task) -> None:
        w.task, w.started, w.peak_rss = task, time.monotonic(), rss_of(w.process.pid)
        w.conn.send(task)

    def _collect(self, w: _Worker, ready: list) -> DocumentResult | None:
        """The result of a worker's document if it finished, or a failure if the worker had to go."""
        if w.conn in ready:
            try:
                result = w.conn.recv()
            except (EOFError, OSError):
                return self._fail(w, "worker_crashed", self._death(w))
            w.task, w.done = None, w.done + 1
            result.peak_rss = w.peak_rss
            if result.ocr_pages:
                # the OCR engine it loaded (models, onnxruntime's buffers: ~0.5 GB) would count against every later
                # document's --max-memory: a fresh worker takes the next document
                self._stop(w)
            return result
        if not w.process.is_alive():
            return self._fail(w, "worker_crashed", self._death(w))
        w.peak_rss = max(w.peak_rss, rss_of(w.process.pid))
        breach = limit_breach(w.peak_rss, w.started, self.limits)
        if breach is not None:
            return self._fail(w, *breach)
        return None

    def _death(self, w: _Worker) -> str:
        w.process.join(timeout=1)
        return death_message(w.process.exitcode)

    def _fail(self, w: _Worker, code: str, message: str) -> DocumentResult:
        task = w.task
        assert task is not None
        self._kill(w)
        w.task = None
        result = failed_result(task, code, message, time.monotonic() - w.started)
        result.peak_rss = w.peak_rss
        write_document(self.out, result)
        return result

    @staticmethod
    def _kill(w: _Worker) -> None:
        if w.process.is_alive():
            w.process.kill()
        w.process.join(timeout=5)
        w.conn.close()

    def _stop(self, w: _Worker) -> None:
        if w.process.is_alive() and w.task is None:
            try:
                w.conn.send(None)
            except (BrokenPipeError, OSError):
                pass
            w.process.join(timeout=2)
        self._kill(w)


def limit_breach(rss: int, started: float, limits: Limits) -> tuple[str, str] | None:
    """(error_code, message) when the process working on a document since `started`, now `rss` bytes resident,
    is past a limit."""
    if time.monotonic() - started > limits.timeout:
        return "timeout", f"still running after {limits.timeout:g} s (limit --timeout)"
    if rss > limits.max_memory:
        return "out_of_memory", (f"the worker's resident memory reached {rss / 2**20:.0f} MB, over the "
                                 f"{limits.max_memory / 2**20:.0f} MB limit (--max-memory)")
    return None


def death_message(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"the worker was killed by {signal.Signals(-exitcode).name} while processing the document"
        except ValueError:
            pass
    return f"the worker exited (code {exitcode}) while processing the document"


def failed_result(task: Task, code: str, message: str, seconds: float) -> DocumentResult:
    return DocumentResult(doc_id=task.doc_id, path=str(task.path), status=Status.FAILED, error_code=code, error=message,
                          duplicate_paths=list(task.duplicate_paths), seconds=round(seconds, 3))


def rss_of(pid: int) -> int:
    """Resident memory of a worker and any children it started."""
    try:
        proc = psutil.Process(pid)
        return proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(recursive=True))
    except psutil.Error:
        return 0
