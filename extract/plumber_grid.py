"""Grid extraction by pdfplumber's table finder on ruling lines and rectangles, and the cell assembly that the
first stage (fiscalpdf.extract.objects_grid, the same finder over pdfium's objects) shares. As an extractor
of its own ("pdfplumber") it reads the page with pdfminer; it is not a default fallback.

pdfplumber returns, per row, the bounding box of each cell that starts in that column, or None where a
merged neighbour covers the position; that distinction is kept (`RawCell.text is None`). Cell text is
assembled from the characters by fiscalpdf.extract.cell_text (punctuation drawn off its line put back).
"""

from __future__ import annotations

from ..model import BBox, RawCell, RawGrid
from .cell_text import anchor, assemble, chars_by_cell, least_confidence
from .pdf import PdfSource

NAME = "pdfplumber"
SETTINGS = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
    "edge_min_length": 3,
}


def extract_grids(source: PdfSource, page_no: int, area: BBox | None = None) -> list[RawGrid]:
    page = source.page(page_no)
    if area is not None:
        page = page.crop(_clamp(area, page), strict=False)
    tables = page.find_tables(SETTINGS)
    return grids_from_tables(tables, page.chars if tables else [], page_no, NAME)


def grids_from_tables(tables, chars: list[dict], page_no: int, name: str) -> list[RawGrid]:
    """pdfplumber Table objects → RawGrids, each cell's text assembled from the characters inside it."""
    grids = []
    anchors = [anchor(ch) for ch in chars] if tables else []  # once per page, not twice per table
    for table in tables:
        boxes = [cell for row in table.rows for cell in row.cells if cell is not None]
        x0, top, x1, bottom = table.bbox
        inside = [k for k, (cx, cy) in enumerate(anchors) if x0 <= cx <= x1 and top <= cy <= bottom]
        by_cell = chars_by_cell([chars[k] for k in inside], boxes, [anchors[k] for k in inside])
        texts = iter((assemble(cs, box[0]), least_confidence(cs)) for cs, box in zip(by_cell, boxes))
        rows = []
        for row in table.rows:
            cells = []
            for cell in row.cells:
                if cell is None:
                    cells.append(RawCell(None, None))
                else:
                    t, confidence = next(texts)
                    cells.append(RawCell(t.text, BBox(*cell), t.indent, confidence))
            rows.append(cells)
        grid = RawGrid(page_no, BBox(*table.bbox), rows, name)
        if rows and grid.n_cols >= 2:  # one row is a legitimate end of a table on its last page
            grids.append(grid)
    return sorted(grids, key=lambda g: (g.bbox.top, g.bbox.x0))


def _clamp(area: BBox, page) -> tuple[float, float, float, float]:
    x0, top, x1, bottom = page.bbox
    return (max(area.x0, x0), max(area.top, top), min(area.x1, x1), min(area.bottom, bottom))
