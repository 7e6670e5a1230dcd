"""The batch over a folder of PDFs: every input gets a `documents` row, one bad file never stops the rest."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .document import DocumentResult, ExtractOptions, process_document
from .writers import write_document


@dataclass
class Inputs:
    pdfs: list[Path]
    skipped: list[Path] = field(default_factory=list)  # files in the folders that are not *.pdf
    missing: list[Path] = field(default_factory=list)  # arguments that do not exist


def discover(inputs: Iterable[Path]) -> Inputs:
    """Files as given; folders scanned recursively for *.pdf in any case; the rest listed as skipped."""
    found = Inputs([])
    for item in inputs:
        item = Path(item)
        if item.is_file():
            found.pdfs.append(item)
        elif item.is_dir():
            for p in sorted(item.rglob("*")):
                if p.is_file() and not p.name.startswith("."):
                    (found.pdfs if p.suffix.lower() == ".pdf" else found.skipped).append(p)
        else:
            found.missing.append(item)
    return found


@dataclass
class BatchSummary:
    results: list[DocumentResult] = field(default_factory=list)

    @property
    def failed(self) -> list[DocumentResult]:
        return [r for r in self.results if r.status == "failed"]


def run_batch(pdfs: list[Path], out: Path, options: ExtractOptions = ExtractOptions(),
              on_result: Callable[[DocumentResult], None] | None = None) -> BatchSummary:
    summary = BatchSummary()
    out.mkdir(parents=True, exist_ok=True)
    for pdf in pdfs:
        result = process_document(pdf, options)
        write_document(out, result)
        summary.results.append(result)
        if on_result:
            on_result(result)
    return summary
