"""First-stage grid extraction: pdfplumber's table finder on ruling lines and rectangles.

pdfplumber returns, per row, the bounding box of each cell that starts in that column, or None where a
merged neighbour covers the position; that distinction is kept (`RawCell.text is None`).
"""

from __future__ import annotations

from ..model import BBox, RawCell, RawGrid
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
# pdfplumber inserts a space inside a word when the gap between two characters exceeds x_tolerance.
TEXT_SETTINGS = {"x_tolerance": 3, "y_tolerance": 3}


def extract_grids(source: PdfSource, page_no: int, area: BBox | None = None) -> list[RawGrid]:
    page = source.page(page_no)
    if area is not None:
        page = page.crop(_clamp(area, page), strict=False)
    grids = []
    for table in page.find_tables(SETTINGS):
        texts = table.extract(**TEXT_SETTINGS)
        rows = []
        for r, row in enumerate(table.rows):
            cells = []
            for c, cell in enumerate(row.cells):
                if cell is None:
                    cells.append(RawCell(None, None))
                else:
                    text = texts[r][c] if c < len(texts[r]) else ""
                    cells.append(RawCell(text if text is not None else "", BBox(*cell)))
            rows.append(cells)
        grid = RawGrid(page_no, BBox(*table.bbox), rows, NAME)
        if rows and grid.n_cols >= 2:  # one row is a legitimate end of a table on its last page
            grids.append(grid)
    return sorted(grids, key=lambda g: (g.bbox.top, g.bbox.x0))


def _clamp(area: BBox, page) -> tuple[float, float, float, float]:
    x0, top, x1, bottom = page.bbox
    return (max(area.x0, x0), max(area.top, top), min(area.x1, x1), min(area.bottom, bottom))
