"""One document in a child process, watched for time, memory and death like a pool worker's.

For Dask: its worker processes are daemonic and may not start `multiprocessing` children, so a task runs
`python -m fiscalpdf.pipelines.isolated` as a plain subprocess instead. The child reads (task, out, options,
limits) pickled on stdin, processes and writes the document like a pool worker, and leaves its pickled result
in a file the parent named; the parent watches it with the supervisor's rules and writes the failed row when
it has to kill it.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..extract.pdf import quiet_parsers
from ..model import DocumentResult
from ..options import ExtractOptions, Limits
from .supervisor import (
    POLL,
    Task,
    _load_hook,
    _set_address_space_backstop,
    death_message,
    failed_result,
    limit_breach,
    rss_of,
    work_on,
)
from .writers import write_document


def run_isolated(task: Task, out: Path, options: ExtractOptions, limits: Limits) -> DocumentResult:
    with tempfile.TemporaryDirectory(prefix="fiscalpdf-") as tmp:
        result_file = Path(tmp) / "result.pickle"
        started = time.monotonic()
        child = subprocess.Popen([sys.executable, "-m", "fiscalpdf.pipelines.isolated", str(result_file)],
                                 stdin=subprocess.PIPE)
        assert child.stdin is not None
        child.stdin.write(pickle.dumps((task, out, options, limits)))
        child.stdin.close()
        peak = 0
        while child.poll() is None:
            peak = max(peak, rss_of(child.pid))
            breach = limit_breach(peak, started, limits)
            if breach is not None:
                child.kill()
                child.wait()
                return _failed(task, out, *breach, started, peak)
            time.sleep(POLL)
        if child.returncode != 0 or not result_file.exists():
            return _failed(task, out, "worker_crashed", death_message(child.returncode), started, peak)
        result: DocumentResult = pickle.loads(result_file.read_bytes())
        result.peak_rss = peak
        return result


def _failed(task: Task, out: Path, code: str, message: str, started: float, peak: int) -> DocumentResult:
    result = failed_result(task, code, message, time.monotonic() - started)
    result.peak_rss = peak
    write_document(out, result)
    return result


def _child(result_file: Path) -> None:
    task, out, options, limits = pickle.load(sys.stdin.buffer)
    _set_address_space_backstop(limits.address_space_backstop)
    quiet_parsers()
    result = work_on(task, out, options, _load_hook())
    tmp = result_file.with_suffix(".tmp")
    tmp.write_bytes(pickle.dumps(result))
    os.replace(tmp, result_file)


if __name__ == "__main__":
    _child(Path(sys.argv[1]))
