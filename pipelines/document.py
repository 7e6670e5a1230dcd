"""One document, end to end: open → locate tables → extract cells (staged) → normalize → validate.

The stages, in order (each writes only its own part of the result):
1. open: read the bytes, hash them (doc_id), classify what cannot be opened (fiscalpdf.errors).
2. first look: a file whose first pages show no disclosure is `other` (status not_applicable), and nothing more
   is read from it (fiscalpdf.extract.doctype).
3. locate: headings, grids, continuation pages, notes. A page without a usable text layer (images only, or text
   that decodes to nonsense) is read by OCR when it is first read (options.ocr 'auto' and the `ocr` extra
   installed), into the same page objects, so every later stage reads it as it reads a text layer; pages that
   stay unread are listed. The document's type, metadata and region are read from its text and tables (beside
   a text layer, pages read by OCR — charts, scanned attachments — feed no metadata: `metadata_texts`).
4. extract + normalize: the first-stage grid (pdfplumber's finder over pdfium's objects) is normalized; when
   its table fails an identity or no grid was found, later stages read the same area and the candidate whose
   identities hold best is kept (pipelines/candidates.py).
5. join and de-duplicate: a table continued under a repeated title is one table; a table printed twice is
   kept once (pipelines/candidates.py).
6. validate: identities inside each table, then across tables.
7. facts: the figures the prose states (情况说明) are read from the page texts already read (disclosure and
   narrative documents), numbered in document order, and each is checked against the table figure it restates
   and against the changes and percentages its sentence states (fact.* checks, after the identities).

A document never raises: bad input becomes status failed/partial with an error_code; a defect of ours
becomes `internal_error` with its traceback.
"""

from __future__ import annotations

import hashlib
import time
import traceback
from collections import Counter
from dataclasses import replace
from pathlib import Path

from ..errors import DocumentError, Finding, Status
from ..extract import ocr_engine
from ..extract.doctype import FIRST_PAGES, Verdict, final_verdict, first_look, title_of
from ..extract.locate import locate_tables
from ..extract.metadata import DocumentMeta, origin_of, read_metadata
from ..extract.pdf import PdfSource
from ..model import BBox, Check, DocumentResult, Fact, PageText, Table
from ..normalize.facts import read_facts
from ..normalize.regions import locate_region
from ..options import ExtractOptions
from ..specs import Specs, load_specs
from ..validate import evaluate_table, validate_across
from ..validate.facts import check_facts
from .candidates import FallbackBudget, best_table, drop_duplicates, join_repeated_titles
from .collector import fewer_collections
from .completeness import find_orphans, orphan_finding


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def process_document(path: Path, options: ExtractOptions = ExtractOptions(), data: bytes | None = None,
                     specs: Specs | None = None) -> DocumentResult:
    with fewer_collections():  # tens of thousands of small objects a page, almost no cycles (pipelines/collector.py)
        return _process(path, options, data, specs)


def _process(path: Path, options: ExtractOptions, data: bytes | None, specs: Specs | None) -> DocumentResult:
    started = time.perf_counter()
    path = Path(path)
    if data is None:
        data = path.read_bytes()
    result = DocumentResult(doc_id=sha256_hex(data), path=str(path), abs_path=str(path.resolve()))
    try:
        source = PdfSource.open(path, data, options.password, options.max_decoded_stream)
        source.ocr = ocr_settings(options)
        try:
            _read(source, result, options, specs or load_specs())
        finally:
            source.close()
    except DocumentError as err:
        result.fail(err)
    except Exception:  # a defect of ours: record it, keep the batch going
        result.status, result.error_code = Status.FAILED, "internal_error"
        result.error = traceback.format_exc(limit=20)
    result.seconds = round(time.perf_counter() - started, 3)
    return result


def ocr_settings(options: ExtractOptions):
    """The OCR settings a document is read with: None when OCR is off or its extra is not installed."""
    if options.ocr != "auto" or ocr_engine.missing_packages():
        return None
    from ..extract.ocr import OcrSettings

    return OcrSettings(dpi=options.ocr_dpi, threads=options.ocr_threads)


def _why_unread(source: PdfSource, options: ExtractOptions, pages: list[int]) -> str:
    """Why pages without a usable text layer were not read: OCR is off, its extra is missing, or it failed."""
    if options.ocr == "off":
        return "OCR is off (--ocr off)"
    missing = ocr_engine.missing_packages()
    if missing:
        return f"OCR needs {', '.join(missing)}: {ocr_engine.INSTALL_HINT}"
    failed = [f"page {p}: {source.ocr_read[p]}" for p in pages if source.ocr_read.get(p)][:3]
    return f"OCR failed ({'; '.join(failed)})" if failed else "OCR did not read them"


def _read(source: PdfSource, result: DocumentResult, options: ExtractOptions, specs: Specs) -> None:
    """Extract; when pages were lost (pdfium could not read them and pdfminer failed on them, or read no
    text where pdfium has some), extract again from a copy re-saved through pdfium; record what was found."""
    result.origin = origin_of(source.info())
    _extract(source, result, options, specs)
    lost = _lost_pages(source)
    if lost and not source.repaired:
        source, lost = _retry_repaired(source, result, options, specs, lost)
    for finding in source.findings:
        result.note(finding)
    if lost:
        if len(lost) == source.page_count and not result.tables:
            raise DocumentError("damaged", f"no page could be read: {_page_errors(source, lost)}")
        result.note(Finding("damaged", f"page(s) {_pages(lost)} could not be read ({_page_errors(source, lost)}): "
                                       f"their tables are missing"))
    _note_page_problems(source, result, options)


def _retry_repaired(source: PdfSource, result: DocumentResult, options: ExtractOptions, specs: Specs,
                    lost: list[int]) -> tuple[PdfSource, list[int]]:
    """Extract again from a copy re-saved through pdfium; keep it when it loses fewer pages."""
    try:
        repaired = source.reopened_repaired(f"pdfplumber could not read page(s) {_pages(lost)}")
    except DocumentError:
        return source, lost
    try:
        trial = replace(result, warnings=list(result.warnings))
        _extract(repaired, trial, options, specs)
        still_lost = _lost_pages(repaired)
    finally:
        repaired.close()
    if len(still_lost) >= len(lost):
        return source, lost
    for name in ("page_count", "department", "year", "kind", "scope", "document_type", "region", "tables", "facts",
                 "checks", "status", "error_code", "error", "warnings"):
        setattr(result, name, getattr(trial, name))
    return repaired, still_lost


def _lost_pages(source: PdfSource) -> list[int]:
    """Pages pdfminer could not parse, or where it read no text and pdfium does."""
    return _pages_where(source, lambda t: t.problem in ("text_lost", "unreadable"))


def _page_errors(source: PdfSource, pages: list[int]) -> str:
    said = [f"page {p}: {source.page_errors[p]}" for p in pages if p in source.page_errors][:3]
    return "; ".join(said) or "pdfium reads text there that pdfplumber does not"


def _pages_where(source: PdfSource, test) -> list[int]:
    return [p for p, t in sorted(source.page_texts().items()) if test(t)]


def _note_page_problems(source: PdfSource, result: DocumentResult, options: ExtractOptions) -> None:
    result.ocr_pages = _pages_where(source, lambda t: t.ocr)
    scans = _pages_where(source, lambda t: t.needs_ocr)
    if scans:
        result.unread_pages = scans
        why = _why_unread(source, options, scans)
        if result.document_type == "other":
            result.warnings.append(f"pages without a text layer (not read: {why}): {scans}; the others show no "
                                   f"disclosure")
        elif len(scans) == source.page_count:
            result.note(Finding("image_only", f"every page ({source.page_count}) is an image without text, not "
                                              f"read: {why}"))
        elif not result.tables:
            result.note(Finding("image_only", f"page(s) {_pages(scans)} are images without text, not read ({why}), "
                                              f"and no table was found on the others"))
        else:
            result.warnings.append(f"pages without a text layer (not read: {why}): {scans}")
    too_large = _pages_where(source, lambda t: t.problem == "too_large")
    garbled = _pages_where(source, lambda t: t.problem == "garbled_text")
    if too_large:
        if len(too_large) == source.page_count:
            raise DocumentError("too_large", f"every page ({source.page_count}) is larger than the PDF format "
                                             f"allows (over 200 inches): nothing can be read")
        result.note(Finding("too_large", f"page(s) {_pages(too_large)} are larger than the PDF format allows "
                                         f"(over 200 inches) and were skipped"))
    if garbled:
        result.unread_pages = sorted(set(result.unread_pages) | set(garbled))
        finding = Finding("garbled_text", f"the text layer of page(s) {_pages(garbled)} decodes to nonsense "
                                          f"(a font without a usable encoding), not read: "
                                          f"{_why_unread(source, options, garbled)}")
        if result.tables:
            result.warnings.append(f"{finding.code}: {finding.message}")
        else:
            result.note(finding)


def _pages(pages: list[int]) -> str:
    return ", ".join(map(str, pages))


def _extract(source: PdfSource, result: DocumentResult, options: ExtractOptions, specs: Specs) -> None:
    result.page_count = source.page_count
    early = first_look([source.page_text(p) for p in range(1, min(FIRST_PAGES, source.page_count) + 1)], specs)
    if early is not None:
        _not_applicable(result, early)
        return
    located = locate_tables(source, specs)
    verdict = final_verdict(located.texts, located.tables, specs)
    if verdict.document_type == "other":
        _not_applicable(result, verdict)  # its tables, if any, are not a disclosure's: none is extracted
        return
    result.document_type = verdict.document_type
    meta: DocumentMeta = read_metadata(metadata_texts(located.texts), [t.heading for t in located.tables],
                                       verdict.document_type)
    result.department, result.year, result.kind, result.scope = meta.department, meta.year, meta.kind, meta.scope
    result.region = locate_region(meta.department)
    if result.region.region_code is None and result.region.gov_level is None:
        result.region = locate_region(title_of(located.texts).text)  # a unit named without its place
    units = Counter(t.heading.unit for t in located.tables if t.heading.unit)
    default_unit = units.most_common(1)[0][0] if units else None
    joined = join_repeated_titles(located.tables, specs, default_unit)
    budget = FallbackBudget.of(options)
    tables = [best_table(source, lt, specs.by_id(lt.heading.table_id), specs, i, default_unit, options, budget,
                         meta.year) for i, lt in enumerate(joined, start=1)]
    headings = [lt.heading for lt in located.tables]
    for lt, t in zip(joined, tables):
        if specs.by_id(t.table_id).has_cells:
            t.orphans = find_orphans(source, lt, t, headings)
    tables = drop_duplicates(tables)
    for no, t in enumerate(tables, start=1):
        _renumber(t, no)
    checks: list[Check] = []
    for t in tables:
        evaluated = evaluate_table(t, specs.by_id(t.table_id))
        own, t.rules_not_applied = evaluated.checks, evaluated.not_applied
        t.checks_passed = sum(c.holds for c in own)
        t.checks_failed = len(own) - t.checks_passed
        checks += own
    checks += validate_across(tables, specs)
    table_boxes = [(f.page_no, f.bbox) for t in located.tables for f in t.fragments]
    table_boxes += [(t.heading.page_no, t.heading.bbox) for t in located.tables]
    facts, fact_checks = prose_facts(located.texts, tables, result, table_boxes) \
        if verdict.document_type in FACT_TYPES else ([], [])
    result.tables, result.facts, result.checks = tables, facts, checks + fact_checks
    finding = orphan_finding(tables)
    if finding is not None:
        result.note(finding)


def metadata_texts(texts: list[PageText]) -> list[PageText]:
    """The pages the metadata is read from: every page of a scanned document; beside a text layer, the text-layer
    pages only (a page read by OCR there is a chart or a scanned attachment, whose words — a pie chart's labels,
    another body's letterhead — state nothing of the document's own). OCR'd pages keep their place, emptied, so
    the cover is still the first pages."""
    if all(t.ocr or not t.char_count for t in texts):
        return texts
    return [replace(t, lines=[]) if t.ocr else t for t in texts]


# The document types whose prose is read for facts: a disclosure's 情况说明 and a narrative (说明 without tables).
FACT_TYPES = ("disclosure", "narrative")


def prose_facts(texts: list[PageText], tables: list[Table], result: DocumentResult,
                table_boxes: list[tuple[int, BBox]] = ()) -> tuple[list[Fact], list[Check]]:
    """Stage 7: the prose's facts, numbered in document order — read with the document's year and kind where its
    metadata names them, else what its text names most, leaving out the lines inside the tables located
    (`table_boxes`: page and box of each grid and title) — and their fact.* checks against `tables`."""
    facts = read_facts(texts, year=result.year or None, kind=result.kind, tables=table_boxes)
    return facts, check_facts(facts, tables, result.kind)


def _not_applicable(result: DocumentResult, verdict: Verdict) -> None:
    """A file that is no disclosure: its documents row says what it looks like, and nothing else is written."""
    result.document_type = "other"
    result.department = result.year = result.kind = result.scope = None
    result.tables, result.facts, result.checks = [], [], []
    result.note(Finding("not_disclosure", verdict.reason))


def _renumber(t: Table, table_no: int) -> None:
    t.table_no = table_no
    for c in t.cells:
        c.table_no = table_no
