"""Which reading of a table to keep: the candidate-selection policy of the staged extractors.

Rules:
1. The first stage's table is kept unless it fails an identity, or no grid was found where amounts are
   printed; then the later stages (options.fallbacks, in order) read the same area, each within its time
   budget, and a candidate replaces the kept table only when its identities hold better (`identity_score`).
2. A candidate on which nothing could be checked never beats one whose identities mostly hold; a ruled grid
   with no amount in it or under it is a table printed empty, and no later stage is tried.
3. A table continued on the next page under its repeated title is one table (`join_repeated_titles`); a table
   printed twice — the same concept, the same cells — is kept once (`drop_duplicates`).
4. A table read by OCR whose identities fail has the cells of its failing identities read again, each from a
   crop of the page rendered at REREAD_DPI; the second reading replaces the first only when the table's
   identities then hold better (those cells carry the flag `reread`). Later stages are not tried on pages read by
   OCR: they read the text layer, which those pages lack. What still fails stays failing in the checks.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from ..extract.cell_text import assemble
from ..extract.pdf import PdfSource
from ..extract.registry import get_extractor
from ..flags import OCR, PLACEHOLDER, REREAD
from ..model import BBox, Check, LocatedTable, RawCell, Table
from ..normalize.amounts import parse_amount
from ..normalize.labels import is_empty_note
from ..normalize.table import normalize_table
from ..options import ExtractOptions
from ..specs import Specs, TableSpec
from ..validate import validate_table
from .deadline import StageTimeout, deadline

REREAD_DPI = 400  # a cell whose identity fails after OCR is read again at this resolution
OCR_EXTRACTOR = "ocr"


@dataclass
class FallbackBudget:
    """Seconds left for later-stage extractors in one document."""

    left: float
    per_table: float

    @classmethod
    def of(cls, options: ExtractOptions) -> "FallbackBudget":
        return cls(options.fallback_seconds_per_document, options.fallback_seconds)

    def next_limit(self) -> float:
        return min(self.per_table, self.left)


def join_repeated_titles(tables: list[LocatedTable], specs: Specs, unit: str | None) -> list[LocatedTable]:
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


def best_table(source: PdfSource, lt: LocatedTable, spec: TableSpec, specs: Specs, table_no: int,
               default_unit: str | None, options: ExtractOptions, budget: FallbackBudget,
               year: int | None = None) -> Table:
    """The first stage's table, unless a later stage gives one whose identities hold better."""
    table = normalize_table(lt, table_no, spec, specs, default_unit, year)
    if not spec.has_cells or (table.empty and is_empty_note(lt.note)):
        return table
    checks = validate_table(table, spec)
    best, best_score = table, identity_score(table, checks)
    if best_score[0] or (lt.fragments and table.cells and not checks):
        return best  # all identities hold; or none applies to a table that was read: nothing to improve on
    if lt.fragments and not table.cells and not _amounts_below_grid(source, lt):
        return best  # a ruled grid with no amount in it or under it: the table is printed empty
    if any(f.extractor == OCR_EXTRACTOR for f in lt.fragments):
        return _reread_failing(source, lt, table, checks, spec, specs, default_unit, year)
    tried = []
    for name in options.fallbacks:
        if budget.left <= 0:
            tried.append(f"{name}: not tried (the document's {options.fallback_seconds_per_document:g} s for later "
                         f"stages are spent)")
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
                                    default_unit, year)
        score = identity_score(candidate, validate_table(candidate, spec))
        if score > best_score:
            best, best_score = candidate, score
        if score[0]:
            break
    if best is not table or not best_score[0]:
        best.warnings.append(f"first stage {'replaced' if best is not table else 'kept'} after trying "
                             + "; ".join(tried))
    return best


def _reread_failing(source: PdfSource, lt: LocatedTable, table: Table, checks: list[Check], spec: TableSpec,
                    specs: Specs, default_unit: str | None, year: int | None) -> Table:
    """Rule 4: the cells of the failing identities read again at REREAD_DPI; the table whose identities hold
    better is kept."""
    failing = {ref for c in checks if not c.holds for ref in c.terms}
    boxes = {(c.page, c.bbox) for c in table.cells if c.ref in failing and OCR in c.flags and c.bbox is not None}
    changed: set[tuple[int, BBox]] = set()
    fragments = []
    for frag in lt.fragments:
        if frag.extractor != OCR_EXTRACTOR or frag.page_no not in source.ocr_placement:
            fragments.append(frag)
            continue
        rows = []
        for row in frag.rows:
            cells = []
            for cell in row:
                if (frag.page_no, cell.bbox) in boxes:
                    chars = source.reread_ocr(frag.page_no, cell.bbox, REREAD_DPI)
                    text = assemble(chars, cell.bbox.x0).text
                    if text.strip() and text != cell.text:
                        cell = RawCell(text, cell.bbox, cell.indent, min(ch["confidence"] for ch in chars))
                        changed.add((frag.page_no, cell.bbox))
                cells.append(cell)
            rows.append(cells)
        fragments.append(replace(frag, rows=rows))
    note = (f"read by OCR: {len(boxes)} cell(s) of failing identities read again at {REREAD_DPI} dpi, "
            f"{len(changed)} read otherwise")
    if changed:
        candidate = normalize_table(LocatedTable(lt.heading, fragments, lt.note, lt.search_area), table.table_no,
                                    spec, specs, default_unit, year)
        if identity_score(candidate, validate_table(candidate, spec)) > identity_score(table, checks):
            for c in candidate.cells:
                if (c.page, c.bbox) in changed:
                    c.flags.append(REREAD)
            candidate.warnings.append(note + ": the second reading kept")
            return candidate
    table.warnings.append(note + (": the first reading kept" if changed else ""))
    return table


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


def identity_score(table: Table, checks: list[Check]) -> tuple[bool, int, int, int]:
    """(identities were checked and all hold, identities holding, − identities failing, printed amounts).
    A candidate on which nothing could be checked never beats one whose identities mostly hold."""
    failed = sum(not c.holds for c in checks)
    passed = len(checks) - failed
    return failed == 0 and passed > 0, passed, -failed, sum(PLACEHOLDER not in c.flags for c in table.cells)


def _areas(lt: LocatedTable):
    if lt.fragments:
        return [(f.page_no, f.bbox) for f in lt.fragments]
    return lt.search_area[:1]


def _fingerprint(t: Table) -> tuple:
    return t.table_id, tuple((c.row_label, c.subject_code, c.col_no, c.amount) for c in t.cells)


def drop_duplicates(tables: list[Table]) -> list[Table]:
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


