"""Synthetic pages for unit tests of the stages that need no PDF: characters, ruling edges and text lines built
from a few words and a grid, served by an object with the reading methods of `PdfSource`."""

from __future__ import annotations

from dataclasses import dataclass, field

from fiscalpdf.extract.cell_text import page_lines
from fiscalpdf.extract.page_objects import PageObjects
from fiscalpdf.model import BBox, PageText, RawCell, RawGrid, TextLine

SIZE = 10.0  # pt: every synthetic glyph is a SIZE × SIZE box, characters 1 pt apart


def chars_of(text: str, x: float, top: float, size: float = SIZE) -> list[dict]:
    """The characters of `text` written from (x, top), one box per character."""
    out = []
    for i, ch in enumerate(text):
        x0 = x + i * (size + 1)
        out.append({"text": ch, "x0": x0, "x1": x0 + size, "top": top, "bottom": top + size, "size": size,
                    "baseline": top + size})
    return out


def edge(x0: float, top: float, x1: float, bottom: float) -> dict:
    orientation = "h" if top == bottom else "v"
    return {"object_type": "path_edge", "x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0,
            "height": bottom - top, "orientation": orientation}


@dataclass
class Grid:
    """A ruled table: column boundaries `xs`, the top of the first row, and its rows of cell texts (None: the
    cell is merged into its left neighbour, no rule drawn between them)."""

    xs: list[float]
    top: float
    rows: list[list[str | None]]
    row_height: float = 20.0

    @property
    def bottom(self) -> float:
        return self.top + self.row_height * len(self.rows)

    def objects(self) -> tuple[list[dict], list[dict]]:
        chars: list[dict] = []
        edges = [edge(self.xs[0], self.top + r * self.row_height, self.xs[-1], self.top + r * self.row_height)
                 for r in range(len(self.rows) + 1)]
        for r, row in enumerate(self.rows):
            y0, y1 = self.top + r * self.row_height, self.top + (r + 1) * self.row_height
            for c, text in enumerate(row):
                if c == 0 or text is not None:  # a vertical rule left of every cell that is not merged
                    edges.append(edge(self.xs[c], y0, self.xs[c], y1))
                if text:
                    chars += chars_of(text, self.xs[c] + 2, y0 + 5)
            edges.append(edge(self.xs[-1], y0, self.xs[-1], y1))
        return chars, edges


@dataclass
class Page:
    lines: list[tuple[str, float, float]] = field(default_factory=list)  # (text, x, top)
    grids: list[Grid] = field(default_factory=list)
    width: float = 842.0
    height: float = 595.0


class SyntheticSource:
    """Pages built from words and grids, read through the methods the locator and the grid extractors call."""

    def __init__(self, pages: list[Page]):
        self.pages = pages
        self._texts: dict[int, PageText] = {}

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def page_objects(self, page_no: int) -> PageObjects:
        page = self.pages[page_no - 1]
        chars = [ch for text, x, top in page.lines for ch in chars_of(text, x, top)]
        edges: list[dict] = []
        for grid in page.grids:
            grid_chars, grid_edges = grid.objects()
            chars += grid_chars
            edges += grid_edges
        return PageObjects(page_no, page.width, page.height, 0, chars, edges, [], 0, len(edges), reader="synthetic")

    def page_text(self, page_no: int) -> PageText:
        if page_no not in self._texts:
            objects = self.page_objects(page_no)
            lines = [TextLine(text.strip(), BBox(*box)) for text, box in page_lines(objects.chars) if text.strip()]
            self._texts[page_no] = PageText(page_no, objects.width, objects.height, lines, len(objects.chars))
        return self._texts[page_no]

    def page_texts(self) -> dict[int, PageText]:
        return self._texts


def raw_grid(rows: list[list[str | None]], page_no: int = 1, xs: list[float] | None = None, top: float = 100.0,
             row_height: float = 20.0, extractor: str = "pdfium") -> RawGrid:
    """A grid as an extractor returns it: a box per cell; None where the neighbour on the left covers the
    position, "^" where the cell above does (the covering cell's box spans them)."""
    n = max(len(r) for r in rows)
    xs = xs or [50.0 + 80.0 * i for i in range(n + 1)]
    out = []
    for r, row in enumerate(rows):
        y0 = top + r * row_height
        cells = []
        for c, text in enumerate(row):
            if text is None or text == "^":
                cells.append(RawCell(None, None))
                continue
            right = c + 1
            while right < len(row) and row[right] is None:
                right += 1
            down = r + 1
            while down < len(rows) and c < len(rows[down]) and rows[down][c] == "^":
                down += 1
            cells.append(RawCell(text, BBox(xs[c], y0, xs[right], top + down * row_height), 2.0))
        out.append(cells)
    return RawGrid(page_no, BBox(xs[0], top, xs[-1], top + row_height * len(rows)), out, extractor)
