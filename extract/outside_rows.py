"""Rows printed outside a grid's rules, read as body rows of the grid.

Word and WPS draw the border between two pages on the first page: on the continuation page the first body row
has no top border, and a finder that sees cells only between horizontal rules drops it with its amounts. Some
tables print their total line under the last rule. Both are rows of the table; this reads them, whatever
extractor found the ruled part.

Rules:
1. Only around a grid whose body holds amounts: a ruled header over an unruled body is no grid missing a row
   (the later stages read such a body whole).
2. Above the first rule — up to the heading, or the page's top on a continuation page — and below the last —
   down to the next heading or grid, or the page's foot — a line is a row of the grid when each of its words lies
   within one of the grid's columns (none crosses a column rule) and it holds a label in the first column and an
   amount after it (a placeholder in every amount column will do: '合计 - -'), or two amounts. A page number, a
   line of column numbers or a lone figure is no row.
3. Rows are taken outward from the grid while each lies within ROW_REACH row heights of the last one taken; the
   first line that is no row (a note, a footer, the unit line, prose crossing the columns) ends the search. A
   line holding only text within the columns, next to a row taken, is that row's wrapped label.
4. A row's cells are the grid's columns over the height of its lines; their text is assembled from the
   characters inside them, as the grid's own cells are.
"""

from __future__ import annotations

from dataclasses import replace
from statistics import median

from ..model import BBox, RawCell, RawGrid
from ..normalize.amounts import is_figure, parse_amount
from ..normalize.grid import column_edges, row_edges
from ..normalize.labels import PAGE_FOOTER
from .cell_text import anchor, assemble, word_lines

ROW_REACH = 1.5  # row heights: how far from the grid (or the last row taken) the next row may lie
ALIGN = 2.0  # pt: how far a word may reach past a column rule and still lie within the column
WRAP_REACH = 0.8  # row heights: a text-only line this close to a row taken is its wrapped label

_COLUMN_NUMBER_WORDS = ("栏次", "行次", "栏号", "行号", "序号")


def with_rows_outside_rules(grid: RawGrid, chars: list[dict], upper: float, lower: float) -> RawGrid:
    """`grid` with the rows printed above its first rule (down from `upper`) and below its last (up to `lower`)."""
    if not grid.ruled or grid.n_cols < 2 or not _holds_amounts(grid):
        return grid
    edges = column_edges(grid)
    heights = [bottom - top for top, bottom in row_edges(grid) if bottom - top > 2]
    if not heights:
        return grid
    height = median(heights)
    top, bottom = grid.bbox.top, grid.bbox.bottom
    left, right, reach = edges[0] - ALIGN, edges[-1] + ALIGN, ROW_REACH * height
    band, near = [], False
    for ch in chars:  # one pass over the page's characters: the hot loop of this rule, kept plain
        y = ch["top"] + 0.25 * (ch["bottom"] - ch["top"])  # the anchor's height (cell_text.anchor)
        if (upper < y < top or bottom < y < lower) and left <= (ch["x0"] + ch["x1"]) / 2 <= right:
            band.append(ch)
            near = near or top - reach < y < bottom + reach
    if not near:  # nothing within reach of the grid: no row outside it
        return grid
    lines = word_lines(band)
    above = _rows([ln for ln in lines if _middle(ln) < top][::-1], top, height, edges)
    below = _rows([ln for ln in lines if _middle(ln) > bottom], bottom, height, edges)
    if not above and not below:
        return grid
    new_above = [_cells(band, span, edges) for span in reversed(above)]
    new_below = [_cells(band, span, edges) for span in below]
    box = grid.bbox
    box = BBox(box.x0, min([box.top] + [s[0] for s in above]), box.x1, max([box.bottom] + [s[1] for s in below]))
    return replace(grid, bbox=box, rows=new_above + grid.rows + new_below)


def is_page_number(words: list[dict]) -> bool:
    """A page's number ('3', '- 3 -', '1 0' drawn digit by digit, '第3页')."""
    line = "".join(w["text"] for w in words)
    return bool(PAGE_FOOTER.match(line)) or (len(words) == 1 and words[0]["text"].isdigit())


def is_column_numbers(words: list[dict]) -> bool:
    """A line numbering the columns or rows (栏次 1 2 3 …, or the numbers alone in order)."""
    if any(w["text"].startswith(_COLUMN_NUMBER_WORDS) for w in words):
        return True
    numbers = [w["text"] for w in words if w["text"].isdigit()]
    if len(numbers) < 2 or len(numbers) != len(words):
        return False
    first = int(numbers[0])
    return numbers == [str(first + i) for i in range(len(numbers))]


def _holds_amounts(grid: RawGrid) -> bool:
    """A body row of the grid holds an amount outside its first column."""
    for row in grid.rows:
        texts = [c.text.strip() for c in row[1:] if c.text and c.text.strip()]
        if any(is_figure(t) for t in texts) and not is_column_numbers([{"text": t} for t in texts]):
            return True
    return False


def _rows(lines: list[list[dict]], edge: float, height: float, edges: list[float]) -> list[tuple[float, float]]:
    """The (top, bottom) spans of the rows among `lines` (ordered outward from the grid's `edge`), outward."""
    taken: list[tuple[str, list[dict]]] = []
    last = edge
    for words in lines:
        if abs(_middle(words) - last) > ROW_REACH * height:
            break
        kind = _kind(words, edges)
        if kind is None:
            break
        taken.append((kind, words))
        last = _middle(words)
    spans = {i: _span(words) for i, (kind, words) in enumerate(taken) if kind == "row"}
    for i, (kind, words) in enumerate(taken):
        if kind == "row":
            continue
        near = min(spans, key=lambda j: abs(_middle(taken[j][1]) - _middle(words)), default=None)
        if near is None or abs(_middle(taken[near][1]) - _middle(words)) > WRAP_REACH * height:
            spans = {j: span for j, span in spans.items() if j < i}  # text no row claims ends the search
            break
        (top, bottom), (t, b) = spans[near], _span(words)
        spans[near] = (min(top, t), max(bottom, b))
    return [spans[i] for i in sorted(spans)]


def _span(words: list[dict]) -> tuple[float, float]:
    return min(w["top"] for w in words), max(w["bottom"] for w in words)


def _kind(words: list[dict], edges: list[float]) -> str | None:
    """'row' (aligned: a label in the first column and an amount after it, or two amounts), 'label' (aligned
    text only), or None. A lone figure under a grid is no row: nothing says what it is."""
    if is_page_number(words) or is_column_numbers(words):
        return None
    columns = [_column(w, edges) for w in words]
    if any(c is None for c in columns):
        return None
    parsed = [parse_amount(w["text"]) for w in words]
    amounts = [a for a, c in zip(parsed, columns) if c > 0 and a is not None]
    labelled = any(c == 0 and a is None for a, c in zip(parsed, columns))
    figures = sum(not a.placeholder for a in amounts)
    if (labelled and amounts and (figures or len(amounts) == len(edges) - 2)) or figures >= 2:
        return "row"
    return "label" if all(a is None for a in parsed) else None


def _column(word: dict, edges: list[float]) -> int | None:
    for i, (x0, x1) in enumerate(zip(edges, edges[1:])):
        if x0 - ALIGN <= word["x0"] and word["x1"] <= x1 + ALIGN:
            return i
    return None


def _cells(chars: list[dict], span: tuple[float, float], edges: list[float]) -> list[RawCell]:
    top, bottom = span
    inside = [ch for ch in chars if top - 1 <= anchor(ch)[1] <= bottom + 1]
    cells = []
    for x0, x1 in zip(edges, edges[1:]):
        own = [ch for ch in inside if x0 <= anchor(ch)[0] < x1]
        text = assemble(own, x0)
        confidence = min((ch["confidence"] for ch in own if "confidence" in ch), default=None)
        cells.append(RawCell(text.text, BBox(x0, top, x1, bottom), text.indent, confidence))
    return cells


def _middle(words: list[dict]) -> float:
    return sum((w["top"] + w["bottom"]) / 2 for w in words) / len(words)
