"""The compiled page reader (extract/_page_reader.c) against the Python loops it transcribes, page by page.

Exact: characters, edges, image boxes, shape and unmapped counts compared by their repr (so a -0.0 for a 0.0, or a
key in another order, is a difference), on every page of the samples and test variants and (where ../shared
exists) of the corpus. The Python loops stay the reader where nothing could compile the C file, so both must
read alike; tests/extract/test_readers_differential.py compares the reader in use with the first (ctypes) one.
"""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest

from fiscalpdf.extract import page_objects
from fiscalpdf.extract.native import handle
from tests.extract.test_readers_differential import document_differences
from tests.paths import SAMPLE_PDFS, VARIANT_PDFS, shared_dir


def _compiled():
    if page_objects._compiled is None:
        pytest.fail("fiscalpdf.extract._page_reader was not built (no C compiler or Python headers when fiscalpdf "
                    "was installed): pages are read by the Python loops, several times slower. Install gcc and the "
                    "Python headers, then reinstall (make setup).")
    return page_objects._compiled


def page_differences(doc: pdfium.PdfDocument, page_no: int) -> list[str]:
    compiled = _compiled()
    try:
        page = doc[page_no - 1]
    except pdfium.PdfiumError:
        return []  # a page pdfium cannot load is read by pdfplumber, whichever loops are built
    try:
        box, rotation = page.get_mediabox(), page.get_rotation() % 360
        textpage = page.get_textpage()
        try:
            text, raw = handle(textpage.raw), handle(page.raw)
            read = {
                "characters": (page_objects._read_chars(text, box, rotation),
                               compiled.chars(page_objects._address(text), *box, rotation)),
                "image boxes and shapes": (page_objects._read_objects(raw, box, rotation, False),
                                           compiled.objects(page_objects._address(raw), *box, rotation, False)),
                "edges": (page_objects._read_objects(raw, box, rotation, True),
                          compiled.objects(page_objects._address(raw), *box, rotation, True)),
            }
        finally:
            textpage.close()
    finally:
        page.close()
    return [f"{name} differ" for name, (python, c) in read.items() if repr(python) != repr(c)]


@pytest.mark.parametrize("path", SAMPLE_PDFS + VARIANT_PDFS, ids=lambda p: p.name)
def test_every_sample_page_reads_alike(path):
    assert document_differences(path, differences=page_differences) == []


def test_every_corpus_page_reads_alike():
    pdfs = sorted(shared_dir("corpus").glob("*.pdf"))
    assert pdfs
    assert [d for path in pdfs for d in document_differences(path, differences=page_differences)] == []


def test_the_python_loops_read_when_nothing_was_compiled(monkeypatch):
    """read_page, the reader the pipeline calls, gives the same objects with the compiled module and without."""
    doc = pdfium.PdfDocument(SAMPLE_PDFS[0])
    try:
        page_no = _first_ruled_page(doc)
        compiled = page_objects.read_page(doc, page_no)
        assert compiled.chars and compiled.edges  # edges are read when first asked for: before the switch
        monkeypatch.setattr(page_objects, "_compiled", None)
        python = page_objects.read_page(doc, page_no)
        try:
            assert repr((compiled.chars, compiled.edges, compiled.image_boxes, compiled.shape_count)) == \
                repr((python.chars, python.edges, python.image_boxes, python.shape_count))
        finally:
            compiled.release()
            python.release()
    finally:
        doc.close()


def _first_ruled_page(doc: pdfium.PdfDocument) -> int:
    for page_no in range(1, len(doc) + 1):
        objects = page_objects.read_page(doc, page_no)
        objects.release()
        if objects.shape_count > 20:
            return page_no
    raise AssertionError("no ruled page")


def test_bind_checks_its_addresses():
    compiled = _compiled()
    with pytest.raises(ValueError, match="addresses"):
        compiled.bind((1, 2))
    with pytest.raises(ValueError, match="null"):
        compiled.bind((0,) * len(page_objects._BOUND))
