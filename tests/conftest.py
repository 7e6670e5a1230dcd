"""Shared fixtures: the samples are processed once per test session and shared by every test that needs them."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DATA = ROOT / "tests" / "data"
SHARED = ROOT.parent / "shared"
SAMPLE_PDFS = sorted(SAMPLES.glob("*.pdf"))
VARIANT_PDFS = sorted(DATA.glob("seed_*.pdf"))
sys.path.insert(0, str(SAMPLES))  # the sample generator is a script beside the samples: tests read its sources
sys.path.insert(0, str(ROOT / "tests" / "corpus"))  # golden.py and confirm_goldens.py, also run as scripts
sys.path.insert(0, str(ROOT / "tests" / "batch"))  # batch_helpers.py, fault_hooks.py
sys.path.insert(0, str(ROOT / "tests" / "fuzz"))  # fuzz_pdfs.py, also `make fuzz`

BROKEN_PDFS = {"not_a_pdf.pdf": "not_pdf", "empty.pdf": "empty_file", "truncated.pdf": "truncated"}


def shared_dir(name: str) -> Path:
    """A folder of ../shared; tests using it fail (not skip) when CI is set and it is missing."""
    path = SHARED / name
    if not path.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI must have ../shared beside the checkout")
        pytest.skip(f"{path} not present")
    return path


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
    """One `fiscalpdf run ../shared/corpus` (2 workers) for the whole session: (output folder, {file: result})."""
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
