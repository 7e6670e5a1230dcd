"""Completeness: every amount printed in a table's area ends up in a cell of the table, or is explained.

A ruled-grid reader sees only what lies between rules; a row printed outside them (a continuation page's first
row without its top border, a total printed under the last rule) is lost without a word unless an identity
happens to cover it. This check covers every table page, identities or not.

Rules:
1. A table's area on a page: across, the extent of its grids there (the page's width where it has none); down,
   from the heading above its first grid (the page's top on a continuation page) to the next heading below its
   last grid (the page's foot).
2. In it, every word that reads as an amount (placeholders aside) lies inside one of the table's grids, or is
   explained: a page number (a line that is one whole number, '- 3 -', '第3页'), a line of column numbers (栏次 /
   行次, or 1 2 3 … in order), the number of a table's label (公开 05 表, as OCR may space it), a year (2021
   before 年), a whole number under none of the table's columns of amounts (a 行次, a 序号, a classification
   code), or a figure of the note under the table (注：…, 说明：…, a note saying the table is empty, and every line
   after it).
3. What is left is an orphan: recorded on the table (`tables.orphan_amounts`, with page positions) and on the
   document (finding `orphan_amounts`, status partial).
"""

from __future__ import annotations

import re

from ..errors import Finding
from ..extract.cell_text import word_lines
from ..extract.outside_rows import is_column_numbers, is_page_number
from ..extract.pdf import PdfSource
from ..model import BBox, Heading, LocatedTable, Orphan, Table, TextLine
from ..normalize.amounts import is_figure
from ..normalize.labels import EMPTY_NOTE, LABEL, PAGE_FOOTER
from ..normalize.text import clean_label

MARGIN = 2.0  # pt: a word whose centre lies this close outside a grid's border is in it
_NOTE_START = re.compile(r"^(注|说明|备注|附注|填报说明)\s*\d?[:：.、]?")
_YEAR = re.compile(r"^(19|20)\d\d$")


def find_orphans(source: PdfSource, lt: LocatedTable, table: Table, headings: list[Heading]) -> list[Orphan]:
    """The amounts printed in `table`'s area on each of its pages that no grid of it holds and nothing explains
    (`headings`: every heading located in the document, which bound the areas)."""
    out: list[Orphan] = []
    for page in table.pages:
        boxes = [g.bbox for g in table.geometry if g.page_no == page]
        area = _area(source, page, boxes, lt.heading, [h.bbox for h in headings if h.page_no == page])
        below_grid = max((b.bottom for b in boxes), default=area.top)
        money = [(c.bbox.x0, c.bbox.x1) for c in table.cells if c.page == page and c.bbox is not None]
        spans = _candidate_lines(source.page_text(page).lines, area, boxes, below_grid)
        if not spans:
            continue  # most table pages: the characters, re-read from the page, need not be looked at
        outside = []  # the characters of those lines in the area and in no grid
        for ch in source.page_objects(page).chars:
            x, y = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
            if (area.x0 <= x <= area.x1 and any(top <= y <= bottom for top, bottom in spans)
                    and not _inside(x, y, boxes)):
                outside.append(ch)
        for words in word_lines(outside):
            if is_page_number(words) or is_column_numbers(words):
                continue
            for i, w in enumerate(words):
                if not is_figure(w["text"]):
                    continue
                if _YEAR.match(w["text"]) and i + 1 < len(words) and words[i + 1]["text"].startswith("年"):
                    continue
                middle = (w["x0"] + w["x1"]) / 2
                if w["text"].isdigit() and not any(x0 <= middle <= x1 for x0, x1 in money):
                    continue  # a whole number under no column of amounts: a 行次, 序号 or code
                out.append(Orphan(page, BBox(w["x0"], w["top"], w["x1"], w["bottom"]), w["text"]))
    return out


def orphan_finding(tables: list[Table]) -> Finding | None:
    """The document's completeness finding: which tables hold orphan amounts, or None."""
    lost = [t for t in tables if t.orphans]
    if not lost:
        return None
    said = "; ".join(f"{t.table_id} (table {t.table_no}): {len(t.orphans)} on page(s) "
                     f"{', '.join(map(str, sorted({o.page for o in t.orphans})))}" for t in lost)
    return Finding("orphan_amounts", f"{sum(len(t.orphans) for t in lost)} amount(s) printed in a table's area are "
                                     f"in no cell of it — {said}")


def _candidate_lines(lines: list[TextLine], area: BBox, boxes: list[BBox], below_grid: float
                     ) -> list[tuple[float, float]]:
    """The (top, bottom) of the page's text lines that may hold an orphan: in the area, outside the grids, above
    any note under the grid, holding a word that reads as an amount, and no page number."""
    spans = []
    for ln in lines:
        x, y = ln.bbox.middle
        if not area.top <= y <= area.bottom or _inside(x, y, boxes):
            continue
        if y > below_grid and _starts_note(ln.text):
            break  # the note under the table, and every line after it
        amounts = [w for w in ln.text.split() if is_figure(w)]
        if PAGE_FOOTER.match(ln.text.replace(" ", "")) or not amounts or _label_numbers(ln.text, amounts):
            continue
        spans.append((ln.bbox.top - 1, ln.bbox.bottom + 1))
    return spans


def _label_numbers(line: str, amounts: list[str]) -> bool:
    """The line's only figures are the number of a table's label (公开05表 that OCR reads as '公开 05 表')."""
    return bool(LABEL.search(clean_label(line))) and all(a.isdigit() and len(a) <= 2 for a in amounts)


def _area(source: PdfSource, page: int, boxes: list[BBox], heading: Heading, heading_boxes: list[BBox]) -> BBox:
    objects = source.page_text(page)
    if boxes:
        top, bottom = min(b.top for b in boxes), max(b.bottom for b in boxes)
        x0, x1 = min(b.x0 for b in boxes) - MARGIN, max(b.x1 for b in boxes) + MARGIN
    else:  # no grid on this page: the area under the table's own heading, the whole width
        top = bottom = heading.bbox.bottom if heading.page_no == page else 0.0
        x0, x1 = 0.0, objects.width
    upper = max((h.bottom for h in heading_boxes if h.bottom <= top + MARGIN), default=0.0)
    lower = min((h.top for h in heading_boxes if h.top >= bottom - MARGIN and h.top > upper), default=objects.height)
    return BBox(x0, upper, x1, lower)


def _starts_note(line: str) -> bool:
    flat = clean_label(line)
    return bool(_NOTE_START.match(flat) or EMPTY_NOTE.search(flat))


def _inside(x: float, y: float, boxes: list[BBox]) -> bool:
    return any(b.contains(x, y, MARGIN) for b in boxes)
