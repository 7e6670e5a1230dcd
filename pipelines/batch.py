"""The batch over a folder of PDFs: parallel, resumable, one bad file never stops the rest.

1. recover: a compaction or batch killed earlier is finished or rolled back (compact.recover; hidden
   temporary files removed — readers never see them).
2. discover: files as given, folders scanned recursively for *.pdf.
3. identify: every input is hashed (sha256 = doc_id); the same bytes under several paths are one document,
   processed once under its first path, the others recorded as its `duplicate_paths`.
4. replace: a path that holds other bytes than when an earlier run read it (a broken download replaced by the
   real file) no longer stands for that earlier document. The earlier document's rows are removed from every
   dataset (merged files included) unless its bytes are still under another path: then it is redone from that
   path so its row names where it is. Removal is repeated by a rerun until the manifest records it, so a kill
   at any moment still ends, after a rerun, with the output of an uninterrupted run. Rows of files deleted
   from disk are kept (`fiscalpdf report` lists them).
5. skip: a document the manifest lists under the same key (bytes, version, options) is done; `force` redoes it
   (marked pending first, so a kill before its new entry makes the next run redo it again).
6. run: documents go to supervised worker processes (time and memory limits, see supervisor), or — with
   `workers=0` — run in this process (no isolation; for debugging), or to a Dask cluster (see dask_executor).
7. record: each finished document's files are in place before its manifest entry is appended.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..errors import Status
from ..model import DocumentResult
from ..options import ExtractOptions, Limits
from .compact import recover
from .datasets import OutputError, check_schema
from .document import process_document
from .manifest import REPLACED, Entry, Manifest
from .supervisor import Task, WorkerPool
from .writers import remove_document, write_document


@dataclass
class Inputs:
    pdfs: list[Path]
    skipped: list[Path] = field(default_factory=list)  # files in the folders that are not *.pdf
    missing: list[Path] = field(default_factory=list)  # arguments that do not exist
    without_pdf: list[Path] = field(default_factory=list)  # folders given that hold no PDF


def discover(inputs: Iterable[Path]) -> Inputs:
    """Files as given; folders scanned recursively for *.pdf in any case; the rest listed as skipped."""
    found = Inputs([])
    for item in inputs:
        item = Path(item)
        if item.is_file():
            found.pdfs.append(item)
        elif item.is_dir():
            before = len(found.pdfs)
            for p in sorted(item.rglob("*")):
                if p.is_file() and not p.name.startswith("."):
                    (found.pdfs if p.suffix.lower() == ".pdf" else found.skipped).append(p)
            if len(found.pdfs) == before:
                found.without_pdf.append(item)
        else:
            found.missing.append(item)
    return found


@dataclass
class BatchSummary:
    """What the batch did; one Entry per document (full results go to `on_result`, not kept here)."""

    done: list[Entry] = field(default_factory=list)  # processed in this run
    skipped: list[Entry] = field(default_factory=list)  # already done under the same key
    replaced: list[Entry] = field(default_factory=list)  # earlier documents whose rows were removed (step 4)
    duplicates: int = 0  # inputs that were the bytes of another input
    seconds: float = 0.0

    @property
    def failed(self) -> list[Entry]:
        return [e for e in self.done if e.status == Status.FAILED]

    @property
    def pages(self) -> int:
        return sum(e.pages for e in self.done)


def file_id(path: Path) -> str:
    """The doc_id of a file: the sha256 of its bytes (a file that cannot be read gets one from its path)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return hashlib.sha256(b"unreadable:" + str(path).encode()).hexdigest()


def plan(pdfs: list[Path]) -> tuple[list[Task], int]:
    """One task per distinct content, in input order; how many inputs were duplicates."""
    by_id: dict[str, list[Path]] = {}
    for p in pdfs:
        by_id.setdefault(file_id(p), []).append(p)
    tasks = [Task(doc_id, paths[0], tuple(str(p) for p in paths[1:])) for doc_id, paths in by_id.items()]
    return tasks, len(pdfs) - len(tasks)


def _with_known_duplicates(task: Task, manifest: Manifest, moved: set[str]) -> Task:
    """A document rerun from one of its paths keeps the other paths an earlier run recorded, except those that
    hold other bytes now (`moved`, absolute)."""
    earlier = manifest.entries.get(task.doc_id)
    if earlier is None:
        return task
    known = [given for given, absolute in earlier.paths if absolute not in moved] + list(task.duplicate_paths)
    others = tuple(dict.fromkeys(p for p in known if p and p != str(task.path)))
    return Task(task.doc_id, task.path, others)


def _absolute(path: Path | str) -> str:
    return str(Path(path).resolve())


def superseded(tasks: list[Task], manifest: Manifest) -> tuple[list[Entry], list[Task], set[str]]:
    """Step 4: earlier documents one of whose paths holds other bytes in this run. Returns the entries whose
    bytes are under none of their paths any longer (their rows go), the documents to redo (their bytes are
    still under another path, or are an input of this run: their rows must name where they are now), and the
    absolute paths that moved to other bytes."""
    now = {_absolute(p): t.doc_id for t in tasks for p in (t.path, *t.duplicate_paths)}
    in_run = {t.doc_id for t in tasks}
    gone: list[Entry] = []
    redo: list[Task] = []
    moved: set[str] = set()
    for entry in manifest.entries.values():
        if entry.status == REPLACED:
            continue
        paths = entry.paths
        elsewhere = {absolute for _, absolute in paths if now.get(absolute, entry.doc_id) != entry.doc_id}
        if not elsewhere:
            continue
        moved |= elsewhere
        if entry.doc_id in in_run:
            redo.append(next(t for t in tasks if t.doc_id == entry.doc_id))
            continue
        still = [given if _absolute(given) == absolute else absolute for given, absolute in paths
                 if absolute not in elsewhere and Path(absolute).is_file() and file_id(Path(absolute)) == entry.doc_id]
        if still:
            redo.append(Task(entry.doc_id, Path(still[0]), tuple(still[1:])))
        else:
            gone.append(entry)
    return gone, redo, moved


def check_output_folder(out: Path) -> None:
    """Raise OutputError for an --out that is a file, or a folder holding another schema version."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out {out} is a file, not a folder: give a folder to write the datasets into")
    if out.is_dir():
        check_schema(out)


def remove_temporary(out: Path) -> int:
    """Delete hidden temporary files a killed run left behind; how many."""
    n = 0
    for tmp in out.glob("**/.*.tmp"):
        tmp.unlink(missing_ok=True)
        n += 1
    return n


def run_batch(pdfs: list[Path], out: Path, options: ExtractOptions = ExtractOptions(), *,
              workers: int | None = None, limits: Limits = Limits(), force: bool = False,
              executor: str = "local", scheduler: str | None = None,
              on_result: Callable[[DocumentResult], None] | None = None,
              progress: Callable[["Progress"], None] | None = None) -> BatchSummary:
    started = time.monotonic()
    options = replace(options, max_decoded_stream=limits.stream_budget)
    check_output_folder(out)
    out.mkdir(parents=True, exist_ok=True)
    recover(out)
    remove_temporary(out)
    manifest = Manifest(out)
    tasks, duplicates = plan(pdfs)
    summary = BatchSummary(duplicates=duplicates)
    gone, redo, moved = superseded(tasks, manifest)
    for entry in gone:
        remove_document(out, entry.doc_id)
    manifest.mark_replaced(gone)
    summary.replaced = gone
    refresh = {t.doc_id for t in redo}
    tasks = [_with_known_duplicates(t, manifest, moved) for t in tasks]
    tasks += [t for t in redo if t.doc_id not in {t.doc_id for t in tasks}]
    todo = []
    for task in tasks:
        entry = None if force or task.doc_id in refresh else manifest.done(task.doc_id, options)
        if entry is not None:
            summary.skipped.append(entry)
        else:
            todo.append(task)
    manifest.mark_pending(todo)
    state = Progress(len(todo))
    if progress:
        progress(state)  # the display starts before the first document ends
    for result in _execute(todo, out, options, workers, limits, executor, scheduler):
        entry = Entry.of(result, options)
        manifest.record(entry)
        summary.done.append(entry)
        state.add(entry)
        if on_result:
            on_result(result)
        if progress:
            progress(state)
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


def _execute(tasks: list[Task], out: Path, options: ExtractOptions, workers: int | None, limits: Limits,
             executor: str, scheduler: str | None) -> Iterator[DocumentResult]:
    if not tasks:
        return iter(())
    if executor == "dask":
        from .dask_executor import run_on_dask

        return run_on_dask(tasks, out, options, limits, scheduler, workers)
    if executor != "local":
        raise ValueError(f"unknown executor {executor!r}: local or dask")
    if workers == 0:
        return _in_process(tasks, out, options)
    n = workers if workers else (os.cpu_count() or 1)
    return WorkerPool(min(n, len(tasks)), out, options, limits).run(tasks)


def _in_process(tasks: list[Task], out: Path, options: ExtractOptions) -> Iterator[DocumentResult]:
    for task in tasks:
        result = process_document(task.path, options)
        result.duplicate_paths = list(task.duplicate_paths)
        write_document(out, result)
        yield result


@dataclass
class Progress:
    """Files done of total, pages per second, failures so far, and the time left at the current pace."""

    total: int
    done: int = 0
    pages: int = 0
    failed: int = 0
    started: float = field(default_factory=time.monotonic)

    def add(self, entry: Entry) -> None:
        self.done += 1
        self.pages += entry.pages
        self.failed += entry.status == Status.FAILED

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def line(self) -> str:
        elapsed = max(self.elapsed, 1e-6)
        eta = elapsed / self.done * (self.total - self.done) if self.done else 0.0
        return (f"[{self.done}/{self.total}] {self.pages / elapsed:.1f} pages/s · {self.failed} failed · "
                f"ETA {_clock(eta)}")


def _clock(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
