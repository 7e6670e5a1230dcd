"""What a batch has finished, so that a rerun skips it: `<out>/_manifest.jsonl`, one JSON object per document.

An entry is appended (and fsynced) only after the document's Parquet files are in place, so a document the
manifest lists is complete on disk. A batch killed at any moment leaves at worst a torn last line (ignored on
reading) and documents whose files were written but not yet recorded: those are processed again, and since
their files are named by doc_id they are replaced, never doubled.

`key` says under what the entry was made — the PDF's sha256 (the doc_id), fiscalpdf's version and the
extraction options — so a new version or other options redo the document while the same ones skip it.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .. import __version__
from .document import DocumentResult, ExtractOptions

MANIFEST = "_manifest.jsonl"


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

    @classmethod
    def of(cls, result: DocumentResult, options: ExtractOptions) -> "Entry":
        return cls(result.doc_id, run_key(result.doc_id, options), result.path, result.status, result.error_code,
                   list(result.duplicate_paths), len(result.tables), result.checks_passed, result.checks_failed,
                   result.page_count or 0, result.seconds)


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
        return entry if entry is not None and entry.key == run_key(doc_id, options) else None

    def record(self, entry: Entry) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # a torn last line from a killed run must not swallow this entry: start on a fresh line
        needs_newline = self.path.exists() and self.path.stat().st_size > 0 and not _ends_with_newline(self.path)
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(("\n" if needs_newline else "") + json.dumps(asdict(entry), ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        self.entries[entry.doc_id] = entry


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as fh:
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) == b"\n"
