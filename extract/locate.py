"""Locating the tables of a document: headings, the grids under them, continuation pages, notes.

Rules:
1. A grid belongs to the nearest heading above it on its page (or to a heading printed inside its top rows).
2. A grid with no heading above it continues the table open on the previous page (a table that runs over a
   page break is one table); a page with neither heading nor grid closes the open table.
3. A page with several headings of which at most one has a grid under it is a table of contents: none of
   its headings is a table; nor is a title printed in a grid's cells below its first row (a list of the
   tables, 报表目录).
4. A heading without a grid is a table printed empty when a note says so ('本单位无政府性基金收支'); the
   note is kept either way, and later stages may still look for an unruled table in its area.
5. A section heading printed right above the title of the same table ('一、收支预算总表' over '2026年度收支预算
   总表') is its label, not a second table.
6. Pages without a text layer are listed: they need OCR, never passed over in silence.
7. A row printed outside a grid's rules — a continuation page's first row without its top border, a total under
   the last rule — is a row of that grid (fiscalpdf.extract.outside_rows).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import BBox, Heading, LocatedTable, PageText, RawGrid
from ..normalize.labels import EMPTY_NOTE, PAGE_FOOTER
from ..normalize.text import clean_label
from ..specs import Specs
from .headings import find_headings
from .outside_rows import with_rows_outside_rules
from .page_objects import RULED_SHAPES
from .pdf import PdfSource
from .registry import FIRST_STAGE, get_extractor

TOC_MIN_HEADINGS = 3


@dataclass
class Located:
    tables: list[LocatedTable]
    texts: list[PageText]


def locate_tables(source: PdfSource, specs: Specs, extractor: str = FIRST_STAGE) -> Located:
    extract = get_extractor(extractor)
    texts: list[PageText] = []
    tables: list[LocatedTable] = []
    open_table: LocatedTable | None = None
    for page_no in range(1, source.page_count + 1):
        # one pass, page by page: a page's grid is read while its objects are still at hand
        text = source.page_text(page_no)
        texts.append(text)
        if text.problem is not None:  # a page whose text cannot be trusted holds no table we can read
            open_table = None
            continue
        headings = [] if _is_contents_page(text) else find_headings(text, specs)
        if not headings and open_table is None:
            continue
        if not headings and _listed(open_table, specs):
            # listed tables (performance forms) are not extracted: follow their pages without parsing grids
            if _has_ruling(source, text.page_no):
                open_table.search_area.append((text.page_no, _page_box(text)))
                continue
            open_table = None
            continue
        grids = extract(source, text.page_no, None)
        headings = [h for h in headings if not _inside_grid_body(h, grids)]
        grids = _with_outside_rows(source, text, grids, headings)
        if not headings and open_table is None:
            continue
        if not grids and len(headings) >= TOC_MIN_HEADINGS:
            open_table = None  # a table of contents
            continue
        page_tables = [LocatedTable(h, []) for h in _join_section_headings(headings)]
        if not grids and not _has_ruling(source, text.page_no):
            # a listed table's title alone on a page without ruling is the narrative naming it
            page_tables = [t for t in page_tables if not _listed(t, specs)]
        for grid in grids:
            owner = _owner(grid, page_tables)
            if owner is not None:
                owner.fragments.append(grid)
            elif open_table is not None and not _listed(open_table, specs) and grid.has_text:
                # (an empty ruled row left alone on the next page continues nothing)
                open_table.fragments.append(grid)
        if len(page_tables) >= TOC_MIN_HEADINGS and sum(bool(t.fragments) for t in page_tables) <= 1:
            open_table = None  # a table of contents drawn inside a frame or beside a small grid
            continue
        for t in page_tables:
            if len(t.fragments) > 1:  # a one-row box beside a real grid (a framed title) is not part of it
                t.fragments = [g for g in t.fragments if len(g.rows) > 1] or t.fragments
        for i, t in enumerate(page_tables):
            lower = page_tables[i + 1].heading.bbox.top if i + 1 < len(page_tables) else text.height
            t.search_area.append((text.page_no, BBox(0, t.heading.bbox.bottom, text.width, lower)))
        tables += page_tables
        if page_tables:
            open_table = page_tables[-1]
        elif not grids:
            open_table = None
    for i, t in enumerate(tables):
        following = tables[i + 1].heading if i + 1 < len(tables) else None
        t.note = _note(texts, t, following)
    return Located(tables, texts)


def _with_outside_rows(source: PdfSource, page: PageText, grids: list[RawGrid],
                       headings: list[Heading]) -> list[RawGrid]:
    """Rule 7: each grid with the rows printed outside its rules, between the heading or grid above it (the
    page's top) and the heading or grid below it (the page's foot)."""
    if not grids:
        return grids
    chars = source.page_objects(page.page_no).chars
    out = []
    for g in grids:
        others = [h.bbox for h in headings] + [o.bbox for o in grids if o is not g]
        upper = max((b.bottom for b in others if b.bottom <= g.bbox.top + 2), default=0.0)
        lower = min((b.top for b in others if b.top >= g.bbox.bottom - 2), default=page.height)
        out.append(with_rows_outside_rules(g, chars, upper, lower))
    return out


def _listed(t: LocatedTable, specs: Specs) -> bool:
    return not specs.by_id(t.heading.table_id).has_cells


def _is_contents_page(page: PageText) -> bool:
    """A page titled 目录 lists the tables; its lines are not their headings."""
    return any(clean_label(ln.text) in ("目录", "目次", "报表目录") for ln in page.lines[:6])


def _join_section_headings(headings: list[Heading]) -> list[Heading]:
    """Fujian prints a section heading ('一、收支预算总表') right above the title ('2026年度收支预算总表'): two
    headings naming the same table one above the other are one heading, the first serving as its label."""
    out: list[Heading] = []
    for h in headings:
        prev = out[-1] if out else None
        if (prev is not None and prev.table_id == h.table_id and 0 <= h.bbox.top - prev.bbox.bottom < 40
                and prev.label and not h.label):
            h.label = prev.label + prev.title
            h.context = prev.context + h.context
            h.unit = h.unit or prev.unit
            h.department = h.department or prev.department
            out[-1] = h
            continue
        out.append(h)
    return out


def _inside_grid_body(h: Heading, grids: list[RawGrid]) -> bool:
    """A title printed in a grid below a row of cells (a list of the tables: 报表名称 | 是否空表 …) is a cell's
    text, not a heading; a title in the grid's first rows, under nothing but single-text lines (a running
    header, the label), is the table's own title row."""
    cx, cy = h.bbox.middle
    for g in grids:
        if not g.bbox.contains(cx, cy):
            continue
        for row in g.rows:
            boxes = [c.bbox for c in row if c.bbox is not None]
            if boxes and min(b.bottom for b in boxes) >= cy:
                return False  # reached the heading's own row
            texts = {c.text.strip() for c in row if c.text and c.text.strip()}
            if len(texts) >= 2:
                return True
    return False


def _owner(grid: RawGrid, page_tables: list[LocatedTable]) -> LocatedTable | None:
    """The table whose heading is the closest above the grid, or printed inside the grid's top."""
    owner = None
    for t in page_tables:
        top = t.heading.bbox.top
        if top <= grid.bbox.top + 2 or (grid.bbox.top <= top <= grid.bbox.top + 0.3 * grid.bbox.height):
            owner = t
    return owner


def _note(texts: list[PageText], t: LocatedTable, following: Heading | None) -> str | None:
    """The note under a table ('注：…', '本单位无…'), or under its heading when no grid was found."""
    if t.fragments:
        last = t.fragments[-1]
        page_no, below = last.page_no, last.bbox.bottom
    else:
        page_no, below = t.heading.page_no, t.heading.bbox.bottom
    page = texts[page_no - 1]
    stop = following.bbox.top if following is not None and following.page_no == page_no else page.height
    lines = [ln.text for ln in page.lines if below - 1 <= ln.bbox.top < stop and not PAGE_FOOTER.match(ln.text)]
    picked: list[str] = []
    for text in lines[:8]:
        flat = clean_label(text)
        if picked or flat.startswith("注") or EMPTY_NOTE.search(flat):
            picked.append(text.strip())
    return "\n".join(picked) or None


def _has_ruling(source: PdfSource, page_no: int) -> bool:
    return source.page_objects(page_no).shape_count >= RULED_SHAPES


def _page_box(text: PageText) -> BBox:
    return BBox(0, 0, text.width, text.height)
