"""Opening a PDF once per document, and classifying why it cannot be (fully) read.

Everything downstream reads pages through `PdfSource`, so a document is parsed once, never per stage.

Two readers read a document. pdfium reads every page first (fiscalpdf.extract.page_objects); pdfplumber
(pdfminer) reads the pages pdfium cannot load or decode, and camelot reads the file pdfplumber reads. Where
the two disagree on the structure — pdfplumber raises, finds fewer pages, or no text on page 1 where pdfium
has some — pdfplumber has lost something in silence (a broken cross-reference table pdfium rebuilt), so the
document is re-saved through pdfium (which writes a clean file) and read again, and the result says so.
pdfplumber's page list and its parse of page 1 cost more than pdfium's reading of a whole short document:
for a document pdfium vouches for (`_vouches`: a valid cross-reference table it did not rebuild, and one
pdfminer parses too), pdfplumber is opened only when a page or a later-stage extractor needs it, and the
same checks (and repair) run then; every other document opens both at once, as before.
Before either parser runs, the raw bytes are checked for what would take either of them down: not a PDF,
cut short, or a stream that inflates past the memory budget (extract/streams.py).
"""

from __future__ import annotations

import io
import logging
import math
import os
import re
import tempfile
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..errors import DocumentError, Finding
from ..model import OCR_MAX_CHARS, OCR_MIN_COVER, OCR_READER, BBox, PageText, TextLine
from ..options import DEFAULT_MAX_DECODED_STREAM
from .cell_text import page_lines
from .page_objects import PageObjects, from_plumber, read_page
from .streams import largest_decoded_stream

if TYPE_CHECKING:  # pdfplumber (and pdfminer) are imported where a document needs them: a third of a second
    import pdfplumber

    from .ocr import OcrSettings

_HEAD_BYTES = 1024
# The largest page the PDF format allows is 200 × 200 inches (14 400 pt, ISO 32000 annex C). A bigger
# MediaBox is a defect, and rendering it (camelot lattice, OCR) asks for an absurd bitmap.
MAX_PAGE_POINTS = 14_400
# PDF object syntax where the header should be: a PDF that lost its first bytes, not some other format.
_OBJECT_SYNTAX = re.compile(rb"\d+\s+\d+\s+obj\b|\bxref\b|\btrailer\b|\bendobj\b")
_PADDING = b"\x00 \t\r\n\x0c"


# The parsers log every defect they step over (a bad xref, an odd font) — thousands of lines for one broken
# file. What matters reaches the documents row as an error code and warnings, so the batch silences them.
PARSER_LOGGERS = ("pdfminer", "pdfplumber", "playa", "camelot", "pypdfium2")


def quiet_parsers() -> None:
    for name in PARSER_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)


def sniff(data: bytes) -> None:
    """Reject what is not a PDF before any parser sees it; raises DocumentError."""
    if not data:
        raise DocumentError("empty_file", "the file is empty (0 bytes)")
    head = data[:_HEAD_BYTES]
    if b"%PDF-" in head:
        return
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered[:200]:
        what = "an HTML page"
    elif head.startswith(b"\x89PNG"):
        what = "a PNG image"
    elif head.startswith(b"\xff\xd8\xff"):
        what = "a JPEG image"
    elif head.startswith(b"PK\x03\x04"):
        what = "a ZIP archive (perhaps .docx or .xlsx)"
    elif _OBJECT_SYNTAX.search(data[:4 * _HEAD_BYTES]):
        raise DocumentError("damaged", "the file holds PDF objects but no '%PDF-' header: its beginning is missing")
    else:
        what = f"not a PDF (it starts with {head[:16]!r})"
    raise DocumentError("not_pdf", f"the file is {what}: no '%PDF-' header in its first {_HEAD_BYTES} bytes")


def looks_truncated(data: bytes) -> bool:
    """A complete PDF ends with %%EOF, give or take trailing whitespace or NUL padding."""
    end = len(data)
    while end > 0 and data[end - 1] in _PADDING:
        end -= 1
    return b"%%EOF" not in data[max(0, end - 2048):end]


# No page is rendered (camelot lattice, OCR, `fiscalpdf inspect`) into a bitmap larger than this: an A3 page
# at 300 dpi is 17.4 MP; beyond the budget the resolution drops instead of the memory growing.
MAX_RENDER_PIXELS = 36_000_000


def render_scale(width_pt: float, height_pt: float, max_pixels: int = MAX_RENDER_PIXELS,
                 max_scale: float = 300 / 72) -> float:
    """Pixels per point for rendering a page: at most max_scale, and the bitmap (sides rounded up) within
    max_pixels."""
    scale = min(max_scale, math.sqrt(max_pixels / max(width_pt * height_pt, 1.0)))
    while math.ceil(width_pt * scale) * math.ceil(height_pt * scale) > max_pixels:
        scale *= 0.99
    return scale


def check_stream_sizes(data: bytes, max_decoded: int) -> None:
    bomb = largest_decoded_stream(data, max_decoded)
    if bomb is not None:
        offset, size = bomb
        raise DocumentError("too_large", f"a compressed stream at byte {offset} inflates past {size >> 20} MB, "
                                         f"over the {max_decoded >> 20} MB budget for one stream (a decompression "
                                         f"bomb, or a document beyond --max-memory)")


@dataclass
class PdfSource:
    """An open document: its bytes (hashed by the caller; the repaired copy when `repaired`), pdfium's view of
    the original bytes (None when pdfium cannot open them) and one pdfplumber parse, shared by all stages —
    opened when first needed for a document pdfium vouches for (`vouched`), at once otherwise."""

    path: Path
    data: bytes
    _plumber: "pdfplumber.PDF | None"  # None until needed (a vouched document), then opened and checked
    pdfium: pdfium.PdfDocument | None
    password: str | None = None
    repaired: bool = False
    findings: list[Finding] = field(default_factory=list)  # conditions found while opening (encrypted, repaired …)
    page_errors: dict[int, str] = field(default_factory=dict)  # page → why pdfminer could not parse it
    vouched: bool = False  # pdfium's reading is trusted; pdfplumber is opened (and checked) only when needed
    _texts: dict[int, PageText] = field(default_factory=dict)
    _objects: PageObjects | None = None
    _copy: Path | None = None
    # pages without a usable text layer are read by OCR with these settings (fiscalpdf.extract.ocr); None: never
    ocr: OcrSettings | None = None
    ocr_read: dict[int, str | None] = field(default_factory=dict)  # page → None: read by OCR; else why it failed
    # page → (quarter turns, skew) with which OCR set its image upright and level: a cell is re-read the same way
    ocr_placement: dict[int, tuple[int, float]] = field(default_factory=dict)
    # the objects of the pages read by OCR, kept: a later stage that looks at such a page again (the completeness
    # check, a table's second page) must not pay seconds of OCR for it twice (a page's characters: ~1 MB)
    _ocr_objects: dict[int, PageObjects] = field(default_factory=dict)

    @classmethod
    def open(cls, path: Path, data: bytes, password: str | None = None,
             max_decoded: int = DEFAULT_MAX_DECODED_STREAM) -> "PdfSource":
        """Open the document. When pdfium vouches for it (`_vouches`: it opened the file, found its
        cross-reference table valid, no encryption, the header where it belongs, some pages, and pdfminer
        parses its cross-reference table and trailer too), pdfplumber waits until a page or a later-stage
        extractor needs it, and the checks below run then. Otherwise both open now, and where pdfplumber
        fails, finds fewer pages than pdfium, or no text on page 1 where pdfium has some, the document is
        re-saved through pdfium and read again (`_repaired`)."""
        sniff(data)
        check_stream_sizes(data, max_decoded)
        second, second_error = _open_pdfium(data, password)
        if _vouches(second, data, password):
            return cls(Path(path), data, None, second, password, vouched=True)
        try:
            plumber = _open_plumber(data, password)
        except DocumentError as err:
            if err.code == "password_required" or second is None or len(second) == 0:
                _close(second)
                raise
            return cls._repaired(path, data, password, second, f"pdfplumber could not parse it ({err.message})")
        why = _plumber_loses(plumber, second)
        if why is not None:
            plumber.close()
            return cls._repaired(path, data, password, second, why)
        if len(plumber.pages) == 0:
            plumber.close()
            _close(second)
            raise DocumentError("no_pages", "the PDF has no pages (its page tree is empty): nothing to read")
        source = cls(Path(path), data, plumber, second, password)
        if second_error is not None and second_error != "password":
            source.findings.append(Finding("damaged", f"pdfium cannot open it ({second_error}) though pdfplumber "
                                                      f"can: its structure is broken, and text may be missing"))
        if getattr(plumber.doc, "encryption", None) is not None:
            how = "the password given" if password else "the empty password"
            source.findings.append(Finding("encrypted", f"the PDF is encrypted; it was opened with {how}"))
        return source

    @classmethod
    def _repaired(cls, path: Path, data: bytes, password: str | None, second: pdfium.PdfDocument,
                  why: str) -> "PdfSource":
        """Re-save through pdfium (which rebuilds what it repaired on reading) and read that with pdfplumber."""
        try:
            fixed, plumber = _repair(second)
        except DocumentError as err:
            _close(second)
            raise _unrepairable(data, why, err) from err
        source = cls(Path(path), fixed, plumber, second, password, repaired=True)
        source.findings.append(_repaired_finding(why))
        return source

    @property
    def plumber(self) -> "pdfplumber.PDF":
        """pdfplumber's parse of the document, opened on first use for a vouched document: if pdfplumber then
        fails on it, finds fewer pages than pdfium or no text on page 1 where pdfium has some, the document
        is repaired now as `open` would have (the finding says so; later readers read the repaired copy).
        Raises DocumentError when it cannot be repaired."""
        if self._plumber is None:
            self._plumber = self._open_deferred()
        return self._plumber

    def _open_deferred(self) -> "pdfplumber.PDF":
        """Open pdfplumber on a vouched document and run the checks `open` runs on the others."""
        try:
            plumber = _open_plumber(self.data, self.password)
        except DocumentError as err:
            why = f"pdfplumber could not parse it ({err.message})"
        else:
            why = _plumber_loses(plumber, self.pdfium)
            if why is None:
                return plumber
            plumber.close()
        try:
            self.data, plumber = _repair(self.pdfium)
        except DocumentError as err:
            raise _unrepairable(self.data, why, err) from err
        self.repaired = True
        self.findings.append(_repaired_finding(why))
        return plumber

    @property
    def page_count(self) -> int:
        """pdfplumber's count, as later readers see the document; pdfium's for a vouched document, whose page
        tree pdfium read (pdfplumber, once opened, finding fewer pages repairs the document)."""
        if self.vouched:
            return len(self.pdfium)
        return len(self.plumber.pages)

    def page(self, page_no: int):
        """The pdfplumber page (1-based)."""
        return self.plumber.pages[page_no - 1]

    def page_text(self, page_no: int) -> PageText:
        if page_no not in self._texts:
            self._texts[page_no] = self._read_page_text(page_no)
        return self._texts[page_no]

    def _read_page_text(self, page_no: int) -> PageText:
        try:
            objects = self.page_objects(page_no)
        except Exception as exc:  # noqa: BLE001 - any parser failure on untrusted page content
            # pdfminer raises anything from PdfminerException to a bare TypeError on a broken content stream:
            # the page cannot be read, the document goes on (and is repaired through pdfium if it can be)
            self.page_errors[page_no] = f"{type(exc).__name__}: {exc}"
            return PageText(page_no, 0.0, 0.0, [], 0, 0, problem="unreadable")
        width, height = objects.width, objects.height
        if max(width, height) > MAX_PAGE_POINTS:
            return PageText(page_no, width, height, [], 0, 0, problem="too_large")
        chars = objects.chars
        lines = [TextLine(text.strip(), BBox(*box)) for text, box in page_lines(chars) if text.strip()]
        text = PageText(page_no, width, height, lines, len(chars), len(objects.image_boxes),
                        image_cover=_largest_image_share(objects.image_boxes, width, height),
                        ocr=objects.reader == OCR_READER)
        if objects.reader == "pdfplumber" and not _visible(chars) and _pdfium_visible(self.pdfium, page_no):
            text.problem = "text_lost"
        elif _garbled(objects):
            text.problem = "garbled_text"
        return text

    def page_objects(self, page_no: int) -> PageObjects:
        """The page's characters, edges and images: read by pdfium, or by pdfplumber where pdfium cannot.
        The last page read is kept (the locator reads a page's text, then its grid); no more, so that a
        171-page document holds one page's objects at a time — but for the pages read by OCR, which are all kept
        (reading one again would cost seconds)."""
        if self._objects is not None and self._objects.page_no == page_no:
            return self._objects
        if page_no in self._ocr_objects:
            return self._ocr_objects[page_no]
        if self._objects is not None:
            self._objects.release()
            self._objects = None
        objects = None
        if self.pdfium is not None:
            try:
                objects = read_page(self.pdfium, page_no)
            except pdfium.PdfiumError:
                objects = None
        if objects is None or _garbled(objects):
            # pdfium cannot load the page, or cannot map its font to Unicode (a CID font without ToUnicode,
            # which pdfminer decodes through the font's registry): pdfplumber reads it
            page = self.page(page_no)
            try:
                second = from_plumber(page, page_no)
            except Exception:  # noqa: BLE001 - pdfminer failing on untrusted content
                if objects is None:
                    raise
                second = None
            finally:
                page.close()  # pdfplumber keeps every parsed page's objects until closed
            if objects is None or (second is not None and not _garbled(second)):
                if objects is not None:
                    objects.release()
                objects = second
        if self.ocr is not None and self.pdfium is not None and page_no not in self.ocr_read and _wants_ocr(objects):
            objects = self._read_by_ocr(objects)  # once: a page OCR failed on is not tried again on each read
        self._objects = objects
        return objects

    def _read_by_ocr(self, objects: PageObjects) -> PageObjects:
        """The page read by OCR; the text layer's objects when OCR fails on it (the page stays unread, and
        `ocr_read` says why)."""
        from .ocr import read_page_ocr

        try:
            read = read_page_ocr(self.pdfium, objects.page_no, self.ocr, image_boxes=objects.image_boxes)
        except Exception as exc:  # noqa: BLE001 - rendering or recognising untrusted content: the page is skipped
            self.ocr_read[objects.page_no] = f"{type(exc).__name__}: {exc}"
            return objects
        objects.release()
        self.ocr_read[objects.page_no] = None
        self.ocr_placement[objects.page_no] = (read.turned, read.skew)
        self._ocr_objects[objects.page_no] = read
        return read

    def reread_ocr(self, page_no: int, bbox: BBox, dpi: int) -> list[dict]:
        """The characters inside `bbox` of a page read by OCR, read again from a crop rendered at `dpi`."""
        from .ocr import reread

        turned, skew = self.ocr_placement[page_no]
        return reread(self.pdfium, page_no, bbox, dpi, turned=turned, skew=skew, settings=self.ocr)

    def info(self) -> dict[str, str]:
        """The document information dictionary (Title, Author, Creator, Producer …) as text; {} when unreadable."""
        try:
            if self.pdfium is not None:
                return {k: str(v) for k, v in self.pdfium.get_metadata_dict(skip_empty=True).items()}
            return {str(k): v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)
                    for k, v in (self.plumber.metadata or {}).items()}
        except Exception:  # noqa: BLE001 - a broken info dictionary says nothing, it stops nothing
            return {}

    def page_texts(self) -> dict[int, PageText]:
        """The pages read so far (the locator reads every page)."""
        return self._texts

    def reopened_repaired(self, why: str) -> "PdfSource":
        """The same document re-saved through pdfium and opened again (the caller closes both)."""
        second, _ = _open_pdfium(self.data, self.password)
        if second is None:
            raise DocumentError("damaged", f"{why}, and pdfium cannot re-open it")
        repaired = PdfSource._repaired(self.path, self.data, self.password, second, why)
        repaired.ocr = self.ocr
        return repaired

    def file_for_other_readers(self) -> Path:
        """A path holding the bytes pdfplumber read (the repaired copy when there is one), for camelot: the
        deferred checks run first (a vouched document may turn out to need repair)."""
        if self._plumber is None:
            self._plumber = self._open_deferred()
        if not self.repaired:
            return self.path
        if self._copy is None:
            fd, name = tempfile.mkstemp(prefix="fiscalpdf-repaired-", suffix=".pdf")
            with os.fdopen(fd, "wb") as fh:
                fh.write(self.data)
            self._copy = Path(name)
        return self._copy

    def close(self) -> None:
        if self._objects is not None:
            self._objects.release()
            self._objects = None
        if self._plumber is not None:
            self._plumber.close()
        _close(self.pdfium)
        if self._copy is not None:
            self._copy.unlink(missing_ok=True)


# A text layer read through the wrong encoding: GBK bytes shown as Latin-1 (`Ö÷Òª`) or glyph ids pdfminer
# could not map (`(cid:1234)`). Thresholds leave real Latin text alone: Czech or French has a few accented
# letters per word, mojibake is nearly all of them.
_GARBLED_MIN_CHARS = 20
_GARBLED_SHARE = 0.3


def _garbled(objects: PageObjects) -> bool:
    if objects.garbled is None:
        objects.garbled = _decodes_to_nonsense(objects)
    return objects.garbled


def _wants_ocr(objects: PageObjects) -> bool:
    """No usable text layer: a page holding images and no visible character, or a scan under a few stray
    characters (as PageText.needs_ocr judges it), or text that decodes to nonsense. A page larger than the
    format allows is never rendered."""
    if max(objects.width, objects.height) > MAX_PAGE_POINTS:
        return False
    if _garbled(objects):
        return True
    if not objects.image_boxes:
        return False
    count = len(objects.chars)
    return not count or (count < OCR_MAX_CHARS and
                         _largest_image_share(objects.image_boxes, objects.width, objects.height) >= OCR_MIN_COVER)


def _visible(chars: list[dict]) -> int:
    """Characters that are not white space."""
    return _letters(chars).visible


@dataclass(frozen=True)
class _Letters:
    """What the nonsense checks count of a page's characters: the visible ones, and among them pdfplumber's
    '(cid:…)' (glyphs with no Unicode), Latin-1 letters and CJK characters."""

    visible: int
    cid: int
    latin1: int
    cjk: int


# Every page's text is checked for nonsense: where each character's text is one code point (pdfium's always
# are; pdfplumber's '(cid:…)' are not) the counts are regular expressions over the page's text joined, not a
# Python loop per character. `\s` matches exactly what str.isspace() calls white space (every code point).
_SPACE = re.compile(r"\s")
_LATIN1 = re.compile("[\x80-\xff]")
_CJK = re.compile("[\u3400-\u9fff\u2e80-\u2fdf]")


_TEXT = itemgetter("text")


def _letters(chars: list[dict]) -> _Letters:
    texts = list(map(_TEXT, chars))  # every character of every page: no Python call per character
    joined = "".join(texts)
    if len(joined) == len(texts) and "" not in texts:  # one code point each
        visible = _SPACE.sub("", joined)
        return _Letters(len(visible), 0, len(_LATIN1.findall(visible)), len(_CJK.findall(visible)))
    shown = [t for t in texts if not t.isspace()]
    return _Letters(len(shown), sum(t.startswith("(cid:") for t in shown),
                    sum(len(t) == 1 and 0x80 <= ord(t) <= 0xFF for t in shown),
                    sum(len(t) == 1 and (0x3400 <= ord(t) <= 0x9FFF or 0x2E80 <= ord(t) <= 0x2FDF) for t in shown))


def _pdfium_visible(doc: pdfium.PdfDocument | None, page_no: int) -> int:
    """Non-space characters pdfium reads on the page (0 when it cannot read it)."""
    if doc is None:
        return 0
    try:
        page = doc[page_no - 1]
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        textpage.close()
        page.close()
    except (pdfium.PdfiumError, IndexError):
        return 0
    return sum(not ch.isspace() for ch in text)


def _decodes_to_nonsense(objects: PageObjects) -> bool:
    letters = _letters(objects.chars)  # counted once for both checks
    visible = letters.visible
    unmapped = visible >= _GARBLED_MIN_CHARS and objects.unmapped_chars / visible >= _GARBLED_SHARE
    return unmapped or _garbled_letters(letters)


def is_garbled(chars: list[dict]) -> bool:
    return _garbled_letters(_letters(chars))


def _garbled_letters(letters: _Letters) -> bool:
    n = letters.visible
    if n < _GARBLED_MIN_CHARS:
        return False
    return (letters.cid + letters.latin1) / n >= _GARBLED_SHARE and letters.cjk / n < 0.05


def _largest_image_share(boxes: list[tuple[float, float, float, float]], width: float, height: float) -> float:
    """Share of the page covered by its largest image (a scan covers nearly all of it)."""
    if not boxes or width <= 0 or height <= 0:
        return 0.0

    def area(box: tuple[float, float, float, float]) -> float:
        x0, top, x1, bottom = box
        return max(0.0, min(x1, width) - max(x0, 0.0)) * max(0.0, min(bottom, height) - max(top, 0.0))
    return min(1.0, max(area(b) for b in boxes) / (width * height))


def _vouches(doc: pdfium.PdfDocument | None, data: bytes, password: str | None) -> bool:
    """pdfium opened the file and nothing suggests pdfplumber would read it otherwise: pdfium found the
    cross-reference table valid (it did not rebuild it: the silent repairs that make pdfplumber lose pages or
    page 1's text are rebuilds), the file is not encrypted and starts with its header (pdfminer's offsets and
    decryption differ from pdfium's there), it has pages, and pdfminer parses its cross-reference table and
    trailer (where it fails on files pdfium reads, such as a trailer nested thousands deep) — a few
    milliseconds, where pdfplumber's page list and its parse of page 1 cost tens."""
    if doc is None or len(doc) == 0 or not data.startswith(b"%PDF-"):
        return False
    if not pdfium_c.FPDF_DocumentHasValidCrossReferenceTable(doc.raw):
        return False
    if pdfium_c.FPDF_GetSecurityHandlerRevision(doc.raw) != -1:
        return False
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    try:
        PDFDocument(PDFParser(io.BytesIO(data)), password=password or "")
    except Exception:  # noqa: BLE001 - anything pdfminer raises on untrusted bytes: open both readers now
        return False
    return True


def _plumber_loses(plumber: "pdfplumber.PDF", second: pdfium.PdfDocument | None) -> str | None:
    """Why pdfplumber's reading cannot be trusted where pdfium's can (None when it can): it finds fewer pages,
    or no text on page 1 where pdfium has some."""
    pages, seen_by_pdfium = len(plumber.pages), len(second) if second is not None else 0
    if seen_by_pdfium > pages:
        return f"pdfplumber found {pages} pages, pdfium {seen_by_pdfium}"
    if pages and second is not None and _first_page_lost(plumber, second):
        return "pdfplumber reads no text on page 1, pdfium does"
    return None


def _repair(second: pdfium.PdfDocument) -> tuple[bytes, "pdfplumber.PDF"]:
    """The document re-saved through pdfium, and pdfplumber's parse of that; raises DocumentError."""
    fixed = _resave(second)
    plumber = _open_plumber(fixed, None)
    if len(plumber.pages) == 0:
        plumber.close()
        raise DocumentError("damaged", "no pages after repair")
    return fixed, plumber


def _unrepairable(data: bytes, why: str, err: DocumentError) -> DocumentError:
    code = "truncated" if looks_truncated(data) else "damaged"
    return DocumentError(code, f"the PDF is broken and could not be repaired: {why}; after re-saving "
                               f"through pdfium: {err.message}")


def _repaired_finding(why: str) -> Finding:
    return Finding("damaged", f"the PDF is broken ({why}); it was repaired by re-saving it through pdfium and "
                              f"read from the repaired copy: check its tables against the original")


def _first_page_lost(plumber: "pdfplumber.PDF", second: pdfium.PdfDocument) -> bool:
    """pdfplumber sees no text on the first page where pdfium does: a broken cross-reference table that
    pdfium rebuilt in silence, and that pdfplumber (and camelot after it) would read as empty."""
    try:
        page = plumber.pages[0]
        seen = _visible(page.chars)
        page.close()
    except Exception:  # noqa: BLE001 - a page pdfminer cannot parse is lost too
        seen = 0
    return not seen and _pdfium_visible(second, 1) > 0


def _open_plumber(data: bytes, password: str | None) -> "pdfplumber.PDF":
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    try:
        pdf = pdfplumber.open(io.BytesIO(data), password=password or "")
        len(pdf.pages)  # builds the page list: the page tree's defects surface here, not later
        return pdf
    except PdfminerException as exc:
        raise _classify(exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc, data) from exc
    except (PDFSyntaxError, PSException, PDFPasswordIncorrect, MalformedPDFException, TypeError, ValueError, KeyError,
            IndexError, AttributeError, RecursionError) as exc:
        # pdfminer raises bare TypeError and friends on broken structure (a page without a MediaBox …)
        raise _classify(exc, data) from exc


def _open_pdfium(data: bytes, password: str | None) -> tuple[pdfium.PdfDocument | None, str | None]:
    """pdfium's view of the bytes, or None and why not ('password' when it wants one)."""
    try:
        return pdfium.PdfDocument(data, password=password), None
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            return None, "password"
        return None, str(exc)


def _resave(doc: pdfium.PdfDocument) -> bytes:
    for i in range(len(doc)):
        try:
            page = doc[i]
        except pdfium.PdfiumError:
            continue
        if page.get_mediabox(fallback_ok=False) is None:
            # no MediaBox anywhere up the page tree: write the size pdfium assumed, so other readers agree
            page.set_mediabox(0, 0, *page.get_size())
        page.close()
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _close(doc: pdfium.PdfDocument | None) -> None:
    if doc is not None:
        doc.close()


def _classify(exc: BaseException, data: bytes) -> DocumentError:
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    if isinstance(exc, PDFPasswordIncorrect):
        return DocumentError("password_required", "the PDF is encrypted and the password is missing or wrong: "
                                                  "give it with --password")
    if looks_truncated(data):
        return DocumentError("truncated", f"the PDF ends early (no %%EOF at its end; {len(data)} bytes): "
                                          f"{type(exc).__name__}: {exc}")
    return DocumentError("damaged", f"the PDF cannot be parsed: {type(exc).__name__}: {exc}")
