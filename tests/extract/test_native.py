"""fiscalpdf.extract.native: cffi on pypdfium2's own pdfium library."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest

from tests.paths import SAMPLE_PDFS


def test_pypdfium2s_library_is_found_and_shared():
    try:
        from fiscalpdf.extract import native
    except ImportError as exc:
        pytest.fail(f"fiscalpdf.extract.native cannot load pypdfium2's pdfium library: {exc}")
    assert native.LIBRARY.is_file(), native.LIBRARY
    # the handles pypdfium2 gives are valid in the library cffi opened: it is the same loaded library
    pdf = pdfium.PdfDocument(SAMPLE_PDFS[0])
    page = pdf[0]
    textpage = page.get_textpage()
    try:
        assert native.lib.FPDFText_CountChars(native.handle(textpage.raw)) == textpage.count_chars() > 0
    finally:
        textpage.close()
        page.close()
        pdf.close()


def test_a_missing_library_is_named(monkeypatch, tmp_path):
    import pypdfium2_raw.bindings as bindings

    from fiscalpdf.extract import native

    monkeypatch.setattr(bindings, "_libs", {})
    monkeypatch.setattr(bindings, "__file__", str(tmp_path / "bindings.py"))
    with pytest.raises(native.PdfiumLibraryNotFound) as caught:
        native.library_path()
    assert str(tmp_path) in str(caught.value) and "pip install --force-reinstall pypdfium2" in str(caught.value)
