"""Where the tests find their inputs: the repository, the samples, the test variants and ../shared."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DATA = ROOT / "tests" / "data"
SHARED = ROOT.parent / "shared"
SAMPLE_PDFS = sorted(SAMPLES.glob("*.pdf"))
VARIANT_PDFS = sorted(DATA.glob("seed_*.pdf"))
BROKEN_PDFS = {"not_a_pdf.pdf": "not_pdf", "empty.pdf": "empty_file", "truncated.pdf": "truncated"}


def shared_dir(name: str) -> Path:
    """A folder of ../shared; tests using it fail (not skip) when CI is set and it is missing."""
    path = SHARED / name
    if not path.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI must have ../shared beside the checkout")
        pytest.skip(f"{path} is not present: the real-document tests need ../shared beside the checkout")
    return path
