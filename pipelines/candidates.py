"""Which reading of a table to keep: the candidate-selection policy of the staged extractors.

Rules:
1. The first stage's table is kept unless it fails an identity and its reading shows a problem a later stage
   could fix (`reading_problems`: no grid where the table is printed, amount cells that do not parse, amounts
   printed outside the grid); then the later stages (options.fallbacks, in order) read the same area, each
   within its time budget, and a candidate replaces the kept table only when its identities hold better
   (`identity_score`). A clean grid whose printed numbers do not add up fails its identities under every
   extractor: it is kept, and no later stage runs (camelot is not even imported).
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

from ..extract.cell_text import assemble, least_confidence, words_of
from ..extract.outside_rows import with_rows_outside_rules
from ..extract.pdf import PdfSource
from ..extract.registry import get_extractor
from ..flags import OCR, PLACEHOLDER, REREAD
from ..model import OCR_READER, BBox, Check, LocatedTable, RawCell, Table
from ..normalize.amounts import is_figure
from ..normalize.labels import is_empty_note
from ..normalize.table import normalize_table
from ..options import ExtractOptions
from ..specs import Specs, TableSpec
from ..validate import validate_table
from .deadline import StageTimeout, deadline

REREAD_DPI = 400  # a cell whose identity fails after OCR is read again at this resolution


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
    if any(f.extractor == OCR_READER for f in lt.fragments):
        return _reread_failing(source, lt, table, checks, spec, specs, default_unit, year)
    problems = reading_problems(source, lt, table, checks)
    if not problems:
        best.warnings.append("identities fail on a grid read whole (every amount inside it parses, none is "
                             "printed outside it, the identities are evaluated and most hold): later stages not "
                             "tried, they would read the same numbers")
        return best
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
                    chars = source.page_objects(page_no).chars
                    grids += [with_rows_outside_rules(g, chars, area.top, area.bottom)
                              for g in get_extractor(name)(source, page_no, area)]
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
        if score > best_score and not _loses_columns(candidate, table):
            best, best_score = candidate, score
        if score[0]:
            break
    if best is not table or not best_score[0]:
        best.warnings.append(f"first stage {'replaced' if best is not table else 'kept'} after trying "
                             + "; ".join(tried))
    return best


def _amount_columns(table: Table) -> set[str]:
    """The columns the table's amounts were read under whose header names a column id."""
    return {c.column_label for c in table.cells if PLACEHOLDER not in c.flags and c.column_id is not None}


def _loses_columns(candidate: Table, first: Table) -> bool:
    """A later stage that reads fewer identified amount columns than the first stage lost some (Beijing's 预算05表
    read by camelot as its 人员经费 and 公用经费 columns only): its identities hold for want of the columns they
    need, so it never replaces the first stage's table. Columns without a header the spec names do not count: a
    first stage that reads codes as amounts under no header has lost nothing a later stage could lose."""
    return len(_amount_columns(candidate)) < len(_amount_columns(first))


def reading_problems(source: PdfSource, lt: LocatedTable, table: Table, checks: list[Check]) -> list[str]:
    """What in the first stage's reading of a table a later stage could read better ([] when nothing):
    1. no grid was found under the heading (an unruled table, or ruling the first stage cannot see);
    2. cells of amount columns whose text is not an amount (two amounts in a cell whose ruling is missing …);
    3. amounts printed outside the table's grids (`_amounts_outside_grids`): a body printed without ruling
       under a ruled header, columns beyond the frame;
    4. identities that could not be evaluated (the rows or columns they need were not recognised), or a third
       of them or more failing: the table's structure was misread (a header taken apart, rows of a page
       break joined), which another reading of the same grid may get right. A misprinted number breaks only
       the few identities it is a term of.
    """
    if not lt.fragments:
        return ["no grid found under the heading"]
    out = []
    if table.unread_amounts:
        out.append(f"{table.unread_amounts} amount cell(s) that are not amounts")
    unevaluated = sum(c.expected is None and not c.holds for c in checks)
    if unevaluated:
        out.append(f"{unevaluated} identities could not be evaluated (rows or columns not recognised)")
    failed = sum(not c.holds for c in checks)
    if checks and failed * 3 >= len(checks):
        out.append(f"{failed} of {len(checks)} identities fail")
    outside = _amounts_outside_grids(source, lt)
    if outside:
        out.append(f"amounts printed outside the grid ({outside})")
    return out


def _amounts_outside_grids(source: PdfSource, lt: LocatedTable) -> str | None:
    """Where amounts are printed outside the table's grids, or None: on the heading's page, within the table's
    area, a line outside every grid holding two amounts or more; on any of its pages, two amounts or more
    beside a grid (at the height of its rows, outside it). One amount alone on a line is a page number or a
    note's numbering, not a table's."""
    areas = {page_no: area for page_no, area in lt.search_area}
    for page_no in sorted({f.page_no for f in lt.fragments}):
        boxes = [f.bbox for f in lt.fragments if f.page_no == page_no]
        beside = 0
        per_line: list[list[float]] = []  # [middle, amounts] of each line outside the grids
        area = areas.get(page_no)
        for w in words_of(source.page_objects(page_no).chars):
            if not is_figure(w["text"]):
                continue
            x, y = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
            if any(b.contains(x, y, _MARGIN) for b in boxes):
                continue
            if any(b.top <= y <= b.bottom for b in boxes):
                beside += 1
            if area is not None and area.contains(x, y):
                line = next((ln for ln in per_line if abs(ln[0] - y) <= _LINE_SPREAD), None)
                if line is None:
                    per_line.append([y, 1])
                else:
                    line[1] += 1
        if beside >= 2:
            return f"{beside} beside the grid on page {page_no}"
        lines = sum(n >= 2 for _, n in per_line)
        if lines:
            return f"{lines} line(s) of amounts outside the grid on page {page_no}"
    return None


_MARGIN = 1.0  # pt: a word whose centre lies this close to a grid's border is in it
_LINE_SPREAD = 3.0  # pt: words whose centres lie this close in height are on one line


def _reread_failing(source: PdfSource, lt: LocatedTable, table: Table, checks: list[Check], spec: TableSpec,
                    specs: Specs, default_unit: str | None, year: int | None) -> Table:
    """Rule 4: the cells of the failing identities read again at REREAD_DPI; the table whose identities hold
    better is kept."""
    failing = {ref for c in checks if not c.holds for ref in c.terms}
    boxes = {(c.page, c.bbox) for c in table.cells if c.ref in failing and OCR in c.flags and c.bbox is not None}
    changed: set[tuple[int, BBox]] = set()
    fragments = []
    for frag in lt.fragments:
        if frag.extractor != OCR_READER or frag.page_no not in source.ocr_placement:
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
                        cell = RawCell(text, cell.bbox, cell.indent, least_confidence(chars))
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
            amounts = [w for w in line.text.split() if is_figure(w)]
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


