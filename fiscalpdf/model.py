"""Typed data passed between the stages: extract → normalize → validate → write.

Raw and clean never mix: everything in `Raw*` holds text exactly as the PDF gave it; only `normalize`
turns text into numbers, labels and codes (`Cell`, `Table`). Coordinates are PDF points with the origin
at the top-left of the page as displayed (rotation applied), the convention pdfplumber uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from . import __version__
from .errors import DocumentError, Finding, Status


@dataclass(frozen=True)
class BBox:
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def middle(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.top + self.bottom) / 2

    def contains(self, x: float, y: float, margin: float = 0.0) -> bool:
        """(x, y) lies in the box, or within `margin` of its border."""
        return self.x0 - margin <= x <= self.x1 + margin and self.top - margin <= y <= self.bottom + margin

    def union(self, other: "BBox") -> "BBox":
        return BBox(min(self.x0, other.x0), min(self.top, other.top), max(self.x1, other.x1),
                    max(self.bottom, other.bottom))


@dataclass(frozen=True)
class TextLine:
    """One line of text on a page, in reading order of its characters."""

    text: str
    bbox: BBox


# A page is a scan when an image covers most of it and the text on it is a few stray characters.
OCR_MAX_CHARS = 40
OCR_MIN_COVER = 0.5


@dataclass
class PageText:
    """What a cheap text pass sees on a page: its lines and whether it has a text layer at all."""

    page_no: int  # 1-based
    width: float
    height: float
    lines: list[TextLine]
    char_count: int
    image_count: int = 0
    image_cover: float = 0.0  # share of the page covered by its largest image
    # why the page's text cannot be trusted: too_large, garbled_text, text_lost (pdfium reads text that
    # pdfplumber does not), unreadable (pdfminer could not parse its content)
    problem: str | None = None
    ocr: bool = False  # the text was read by OCR from the page's image (fiscalpdf.extract.ocr)

    @property
    def needs_ocr(self) -> bool:
        """No text layer: only images, or a scan under a few characters (a file name, a stamp's caption) — and
        not read by OCR."""
        if self.ocr or self.image_count == 0 or self.problem == "too_large":
            return False
        return self.char_count == 0 or (self.char_count < OCR_MAX_CHARS and self.image_cover >= OCR_MIN_COVER)


@dataclass(frozen=True)
class RawCell:
    """A cell as the extractor returned it. `text` None: no cell here (covered by a merged neighbour),
    kept distinct from "" (a cell printed empty)."""

    text: str | None
    bbox: BBox | None = None
    indent: float | None = None  # pt from the cell's left edge to its text (levels shown by indentation)
    confidence: float | None = None  # read by OCR: its least sure character's confidence (0–1); else None


# The reader of a page read by OCR (PageObjects.reader), hence the extractor of the grids found on it
# (RawGrid.extractor, tables.extractor): the stages that treat such pages apart (no text-layer fallback, cells read
# again at a higher resolution, the `ocr` cell flag) all recognise them by this name.
OCR_READER = "ocr"


@dataclass
class RawGrid:
    """One table grid on one page, as an extractor found it."""

    page_no: int
    bbox: BBox
    rows: list[list[RawCell]]
    extractor: str
    # whether ruling lines delimit the cells; False for grids read from whitespace alone (camelot stream and
    # network), whose wrapped text comes out as separate rows (fiscalpdf.normalize.unruled repairs them)
    ruled: bool = True

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    @property
    def has_text(self) -> bool:
        return any(c.text and c.text.strip() for row in self.rows for c in row)


@dataclass(frozen=True)
class GridGeometry:
    """Where a table's grid is printed on one page: its box and the x of its column and y of its row boundaries.
    Kept so that a user can see what was read over the page itself (`fiscalpdf inspect`)."""

    page_no: int
    bbox: BBox
    column_edges: tuple[float, ...]
    row_edges: tuple[float, ...]


@dataclass
class Heading:
    """The printed heading of a table: its title, label (公开01表, 表1 …) and the lines around it."""

    table_id: str  # the id of the spec naming it (fiscalpdf/specs/tables.toml)
    title: str  # as printed, whitespace collapsed
    label: str | None
    page_no: int
    bbox: BBox  # of the title line
    unit: str | None = None  # 万元 | 元 | 千元, from the unit line
    department: str | None = None
    context: list[str] = field(default_factory=list)  # heading-zone lines, for traceability


@dataclass
class LocatedTable:
    """A table of the document: its heading and the grid fragments that hold its body (one per page)."""

    heading: Heading
    fragments: list[RawGrid]
    note: str | None = None  # e.g. '本单位无政府性基金收支…' printed under (or instead of) the grid
    search_area: list[tuple[int, BBox]] = field(default_factory=list)  # where a later stage may look

    @property
    def pages(self) -> list[int]:
        pages = [f.page_no for f in self.fragments] or [self.heading.page_no]
        return sorted(set(pages))


LENGTH_BY_LEVEL = {1: 3, 2: 5, 3: 7}


@dataclass(frozen=True)
class SubjectCode:
    """A classification code: 功能分类 (类 3 digits, 款 5, 项 7) or 经济分类 (类 3, 款 5; a few regions print 7)."""

    code: str
    level: int  # 1 类, 2 款, 3 项

    @property
    def parent(self) -> str | None:
        return None if self.level == 1 else self.code[: LENGTH_BY_LEVEL[self.level - 1]]


CODE_SYSTEMS = ("function", "econ", "gov_econ")  # 功能分类, 部门预算支出经济分类 (3xx), 政府预算支出经济分类 (5xx)


@dataclass
class Cell:
    """One amount cell of the `cells` dataset (see fiscalpdf.schema for the meaning of each field)."""

    table_no: int
    table_id: str
    block: str | None
    row_no: int
    line_no: int | None
    row_label: str
    subject_code: str | None
    code_level: int | None
    parent_code: str | None
    col_no: int
    column_label: str
    column_id: str | None
    amount: Decimal  # exact, in 元
    unit: str
    text: str
    flags: list[str]
    page: int
    row_role: str | None = None  # e.g. 'total', 'carry_in' (validation uses it; see specs)
    indent: float | None = None  # of the row's label, pt: the level of lines printed without codes
    bbox: BBox | None = None  # where the amount is printed on `page` (None when the extractor gave no box)
    codes: dict[str, SubjectCode] = field(default_factory=dict)  # system (CODE_SYSTEMS) → the code printed
    row_group: str | None = None  # the merged group label the row sits under
    row_period: str | None = None  # prior | current | change, when the row names its year
    budget_unit_code: str | None = None  # the 预算单位 a row of a consolidated table belongs to
    budget_unit_name: str | None = None
    is_leaf: bool = True  # no other row of its table adds up into it
    column_period: str | None = None  # prior | current | change (normalize/qualifiers.py)
    fund: str | None = None  # gpb | gov_fund | soe | special_account | other
    basis: str | None = None  # budget | adjusted_budget | final
    confidence: float | None = None  # read by OCR: the least sure character of the cell (0–1); None: text layer

    @property
    def ref(self) -> str:
        return f"{self.table_no}/{self.row_no}/{self.col_no}"


@dataclass
class Table:
    """A normalized table: its metadata and cells."""

    table_no: int
    table_id: str
    label: str | None
    title: str
    pages: list[int]
    unit: str | None
    rows: int
    empty: bool
    note: str | None
    extractor: str | None
    cells: list[Cell]
    warnings: list[str] = field(default_factory=list)
    checks_passed: int = 0
    checks_failed: int = 0
    rules_not_applied: list[str] = field(default_factory=list)  # 'rule: why' for its identities that do not run
    geometry: list[GridGeometry] = field(default_factory=list)  # the grid kept, one per page it is printed on
    unread_amounts: int = 0  # cells of amount columns whose text is not an amount (each also a warning)
    orphans: list[Orphan] = field(default_factory=list)  # amounts printed in its area that no cell holds


@dataclass(frozen=True)
class Orphan:
    """An amount printed in a table's area, outside every cell of the grid kept, that nothing explains (it is no
    page number, 栏次, date or note figure): a figure of the table the reading lost."""

    page: int
    bbox: BBox
    text: str


FACTS_TABLE_ID = "facts"  # Check.table_id of the checks of the prose's facts (fact.*)


@dataclass
class Check:
    """One evaluated identity: `actual` is the printed value, `expected` what the other terms make it."""

    table_id: str  # the rule's home table, 'cross', or 'facts' (FACTS_TABLE_ID)
    rule: str
    terms: list[str]  # cells involved, 'table_no/row_no/col_no'
    expected: Decimal | None
    actual: Decimal | None
    tolerance: Decimal
    detail: str

    @property
    def difference(self) -> Decimal | None:
        if self.expected is None or self.actual is None:
            return None
        return self.actual - self.expected

    @property
    def holds(self) -> bool:
        d = self.difference
        return d is not None and abs(d) <= self.tolerance


@dataclass(frozen=True)
class Fact:
    """One figure the disclosure's prose (情况说明) states: a row of the `facts` dataset (fiscalpdf.schema gives
    each column's meaning; fiscalpdf.normalize.facts the rules that read it)."""

    fact_no: int  # 1-based order in the document
    fact_id: str  # the closed vocabulary of fiscalpdf/specs/facts.toml
    measure: str  # money | count
    value: Decimal | None  # money in 元 (exact), counts as printed; None when only a change is stated
    unit: str | None  # as printed
    subject_code: str | None
    subject_label: str | None
    period: str  # current | prior
    basis: str | None  # budget | adjusted_budget | final
    change_value: Decimal | None  # 元, signed
    change_pct: Decimal | None  # in percent as printed, signed
    change_basis: str | None  # prior_year | budget
    section: str | None  # the heading it sits under, as printed
    section_kind: str | None  # what that heading is about (facts.toml [[section]]): not a column
    page: int | None
    text: str  # the sentence
    flags: tuple[str, ...] = ()  # fiscalpdf.flags.FACT_FLAGS
    bbox: BBox | None = None  # the line on `page` holding the figure (for `fiscalpdf inspect`): not a column

    @property
    def ref(self) -> str:
        """How checks name it among their terms."""
        return f"f{self.fact_no}"


@dataclass(frozen=True)
class Region:
    """Where the department's government sits (fiscalpdf.normalize.regions); all None when not named."""

    province: str | None = None
    city: str | None = None
    county: str | None = None
    region_code: str | None = None
    gov_level: str | None = None  # central | province | prefecture | county | township


NO_REGION = Region()


@dataclass
class DocumentResult:
    """Everything read from one input file: its metadata, tables, facts and checks, or why it could not be read."""

    doc_id: str
    path: str  # as given
    department: str | None = None
    year: int | None = None
    kind: str | None = None
    scope: str | None = None
    document_type: str | None = None  # disclosure | narrative | performance | other (fiscalpdf.extract.doctype)
    region: Region = NO_REGION
    page_count: int | None = None
    status: Status = Status.OK
    error_code: str | None = None
    error: str | None = None
    tables: list[Table] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)  # the prose's figures (disclosure and narrative documents)
    checks: list[Check] = field(default_factory=list)  # the identities, then the fact.* checks
    ocr_pages: list[int] = field(default_factory=list)  # pages read by OCR
    unread_pages: list[int] = field(default_factory=list)  # pages without a usable text layer that were not read
    warnings: list[str] = field(default_factory=list)
    duplicate_paths: list[str] = field(default_factory=list)  # the same bytes found under other paths
    abs_path: str | None = None  # `path` made absolute, symbolic links resolved
    origin: str = "file"  # file | sample (a PDF fiscalpdf's samples/generate.py made, by its metadata)
    peak_rss: int = 0  # bytes: the worker's peak resident memory as its supervisor sampled it (manifest only)
    seconds: float = 0.0
    tool_version: str = __version__

    @property
    def checks_passed(self) -> int:
        return sum(c.holds for c in self.checks)

    @property
    def checks_failed(self) -> int:
        return len(self.checks) - self.checks_passed

    @property
    def identities(self) -> list[Check]:
        """The checks of the tables, inside and across them."""
        return [c for c in self.checks if c.table_id != FACTS_TABLE_ID]

    @property
    def fact_checks(self) -> list[Check]:
        """The fact.* checks: the prose against the tables and against its own figures."""
        return [c for c in self.checks if c.table_id == FACTS_TABLE_ID]

    def fail(self, err: DocumentError) -> None:
        self.status, self.error_code, self.error = err.status, err.code, err.message

    def note(self, finding: Finding) -> None:
        """A condition of a document that was read: every one becomes a warning; the most severe sets the
        status and error_code (the first of equal severity stays)."""
        self.warnings.append(f"{finding.code}: {finding.message}")
        current = Status(self.status).severity if self.error_code else -1
        if finding.status.severity > current:
            self.status, self.error_code, self.error = finding.status, finding.code, finding.message
