"""Repairs for grids read from whitespace alone (`RawGrid.ruled` false: camelot stream / network): no ruling
tells where a cell ends, so wrapped text comes out as separate rows.

Rules of `repair_unruled`:
0. Preamble rows (label, unit and department lines caught in the table area) are dropped.
1. Columns empty in every row are dropped.
2. Header rows (before the first body row; the 栏次 row excepted) are one header: the fragments of each
   column are joined top to bottom without a separator ('本年收入合' + '计' → '本年收入合计'). Without
   ruling, a header printed over several columns cannot be told from a wrapped one; its text stays with
   the column it overlaps most.
3. A body row holding only one text cell joins the data row next to it whose cell in that column is empty:
   lines above become the start of its label, lines just below its end ('其他政府办公厅（室）及相关机构' /
   '2010399 … 19.62' / '事务支出').
"""

from __future__ import annotations

from ..model import RawCell, RawGrid
from .amounts import parse_amount
from .grid import GridRow
from .header import is_body_row, is_column_number_row, preamble_rows


def repair_unruled(grid: RawGrid, title: str = "") -> RawGrid:
    rows = [list(r) for r in grid.rows]
    rows = rows[preamble_rows([GridRow(r, grid.page_no, 0) for r in rows], title):]
    rows = _drop_empty_columns(rows)
    rows = _collapse_header(rows, grid.page_no)
    rows = _join_wrapped_labels(rows, grid.page_no)
    return RawGrid(grid.page_no, grid.bbox, rows, grid.extractor, ruled=False)


def _text(cell: RawCell) -> str:
    return (cell.text or "").strip()


def _drop_empty_columns(rows: list[list[RawCell]]) -> list[list[RawCell]]:
    n = max((len(r) for r in rows), default=0)
    keep = [c for c in range(n) if any(c < len(r) and _text(r[c]) for r in rows)]
    return [[r[c] if c < len(r) else RawCell("", None) for c in keep] for r in rows]


def _collapse_header(rows: list[list[RawCell]], page: int) -> list[list[RawCell]]:
    body = next((i for i, r in enumerate(rows) if is_body_row(GridRow(r, page, 0))), len(rows))
    header = [r for r in rows[:body] if not is_column_number_row(GridRow(r, page, 0))]
    numbers = [r for r in rows[:body] if is_column_number_row(GridRow(r, page, 0))]
    if len(header) <= 1:
        return rows
    n = len(rows[0])
    joined = []
    for c in range(n):
        parts = [_text(r[c]) for r in header if _text(r[c])]
        boxes = [r[c].bbox for r in header if _text(r[c]) and r[c].bbox is not None]
        box = boxes[0] if boxes else None
        for b in boxes[1:]:
            box = box.union(b)
        joined.append(RawCell("".join(parts), box))
    return [joined] + numbers + rows[body:]


def _is_data(row: list[RawCell]) -> bool:
    return any(_text(c) and parse_amount(c.text) is not None for c in row)


def _single_text(row: list[RawCell]) -> int | None:
    """The column of the row's only text cell, when that is all the row holds."""
    filled = [c for c, cell in enumerate(row) if _text(cell)]
    if len(filled) == 1 and parse_amount(row[filled[0]].text) is None:
        return filled[0]
    return None


def _join_wrapped_labels(rows: list[list[RawCell]], page: int) -> list[list[RawCell]]:
    body = next((i for i, r in enumerate(rows) if is_body_row(GridRow(r, page, 0))), len(rows))
    out = rows[:body]
    pending: dict[int, list[str]] = {}
    absorbed: set[int] = set()  # columns of the last data row that took wrapped text
    for row in rows[body:]:
        col = _single_text(row)
        if col is not None:
            last = out[-1] if len(out) > body else None
            if last is not None and col in absorbed and not pending:
                last[col] = RawCell(f"{last[col].text}\n{_text(row[col])}", last[col].bbox)
            else:
                pending.setdefault(col, []).append(_text(row[col]))
            continue
        row = list(row)
        absorbed = set()
        for col, texts in pending.items():
            if _is_data(row) and col < len(row) and not _text(row[col]):
                row[col] = RawCell("\n".join(texts), row[col].bbox)
                absorbed.add(col)
            else:
                out.append(_text_row(len(row), col, texts))
        pending = {}
        out.append(row)
    for col, texts in pending.items():
        out.append(_text_row(len(rows[0]), col, texts))
    return out


def _text_row(n: int, col: int, texts: list[str]) -> list[RawCell]:
    return [RawCell("\n".join(texts) if c == col else "", None) for c in range(n)]
