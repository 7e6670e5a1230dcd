"""What a run is asked to do: the extraction options (part of a document's identity for reruns) and the limits
one document runs under. Core: the command line reads its defaults from here without loading any stage."""

from __future__ import annotations

from dataclasses import dataclass

# Later-stage extractors (by name, extract/registry.py), in the order they are tried when the first stage's
# table fails its identities or no grid was found.
FALLBACKS = ("camelot-stream", "camelot-network", "camelot-lattice")
# Later-stage extractors get this long per table, and all of them together this long per document: camelot
# takes 1–3 s on a real table, and minutes on a mangled page. A fallback cut short gives another table, so
# these change output and are part of `ExtractOptions.key`.
FALLBACK_SECONDS = 30
FALLBACK_SECONDS_PER_DOCUMENT = 120
DEFAULT_MAX_DECODED_STREAM = 256 << 20
# Pages without a usable text layer are read by OCR (fiscalpdf.extract.ocr) at this resolution: every amount of
# the samples is read exactly at 150, 200 and 300 dpi; printed small (6.3 pt), 97 % at 150 and 100 % at 200.
OCR_MODES = ("auto", "off")
OCR_DPI = 200
OCR_DPI_RANGE = (50, 1200)  # resolutions OCR accepts: below, digits are a few pixels; above, a page is gigapixels
# The packages of the `ocr` extra whose versions decide what OCR reads (part of `ExtractOptions.key`).
OCR_ENGINE_PACKAGES = ("rapidocr", "onnxruntime")


def ocr_engine_version() -> str | None:
    """'rapidocr 3.10.0, onnxruntime 1.32.0' when the `ocr` extra is installed; None when it is not."""
    from importlib import metadata  # ~25 ms: asked for by a run's options key, never by `--help`

    try:
        return ", ".join(f"{name} {metadata.version(name)}" for name in OCR_ENGINE_PACKAGES)
    except metadata.PackageNotFoundError:
        return None


def check_ocr_dpi(dpi: int) -> int:
    low, high = OCR_DPI_RANGE
    if not low <= dpi <= high:
        raise ValueError(f"OCR dpi {dpi} is outside {low}–{high}")
    return dpi


@dataclass(frozen=True)
class ExtractOptions:
    """Settings that change what is extracted (they are part of a result's identity for reruns)."""

    password: str | None = None
    fallbacks: tuple[str, ...] = FALLBACKS
    fallback_seconds: float = FALLBACK_SECONDS
    fallback_seconds_per_document: float = FALLBACK_SECONDS_PER_DOCUMENT
    # no stream may inflate past this (a decompression bomb): the batch sets it from --max-memory. Not part
    # of key(): it decides only whether a document is refused, and refused documents are redone with --force.
    max_decoded_stream: int = DEFAULT_MAX_DECODED_STREAM
    # "auto": pages without a usable text layer are read by OCR at ocr_dpi when the `ocr` extra is installed (else
    # they are listed in unread_pages, and the message says what to install); "off": they are listed, never read
    ocr: str = "auto"
    ocr_dpi: int = OCR_DPI
    # onnxruntime threads for OCR: the batch runs one per worker (workers take the cores)
    ocr_threads: int = 1

    def __post_init__(self):
        if self.ocr not in OCR_MODES:
            raise ValueError(f"ocr must be one of {', '.join(OCR_MODES)}, not {self.ocr!r}")
        check_ocr_dpi(self.ocr_dpi)
        if self.ocr_threads < 1:
            raise ValueError(f"ocr_threads must be at least 1, not {self.ocr_threads}")

    def key(self) -> str:
        """What changes the output: a rerun with another key redoes the document. OCR joins it with the engine's
        version when it can run (installing the extra and rerunning reads the scans); 'off' and 'auto' without
        the extra read the same."""
        key = f"fallbacks={','.join(self.fallbacks)}"
        if (self.fallback_seconds, self.fallback_seconds_per_document) != (FALLBACK_SECONDS,
                                                                          FALLBACK_SECONDS_PER_DOCUMENT):
            key += f";fallback_seconds={self.fallback_seconds:g}/{self.fallback_seconds_per_document:g}"
        engine = ocr_engine_version() if self.ocr == "auto" else None
        if engine is not None:
            key += f";ocr={engine} at {self.ocr_dpi} dpi"
        return key


@dataclass(frozen=True)
class Limits:
    """Per-document limits. The defaults suit a laptop running one worker per core on real disclosures (the
    largest seen take ~30 s and ~400 MB); raise them for huge files, lower them to fail fast."""

    timeout: float = 600.0  # seconds of wall time for one document
    max_memory: int = 2 * 1024**3  # bytes of resident memory of one worker
    tasks_per_worker: int = 50  # a worker is replaced after this many documents: memory a parser leaked is freed

    @property
    def stream_budget(self) -> int:
        """Bytes one compressed stream may inflate to: an eighth of the memory limit leaves room for the
        parsers' own copies of it (a 2 GB limit gives 256 MB, ten times the largest scan seen)."""
        return self.max_memory // 8

    @property
    def address_space_backstop(self) -> int:
        return max(4 * self.max_memory, 8 * 1024**3)
