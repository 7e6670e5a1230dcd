"""First-stage grid extraction: pdfplumber's table finder run over the page objects pdfium read.

The finder (snap and join the ruling edges, intersect them, build cells, group cells into tables) is
pdfplumber's own, so the grids are those pdfplumber would find; only the reading of the page is pdfium's,
several times faster than pdfminer's layout analysis. A page pdfium cannot load is read by pdfplumber
(fiscalpdf.extract.page_objects), and the same finder runs on its objects.
"""

from __future__ import annotations

from pdfplumber.table import TableFinder

from ..model import BBox, RawGrid
from .page_objects import PageObjects
from .pdf import PdfSource
from .plumber_grid import SETTINGS, grids_from_tables

NAME = "pdfium"


def extract_grids(source: PdfSource, page_no: int, area: BBox | None = None) -> list[RawGrid]:
    objects = source.page_objects(page_no)
    page = objects if area is None else _cropped(objects, area)
    tables = TableFinder(_Deduplicated(page), SETTINGS).tables
    name = NAME if objects.reader == "pdfium" else objects.reader
    return grids_from_tables(tables, page.chars if tables else [], page_no, name)


class _Deduplicated:
    """The page as the table finder sees it, each edge once: a grid drawn cell by cell strokes every inner
    border twice, and the finder's snapping and joining cost grows with the edges it is given (the same
    edges twice snap and join to the same lines)."""

    def __init__(self, page: PageObjects):
        self.bbox = page.bbox
        seen: dict[tuple, dict] = {}
        for e in page.edges:
            key = (e["orientation"], round(e["x0"], 2), round(e["x1"], 2), round(e["top"], 2), round(e["bottom"], 2))
            seen.setdefault(key, e)
        self.edges = list(seen.values())


def _cropped(objects: PageObjects, area: BBox) -> PageObjects:
    """Only what lies in `area`: edges clipped to it, characters whose centre is inside it."""
    edges = []
    for e in objects.edges:
        x0, x1 = max(e["x0"], area.x0), min(e["x1"], area.x1)
        top, bottom = max(e["top"], area.top), min(e["bottom"], area.bottom)
        if x0 <= x1 and top <= bottom:
            edges.append({**e, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0,
                          "height": bottom - top})
    chars = [ch for ch in objects.chars
             if area.x0 <= (ch["x0"] + ch["x1"]) / 2 <= area.x1
             and area.top <= (ch["top"] + ch["bottom"]) / 2 <= area.bottom]
    return PageObjects(objects.page_no, objects.width, objects.height, objects.rotation, chars, edges,
                       objects.image_boxes, objects.unmapped_chars, objects.shape_count, objects.reader)
