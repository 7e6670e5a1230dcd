"""First-stage grid extraction: pdfplumber's table-finding rules run over the page objects pdfium read.

The finder (snap and join the ruling edges, intersect them, build cells, group cells into tables) follows
pdfplumber's TableFinder rule for rule (fiscalpdf.extract.grid_finder, the same cells several times faster),
so the grids are those pdfplumber would find; only the reading of the page is pdfium's, several times faster
than pdfminer's layout analysis. A page pdfium cannot load is read by pdfplumber
(fiscalpdf.extract.page_objects), and the same finder runs on its objects.
"""

from __future__ import annotations

from ..model import BBox, RawGrid
from .grid_finder import Tolerances, find_tables
from .page_objects import PageObjects
from .pdf import PdfSource
from .plumber_grid import SETTINGS, grids_from_tables

NAME = "pdfium"
TOLERANCES = Tolerances.of(SETTINGS)


def extract_grids(source: PdfSource, page_no: int, area: BBox | None = None) -> list[RawGrid]:
    objects = source.page_objects(page_no)
    page = objects if area is None else _cropped(objects, area)
    tables = find_tables(deduplicated(page.edges), TOLERANCES)
    name = NAME if objects.reader == "pdfium" else objects.reader
    return grids_from_tables(tables, page.chars if tables else [], page_no, name)


def deduplicated(edges: list[dict]) -> list[dict]:
    """Each edge once (the first of those equal to 0.01 pt): a grid drawn cell by cell strokes every inner
    border twice, and the finder's snapping and joining cost grows with the edges it is given (the same
    edges twice snap and join to the same lines).

    A page's edges share few coordinates (the corpus: 930,000 coordinates of unique edges, 34,000 distinct
    values per page summed), so each value is rounded once and looked up after: 0.9 -> 0.3 s over the
    corpus. Equal values round to equal values, so the keys compare as round(v, 2) would make them. A NaN
    is the exception — round() makes a new NaN each time, equal to no other — and a page with one is
    deduplicated the way that keeps NaN's equality to itself (`_deduplicated_by_exact_keys`)."""
    rounded: dict[float, float] = {}

    def hundredths(v: float) -> float:
        r = rounded.get(v)
        if r is None:
            r = rounded[v] = round(v, 2)
        return r

    seen: dict[tuple, dict] = {}
    for e in edges:
        seen.setdefault((e["orientation"], hundredths(e["x0"]), hundredths(e["x1"]), hundredths(e["top"]),
                         hundredths(e["bottom"])), e)
    if any(v != v for v in rounded):  # a NaN coordinate
        return _deduplicated_by_exact_keys(edges)
    return list(seen.values())


def _deduplicated_by_exact_keys(edges: list[dict]) -> list[dict]:
    """`deduplicated` rounding each coordinate of each distinct edge anew: exact duplicates (the same NaN
    object included) first, then the rounded keys (where no two NaN are equal)."""
    exact: dict[tuple, dict] = {}
    for e in edges:
        exact.setdefault((e["orientation"], e["x0"], e["x1"], e["top"], e["bottom"]), e)
    seen: dict[tuple, dict] = {}
    for (orientation, x0, x1, top, bottom), e in exact.items():
        seen.setdefault((orientation, round(x0, 2), round(x1, 2), round(top, 2), round(bottom, 2)), e)
    return list(seen.values())


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
