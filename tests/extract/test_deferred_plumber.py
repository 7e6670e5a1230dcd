"""pdfplumber is opened only when a page or a later-stage extractor needs it, for documents pdfium vouches for;
its checks (and the repair they may call for) run then (fiscalpdf.extract.pdf)."""

from __future__ import annotations

import pytest

from fiscalpdf.extract import pdf
from fiscalpdf.extract.pdf import PdfSource
from fiscalpdf.pipelines.document import process_document
from tests.paths import DATA, SAMPLE_PDFS


@pytest.fixture
def plumber_opens(monkeypatch):
    """Every opening of pdfplumber, counted."""
    opened = []
    real = pdf._open_plumber

    def counted(data, password):
        opened.append(len(data))
        return real(data, password)
    monkeypatch.setattr(pdf, "_open_plumber", counted)
    return opened


@pytest.mark.parametrize("path", SAMPLE_PDFS, ids=lambda p: p.name)
def test_a_document_pdfium_reads_whole_never_opens_pdfplumber(path, plumber_opens):
    result = process_document(path)
    assert result.status == "ok" and len(result.tables) == 9
    assert plumber_opens == []


def test_a_later_stage_opens_pdfplumber_when_it_runs(plumber_opens):
    result = process_document(DATA / "seed_unruled_income.pdf")  # camelot reads the unruled table
    assert result.status == "ok" and len(plumber_opens) == 1


def test_the_deferred_checks_repair_when_pdfplumber_is_first_needed(monkeypatch, plumber_opens):
    monkeypatch.setattr(pdf, "_plumber_loses", lambda plumber, second: "a loss made up for this test")
    path = SAMPLE_PDFS[0]
    source = PdfSource.open(path, path.read_bytes())
    try:
        assert source.vouched and not source.repaired and not source.findings and plumber_opens == []
        pages = source.page_count
        assert source.page(1).page_number == 1  # pdfplumber opened, checked, and the document repaired
        assert source.repaired and source.page_count == pages and len(plumber_opens) == 2  # original, repaired copy
        assert [f.code for f in source.findings] == ["damaged"]
        assert "a loss made up for this test" in source.findings[0].message
        assert source.file_for_other_readers().read_bytes() == source.data != path.read_bytes()
    finally:
        source.close()


def test_a_document_pdfium_cannot_vouch_for_opens_both_at_once(plumber_opens):
    path = DATA / "seed_altered_amount.pdf"
    data = path.read_bytes()
    # the same bytes with their cross-reference offsets broken: pdfium rebuilds the table, so it cannot vouch
    broken = data.replace(b"startxref", b"startxref\n0 %", 1) if b"startxref" in data else data
    source = PdfSource.open(path, broken)
    try:
        assert not source.vouched and len(plumber_opens) >= 1
    finally:
        source.close()
