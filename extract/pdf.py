"""Opening a PDF once per document, and classifying why it cannot be opened.

Everything downstream reads pages through `PdfSource`, so a document is parsed once, never per stage.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from ..errors import DocumentError
from ..model import BBox, PageText, TextLine
from .cell_text import page_lines

_HEAD_BYTES = 1024


def sniff(data: bytes) -> None:
    """Reject what is not a PDF before any parser sees it; raises DocumentError."""
    if not data:
        raise DocumentError("empty_file", "the file is empty (0 bytes)")
    head = data[:_HEAD_BYTES]
    if b"%PDF-" not in head:
        lowered = head.lstrip().lower()
        if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered[:200]:
            what = "an HTML page"
        elif head.startswith(b"\x89PNG"):
            what = "a PNG image"
        elif head.startswith(b"\xff\xd8\xff"):
            what = "a JPEG image"
        elif head.startswith(b"PK\x03\x04"):
            what = "a ZIP archive (perhaps .docx or .xlsx)"
        else:
            what = f"not a PDF (it starts with {head[:16]!r})"
        raise DocumentError("not_pdf", f"the file is {what}: no '%PDF-' header in its first {_HEAD_BYTES} bytes")


def looks_truncated(data: bytes) -> bool:
    """A complete PDF ends with %%EOF (give or take trailing whitespace or padding)."""
    return b"%%EOF" not in data[-2048:]


@dataclass
class PdfSource:
    """An open document: its bytes (hashed by the caller) and one pdfplumber parse shared by all stages."""

    path: Path
    data: bytes
    plumber: pdfplumber.PDF
    _texts: dict[int, PageText] = field(default_factory=dict)

    @classmethod
    def open(cls, path: Path, data: bytes, password: str | None = None) -> "PdfSource":
        sniff(data)
        try:
            pdf = pdfplumber.open(io.BytesIO(data), password=password or "")
            n = len(pdf.pages)
        except PdfminerException as exc:
            raise _classify(exc.args[0] if exc.args else exc, data) from exc
        except (PDFSyntaxError, PDFPasswordIncorrect, TypeError, ValueError, KeyError) as exc:
            raise _classify(exc, data) from exc
        if n == 0:
            pdf.close()
            raise DocumentError("no_pages", "the PDF has no pages")
        return cls(Path(path), data, pdf)

    @property
    def page_count(self) -> int:
        return len(self.plumber.pages)

    def page(self, page_no: int):
        """The pdfplumber page (1-based)."""
        return self.plumber.pages[page_no - 1]

    def page_text(self, page_no: int) -> PageText:
        if page_no not in self._texts:
            page = self.page(page_no)
            lines = [TextLine(text.strip(), BBox(*box)) for text, box in page_lines(page.chars) if text.strip()]
            self._texts[page_no] = PageText(page_no, float(page.width), float(page.height), lines,
                                            len(page.chars), len(page.images))
        return self._texts[page_no]

    def close(self) -> None:
        self.plumber.close()


def _classify(exc: BaseException, data: bytes) -> DocumentError:
    if isinstance(exc, PDFPasswordIncorrect):
        return DocumentError("password_required", "the PDF is encrypted and the password is missing or wrong")
    if looks_truncated(data):
        return DocumentError("truncated", f"the PDF ends early (no %%EOF at its end; {len(data)} bytes): "
                                          f"{type(exc).__name__}: {exc}")
    return DocumentError("damaged", f"the PDF cannot be parsed: {type(exc).__name__}: {exc}")
