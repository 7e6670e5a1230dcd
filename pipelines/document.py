"""One document, end to end: open → locate tables → extract cells (staged) → normalize → validate.

The stages, in order (each writes only its own part of the result):
1. open: read the bytes, hash them (doc_id), classify what cannot be opened (fiscalpdf.errors).
2. locate: headings, grids, continuation pages, notes; pages without a text layer are listed for OCR.
3. extract + normalize: the first-stage grid (pdfplumber) is normalized; when its table fails an identity
   or no grid was found, camelot (lattice, then stream, then network) is tried on the same area, and the
   candidate whose identities hold is kept.
4. join and de-duplicate: a table continued under a repeated title is one table; a table printed twice is
   kept once.
5. validate: identities inside each table, then across tables.

A document never raises: bad input becomes status failed/partial with an error_code; a defect of ours
becomes `internal_error` with its traceback.
"""

from __future__ import annotations

import hashlib
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import __version__
from ..errors import SEVERITY, DocumentError, Finding
from ..extract.locate import is_empty_note, locate_tables
from ..extract.metadata import DocumentMeta, read_metadata
from ..extract.pdf import DEFAULT_MAX_DECODED_STREAM, PdfSource
from ..extract.registry import FALLBACKS, get_extractor
from ..model import Check, LocatedTable, Table
from ..normalize.amounts import parse_amount
from ..normalize.table import normalize_table
from ..specs import Specs, TableSpec, load_specs
from ..validate import validate_across, validate_table
from .deadline import StageTimeout, deadline

# Later-stage extractors get this long per table, and all of them together this long per document: camelot
# takes 1–3 s on a real table, and minutes on a mangled page.
FALLBACK_SECONDS = 30
FALLBACK_SECONDS_PER_DOCUMENT = 120


@dataclass
class FallbackBudget:
    """Seconds left for later-stage extractors in one document."""

    left: float = FALLBACK_SECONDS_PER_DOCUMENT

    def next_limit(self) -> float:
        return min(FALLBACK_SECONDS, self.left)


@dataclass(frozen=True)
class ExtractOptions:
    """Settings that change what is extracted (they are part of a result's identity for reruns)."""

    password: str | None = None
    fallbacks: tuple[str, ...] = FALLBACKS
    # no stream may inflate past this (a decompression bomb): the batch sets it from --max-memory. Not part
    # of key(): it decides only whether a document is refused, and refused documents are redone with --force.
    max_decoded_stream: int = DEFAULT_MAX_DECODED_STREAM

    def key(self) -> str:
        return f"fallbacks={','.join(self.fallbacks)}"


@dataclass
class DocumentResult:
    doc_id: str
    path: str
    department: str | None = None
    year: int | None = None
    kind: str | None = None
    scope: str | None = None
    page_count: int | None = None
    status: str = "ok"
    error_code: str | None = None
    error: str | None = None
    tables: list[Table] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    duplicate_paths: list[str] = field(default_factory=list)  # the same bytes found under other paths
    peak_rss: int = 0  # bytes: the worker's peak resident memory as its supervisor sampled it (manifest only)
    seconds: float = 0.0
    tool_version: str = __version__

    @property
    def checks_passed(self) -> int:
        return sum(c.holds for c in self.checks)

    @property
    def checks_failed(self) -> int:
        return len(self.checks) - self.checks_passed

    def fail(self, err: DocumentError) -> None:
        self.status, self.error_code, self.error = err.status, err.code, err.message

    def note(self, finding: Finding) -> None:
        """A condition of a document that was read: every one becomes a warning; the most severe sets the
        status and error_code (the first of equal severity stays)."""
        self.warnings.append(f"{finding.code}: {finding.message}")
        current = SEVERITY[self.status] if self.error_code else -1
        if SEVERITY[finding.status] > current:
            self.status, self.error_code, self.error = finding.status, finding.code, finding.message


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def process_document(path: Path, options: ExtractOptions = ExtractOptions(), data: bytes | None = None) -> DocumentResult:
    started = time.perf_counter()
    path = Path(path)
    if data is None:
        data = path.read_bytes()
    result = DocumentResult(doc_id=sha256_hex(data), path=str(path))
    try:
        source = PdfSource.open(path, data, options.password, options.max_decoded_stream)
        try:
            _read(source, result, options)
        finally:
            source.close()
    except DocumentError as err:
        result.fail(err)
    except Exception:  # a defect of ours: record it, keep the batch going
        result.status, result.error_code = "failed", "internal_error"
        result.error = traceback.format_exc(limit=20)
    result.seconds = round(time.perf_counter() - started, 3)
    return result


def _read(source: PdfSource, result: DocumentResult, options: ExtractOptions) -> None:
    """Extract; when pages were lost (pdfium could not read them and pdfminer failed on them, or read no
    text where pdfium has some), extract again from a copy re-saved through pdfium; record what was found."""
    specs = load_specs()
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
    _note_page_problems(source, result)


def _retry_repaired(source: PdfSource, result: DocumentResult, options: ExtractOptions, specs: Specs,
                    lost: list[int]) -> tuple[PdfSource, list[int]]:
    """Extract again from a copy re-saved through pdfium; keep it when it loses fewer pages."""
    try:
        repaired = source.reopened_repaired(f"pdfplumber could not read page(s) {_pages(lost)}")
    except DocumentError:
        return source, lost
    try:
        trial = replace(result)
        _extract(repaired, trial, options, specs)
        still_lost = _lost_pages(repaired)
    finally:
        repaired.close()
    if len(still_lost) >= len(lost):
        return source, lost
    for name in ("page_count", "department", "year", "kind", "scope", "tables", "checks"):
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


def _note_page_problems(source: PdfSource, result: DocumentResult) -> None:
    scans = _pages_where(source, lambda t: t.needs_ocr)
    if scans:
        result.ocr_pages = scans
        if len(scans) == source.page_count:
            result.note(Finding("image_only", f"every page ({source.page_count}) is an image without text: "
                                              f"needs OCR"))
        elif not result.tables:
            result.note(Finding("image_only", f"page(s) {_pages(scans)} are images without text (need OCR), "
                                              f"and no table was found on the others"))
        else:
            result.warnings.append(f"pages without a text layer (need OCR): {scans}")
    too_large = _pages_where(source, lambda t: t.problem == "too_large")
    garbled = _pages_where(source, lambda t: t.problem == "garbled_text")
    if too_large:
        if len(too_large) == source.page_count:
            raise DocumentError("too_large", f"every page ({source.page_count}) is larger than the PDF format "
                                             f"allows (over 200 inches): nothing can be read")
        result.note(Finding("too_large", f"page(s) {_pages(too_large)} are larger than the PDF format allows "
                                         f"(over 200 inches) and were skipped"))
    if garbled:
        result.ocr_pages = sorted(set(result.ocr_pages) | set(garbled))
        finding = Finding("garbled_text", f"the text layer of page(s) {_pages(garbled)} decodes to nonsense "
                                          f"(a font without a usable encoding): they need OCR")
        if result.tables:
            result.warnings.append(f"{finding.code}: {finding.message}")
        else:
            result.note(finding)


def _pages(pages: list[int]) -> str:
    return ", ".join(map(str, pages))


def _extract(source: PdfSource, result: DocumentResult, options: ExtractOptions, specs: Specs) -> None:
    result.page_count = source.page_count
    located = locate_tables(source, specs)
    meta: DocumentMeta = read_metadata(located.texts, [t.heading for t in located.tables])
    result.department, result.year, result.kind, result.scope = meta.department, meta.year, meta.kind, meta.scope
    units = Counter(t.heading.unit for t in located.tables if t.heading.unit)
    default_unit = units.most_common(1)[0][0] if units else None
    joined = _join_repeated_titles(located.tables, specs, default_unit)
    budget = FallbackBudget()
    tables = [_best_table(source, lt, specs.by_id(lt.heading.table_id), specs, i, default_unit, options, budget)
              for i, lt in enumerate(joined, start=1)]
    tables = _drop_duplicates(tables)
    for no, t in enumerate(tables, start=1):
        _renumber(t, no)
    checks: list[Check] = []
    for t in tables:
        own = validate_table(t, specs.by_id(t.table_id))
        t.checks_passed = sum(c.holds for c in own)
        t.checks_failed = len(own) - t.checks_passed
        checks += own
    checks += validate_across([t for t in tables if t.table_id not in ("other", "performance")])
    result.tables, result.checks = tables, checks


def _join_repeated_titles(tables: list[LocatedTable], specs: Specs, unit: str | None) -> list[LocatedTable]:
    """A table continued on the next page under its repeated label, title and header is one table; a table
    printed a second time (the same cells again) is not joined: the duplicate is dropped later."""
    out: list[LocatedTable] = []
    for lt in tables:
        prev = out[-1] if out else None
        if (prev is not None and lt.fragments and prev.fragments
                and lt.heading.table_id == prev.heading.table_id and lt.heading.title == prev.heading.title
                and lt.heading.label in (prev.heading.label, None) and lt.pages[0] == prev.pages[-1] + 1):
            spec = specs.by_id(lt.heading.table_id)
            first, second = (normalize_table(t, 0, spec, specs, unit) for t in (prev, lt))
            if spec.has_cells and _fingerprint(first) != _fingerprint(second):
                out[-1] = LocatedTable(prev.heading, prev.fragments + lt.fragments, lt.note or prev.note,
                                       prev.search_area + lt.search_area)
                continue
        out.append(lt)
    return out


def _best_table(source: PdfSource, lt: LocatedTable, spec: TableSpec, specs: Specs, table_no: int,
                default_unit: str | None, options: ExtractOptions, budget: FallbackBudget) -> Table:
    """The first stage's table, unless a later stage gives one whose identities hold better."""
    table = normalize_table(lt, table_no, spec, specs, default_unit)
    if not spec.has_cells or (table.empty and is_empty_note(lt.note)):
        return table
    checks = validate_table(table, spec)
    best, best_score = table, _score(table, checks)
    if best_score[0] or (lt.fragments and table.cells and not checks):
        return best  # all identities hold; or none applies to a table that was read: nothing to improve on
    if lt.fragments and not table.cells and not _amounts_below_grid(source, lt):
        return best  # a ruled grid with no amount in it or under it: the table is printed empty
    tried = []
    for name in options.fallbacks:
        if budget.left <= 0:
            tried.append(f"{name}: not tried (the document's {FALLBACK_SECONDS_PER_DOCUMENT} s for later stages are spent)")
            continue
        grids = []
        started = time.perf_counter()
        try:
            with deadline(budget.next_limit()):
                for page_no, area in _areas(lt):
                    grids += get_extractor(name)(source, page_no, area)
        except (Exception, StageTimeout) as exc:  # one extractor failing on a page is recorded, the next one is tried
            tried.append(f"{name}: failed ({type(exc).__name__}: {exc})")
            continue
        finally:
            budget.left -= time.perf_counter() - started
        tried.append(f"{name}: {len(grids)} grid(s)")
        if not grids:
            continue
        candidate = normalize_table(LocatedTable(lt.heading, grids, lt.note, lt.search_area), table_no, spec, specs,
                                    default_unit)
        score = _score(candidate, validate_table(candidate, spec))
        if score > best_score:
            best, best_score = candidate, score
        if score[0]:
            break
    if best is not table or not best_score[0]:
        best.warnings.append(f"first stage {'replaced' if best is not table else 'kept'} after trying "
                             + "; ".join(tried))
    return best


def _amounts_below_grid(source: PdfSource, lt: LocatedTable) -> bool:
    """Lines holding two or more amounts under the last grid, inside the table's area: a table whose
    header is ruled and whose body is not (the later stages read that body)."""
    last = lt.fragments[-1]
    areas = [area for page_no, area in lt.search_area if page_no == last.page_no]
    lower = areas[-1].bottom if areas else float("inf")
    for line in source.page_text(last.page_no).lines:
        if last.bbox.bottom < line.bbox.top < lower:
            amounts = [w for w in line.text.split() if (a := parse_amount(w)) is not None and not a.placeholder]
            if len(amounts) >= 2:
                return True
    return False


def _score(table: Table, checks: list[Check]) -> tuple[bool, int, int, int]:
    """(identities were checked and all hold, identities holding, − identities failing, printed amounts).
    A candidate on which nothing could be checked never beats one whose identities mostly hold."""
    failed = sum(not c.holds for c in checks)
    passed = len(checks) - failed
    return failed == 0 and passed > 0, passed, -failed, sum("placeholder" not in c.flags for c in table.cells)


def _areas(lt: LocatedTable):
    if lt.fragments:
        return [(f.page_no, f.bbox) for f in lt.fragments]
    return lt.search_area[:1]


def _fingerprint(t: Table) -> tuple:
    return t.table_id, tuple((c.row_label, c.subject_code, c.col_no, c.amount) for c in t.cells)


def _drop_duplicates(tables: list[Table]) -> list[Table]:
    """A table printed twice (same concept, same cells) is one table: keep the first, note the pages."""
    kept: list[Table] = []
    seen: dict[tuple, Table] = {}
    for t in tables:
        key = _fingerprint(t)
        if t.cells and key in seen:
            first = seen[key]
            first.warnings.append(f"printed again on page(s) {t.pages}: kept once")
            continue
        seen[key] = t
        kept.append(t)
    return kept


def _renumber(t: Table, table_no: int) -> None:
    t.table_no = table_no
    for c in t.cells:
        c.table_no = table_no
