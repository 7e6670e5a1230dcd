"""What a batch has finished, so that a rerun skips it: `<out>/_manifest.jsonl`, one JSON object per document.

An entry is appended (and fsynced) only after the document's Parquet files are in place, so a document the
manifest lists is complete on disk. A batch killed at any moment leaves at worst a torn last line (ignored on
reading) and documents whose files were written but not yet recorded: those are processed again, and since
their files are named by doc_id they are replaced, never doubled.

An entry also records every path its bytes were found under (as given and absolute): a rerun that finds one of
those paths holding other bytes knows the earlier document was replaced there (pipelines/batch.py, step 4), and
an entry with status `replaced` says its rows were removed.

`key` says under what the entry was made — the PDF's sha256 (the doc_id), fiscalpdf's version and the
extraction options — so a new version or other options redo the document while the same ones skip it.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .. import __version__
from ..model import DocumentResult
from ..options import ExtractOptions

MANIFEST = "_manifest.jsonl"
PENDING = "pending"  # the status of an entry that says a document is being redone
REPLACED = "replaced"  # the status of an entry whose document's rows were removed: its paths hold other bytes now


def run_key(doc_id: str, options: ExtractOptions) -> str:
    return f"{doc_id}|fiscalpdf {__version__}|{options.key()}"


@dataclass
class Entry:
    doc_id: str
    key: str
    path: str
    status: str
    error_code: str | None = None
    duplicate_paths: list[str] = field(default_factory=list)
    tables: int = 0
    checks_passed: int = 0
    checks_failed: int = 0
    pages: int = 0
    seconds: float = 0.0
    peak_memory_mb: int = 0  # the worker's resident memory at its peak, sampled by the supervisor
    # `path` and then each of `duplicate_paths` made absolute: a rerun finds a path's earlier content by it
    abs_paths: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, result: DocumentResult, options: ExtractOptions) -> "Entry":
        paths = [result.path, *result.duplicate_paths]
        return cls(result.doc_id, run_key(result.doc_id, options), result.path, result.status, result.error_code,
                   list(result.duplicate_paths), len(result.tables), result.checks_passed, result.checks_failed,
                   result.page_count or 0, result.seconds, result.peak_rss // 2**20,
                   [str(Path(p).resolve()) for p in paths])

    @property
    def paths(self) -> list[tuple[str, str]]:
        """(as given, absolute) for its path and each duplicate path (entries of older runs: resolved now)."""
        given = [self.path, *self.duplicate_paths]
        absolute = self.abs_paths if len(self.abs_paths) == len(given) else [str(Path(p).resolve()) for p in given]
        return list(zip(given, absolute))


class Manifest:
    def __init__(self, out: Path):
        self.path = Path(out) / MANIFEST
        self.entries: dict[str, Entry] = {}
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = Entry(**json.loads(line))
                except (ValueError, TypeError):
                    continue  # a line torn by a kill mid-write
                self.entries[entry.doc_id] = entry

    def done(self, doc_id: str, options: ExtractOptions) -> Entry | None:
        entry = self.entries.get(doc_id)
        ok = entry is not None and entry.key == run_key(doc_id, options) and entry.status != PENDING
        return entry if ok else None

    def record(self, entry: Entry) -> None:
        self.record_all([entry])

    def record_all(self, entries: list[Entry]) -> None:
        """Append entries with one sync (a later entry for a doc_id replaces an earlier one)."""
        if not entries:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # a torn last line from a killed run must not swallow these entries: start on a fresh line
        needs_newline = self.path.exists() and self.path.stat().st_size > 0 and not _ends_with_newline(self.path)
        text = "".join(json.dumps(asdict(e), ensure_ascii=False) + "\n" for e in entries)
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(("\n" if needs_newline else "") + text)
            fh.flush()
            os.fsync(fh.fileno())
        for e in entries:
            self.entries[e.doc_id] = e

    def mark_replaced(self, entries: list[Entry]) -> None:
        """Documents whose rows were removed from the output: their paths hold other bytes now."""
        self.record_all([Entry(e.doc_id, "", e.path, REPLACED, duplicate_paths=list(e.duplicate_paths),
                               abs_paths=list(e.abs_paths)) for e in entries])

    def mark_pending(self, tasks) -> None:
        """Documents about to be redone (--force) are not done until their new entry: a kill meanwhile, which
        may leave them half-replaced, makes the next run redo them."""
        self.record_all([Entry(t.doc_id, "", str(t.path), PENDING, duplicate_paths=list(t.duplicate_paths),
                               abs_paths=[str(Path(p).resolve()) for p in (t.path, *t.duplicate_paths)])
                         for t in tasks if t.doc_id in self.entries])


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as fh:
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) == b"\n"
