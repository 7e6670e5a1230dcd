"""Batch benchmark: the speed-up of 2 workers over 1 on the corpus, and the batch's overhead per document.

All figures are ratios or differences between runs made here, in this process, on this machine:
- in-process: every document through `process_document` + writers in this process (no workers, no manifest);
- 1 worker / 2 workers: `run_batch` over the same files into fresh output folders;
- overhead per document: (1-worker batch − in-process) / documents, on the corpus and on 200 tiny files
  (which take no extraction time, so the batch's own cost — hashing, manifest, worker hand-off — is all there is).

OCR is off in every run (`TEXT_LAYER`): these are text-layer figures; OCR's cost per page is measured apart
(benchmarks/ocr_matrix.py, `make bench` and `make ocr-bench`).

    python benchmarks/batch.py [--corpus DIR] [--limit N] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from fiscalpdf.options import ExtractOptions
from fiscalpdf.pipelines.batch import discover, run_batch
from fiscalpdf.pipelines.document import process_document
from fiscalpdf.pipelines.writers import write_document

ROOT = Path(__file__).resolve().parents[1]
TEXT_LAYER = ExtractOptions(ocr="off")


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def in_process(pdfs: list[Path], out: Path) -> None:
    for p in pdfs:
        write_document(out, process_document(p, TEXT_LAYER))


def tiny_files(folder: Path, n: int) -> list[Path]:
    """n distinct non-PDF files: each is read, hashed, classified and recorded, with no extraction."""
    folder.mkdir(parents=True)
    paths = []
    for i in range(n):
        p = folder / f"tiny-{i:04d}.pdf"
        p.write_bytes(f"<html>not a pdf {i}</html>".encode())
        paths.append(p)
    return paths


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--limit", type=int, default=0, help="only the first N corpus files")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    pdfs = discover([args.corpus]).pdfs
    if args.limit:
        pdfs = pdfs[: args.limit]
    figures: dict = {"documents": len(pdfs), "cores": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="fiscalpdf-bench-") as tmp:
        tmp = Path(tmp)
        figures["in_process_s"] = timed(lambda: in_process(pdfs, tmp / "inproc"))
        figures["workers_1_s"] = timed(lambda: run_batch(pdfs, tmp / "w1", TEXT_LAYER, workers=1))
        figures["workers_2_s"] = timed(lambda: run_batch(pdfs, tmp / "w2", TEXT_LAYER, workers=2))
        figures["rerun_all_done_s"] = timed(lambda: run_batch(pdfs, tmp / "w2", TEXT_LAYER, workers=2))
        tiny = tiny_files(tmp / "tiny", 200)
        figures["tiny_in_process_s"] = timed(lambda: in_process(tiny, tmp / "tiny-inproc"))
        figures["tiny_workers_1_s"] = timed(lambda: run_batch(tiny, tmp / "tiny-w1", TEXT_LAYER, workers=1))
        shutil.rmtree(tmp / "tiny")
    n = len(pdfs)
    figures["speedup_2_over_1"] = figures["workers_1_s"] / figures["workers_2_s"]
    figures["overhead_per_document_ms"] = (figures["workers_1_s"] - figures["in_process_s"]) / n * 1000
    figures["tiny_overhead_per_document_ms"] = (figures["tiny_workers_1_s"] - figures["tiny_in_process_s"]) / 200 * 1000
    print(f"batch over {n} corpus documents on {figures['cores']} cores")
    print(f"  in-process        {figures['in_process_s']:8.1f} s")
    print(f"  1 worker          {figures['workers_1_s']:8.1f} s")
    print(f"  2 workers         {figures['workers_2_s']:8.1f} s   speed-up ×{figures['speedup_2_over_1']:.2f}")
    print(f"  rerun, all done   {figures['rerun_all_done_s']:8.2f} s")
    print(f"  overhead per document: {figures['overhead_per_document_ms']:.0f} ms on the corpus, "
          f"{figures['tiny_overhead_per_document_ms']:.1f} ms on 200 tiny files")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    return figures


if __name__ == "__main__":
    main(sys.argv[1:])
