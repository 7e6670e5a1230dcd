"""The error taxonomy: every way a document can fail, with its status and a message a user can act on.

One place: the code raises `DocumentError(code, …)`, the `documents` dataset stores the code, and
`fiscalpdf report` / the docs print this table. Bad input is a `DocumentError`; any other exception is a
defect of ours and is recorded as `internal_error` with its traceback — the batch goes on either way.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorKind:
    code: str
    status: str  # the document's status when this stops it from being read: failed | partial
    meaning: str
    action: str
    # the status when this is found in a document that was still read (repaired, some pages skipped …);
    # None: it always stops the document
    found_status: str | None = None


SEVERITY = {"ok": 0, "partial": 1, "failed": 2}

ERROR_KINDS: dict[str, ErrorKind] = {k.code: k for k in (
    ErrorKind("empty_file", "failed", "The file has no bytes.", "Download the document again."),
    ErrorKind("not_pdf", "failed", "The file is not a PDF (text, HTML or an image saved with a .pdf name).",
              "Download the document itself, not the web page that links to it."),
    ErrorKind("truncated", "failed", "The PDF ends before its end: the download was cut short.",
              "Download the document again."),
    ErrorKind("damaged", "failed", "The PDF's structure is broken. When it could be repaired (re-saved through "
              "pdfium) and read, the document is partial and the warning says what was repaired.",
              "Check the tables against the original, or find another copy.", found_status="partial"),
    ErrorKind("encrypted", "failed", "The PDF is encrypted. When the empty password opens it, it is read "
              "normally (status ok) and this code records that it was encrypted.",
              "Nothing, unless it could not be opened: then give the password with --password.", found_status="ok"),
    ErrorKind("password_required", "failed", "The PDF needs a password to open.", "Give it with --password."),
    ErrorKind("no_pages", "failed", "The PDF has no pages.", "Find another copy of the document."),
    ErrorKind("image_only", "partial", "Pages carry only images (scans), no text layer: they need OCR.",
              "OCR is not built in yet; the pages are listed in ocr_pages.", found_status="partial"),
    ErrorKind("garbled_text", "partial", "The text layer decodes to nonsense ((cid:…) glyphs, a CJK font read "
              "through the wrong encoding).", "The pages need OCR; they are listed in ocr_pages.",
              found_status="partial"),
    ErrorKind("too_large", "failed", "A page is larger than the PDF format allows (over 200 inches), or a "
              "stream inflates past the memory budget (a decompression bomb). Oversized pages are skipped.",
              "Raise --max-memory and rerun with --force if the document is genuine.", found_status="partial"),
    ErrorKind("timeout", "failed", "Processing took longer than --timeout.", "Raise --timeout, or report the file."),
    ErrorKind("worker_crashed", "failed", "The worker processing the document died.", "Report the file."),
    ErrorKind("out_of_memory", "failed", "The worker exceeded --max-memory.", "Raise --max-memory, or report the file."),
    ErrorKind("internal_error", "failed", "A defect in fiscalpdf.", "Report it with the file; the message has the traceback."),
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
    def status(self) -> str:
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
    def status(self) -> str:
        return ERROR_KINDS[self.code].status
