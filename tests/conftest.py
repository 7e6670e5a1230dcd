"""Shared fixtures: the samples are processed once per test session and shared by every test that needs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.paths import DATA, SAMPLE_PDFS, SAMPLES, VARIANT_PDFS, shared_dir


@pytest.fixture(scope="session")
def results():
    """DocumentResult of every sample and test variant, by file name."""
    from fiscalpdf.pipelines.document import process_document

    return {p.name: process_document(p) for p in SAMPLE_PDFS + VARIANT_PDFS}


@pytest.fixture(scope="session")
def batch_out(tmp_path_factory):
    """`fiscalpdf run samples tests/data --out DIR`, once: good and broken files in one batch."""
    from fiscalpdf.cli import main

    out = tmp_path_factory.mktemp("batch") / "out"
    code = main(["run", str(SAMPLES), str(DATA), "--out", str(out), "--quiet"])
    assert code == 0
    return out


@pytest.fixture(scope="session")
def corpus_run(tmp_path_factory):
    """One `fiscalpdf run ../shared/corpus` (2 workers, OCR on: its image-only pages are read) for the whole
    session: (output folder, {file: result})."""
    from fiscalpdf.pipelines.batch import discover, run_batch

    corpus = shared_dir("corpus")
    out = tmp_path_factory.mktemp("corpus") / "out"
    results = {}
    run_batch(discover([corpus]).pdfs, out, workers=2,
              on_result=lambda r: results.__setitem__(Path(r.path).name, r))
    return out, results


@pytest.fixture(scope="session")
def corpus_results(corpus_run):
    return corpus_run[1]


@pytest.fixture(scope="session")
def corpus_out(corpus_run):
    return corpus_run[0]


@pytest.fixture(scope="session")
def wild_run(tmp_path_factory):
    """One `fiscalpdf run ../shared/wild --ocr off` (2 workers) for the whole session: (output folder, {file:
    result}). OCR off: its 76 image-only pages would take ~5 minutes (the corpus's are read by OCR)."""
    from fiscalpdf.options import ExtractOptions
    from fiscalpdf.pipelines.batch import discover, run_batch

    wild = shared_dir("wild")
    out = tmp_path_factory.mktemp("wild") / "out"
    results = {}
    run_batch(discover([wild]).pdfs, out, ExtractOptions(ocr="off"), workers=2,
              on_result=lambda r: results.__setitem__(Path(r.path).name, r))
    return out, results
