"""The error taxonomy: every way a document can fail, with its status and a message a user can act on.

One place: the code raises `DocumentError(code, …)`, the `documents` dataset stores the code, and
`fiscalpdf report` / the docs print this table. Bad input is a `DocumentError`; any other exception is a
defect of ours and is recorded as `internal_error` with its traceback — the batch goes on either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Status(str, Enum):
    """A document's status (`documents.status`), in order of severity: a more severe condition found in a
    document replaces a milder one. A `str` so that rows, JSON and comparisons with text see the plain value."""

    OK = "ok"
    NOT_APPLICABLE = "not_applicable"  # no disclosure: nothing failed, nothing to extract
    PARTIAL = "partial"  # some pages or tables could not be read
    FAILED = "failed"  # nothing could be read

    def __str__(self) -> str:
        return self.value

    @property
    def severity(self) -> int:
        return list(Status).index(self)


STATUS_MEANINGS = {
    Status.OK: "read in full",
    Status.NOT_APPLICABLE: "not a budget disclosure (a notice, a report, a form …): only its documents row is "
                           "written, error_code not_disclosure and the message say what it looks like",
    Status.PARTIAL: "read, but some pages or tables could not be (the error says which)",
    Status.FAILED: "nothing could be read (error_code says why)",
}


@dataclass(frozen=True)
class ErrorKind:
    code: str
    status: Status  # the document's status when this stops it from being read
    meaning: str
    action: str
    # the status when this is found in a document that was still read (repaired, some pages skipped …);
    # None: it always stops the document
    found_status: Status | None = None

ERROR_KINDS: dict[str, ErrorKind] = {k.code: k for k in (
    ErrorKind("not_disclosure", Status.NOT_APPLICABLE, "The file is no budget disclosure (部门预算 / 决算), narrative "
              "or performance sheet: a notice, a report, a form, a list … Nothing is extracted from it.",
              "Nothing, if the message names what it is; if it is a disclosure, report the file.",
              found_status=Status.NOT_APPLICABLE),
    ErrorKind("empty_file", Status.FAILED, "The file has no bytes.", "Download the document again."),
    ErrorKind("not_pdf", Status.FAILED, "The file is not a PDF (text, HTML or an image saved with a .pdf name).",
              "Download the document itself, not the web page that links to it."),
    ErrorKind("truncated", Status.FAILED, "The PDF ends before its end: the download was cut short.",
              "Download the document again."),
    ErrorKind("damaged", Status.FAILED, "The PDF's structure is broken. When it could be repaired (re-saved through "
              "pdfium) and read, the document is partial and the warning says what was repaired.",
              "Check the tables against the original, or find another copy.", found_status=Status.PARTIAL),
    ErrorKind("encrypted", Status.FAILED, "The PDF is encrypted. When the empty password opens it, it is read "
              "normally (status ok) and this code records that it was encrypted.",
              "Nothing, unless it could not be opened: then give the password with --password.",
              found_status=Status.OK),
    ErrorKind("password_required", Status.FAILED, "The PDF needs a password to open.", "Give it with --password."),
    ErrorKind("no_pages", Status.FAILED, "The PDF has no pages.", "Find another copy of the document."),
    ErrorKind("image_only", Status.PARTIAL, "Pages carry only images (scans), no text layer, and OCR did not read "
              "them.", "Install the OCR extra (pip install 'fiscalpdf[ocr]') and run with --ocr auto (the default): "
              "the pages are listed in unread_pages.", found_status=Status.PARTIAL),
    ErrorKind("garbled_text", Status.PARTIAL, "The text layer decodes to nonsense ((cid:…) glyphs, a CJK font read "
              "through the wrong encoding), and OCR did not read it.", "Install the OCR extra (pip install "
              "'fiscalpdf[ocr]') and run with --ocr auto; the pages are listed in unread_pages.",
              found_status=Status.PARTIAL),
    ErrorKind("orphan_amounts", Status.PARTIAL, "Amounts are printed in a table's area (between its heading and "
              "the next) outside every cell read — a row printed outside the ruling, a column beyond the frame — and "
              "are no page number, 栏次, year or note figure: the table may lack them.",
              "Check the tables named against the pages (tables.orphan_amounts gives the positions; fiscalpdf inspect "
              "marks them), and report the file.", found_status=Status.PARTIAL),
    ErrorKind("too_large", Status.FAILED, "A page is larger than the PDF format allows (over 200 inches), or a "
              "stream inflates past the memory budget (a decompression bomb). Oversized pages are skipped.",
              "Raise --max-memory and rerun with --force if the document is genuine.", found_status=Status.PARTIAL),
    ErrorKind("timeout", Status.FAILED, "Processing took longer than --timeout.",
              "Raise --timeout, or report the file."),
    ErrorKind("worker_crashed", Status.FAILED, "The worker processing the document died.", "Report the file."),
    ErrorKind("out_of_memory", Status.FAILED, "The worker exceeded --max-memory.",
              "Raise --max-memory, or report the file."),
    ErrorKind("internal_error", Status.FAILED, "A defect in fiscalpdf.",
              "Report it with the file; the message has the traceback."),
)}


@dataclass(frozen=True)
class Finding:
    """A condition found in a document that was still read (repaired, encrypted, pages needing OCR …)."""

    code: str
    message: str

    def __post_init__(self):
        if self.code not in ERROR_KINDS:
            raise ValueError(f"unknown error code {self.code!r}; known: {', '.join(ERROR_KINDS)}")
        if ERROR_KINDS[self.code].found_status is None:
            raise ValueError(f"{self.code!r} always stops a document: raise DocumentError instead")

    @property
    def status(self) -> Status:
        return ERROR_KINDS[self.code].found_status


class DocumentError(Exception):
    """Bad input: the document cannot be (fully) processed. Not a defect of fiscalpdf."""

    def __init__(self, code: str, message: str, page: int | None = None):
        if code not in ERROR_KINDS:
            raise ValueError(f"unknown error code {code!r}; known: {', '.join(ERROR_KINDS)}")
        super().__init__(message)
        self.code = code
        self.message = message
        self.page = page

    @property
    def status(self) -> Status:
        return ERROR_KINDS[self.code].status
