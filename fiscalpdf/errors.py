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
    status: str  # the document's status when this is its error: failed | partial
    meaning: str
    action: str


ERROR_KINDS: dict[str, ErrorKind] = {k.code: k for k in (
    ErrorKind("empty_file", "failed", "The file has no bytes.", "Download the document again."),
    ErrorKind("not_pdf", "failed", "The file is not a PDF (text, HTML or an image saved with a .pdf name).",
              "Download the document itself, not the web page that links to it."),
    ErrorKind("truncated", "failed", "The PDF ends before its end: the download was cut short.",
              "Download the document again."),
    ErrorKind("damaged", "failed", "The PDF's structure is broken and could not be read.",
              "Open it in a PDF reader and save a copy, or find another copy."),
    ErrorKind("encrypted", "failed", "The PDF is encrypted and could not be opened.",
              "Give the password with --password."),
    ErrorKind("password_required", "failed", "The PDF needs a password to open.", "Give it with --password."),
    ErrorKind("no_pages", "failed", "The PDF has no pages.", "Find another copy of the document."),
    ErrorKind("image_only", "partial", "Pages carry only images, no text layer: they need OCR.",
              "OCR is not built in yet; the pages are listed in the report."),
    ErrorKind("garbled_text", "partial", "The text layer decodes to nonsense (fonts without a usable encoding).",
              "The pages need OCR; the pages are listed in the report."),
    ErrorKind("too_large", "failed", "A page or the document exceeds the configured size limits.",
              "Raise --max-memory if the document is genuine."),
    ErrorKind("timeout", "failed", "Processing took longer than --timeout.", "Raise --timeout, or report the file."),
    ErrorKind("worker_crashed", "failed", "The worker processing the document died.", "Report the file."),
    ErrorKind("out_of_memory", "failed", "The worker exceeded --max-memory.", "Raise --max-memory, or report the file."),
    ErrorKind("internal_error", "failed", "A defect in fiscalpdf.", "Report it with the file; the message has the traceback."),
)}


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
