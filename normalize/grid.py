"""Grid geometry: one table's fragments (one per page) stacked into rows on shared columns, and the origin
of every position covered by a merged cell.

Rules:
1. The first fragment's columns are the table's columns. A later fragment with the same number of
   columns at the same x positions (±4 pt) is appended as is; otherwise each of its cells goes to the
   column it overlaps most (a cell spanning several columns starts at that one).
2. A position whose cell is None is covered by a merged cell: its origin is the real cell, up and to the
   left, whose box holds the position's centre. Without boxes (stream output), None has no origin.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from ..model import OCR_READER, BBox, GridGeometry, RawCell, RawGrid

ALIGN_TOLERANCE = 4.0


@dataclass
class GridRow:
    cells: list[RawCell]
    page: int
    fragment: int  # index of the fragment it came from
    ocr: bool = False  # its page was read by OCR (the fragment's extractor is 'ocr')

    def text(self, c: int) -> str | None:
        return self.cells[c].text if c < len(self.cells) else None


def column_edges(grid: RawGrid) -> list[float]:
    """x positions of the column boundaries: n_cols + 1 values."""
    n = grid.n_cols
    starts: dict[int, list[float]] = {c: [] for c in range(n)}
    ends: list[float] = []
    for row in grid.rows:
        for c, cell in enumerate(row):
            if cell.bbox is not None:
                starts[c].append(cell.bbox.x0)
                ends.append(cell.bbox.x1)
    edges = []
    for c in range(n):
        edges.append(median(starts[c]) if starts[c] else (edges[-1] + 1 if edges else grid.bbox.x0))
    edges.append(max(ends) if ends else grid.bbox.x1)
    return edges


def row_edges(grid: RawGrid) -> list[tuple[float, float]]:
    """(top, bottom) of every row, from its unmerged cells."""
    out = []
    for row in grid.rows:
        boxes = [cell.bbox for cell in row if cell.bbox is not None]
        if boxes:
            out.append((min(b.top for b in boxes), min(b.bottom for b in boxes)))
        else:
            out.append(out[-1] if out else (grid.bbox.top, grid.bbox.top))
    return out


def geometry(grid: RawGrid) -> GridGeometry:
    """The grid's box and the boundaries between its columns and rows, as read (drawn by `fiscalpdf inspect`)."""
    rows = row_edges(grid)
    ys = {round(top, 2) for top, _ in rows}
    if rows:
        ys.add(round(max(bottom for _, bottom in rows), 2))  # the last row's bottom closes the grid
    return GridGeometry(grid.page_no, grid.bbox, tuple(round(x, 2) for x in column_edges(grid)), tuple(sorted(ys)))


def stack(fragments: list[RawGrid]) -> tuple[list[GridRow], list[float]]:
    """All rows of all fragments on the first fragment's columns."""
    edges = column_edges(fragments[0])
    n = len(edges) - 1
    rows: list[GridRow] = []
    for k, frag in enumerate(fragments):
        frag_edges = column_edges(frag)
        same = len(frag_edges) == len(edges) and all(
            abs(a - b) <= ALIGN_TOLERANCE for a, b in zip(frag_edges, edges))
        for row in frag.rows:
            if same:
                cells = list(row) + [RawCell(None, None)] * (n - len(row))
            else:
                cells = _realign(row, edges)
            rows.append(GridRow(cells[:n], frag.page_no, k, frag.extractor == OCR_READER))
    return rows, edges


def _realign(row: list[RawCell], edges: list[float]) -> list[RawCell]:
    n = len(edges) - 1
    out: list[RawCell] = [RawCell("", None) for _ in range(n)]
    for cell in row:
        if cell.bbox is None:
            continue
        # the column the cell overlaps most (pages of one table may shift their columns by a few points)
        overlaps = [min(cell.bbox.x1, edges[i + 1]) - max(cell.bbox.x0, edges[i]) for i in range(n)]
        c = max(range(n), key=lambda i: overlaps[i])
        if out[c].bbox is not None and out[c].text:
            out[c] = RawCell(f"{out[c].text}\n{cell.text or ''}".strip("\n"), out[c].bbox.union(cell.bbox),
                             confidence=_least(out[c].confidence, cell.confidence))
        else:
            out[c] = cell
        # positions this cell spans are covered by it
        for j in range(c + 1, n):
            if edges[j] < cell.bbox.x1 - ALIGN_TOLERANCE and out[j].bbox is None and not out[j].text:
                out[j] = RawCell(None, None)
    return out


def _least(a: float | None, b: float | None) -> float | None:
    """The lower of two OCR confidences (None: not read by OCR)."""
    return b if a is None else a if b is None else min(a, b)


def span_origin(rows: list[GridRow], edges: list[float], r: int, c: int) -> tuple[int, int] | None:
    """The (row, column) of the real cell covering position (r, c); (r, c) itself when it is real."""
    if rows[r].cells[c].text is not None:
        return r, c
    cx = (edges[c] + edges[c + 1]) / 2
    top, bottom = _row_span(rows[r])
    if top is None:
        return None
    cy = (top + bottom) / 2
    for rr in range(r, -1, -1):
        if rows[rr].page != rows[r].page:
            break
        for cc in range(c, -1, -1):
            cell = rows[rr].cells[cc]
            if cell.text is not None and cell.bbox is not None and _holds(cell.bbox, cx, cy):
                return rr, cc
    return None


def _row_span(row: GridRow) -> tuple[float | None, float | None]:
    boxes = [cell.bbox for cell in row.cells if cell.bbox is not None]
    if not boxes:
        return None, None
    return min(b.top for b in boxes), min(b.bottom for b in boxes)


def _holds(box: BBox, x: float, y: float) -> bool:
    return box.contains(x, y, margin=1)
